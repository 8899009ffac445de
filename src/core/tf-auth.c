/* tf-auth.c — the service object, throttling, credential checks and login. */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include "tf-auth-private.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "tf-otp.h"
#include "tf-throttle.h"

G_DEFINE_QUARK (tf-auth-error-quark, tf_auth_error)
G_DEFINE_FINAL_TYPE (TfAuth, tf_auth, G_TYPE_OBJECT)

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
tf_auth_finalize (GObject *object)
{
  TfAuth *self = TF_AUTH (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->issuer, g_free);
  g_clear_pointer (&self->seat_key, g_free);
  g_clear_pointer (&self->dummy_hash, g_free);
  g_mutex_clear (&self->dummy_lock);
  g_weak_ref_clear (&self->outbox_worker);

  G_OBJECT_CLASS (tf_auth_parent_class)->finalize (object);
}

static void
tf_auth_class_init (TfAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tf_auth_finalize;
}

static void
tf_auth_init (TfAuth *self)
{
  self->clock = real_clock;
  self->limits = tf_password_limits_default ();
  g_mutex_init (&self->dummy_lock);
  g_weak_ref_init (&self->outbox_worker, NULL);
}

TfAuth *
tf_auth_new (TfStore    *store,
             const char *issuer,
             const char *seat)
{
  TfAuth *self;

  g_return_val_if_fail (TF_IS_STORE (store), NULL);
  /* Every flow seals, opens or hashes: the store must be unlocked. */
  g_return_val_if_fail (tf_store_get_vault (store) != NULL, NULL);

  self = g_object_new (TF_TYPE_AUTH, NULL);
  self->store = g_object_ref (store);
  self->issuer = g_strdup (issuer != NULL && *issuer != '\0' ? issuer : "Twofold");
  self->seat_key = g_strconcat ("seat:", seat != NULL && *seat != '\0' ? seat : "local", NULL);

  return self;
}

TfStore *
tf_auth_get_store (TfAuth *self)
{
  g_return_val_if_fail (TF_IS_AUTH (self), NULL);

  return self->store;
}

void
tf_auth_set_clock (TfAuth      *self,
                   TfClockFunc  clock,
                   gpointer     user_data)
{
  g_return_if_fail (TF_IS_AUTH (self));

  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = user_data;
}

gint64
tf_auth_now (TfAuth *self)
{
  g_return_val_if_fail (TF_IS_AUTH (self), 0);

  return self->clock (self->clock_data);
}

void
tf_auth_set_password_limits (TfAuth                 *self,
                             const TfPasswordLimits *limits)
{
  g_return_if_fail (TF_IS_AUTH (self));
  g_return_if_fail (limits != NULL);

  g_mutex_lock (&self->dummy_lock);
  self->limits = *limits;
  g_clear_pointer (&self->dummy_hash, g_free);
  g_mutex_unlock (&self->dummy_lock);
}

void
tf_login_result_free (TfLoginResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->user, tf_user_free);
  g_free (result);
}

void
tf_enrolment_free (TfEnrolment *enrolment)
{
  if (enrolment == NULL)
    return;

  g_clear_pointer (&enrolment->uri, tf_secure_buffer_unref);
  g_clear_pointer (&enrolment->secret_base32, tf_secure_buffer_unref);
  g_free (enrolment->issuer);
  g_free (enrolment->account);
  g_free (enrolment);
}

void
tf_credentials_clear (TfCredentials *creds)
{
  g_clear_pointer (&creds->user, tf_user_free);
  if (creds->password_hash != NULL)
    sodium_memzero (creds->password_hash, strlen (creds->password_hash));
  g_clear_pointer (&creds->password_hash, g_free);
  sodium_memzero (creds->recovery_hash, sizeof creds->recovery_hash);
}

void
tf_auth_audit (TfAuth     *self,
               const char *username,
               const char *event,
               const char *detail)
{
  g_autoptr(GError) error = NULL;

  if (!tf_store_append_audit (self->store, tf_auth_now (self), username, event, detail, &error))
    g_debug ("Could not append %s to the audit log: %s", event, error->message);
}

gboolean
tf_auth_commit (TfAuth        *self,
                TfStoreAudit  *change,
                const char    *username,
                const char    *event,
                const char    *detail,
                GError       **error)
{
  return tf_store_audit_commit (change, tf_auth_now (self), username, event, detail, error);
}

