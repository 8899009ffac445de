/* tf-auth-mail.c — password reset by e-mail, e-mail verification, and the
 * notices that follow account changes. */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include "tf-auth-private.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "tf-otp.h"
#include "tf-throttle.h"

#define RESET_KIND "reset"
#define VERIFY_KIND "verify"
#define NOTICE_KIND "notice"
/* Unknown identifiers write here, so both answers cost one committed write. */
#define DUMMY_KEY "reset:-"
#define DUMMY_ADDRESS "nobody@twofold.invalid"

void
tf_auth_set_outbox_worker (TfAuth         *self,
                           TfOutboxWorker *worker)
{
  g_return_if_fail (TF_IS_AUTH (self));
  g_return_if_fail (worker == NULL || TF_IS_OUTBOX_WORKER (worker));

  g_weak_ref_set (&self->outbox_worker, worker);
}

static void
wake_worker (TfAuth *self)
{
  g_autoptr(TfOutboxWorker) worker = g_weak_ref_get (&self->outbox_worker);

  if (worker != NULL)
    tf_outbox_worker_wake (worker);
}

static TfSecureBuffer *
new_code (void)
{
  TfSecureBuffer *code = tf_secure_buffer_new (TF_AUTH_MAIL_CODE_DIGITS);
  guint8 *digits = tf_secure_buffer_get_data (code);

  for (guint i = 0; i < TF_AUTH_MAIL_CODE_DIGITS; i++)
    digits[i] = (guint8) ('0' + randombytes_uniform (10));
  return code;
}

/* The typed code: digits of any script (full-width too), spaces and hyphens
 * ignored. Read in place, so the code never lands in a heap copy. */
static TfSecureBuffer *
parse_code (const char *input)
{
  g_autoptr(TfSecureBuffer) code = tf_secure_buffer_new (TF_AUTH_MAIL_CODE_DIGITS);
  guint8 *digits = tf_secure_buffer_get_data (code);
  guint n = 0;

  if (input == NULL || strlen (input) > TF_VALIDATE_MAX_INPUT_BYTES ||
      !g_utf8_validate (input, -1, NULL))
    return NULL;

  for (const char *p = input; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int value = g_unichar_digit_value (c);

      if (c == ' ' || c == '-' || c == '\t' || c == 0x00a0)
        continue;
      if (value < 0 || n == TF_AUTH_MAIL_CODE_DIGITS)
        return NULL;
      digits[n++] = (guint8) ('0' + value);
    }

  return n == TF_AUTH_MAIL_CODE_DIGITS ? g_steal_pointer (&code) : NULL;
}

/* Reset codes are hashed alone; verification codes with the address they
 * were sent to, so a code for an old address does not confirm a new one. */
static void
hash_code (TfAuth               *self,
           TfVaultPurpose        purpose,
           const char           *email,
           const TfSecureBuffer *code,
           guint8                out[TF_VAULT_HASH_LENGTH])
{
  gsize email_length = email != NULL ? strlen (email) + 1 : 0;
  g_autoptr(TfSecureBuffer) data = tf_secure_buffer_new (email_length +
                                                         tf_secure_buffer_get_length (code));

  if (email != NULL)
    memcpy (tf_secure_buffer_get_data (data), email, email_length);
  memcpy (tf_secure_buffer_get_data (data) + email_length,
          tf_secure_buffer_get_data ((TfSecureBuffer *) code), tf_secure_buffer_get_length (code));
  tf_vault_keyed_hash (tf_store_get_vault (self->store), purpose, tf_secure_buffer_get_data (data),
                       tf_secure_buffer_get_length (data), out);
}

static TfMailMessage *
compose_for (TfAuth               *self,
             TfMailKind            kind,
             const TfUser         *user,
             const TfSecureBuffer *code,
             GError              **error)
{
  TfMailFields fields = {
    .issuer = self->issuer,
    .username = user->username,
    .first_name = user->first_name,
    .last_name = user->last_name,
    .to_address = user->email,
    .code = code,
    .expires_minutes = TF_AUTH_MAIL_CODE_LIFETIME / 60,
    .now = tf_auth_now (self),
  };

  return tf_mail_compose (kind, &fields, error);
}

