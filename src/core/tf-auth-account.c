/* tf-auth-account.c — registration, enrolment, account changes, administration. */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include "tf-auth-private.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "tf-base32.h"

static void
set_field_error (GError      **error,
                 TfAuthError   code,
                 GError       *source)
{
  g_set_error_literal (error, TF_AUTH_ERROR, code, source->message);
}

TfSecureBuffer *
tf_auth_prepare_new_password (const char  *password,
                              const char  *confirmation,
                              const char  *username,
                              const char  *first_name,
                              const char  *last_name,
                              const char  *email,
                              GError     **error)
{
  g_autoptr(TfSecureBuffer) normalised = NULL;
  g_autoptr(TfSecureBuffer) confirmed = NULL;
  g_autoptr(GError) local_error = NULL;

  normalised = tf_password_normalize (password != NULL ? password : "", -1, &local_error);
  if (normalised == NULL ||
      !tf_password_check_policy (normalised, username, first_name, last_name, email,
                                 &local_error))
    {
      set_field_error (error, TF_AUTH_ERROR_INVALID_PASSWORD, local_error);
      return NULL;
    }

  if (confirmation != NULL)
    {
      confirmed = tf_password_normalize (confirmation, -1, NULL);
      if (confirmed == NULL || !tf_secure_buffer_equal (normalised, confirmed))
        {
          g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_PASSWORD_MISMATCH,
                               _("The passwords do not match."));
          return NULL;
        }
    }

  return g_steal_pointer (&normalised);
}

/* Validates the account fields in form order; the first bad one wins. */
static gboolean
validate_fields (const char  *first_name,
                 const char  *last_name,
                 const char  *username,
                 const char  *email,
                 char       **out_first,
                 char       **out_last,
                 char       **out_username,
                 char       **out_email,
                 GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!(*out_first = tf_validate_name (first_name, -1, &local_error)))
    {
      set_field_error (error, TF_AUTH_ERROR_INVALID_FIRST_NAME, local_error);
      return FALSE;
    }
  if (!(*out_last = tf_validate_name (last_name, -1, &local_error)))
    {
      set_field_error (error, TF_AUTH_ERROR_INVALID_LAST_NAME, local_error);
      return FALSE;
    }
  if (!(*out_username = tf_validate_username (username, -1, &local_error)))
    {
      set_field_error (error, TF_AUTH_ERROR_INVALID_USERNAME, local_error);
      return FALSE;
    }
  if (!(*out_email = tf_validate_email (email, -1, &local_error)))
    {
      set_field_error (error, TF_AUTH_ERROR_INVALID_EMAIL, local_error);
      return FALSE;
    }

  return TRUE;
}