char *
tf_auth_throttle_key (const char *normalised_username)
{
  return g_strconcat ("user:", normalised_username != NULL ? normalised_username : "", NULL);
}

typedef struct {
  gint64 now;
  gint64 blocked_until;
} ThrottleCheck;

static gboolean
check_and_count (TfThrottleState *state,
                 gpointer         user_data)
{
  ThrottleCheck *check = user_data;

  check->blocked_until = tf_throttle_blocked_until (state, check->now);
  if (check->blocked_until > 0)
    return FALSE;

  tf_throttle_count_attempt (state, check->now);
  return TRUE;
}

static gboolean
record_failure_cb (TfThrottleState *state,
                   gpointer         user_data)
{
  tf_throttle_record_failure (state, *(gint64 *) user_data);
  return TRUE;
}

static void
set_throttled_error (GError **error,
                     gint64   wait)
{
  if (wait >= 60)
    {
      guint minutes = (guint) ((wait + 59) / 60);

      g_set_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too many attempts. Try again in %u minute.",
                                "Too many attempts. Try again in %u minutes.",
                                minutes),
                   minutes);
    }
  else
    {
      guint seconds = (guint) MAX (wait, 1);

      g_set_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too many attempts. Try again in %u second.",
                                "Too many attempts. Try again in %u seconds.",
                                seconds),
                   seconds);
    }
}

/* Refuses (without counting) while either the account's or the seat's key
 * is waiting; otherwise counts the attempt in both hourly windows. */
gboolean
tf_auth_check_throttle (TfAuth      *self,
                        const char  *user_key,
                        GError     **error)
{
  const char *keys[] = { user_key, self->seat_key };
  gint64 now = tf_auth_now (self);
  ThrottleCheck checks[] = { { now, 0 }, { now, 0 } };
  gpointer data[] = { &checks[0], &checks[1] };
  gint64 until;

  if (!tf_store_update_throttles (self->store, keys, G_N_ELEMENTS (keys), check_and_count, data,
                                  error))
    return FALSE;
  until = MAX (checks[0].blocked_until, checks[1].blocked_until);

  if (until > 0)
    {
      set_throttled_error (error, until - now);
      return FALSE;
    }

  return TRUE;
}

void
tf_auth_record_failure (TfAuth     *self,
                        const char *user_key,
                        TfUser     *user)
{
  const char *keys[] = { user_key, self->seat_key };
  gint64 now = tf_auth_now (self);
  gpointer data[] = { &now, &now };
  g_autoptr(GError) error = NULL;

  if (!tf_store_update_throttles (self->store, keys, G_N_ELEMENTS (keys), record_failure_cb, data,
                                  &error))
    g_debug ("Could not record a failure: %s", error->message);

  if (user != NULL)
    tf_store_record_user_failure (self->store, user->id, NULL);
}

static gboolean
reset_failures_cb (TfThrottleState *state,
                   gpointer         user_data)
{
  /* Success ends the failure streak but not the hourly window. */
  state->failures = 0;
  state->next_allowed_at = 0;
  return TRUE;
}

void
tf_auth_clear_failures (TfAuth     *self,
                        const char *user_key)
{
  const char *keys[] = { user_key, self->seat_key };
  gpointer data[] = { NULL, NULL };

  tf_store_update_throttles (self->store, keys, G_N_ELEMENTS (keys), reset_failures_cb, data, NULL);
}

static TfUser *
user_copy (const TfUser *user)
{
  TfUser *copy = g_memdup2 (user, sizeof *user);

  copy->username = g_strdup (user->username);
  copy->first_name = g_strdup (user->first_name);
  copy->last_name = g_strdup (user->last_name);
  copy->email = g_strdup (user->email);

  return copy;
}

static const char *
ensure_dummy_hash (TfAuth  *self,
                   GError **error)
{
  const char *hash;

  g_mutex_lock (&self->dummy_lock);
  if (self->dummy_hash == NULL)
    {
      g_autoptr(TfSecureBuffer) random = tf_secure_buffer_new_random (24);
      g_autoptr(TfSecureBuffer) password = tf_secure_buffer_new (32);

      sodium_bin2base64 ((char *) tf_secure_buffer_get_data (password), 33,
                         tf_secure_buffer_get_data (random), 24,
                         sodium_base64_VARIANT_ORIGINAL);
      tf_secure_buffer_truncate (password, 32);
      self->dummy_hash = tf_password_hash (password, &self->limits, error);
    }
  hash = self->dummy_hash;
  g_mutex_unlock (&self->dummy_lock);

  return hash;
}