/* Queues a code mail: code, log and message in one transaction. Returns the
 * message id, 0 without an error when the hourly limit held it back. */
static gint64
queue_code (TfAuth        *self,
            TfMailKind     kind,
            const TfUser  *user,
            GError       **error)
{
  g_autoptr(TfSecureBuffer) code = new_code ();
  g_autoptr(TfMailMessage) message = NULL;
  guint8 hash[TF_VAULT_HASH_LENGTH];
  TfStoreMailOptions options = {
    .user_id = user->id,
    .kind = kind == TF_MAIL_RESET_CODE ? RESET_KIND : VERIFY_KIND,
    .max_per_hour = TF_AUTH_MAIL_PER_HOUR,
    .code_hash = hash,
    .code_expires_at = tf_auth_now (self) + TF_AUTH_MAIL_CODE_LIFETIME,
  };

  if (kind == TF_MAIL_RESET_CODE)
    hash_code (self, TF_VAULT_PURPOSE_RESET_CODE, NULL, code, hash);
  else
    hash_code (self, TF_VAULT_PURPOSE_VERIFY_CODE, user->email, code, hash);

  message = compose_for (self, kind, user, code, error);
  if (message == NULL)
    return 0;
  return tf_outbox_enqueue (self->store, message, &options, error);
}

static gboolean
count_dummy (TfThrottleState *state,
             gpointer         user_data)
{
  tf_throttle_count_attempt (state, *(gint64 *) user_data);
  return TRUE;
}

/* What queue_code () costs, for an identifier that matched no account:
 * a code, its keyed hash, a composed message and one committed write. */
static void
equivalent_work (TfAuth     *self,
                 const char *identifier)
{
  g_autoptr(TfSecureBuffer) code = new_code ();
  g_autoptr(TfMailMessage) message = NULL;
  TfUser nobody = { .username = (char *) identifier, .email = (char *) DUMMY_ADDRESS };
  guint8 hash[TF_VAULT_HASH_LENGTH];
  gint64 now = tf_auth_now (self);

  hash_code (self, TF_VAULT_PURPOSE_RESET_CODE, NULL, code, hash);
  message = compose_for (self, TF_MAIL_RESET_CODE, &nobody, code, NULL);
  tf_store_update_throttle (self->store, DUMMY_KEY, count_dummy, &now, NULL);
  sodium_memzero (hash, sizeof hash);
}

/* The throttle key of what was typed in "Username or e-mail": the
 * normalised username, or the address in lower case. */
static char *
identifier_key (const char  *identifier,
                gboolean    *is_email,
                GError     **error)
{
  g_autofree char *normalised = NULL;

  *is_email = identifier != NULL && strchr (identifier, '@') != NULL;
  normalised = *is_email ? tf_validate_email (identifier, -1, NULL)
                         : tf_validate_username (identifier, -1, NULL);
  if (normalised == NULL)
    {
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_USERNAME,
                           _("Enter the username or the e-mail address of your account."));
      return NULL;
    }

  if (*is_email)
    {
      g_autofree char *lower = g_ascii_strdown (normalised, -1);

      return g_steal_pointer (&lower);
    }
  return g_steal_pointer (&normalised);
}

/* The accounts a reset may reach: active, with a verified address, and for
 * an e-mail identifier, that address. */
static GPtrArray *
find_candidates (TfAuth      *self,
                 const char  *key,
                 gboolean     is_email,
                 GError     **error)
{
  g_autoptr(GPtrArray) users = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_user_free);

  if (is_email)
    {
      g_autoptr(GArray) ids = tf_store_mail_find_users_by_email (self->store, key, error);

      if (ids == NULL)
        return NULL;
      for (guint i = 0; i < ids->len; i++)
        {
          TfUser *user = tf_store_get_user (self->store, g_array_index (ids, gint64, i), NULL);

          if (user != NULL)
            g_ptr_array_add (users, user);
        }
    }
  else
    {
      g_autoptr(GError) local_error = NULL;
      TfUser *user = tf_store_find_user (self->store, key, &local_error);

      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (user != NULL)
        g_ptr_array_add (users, user);
    }

  for (guint i = users->len; i > 0; i--)
    {
      TfUser *user = g_ptr_array_index (users, i - 1);

      if (user->state != TF_USER_STATE_ACTIVE || user->email_verified_at == 0 ||
          user->email == NULL || user->email[0] == '\0')
        g_ptr_array_remove_index (users, i - 1);
    }

  return g_steal_pointer (&users);
}