static gint64
create_account (TfAuth      *self,
                const char  *first_name,
                const char  *last_name,
                const char  *username,
                const char  *email,
                const char  *password,
                const char  *confirmation,
                const char  *event,
                GError     **error)
{
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *user = NULL;
  g_autofree char *mail = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(TfSecureBuffer) normalised = NULL;
  g_autoptr(TfSecureBuffer) secret = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  if (!validate_fields (first_name, last_name, username, email,
                        &first, &last, &user, &mail, error))
    return 0;

  normalised = tf_auth_prepare_new_password (password, confirmation, user, first, last, mail,
                                             error);
  if (normalised == NULL)
    return 0;

  /* An expired pending account must not keep its username. */
  tf_auth_expire_pending (self, NULL);

  hash = tf_password_hash (normalised, &self->limits, error);
  if (hash == NULL)
    return 0;

  secret = tf_secure_buffer_new_random (TF_AUTH_TOTP_SECRET_BYTES);
  change = tf_store_audit_begin (self->store, error);
  if (change == NULL)
    return 0;
  id = tf_store_create_user (self->store, user, first, last, mail, hash, secret,
                             tf_auth_now (self), &local_error);
  if (id <= 0)
    {
      if (g_error_matches (local_error, TF_STORE_ERROR, TF_STORE_ERROR_EXISTS))
        g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_USERNAME_TAKEN,
                             _("This username is taken. Choose another one."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }

  if (!tf_auth_commit (self, g_steal_pointer (&change), user, event, NULL, error))
    return 0;
  tf_auth_mail_account_created (self, id);

  return id;
}

gint64
tf_auth_register (TfAuth      *self,
                  const char  *first_name,
                  const char  *last_name,
                  const char  *username,
                  const char  *email,
                  const char  *password,
                  const char  *confirmation,
                  GError     **error)
{
  g_return_val_if_fail (TF_IS_AUTH (self), 0);

  return create_account (self, first_name, last_name, username, email,
                         password, confirmation != NULL ? confirmation : "",
                         "register", error);
}

gint64
tf_auth_admin_add (TfAuth      *self,
                   const char  *username,
                   const char  *first_name,
                   const char  *last_name,
                   const char  *email,
                   const char  *password,
                   GError     **error)
{
  g_return_val_if_fail (TF_IS_AUTH (self), 0);

  return create_account (self, first_name, last_name, username, email,
                         password, NULL, "admin.add", error);
}

TfEnrolment *
tf_auth_make_enrolment (TfAuth               *self,
                        const char           *account,
                        const TfSecureBuffer *secret)
{
  g_autoptr(TfOtpauth) otpauth = NULL;
  TfEnrolment *enrolment = g_new0 (TfEnrolment, 1);

  otpauth = tf_otpauth_new (self->issuer, account, (TfSecureBuffer *) secret);
  enrolment->uri = tf_otpauth_to_uri (otpauth);
  enrolment->secret_base32 = tf_base32_encode (tf_secure_buffer_get_data ((TfSecureBuffer *) secret),
                                               tf_secure_buffer_get_length (secret));
  enrolment->issuer = g_strdup (self->issuer);
  enrolment->account = g_strdup (account);

  return enrolment;
}

TfEnrolment *
tf_auth_get_enrolment (TfAuth      *self,
                       gint64       user_id,
                       GError     **error)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfTotpRecord) totp = NULL;

  g_return_val_if_fail (TF_IS_AUTH (self), NULL);

  user = tf_store_get_user (self->store, user_id, error);
  if (user == NULL)
    return NULL;

  totp = tf_store_get_totp (self->store, user_id, error);
  if (totp == NULL)
    return NULL;

  if (user->state == TF_USER_STATE_PENDING)
    return tf_auth_make_enrolment (self, user->username, totp->secret);
  if (totp->pending_secret != NULL)
    return tf_auth_make_enrolment (self, user->username, totp->pending_secret);

  g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE,
                       _("This account has already set up its authenticator."));
  return NULL;
}

GPtrArray *
tf_auth_new_recovery_codes (TfAuth  *self,
                            gint64   user_id,
                            GError **error)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_secure_buffer_unref);
  g_autoptr(TfSecureBuffer) hashes = tf_secure_buffer_new (TF_AUTH_RECOVERY_CODES *
                                                            TF_STORE_RECOVERY_HASH_SIZE);
  TfVault *vault = tf_store_get_vault (self->store);

  for (guint i = 0; i < TF_AUTH_RECOVERY_CODES; i++)
    {
      g_autoptr(TfSecureBuffer) code = tf_recovery_code_generate ();

      tf_vault_keyed_hash (vault, TF_VAULT_PURPOSE_RECOVERY_CODE,
                           tf_secure_buffer_get_data (code), tf_secure_buffer_get_length (code),
                           tf_secure_buffer_get_data (hashes) + i * TF_STORE_RECOVERY_HASH_SIZE);
      g_ptr_array_add (codes, tf_recovery_code_format (code));
    }

  if (!tf_store_replace_recovery_codes (self->store, user_id, tf_secure_buffer_get_data (hashes),
                                        TF_AUTH_RECOVERY_CODES, error))
    return NULL;

  return g_steal_pointer (&codes);
}