gint64
tf_auth_match_totp (TfAuth               *self,
                    const TfSecureBuffer *secret,
                    const TfSecureBuffer *code,
                    gint                  drift_steps,
                    gint64               *skew_seconds)
{
  const guint period = 30;
  const guint8 *key = tf_secure_buffer_get_data ((TfSecureBuffer *) secret);
  gsize key_len = tf_secure_buffer_get_length (secret);
  guint64 now_step;
  gint64 matched = -1;
  gint64 far = 0;

  if (skew_seconds != NULL)
    *skew_seconds = 0;

  if (!tf_totp_step (tf_auth_now (self), 0, period, &now_step))
    return -1;

  /* Every candidate is computed and compared in constant time, so how long
   * this takes does not depend on which step (if any) matched. */
  for (gint offset = -TF_AUTH_SKEW_STEPS; offset <= TF_AUTH_SKEW_STEPS; offset++)
    {
      char candidate[TF_OTP_CODE_SIZE] = { 0 };
      gint64 step = (gint64) now_step + offset;
      gboolean in_window = ABS (offset - drift_steps) <= 1;
      gboolean equal;

      if (step < 0)
        continue;

      tf_hotp (key, key_len, TF_OTP_SHA1, (guint64) step, 6, candidate);
      equal = tf_secure_buffer_get_length (code) == 6 &&
              sodium_memcmp (candidate, tf_secure_buffer_get_string (code), 6) == 0;
      sodium_memzero (candidate, sizeof candidate);

      if (equal && in_window && matched < 0)
        matched = step;
      else if (equal && !in_window && far == 0)
        far = (gint64) offset * period;
    }

  if (matched < 0 && skew_seconds != NULL)
    *skew_seconds = far;

  return matched;
}

/* Checks password and code for user (NULL = unknown: the same work is done
 * against a dummy hash and a random secret). Runs exactly one Argon2id
 * verify. Notes the TOTP step or recovery code for tf_auth_use_code () only
 * when the password is right. Returns FALSE only for environment errors
 * (store, vault). */
gboolean
tf_auth_check_credentials (TfAuth         *self,
                           TfUser         *user,
                           const char     *password,
                           const char     *code,
                           TfCheckFlags    flags,
                           TfCredentials  *creds,
                           GError        **error)
{
  g_autoptr(TfSecureBuffer) normalised = NULL;
  g_autoptr(TfSecureBuffer) parsed_code = NULL;
  g_autoptr(TfSecureBuffer) stored_hash = NULL;
  g_autoptr(TfTotpRecord) totp = NULL;
  g_autoptr(TfSecureBuffer) dummy_secret = NULL;
  const TfSecureBuffer *secret;
  TfCodeKind kind = TF_CODE_NONE;
  const char *dummy;
  const char *hash;
  gint64 step;
  gboolean usable = user != NULL && user->state != TF_USER_STATE_DISABLED;

  memset (creds, 0, sizeof *creds);
  creds->step = -1;

  dummy = ensure_dummy_hash (self, error);
  if (dummy == NULL)
    return FALSE;

  if (usable)
    {
      stored_hash = tf_store_get_password_hash (self->store, user->id, error);
      if (stored_hash == NULL)
        return FALSE;
      totp = tf_store_get_totp (self->store, user->id, error);
      if (totp == NULL)
        return FALSE;
    }

  hash = usable ? tf_secure_buffer_get_string (stored_hash) : dummy;
  normalised = tf_password_normalize (password != NULL ? password : "", -1, NULL);
  if (normalised != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      creds->password_ok = tf_password_verify (hash, normalised, &local_error) && usable;
      if (local_error != NULL)
        g_debug ("Stored password hash of a user is unusable: %s", local_error->message);
    }
  else
    {
      /* Malformed input still costs one verify, against the dummy. */
      g_autoptr(TfSecureBuffer) filler = tf_secure_buffer_new_from_string ("x");

      tf_password_verify (dummy, filler, NULL);
    }

  parsed_code = tf_validate_parse_code (code, -1, &kind, NULL);

  if (usable && totp->secret != NULL)
    secret = totp->secret;
  else
    secret = dummy_secret = tf_secure_buffer_new_random (TF_AUTH_TOTP_SECRET_BYTES);

  step = -1;
  if (kind == TF_CODE_TOTP)
    step = tf_auth_match_totp (self, secret, parsed_code,
                               usable ? totp->drift_steps : 0, &creds->skew_seconds);

  if (usable)
    creds->user = user_copy (user);

  if (!creds->password_ok)
    return TRUE;

  creds->password_hash = g_strdup (hash);

  if (user->state == TF_USER_STATE_PENDING)
    {
      creds->code_ok = (flags & TF_CHECK_ALLOW_PENDING) != 0;
      return TRUE;
    }

  if (kind == TF_CODE_TOTP && step >= 0)
    {
      guint64 now_step = 0;

      tf_totp_step (tf_auth_now (self), 0, 30, &now_step);
      creds->step = step;
      creds->drift = (gint) CLAMP (step - (gint64) now_step, -10, 10);
    }
  else if (kind == TF_CODE_RECOVERY)
    {
      creds->recovery = TRUE;
      tf_vault_keyed_hash (tf_store_get_vault (self->store), TF_VAULT_PURPOSE_RECOVERY_CODE,
                           tf_secure_buffer_get_data (parsed_code),
                           tf_secure_buffer_get_length (parsed_code), creds->recovery_hash);
    }

  return TRUE;
}