typedef struct {
  gint64 now;
  gint64 blocked_until;
  gboolean failure;
} RequestCheck;

static gboolean
request_throttle_cb (TfThrottleState *state,
                     gpointer         user_data)
{
  RequestCheck *check = user_data;

  check->blocked_until = tf_throttle_blocked_until (state, check->now);
  if (check->blocked_until > 0)
    return FALSE;
  tf_throttle_count_attempt (state, check->now);
  /* Per identifier every request counts as a failure: 5 free, then waits. */
  if (check->failure)
    tf_throttle_record_failure (state, check->now);
  return TRUE;
}

static gboolean
check_request_throttle (TfAuth      *self,
                        const char  *key,
                        GError     **error)
{
  g_autofree char *identifier_throttle = g_strconcat ("reset:", key, NULL);
  g_autofree char *seat_throttle = g_strconcat ("reset-", self->seat_key, NULL);
  RequestCheck checks[] = {
    { tf_auth_now (self), 0, TRUE },
    { tf_auth_now (self), 0, FALSE },
  };
  const char *keys[] = { identifier_throttle, seat_throttle };
  gpointer data[] = { &checks[0], &checks[1] };
  gint64 until;

  if (!tf_store_update_throttles (self->store, keys, G_N_ELEMENTS (keys), request_throttle_cb, data,
                                  error))
    return FALSE;
  until = MAX (checks[0].blocked_until, checks[1].blocked_until);

  if (until > 0)
    {
      guint minutes = (guint) MAX (1, (until - checks[0].now + 59) / 60);

      g_set_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too many requests. Try again in %u minute.",
                                "Too many requests. Try again in %u minutes.", minutes),
                   minutes);
      return FALSE;
    }
  return TRUE;
}

gboolean
tf_auth_request_reset (TfAuth      *self,
                       const char  *identifier,
                       GError     **error)
{
  g_autofree char *key = NULL;
  g_autoptr(GPtrArray) users = NULL;
  gboolean is_email;
  gboolean queued = FALSE;

  g_return_val_if_fail (TF_IS_AUTH (self), FALSE);

  key = identifier_key (identifier, &is_email, error);
  if (key == NULL)
    return FALSE;

  if (!check_request_throttle (self, key, error))
    {
      if (g_error_matches (*error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED))
        tf_auth_audit (self, key, "reset.throttled", NULL);
      return FALSE;
    }

  users = find_candidates (self, key, is_email, error);
  if (users == NULL)
    return FALSE;

  for (guint i = 0; i < users->len; i++)
    {
      TfUser *user = g_ptr_array_index (users, i);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(TfStoreAudit) change = tf_store_audit_begin (self->store, &local_error);
      gint64 id = change != NULL ? queue_code (self, TF_MAIL_RESET_CODE, user, &local_error) : 0;

      /* The code, its mail and the entry commit together. */
      if (local_error == NULL &&
          tf_auth_commit (self, g_steal_pointer (&change), user->username,
                          id > 0 ? "reset.code-queued" : "reset.rate-limited", NULL, &local_error))
        queued = queued || id > 0;
      if (local_error != NULL)
        {
          /* The answer stays the same; the audit log says why. */
          g_clear_pointer (&change, tf_store_audit_abandon);
          g_debug ("Could not queue a reset code: %s", local_error->message);
          tf_auth_audit (self, user->username, "reset.queue-failed", local_error->message);
        }
    }

  if (!queued)
    {
      /* With its entry, one commit, as a queued code costs. */
      g_autoptr(TfStoreAudit) change =
        users->len == 0 ? tf_store_audit_begin (self->store, NULL) : NULL;

      equivalent_work (self, key);
      if (change != NULL)
        tf_auth_commit (self, g_steal_pointer (&change), key, "reset.requested",
                        "no active account with a verified e-mail", NULL);
    }

  wake_worker (self);
  return TRUE;
}