static gint64
match_code_string (TfAuth               *self,
                   const TfSecureBuffer *secret,
                   const char           *code)
{
  g_autoptr(TfSecureBuffer) parsed = NULL;
  TfCodeKind kind = TF_CODE_NONE;

  parsed = tf_validate_parse_code (code, -1, &kind, NULL);
  if (kind != TF_CODE_TOTP)
    return -1;

  return tf_auth_match_totp (self, secret, parsed, 0, NULL);
}

static void
set_wrong_code_error (GError **error)
{
  g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_CODE,
                       _("That code is not right. Check that your phone’s clock is "
                         "correct and type the code shown now."));
}

GPtrArray *
tf_auth_confirm_enrolment (TfAuth      *self,
                           gint64       user_id,
                           const char  *code,
                           GError     **error)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfTotpRecord) totp = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  g_autofree char *user_key = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  gint64 step;

  g_return_val_if_fail (TF_IS_AUTH (self), NULL);

  user = tf_store_get_user (self->store, user_id, error);
  if (user == NULL)
    return NULL;

  if (user->state != TF_USER_STATE_PENDING)
    {
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE,
                           _("This account has already set up its authenticator."));
      return NULL;
    }

  user_key = tf_auth_throttle_key (user->username);
  if (!tf_auth_check_throttle (self, user_key, error))
    return NULL;

  totp = tf_store_get_totp (self->store, user_id, error);
  if (totp == NULL)
    return NULL;

  /* Activation, recovery codes and the entry: one transaction. */
  step = match_code_string (self, totp->secret, code);
  change = tf_store_audit_begin (self->store, error);
  if (change == NULL)
    return NULL;
  if (step < 0 || !tf_store_confirm_totp (self->store, user_id, step, tf_auth_now (self), error))
    {
      if (error != NULL && *error != NULL)
        return NULL;
      tf_auth_record_failure (self, user_key, NULL);
      if (tf_auth_commit (self, g_steal_pointer (&change), user->username, "enrolment.failure",
                          NULL, error))
        set_wrong_code_error (error);
      return NULL;
    }

  tf_auth_clear_failures (self, user_key);
  codes = tf_auth_new_recovery_codes (self, user_id, error);
  if (codes == NULL ||
      !tf_auth_commit (self, g_steal_pointer (&change), user->username, "enrolment.confirmed",
                       NULL, error))
    return NULL;

  return g_steal_pointer (&codes);
}

gboolean
tf_auth_change_password (TfAuth      *self,
                         gint64       user_id,
                         const char  *current_password,
                         const char  *code,
                         const char  *new_password,
                         const char  *confirmation,
                         GError     **error)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfSecureBuffer) normalised = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  g_autofree char *hash = NULL;

  g_return_val_if_fail (TF_IS_AUTH (self), FALSE);

  /* Check the new password first: a policy refusal must not cost a code. */
  user = tf_store_get_user (self->store, user_id, error);
  if (user == NULL)
    return FALSE;
  normalised = tf_auth_prepare_new_password (new_password, confirmation, user->username,
                                             user->first_name, user->last_name, user->email,
                                             error);
  if (normalised == NULL)
    return FALSE;
  g_clear_pointer (&user, tf_user_free);
  /* Hashed before the audited change opens, so no Argon2id runs while it
   * holds the store. */
  hash = tf_password_hash (normalised, &self->limits, error);
  if (hash == NULL)
    return FALSE;

  user = tf_auth_authorise (self, user_id, current_password, code, "password.change", &change,
                            error);
  if (user == NULL)
    return FALSE;

  /* The code used and the new hash commit together with the entry. */
  if (!tf_store_set_password_hash (self->store, user_id, hash, error) ||
      !tf_auth_commit (self, g_steal_pointer (&change), user->username, "password.changed", NULL,
                       error))
    return FALSE;

  tf_auth_mail_notice (self, user_id, TF_MAIL_PASSWORD_CHANGED);
  return TRUE;
}