gboolean
tf_auth_use_code (TfAuth         *self,
                  TfCredentials  *creds,
                  GError        **error)
{
  GError *local_error = NULL;

  if (!creds->password_ok || creds->user->state == TF_USER_STATE_PENDING)
    return TRUE;

  /* FALSE without an error: the step was used already (a replay), or no
   * unused recovery code matches. */
  if (creds->step >= 0)
    creds->code_ok = tf_store_consume_totp_step (self->store, creds->user->id, creds->step,
                                                 creds->drift, tf_auth_now (self), &local_error);
  else if (creds->recovery)
    creds->code_ok = creds->used_recovery_code =
      tf_store_use_recovery_code (self->store, creds->user->id, creds->recovery_hash,
                                  tf_auth_now (self), &creds->recovery_codes_left, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      creds->code_ok = creds->used_recovery_code = FALSE;
      return FALSE;
    }
  return TRUE;
}

static void
set_failed_error (GError **error,
                  gint64   skew_seconds)
{
  if (skew_seconds != 0)
    {
      guint minutes = (guint) MAX (1, (ABS (skew_seconds) + 30) / 60);

      g_set_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_CLOCK_SKEW,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Invalid username, password or code. The code looks like "
                                "one from a device whose clock is off by about %u minute.",
                                "Invalid username, password or code. The code looks like "
                                "one from a device whose clock is off by about %u minutes.",
                                minutes),
                   minutes);
    }
  else
    {
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED,
                           _("Invalid username, password or code."));
    }
}

static void
maybe_rehash (TfAuth        *self,
              TfCredentials *creds,
              const char    *password,
              gboolean      *rehashed)
{
  g_autoptr(TfSecureBuffer) normalised = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;

  if (!tf_password_needs_rehash (creds->password_hash, &self->limits))
    return;

  /* Hashed before the change opens: nothing slow holds the store. */
  normalised = tf_password_normalize (password, -1, NULL);
  if (normalised != NULL)
    hash = tf_password_hash (normalised, &self->limits, &error);
  if (hash != NULL)
    change = tf_store_audit_begin (self->store, &error);
  /* On failure the old hash stays, and works. */
  if (change != NULL &&
      tf_store_set_password_hash (self->store, creds->user->id, hash, &error) &&
      tf_auth_commit (self, g_steal_pointer (&change), creds->user->username,
                      "password.rehashed", NULL, &error))
    *rehashed = TRUE;
  else
    g_debug ("Could not rehash a password: %s", error != NULL ? error->message : "?");
}