/* The second factor of a reset: a TOTP code (through the replay guard) or
 * a recovery code, consumed only when @use. The code is matched the same
 * way whether or not it will be used, and for no user against a random
 * secret, so the time taken says nothing. */
static gboolean
check_second_factor (TfAuth      *self,
                     TfUser      *user,
                     const char  *code,
                     gboolean     use,
                     gboolean    *ok,
                     GError     **error)
{
  g_autoptr(TfSecureBuffer) parsed = NULL;
  g_autoptr(TfTotpRecord) totp = NULL;
  g_autoptr(TfSecureBuffer) dummy = NULL;
  TfCodeKind kind = TF_CODE_NONE;
  const TfSecureBuffer *secret;
  gint64 step = -1;
  gint64 now = tf_auth_now (self);

  *ok = FALSE;
  if (user != NULL)
    {
      totp = tf_store_get_totp (self->store, user->id, error);
      if (totp == NULL)
        return FALSE;
    }

  parsed = tf_validate_parse_code (code, -1, &kind, NULL);
  if (totp != NULL && totp->secret != NULL && totp->confirmed_at != 0)
    secret = totp->secret;
  else
    secret = dummy = tf_secure_buffer_new_random (TF_AUTH_TOTP_SECRET_BYTES);
  if (kind == TF_CODE_TOTP)
    step = tf_auth_match_totp (self, secret, parsed, totp != NULL ? totp->drift_steps : 0, NULL);

  if (!use || user == NULL)
    return TRUE;

  if (kind == TF_CODE_TOTP && step >= 0 && dummy == NULL)
    {
      guint64 now_step = 0;
      gint drift;
      GError *local_error = NULL;

      tf_totp_step (now, 0, 30, &now_step);
      drift = (gint) CLAMP (step - (gint64) now_step, -10, 10);
      /* FALSE without an error: the step was used already, a replay. */
      *ok = tf_store_consume_totp_step (self->store, user->id, step, drift, now, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
  else if (kind == TF_CODE_RECOVERY)
    {
      guint8 digest[TF_STORE_RECOVERY_HASH_SIZE];
      GError *local_error = NULL;

      tf_vault_keyed_hash (tf_store_get_vault (self->store), TF_VAULT_PURPOSE_RECOVERY_CODE,
                           tf_secure_buffer_get_data (parsed), tf_secure_buffer_get_length (parsed),
                           digest);
      *ok = tf_store_use_recovery_code (self->store, user->id, digest, now, NULL, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }

  return TRUE;
}

static void
set_reset_failed (GError **error)
{
  g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED,
                       _("The reset code or the authenticator code is not right, or the reset "
                         "code has expired."));
}

gboolean
tf_auth_reset_password (TfAuth      *self,
                        const char  *identifier,
                        const char  *reset_code,
                        const char  *new_password,
                        const char  *confirmation,
                        const char  *code,
                        GError     **error)
{
  g_autofree char *key = NULL;
  g_autofree char *throttle_key = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(TfSecureBuffer) typed = NULL;
  g_autoptr(TfSecureBuffer) password = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  TfUser *first;
  TfUser *matched = NULL;
  guint8 digest[TF_VAULT_HASH_LENGTH] = { 0 };
  gboolean second_ok = FALSE;
  gboolean is_email;

  g_return_val_if_fail (TF_IS_AUTH (self), FALSE);

  key = identifier_key (identifier, &is_email, error);
  if (key == NULL)
    return FALSE;
  throttle_key = g_strconcat ("reset:", key, NULL);
  if (!tf_auth_check_throttle (self, throttle_key, error))
    {
      if (g_error_matches (*error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED))
        tf_auth_audit (self, key, "reset.throttled", NULL);
      return FALSE;
    }

  users = find_candidates (self, key, is_email, error);
  if (users == NULL)
    return FALSE;

  /* The new password first: a policy refusal must not cost the code. */
  first = users->len > 0 ? g_ptr_array_index (users, 0) : NULL;
  password = tf_auth_prepare_new_password (new_password, confirmation,
                                           first != NULL ? first->username : key,
                                           first != NULL ? first->first_name : NULL,
                                           first != NULL ? first->last_name : NULL,
                                           first != NULL ? first->email : NULL, error);
  if (password == NULL)
    return FALSE;

  typed = parse_code (reset_code);
  if (typed != NULL)
    hash_code (self, TF_VAULT_PURPOSE_RESET_CODE, NULL, typed, digest);

  /* Attempts counted, codes used, the new hash and the entry: one
   * transaction. */
  change = tf_store_audit_begin (self->store, error);
  if (change == NULL)
    return FALSE;

  /* Every candidate's code counts an attempt; an e-mail shared by several
   * accounts lets the code pick one. */
  for (guint i = 0; typed != NULL && i < users->len; i++)
    {
      TfUser *user = g_ptr_array_index (users, i);
      TfMailCodeCheck check;

      if (!tf_store_mail_check_code (self->store, user->id, digest, tf_auth_now (self),
                                     TF_AUTH_MAIL_CODE_ATTEMPTS, &check, error))
        return FALSE;
      if (check == TF_MAIL_CODE_MATCH && matched == NULL)
        matched = user;
    }

  if (!check_second_factor (self, matched, code, matched != NULL, &second_ok, error))
    return FALSE;

  /* Single use: only one of two racing resets deletes the code. */
  if (matched == NULL || !second_ok ||
      !tf_store_mail_consume_code (self->store, matched->id, digest, NULL))
    {
      tf_auth_record_failure (self, throttle_key, matched);
      if (tf_auth_commit (self, g_steal_pointer (&change),
                          matched != NULL ? matched->username : key, "reset.failure",
                          matched == NULL ? "wrong, expired or no code" : "wrong second factor",
                          error))
        set_reset_failed (error);
      return FALSE;
    }

  /* Hashed inside the change, holding the store: rare, and only once the
   * codes matched, so a wrong code never costs an Argon2id hash. */
  hash = tf_password_hash (password, &self->limits, error);
  if (hash == NULL || !tf_store_set_password_hash (self->store, matched->id, hash, error))
    return FALSE;

  tf_auth_clear_failures (self, throttle_key);
  if (!tf_auth_commit (self, g_steal_pointer (&change), matched->username, "reset.completed", NULL,
                       error))
    return FALSE;
  tf_auth_mail_notice (self, matched->id, TF_MAIL_PASSWORD_CHANGED);

  return TRUE;
}

/* @audit: FALSE after registration, which its own "register" entry covers. */
static gboolean
request_verification (TfAuth    *self,
                      gint64     user_id,
                      gboolean   audit,
                      GError   **error)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  gint64 id;

  user = tf_store_get_user (self->store, user_id, error);
  if (user == NULL)
    return FALSE;

  if (user->email == NULL || user->email[0] == '\0')
    {
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE,
                           _("This account has no e-mail address."));
      return FALSE;
    }
  if (user->email_verified_at != 0)
    {
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE,
                           _("This e-mail address is already confirmed."));
      return FALSE;
    }

  /* The code, its mail and the entry commit together. */
  if (audit && (change = tf_store_audit_begin (self->store, error)) == NULL)
    return FALSE;
  id = queue_code (self, TF_MAIL_VERIFY_CODE, user, error);
  if (id <= 0)
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      /* Nothing queued: the refusal's entry alone. */
      g_clear_pointer (&change, tf_store_audit_abandon);
      tf_auth_audit (self, user->username, "email.rate-limited", NULL);
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED,
                           _("Several codes were sent in the last hour. Use the newest one, "
                             "or try again later."));
      return FALSE;
    }

  if (change != NULL &&
      !tf_auth_commit (self, g_steal_pointer (&change), user->username, "email.code-queued", NULL,
                       error))
    return FALSE;
  wake_worker (self);
  return TRUE;
}