GPtrArray *
tf_auth_regenerate_recovery_codes (TfAuth      *self,
                                   gint64       user_id,
                                   const char  *password,
                                   const char  *code,
                                   GError     **error)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  g_autoptr(GPtrArray) codes = NULL;

  g_return_val_if_fail (TF_IS_AUTH (self), NULL);

  user = tf_auth_authorise (self, user_id, password, code, "recovery-codes.regenerate", &change,
                            error);
  if (user == NULL)
    return NULL;

  codes = tf_auth_new_recovery_codes (self, user_id, error);
  if (codes == NULL ||
      !tf_auth_commit (self, g_steal_pointer (&change), user->username,
                       "recovery-codes.regenerated", NULL, error))
    return NULL;

  tf_auth_mail_notice (self, user_id, TF_MAIL_RECOVERY_CODES_CHANGED);
  return g_steal_pointer (&codes);
}

TfEnrolment *
tf_auth_begin_reenrolment (TfAuth      *self,
                           gint64       user_id,
                           const char  *password,
                           const char  *code,
                           GError     **error)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfSecureBuffer) secret = NULL;
  g_autoptr(TfStoreAudit) change = NULL;

  g_return_val_if_fail (TF_IS_AUTH (self), NULL);

  user = tf_auth_authorise (self, user_id, password, code, "reenrolment.begin", &change, error);
  if (user == NULL)
    return NULL;

  secret = tf_secure_buffer_new_random (TF_AUTH_TOTP_SECRET_BYTES);
  if (!tf_store_set_pending_totp (self->store, user_id, secret, error) ||
      !tf_auth_commit (self, g_steal_pointer (&change), user->username, "reenrolment.begun", NULL,
                       error))
    return NULL;

  return tf_auth_make_enrolment (self, user->username, secret);
}

gboolean
tf_auth_confirm_reenrolment (TfAuth      *self,
                             gint64       user_id,
                             const char  *code,
                             GError     **error)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfTotpRecord) totp = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  g_autofree char *user_key = NULL;
  gint64 step;

  g_return_val_if_fail (TF_IS_AUTH (self), FALSE);

  user = tf_store_get_user (self->store, user_id, error);
  if (user == NULL)
    return FALSE;
  totp = tf_store_get_totp (self->store, user_id, error);
  if (totp == NULL)
    return FALSE;
  if (totp->pending_secret == NULL)
    {
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE,
                           _("There is no new authenticator to confirm."));
      return FALSE;
    }

  user_key = tf_auth_throttle_key (user->username);
  if (!tf_auth_check_throttle (self, user_key, error))
    return FALSE;

  step = match_code_string (self, totp->pending_secret, code);
  change = tf_store_audit_begin (self->store, error);
  if (change == NULL)
    return FALSE;
  if (step < 0 ||
      !tf_store_promote_pending_totp (self->store, user_id, step, tf_auth_now (self), error))
    {
      if (error != NULL && *error != NULL)
        return FALSE;
      tf_auth_record_failure (self, user_key, NULL);
      if (tf_auth_commit (self, g_steal_pointer (&change), user->username, "reenrolment.failure",
                          NULL, error))
        set_wrong_code_error (error);
      return FALSE;
    }

  tf_auth_clear_failures (self, user_key);
  if (!tf_auth_commit (self, g_steal_pointer (&change), user->username, "reenrolment.confirmed",
                       NULL, error))
    return FALSE;
  tf_auth_mail_notice (self, user_id, TF_MAIL_AUTHENTICATOR_CHANGED);
  return TRUE;
}

TfUser *
tf_auth_admin_find (TfAuth      *self,
                    const char  *username,
                    GError     **error)
{
  g_autofree char *normalised = NULL;
  g_autoptr(GError) local_error = NULL;
  TfUser *user;

  g_return_val_if_fail (TF_IS_AUTH (self), NULL);

  normalised = tf_validate_username (username, -1, &local_error);
  if (normalised == NULL)
    {
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_USERNAME,
                           local_error->message);
      return NULL;
    }

  user = tf_store_find_user (self->store, normalised, &local_error);
  if (user == NULL && local_error == NULL)
    g_set_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_NO_SUCH_USER,
                 _("There is no account named “%s”."), normalised);
  else if (user == NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));

  return user;
}