TfLoginResult *
tf_auth_login (TfAuth      *self,
               const char  *username,
               const char  *password,
               const char  *code,
               GError     **error)
{
  g_autofree char *normalised = NULL;
  g_autofree char *user_key = NULL;
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  TfCredentials creds;
  const char *who;
  const char *event;

  g_return_val_if_fail (TF_IS_AUTH (self), NULL);

  normalised = tf_validate_username (username, -1, NULL);
  user_key = tf_auth_throttle_key (normalised);
  who = normalised;

  if (!tf_auth_check_throttle (self, user_key, error))
    {
      if (g_error_matches (*error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED))
        tf_auth_audit (self, who, "login.throttled", NULL);
      return NULL;
    }

  if (normalised != NULL)
    {
      user = tf_store_find_user (self->store, normalised, error);
      if (user == NULL && *error != NULL)
        return NULL;
    }

  if (!tf_auth_check_credentials (self, user, password, code,
                                  TF_CHECK_ALLOW_PENDING, &creds, error))
    return NULL;

  /* From here on one transaction: the code used, the outcome recorded and
   * its audit entry land together or not at all. */
  change = tf_store_audit_begin (self->store, error);
  if (change == NULL || !tf_auth_use_code (self, &creds, error))
    {
      tf_credentials_clear (&creds);
      return NULL;
    }

  if (!creds.password_ok || !creds.code_ok)
    {
      tf_auth_record_failure (self, user_key, creds.user);
      if (tf_auth_commit (self, g_steal_pointer (&change), who, "login.failure",
                          creds.user == NULL ? "unknown or disabled user" : NULL, error))
        set_failed_error (error, creds.skew_seconds);
      tf_credentials_clear (&creds);
      return NULL;
    }

  result = g_new0 (TfLoginResult, 1);
  tf_auth_clear_failures (self, user_key);

  if (creds.user->state == TF_USER_STATE_PENDING)
    {
      result->status = TF_LOGIN_ENROLMENT_NEEDED;
      event = "login.enrolment-resumed";
    }
  else
    {
      result->status = TF_LOGIN_OK;
      if (!tf_store_record_login (self->store, creds.user->id, tf_auth_now (self),
                                  &result->previous_login_at, &result->failed_since, error))
        {
          tf_credentials_clear (&creds);
          return NULL;
        }
      result->used_recovery_code = creds.used_recovery_code;
      result->recovery_codes_left = creds.used_recovery_code
        ? creds.recovery_codes_left
        : tf_store_count_recovery_codes (self->store, creds.user->id, NULL);
      event = creds.used_recovery_code ? "login.recovery-code" : "login.success";
    }

  if (!tf_auth_commit (self, g_steal_pointer (&change), who, event, NULL, error))
    {
      tf_credentials_clear (&creds);
      return NULL;
    }
  if (result->status == TF_LOGIN_OK)
    maybe_rehash (self, &creds, password, &result->password_rehashed);

  result->user = g_steal_pointer (&creds.user);
  tf_credentials_clear (&creds);

  return g_steal_pointer (&result);
}

TfUser *
tf_auth_authorise (TfAuth         *self,
                   gint64          user_id,
                   const char     *password,
                   const char     *code,
                   const char     *action,
                   TfStoreAudit  **change,
                   GError        **error)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfStoreAudit) open = NULL;
  g_autofree char *user_key = NULL;
  TfCredentials creds;
  TfUser *authorised;

  g_return_val_if_fail (change != NULL && *change == NULL, NULL);

  user = tf_store_get_user (self->store, user_id, error);
  if (user == NULL)
    return NULL;

  user_key = tf_auth_throttle_key (user->username);
  if (!tf_auth_check_throttle (self, user_key, error))
    return NULL;

  if (!tf_auth_check_credentials (self, user, password, code,
                                  TF_CHECK_CODE_REQUIRED, &creds, error))
    return NULL;

  open = tf_store_audit_begin (self->store, error);
  if (open == NULL || !tf_auth_use_code (self, &creds, error))
    {
      tf_credentials_clear (&creds);
      return NULL;
    }

  if (!creds.password_ok || !creds.code_ok || user->state != TF_USER_STATE_ACTIVE)
    {
      tf_auth_record_failure (self, user_key, creds.user);
      if (tf_auth_commit (self, g_steal_pointer (&open), user->username, "authorise.failure",
                          action, error))
        set_failed_error (error, 0);
      tf_credentials_clear (&creds);
      return NULL;
    }

  tf_auth_clear_failures (self, user_key);
  authorised = g_steal_pointer (&creds.user);
  tf_credentials_clear (&creds);
  *change = g_steal_pointer (&open);

  return authorised;
}