gboolean
tf_auth_request_email_verification (TfAuth  *self,
                                    gint64   user_id,
                                    GError **error)
{
  g_return_val_if_fail (TF_IS_AUTH (self), FALSE);

  return request_verification (self, user_id, TRUE, error);
}

gboolean
tf_auth_verify_email (TfAuth      *self,
                      gint64       user_id,
                      const char  *code,
                      GError     **error)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfSecureBuffer) typed = NULL;
  g_autofree char *user_key = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  guint8 digest[TF_VAULT_HASH_LENGTH];
  TfMailCodeCheck check = TF_MAIL_CODE_NONE;

  g_return_val_if_fail (TF_IS_AUTH (self), FALSE);

  user = tf_store_get_user (self->store, user_id, error);
  if (user == NULL)
    return FALSE;
  if (user->email == NULL || user->email_verified_at != 0)
    {
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE,
                           user->email == NULL ? _("This account has no e-mail address.")
                                               : _("This e-mail address is already confirmed."));
      return FALSE;
    }

  user_key = tf_auth_throttle_key (user->username);
  if (!tf_auth_check_throttle (self, user_key, error))
    return FALSE;

  change = tf_store_audit_begin (self->store, error);
  if (change == NULL)
    return FALSE;
  typed = parse_code (code);
  if (typed != NULL)
    {
      hash_code (self, TF_VAULT_PURPOSE_VERIFY_CODE, user->email, typed, digest);
      if (!tf_store_mail_check_code (self->store, user_id, digest, tf_auth_now (self),
                                     TF_AUTH_MAIL_CODE_ATTEMPTS, &check, error))
        return FALSE;
    }

  if (check != TF_MAIL_CODE_MATCH || !tf_store_mail_consume_code (self->store, user_id, digest, NULL))
    {
      tf_auth_record_failure (self, user_key, NULL);
      if (tf_auth_commit (self, g_steal_pointer (&change), user->username, "email.verify-failure",
                          NULL, error))
        g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_CODE,
                             _("That code is not right, or it has expired. Check the newest "
                               "message, or ask for a new code."));
      return FALSE;
    }

  if (!tf_store_set_email_verified (self->store, user_id, tf_auth_now (self), error))
    return FALSE;

  tf_auth_clear_failures (self, user_key);
  return tf_auth_commit (self, g_steal_pointer (&change), user->username, "email.verified", NULL,
                         error);
}