gboolean
tf_auth_admin_set_state (TfAuth       *self,
                         const char   *username,
                         TfUserState   state,
                         GError      **error)
{
  g_autoptr(TfUser) user = tf_auth_admin_find (self, username, error);
  g_autoptr(TfStoreAudit) change = NULL;
  g_autofree char *event = NULL;

  if (user == NULL)
    return FALSE;

  if (state == TF_USER_STATE_ACTIVE)
    {
      g_autoptr(TfTotpRecord) totp = tf_store_get_totp (self->store, user->id, error);

      if (totp == NULL)
        return FALSE;
      /* Enabling never skips enrolment: an unconfirmed account stays pending. */
      if (totp->confirmed_at == 0)
        state = TF_USER_STATE_PENDING;
    }

  event = g_strconcat ("admin.", state == TF_USER_STATE_DISABLED ? "disable" : "enable", NULL);
  change = tf_store_audit_begin (self->store, error);
  return change != NULL &&
         tf_store_set_user_state (self->store, user->id, state, error) &&
         tf_auth_commit (self, g_steal_pointer (&change), user->username, event, NULL, error);
}

gboolean
tf_auth_admin_unlock (TfAuth      *self,
                      const char  *username,
                      GError     **error)
{
  g_autoptr(TfUser) user = tf_auth_admin_find (self, username, error);
  g_autoptr(TfStoreAudit) change = NULL;
  g_autofree char *key = NULL;

  if (user == NULL)
    return FALSE;

  key = tf_auth_throttle_key (user->username);
  change = tf_store_audit_begin (self->store, error);
  return change != NULL &&
         tf_store_clear_throttle (self->store, key, error) &&
         tf_auth_commit (self, g_steal_pointer (&change), user->username, "admin.unlock", NULL,
                         error);
}

gboolean
tf_auth_admin_delete (TfAuth      *self,
                      const char  *username,
                      GError     **error)
{
  g_autoptr(TfUser) user = tf_auth_admin_find (self, username, error);
  g_autoptr(TfStoreAudit) change = NULL;

  if (user == NULL)
    return FALSE;

  change = tf_store_audit_begin (self->store, error);
  return change != NULL &&
         tf_store_delete_user (self->store, user->id, error) &&
         tf_auth_commit (self, g_steal_pointer (&change), user->username, "admin.delete", NULL,
                         error);
}

TfEnrolment *
tf_auth_admin_reset_2fa (TfAuth      *self,
                         const char  *username,
                         GError     **error)
{
  g_autoptr(TfUser) user = tf_auth_admin_find (self, username, error);
  g_autoptr(TfSecureBuffer) secret = NULL;
  g_autoptr(TfStoreAudit) change = NULL;

  if (user == NULL)
    return NULL;

  secret = tf_secure_buffer_new_random (TF_AUTH_TOTP_SECRET_BYTES);
  change = tf_store_audit_begin (self->store, error);
  if (change == NULL ||
      !tf_store_reset_totp (self->store, user->id, secret, error) ||
      !tf_auth_commit (self, g_steal_pointer (&change), user->username, "admin.reset-2fa", NULL,
                       error))
    return NULL;

  return tf_auth_make_enrolment (self, user->username, secret);
}

guint
tf_auth_expire_pending (TfAuth  *self,
                        GError **error)
{
  g_autoptr(TfStoreAudit) change = NULL;
  g_autofree char *detail = NULL;
  GError *local_error = NULL;
  guint n;

  g_return_val_if_fail (TF_IS_AUTH (self), 0);

  change = tf_store_audit_begin (self->store, error);
  if (change == NULL)
    return 0;
  n = tf_store_expire_pending (self->store, tf_auth_now (self) - TF_AUTH_PENDING_LIFETIME,
                               &local_error);
  /* Nothing expired: no entry (the change is abandoned). */
  if (n == 0)
    {
      if (local_error != NULL)
        g_propagate_error (error, local_error);
      return 0;
    }

  detail = g_strdup_printf ("%u", n);
  if (!tf_auth_commit (self, g_steal_pointer (&change), NULL, "pending.expired", detail, error))
    return 0;
  return n;
}
