/* tf-auth-email.c — changing an account's e-mail address. The address is a
 * recovery channel (reset codes go there), so changing it takes the same
 * proof as changing the password. */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include "tf-auth-private.h"

#include <glib/gi18n-lib.h>

gboolean
tf_auth_change_email (TfAuth      *self,
                      gint64       user_id,
                      const char  *new_email,
                      const char  *password,
                      const char  *code,
                      GError     **error)
{
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *email = NULL;

  g_return_val_if_fail (TF_IS_AUTH (self), FALSE);

  /* The address first: a typo must not cost a code. */
  email = tf_validate_email (new_email, -1, &local_error);
  if (email == NULL)
    {
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_EMAIL,
                           local_error->message);
      return FALSE;
    }

  user = tf_store_get_user (self->store, user_id, error);
  if (user == NULL)
    return FALSE;
  if (user->email != NULL && g_ascii_strcasecmp (user->email, email) == 0)
    {
      g_set_error_literal (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_EMAIL,
                           _("This is already the e-mail address of your account."));
      return FALSE;
    }
  g_clear_pointer (&user, tf_user_free);

  /* The account as it was: its old address gets the notice. */
  user = tf_auth_authorise (self, user_id, password, code, "email.change", &change, error);
  if (user == NULL)
    return FALSE;

  /* The code used and the new address commit together with the entry. */
  if (!tf_store_mail_change_email (self->store, user_id, email, error) ||
      !tf_auth_commit (self, g_steal_pointer (&change), user->username, "email.changed", NULL,
                       error))
    return FALSE;

  tf_auth_mail_notice_to (self, user, TF_MAIL_EMAIL_CHANGED);

  /* The change stands even when no code can go out now (three in the last
   * hour): Home offers to send one later. */
  if (!tf_auth_request_email_verification (self, user_id, &local_error))
    g_debug ("No verification mail for the new address: %s", local_error->message);

  return TRUE;
}