void
tf_auth_mail_account_created (TfAuth *self,
                              gint64  user_id)
{
  g_autoptr(GError) error = NULL;

  if (!request_verification (self, user_id, FALSE, &error) &&
      !g_error_matches (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE))
    g_debug ("No verification mail for the new account: %s", error->message);
}

void
tf_auth_mail_notice (TfAuth     *self,
                     gint64      user_id,
                     TfMailKind  kind)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(GError) error = NULL;

  user = tf_store_get_user (self->store, user_id, &error);
  if (user == NULL)
    g_debug ("Could not queue a notice: %s", error->message);
  else
    tf_auth_mail_notice_to (self, user, kind);
}

void
tf_auth_mail_notice_to (TfAuth       *self,
                        const TfUser *user,
                        TfMailKind    kind)
{
  g_autoptr(TfMailMessage) message = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  g_autoptr(GError) error = NULL;
  TfStoreMailOptions options = { .user_id = user->id, .kind = NOTICE_KIND };

  /* Only to an address the account holder has shown to be theirs. */
  if (user->email == NULL || user->email[0] == '\0' || user->email_verified_at == 0)
    return;

  message = compose_for (self, kind, user, NULL, &error);
  if (message != NULL)
    change = tf_store_audit_begin (self->store, &error);
  if (change == NULL || tf_outbox_enqueue (self->store, message, &options, &error) <= 0 ||
      !tf_auth_commit (self, g_steal_pointer (&change), user->username, "notice.queued", NULL,
                       &error))
    {
      g_debug ("Could not queue a notice: %s", error != NULL ? error->message : "?");
      return;
    }

  wake_worker (self);
}
