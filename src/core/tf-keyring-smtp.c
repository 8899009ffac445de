/* tf-keyring-smtp.c — the SMTP password in the keyring, one item per
 * (host, username), through the mechanism of tf-keyring.c. */
#define G_LOG_DOMAIN "tf-keyring"

#include "config.h"

#include "tf-keyring.h"
#include "tf-keyring-private.h"

#include <glib/gi18n-lib.h>

static const SecretSchema *
get_smtp_schema (void)
{
  static const SecretSchema schema = {
    "org.twofold.Twofold.SmtpPassword", SECRET_SCHEMA_NONE,
    {
      { "host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

void
tf_keyring_lookup_smtp_password_async (const char          *host,
                                       const char          *username,
                                       guint                timeout_ms,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  const char *const attributes[] = { "host", host, "username", username, NULL };

  g_return_if_fail (host != NULL && host[0] != '\0');
  g_return_if_fail (username != NULL && username[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  tf_keyring_item_lookup_async (get_smtp_schema (), attributes, timeout_ms, cancellable,
                                callback, user_data, tf_keyring_lookup_smtp_password_async);
}

TfSecureBuffer *
tf_keyring_lookup_smtp_password_finish (GAsyncResult  *result,
                                        GError       **error)
{
  return tf_keyring_item_lookup_finish (result, tf_keyring_lookup_smtp_password_async, error);
}

TfSecureBuffer *
tf_keyring_lookup_smtp_password (const char    *host,
                                 const char    *username,
                                 guint          timeout_ms,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  TfSecureBuffer *password = NULL;
  TfKeyringSync *sync;

  g_return_val_if_fail (host != NULL && host[0] != '\0', NULL);
  g_return_val_if_fail (username != NULL && username[0] != '\0', NULL);
  g_return_val_if_fail (timeout_ms > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sync = tf_keyring_sync_begin ();
  tf_keyring_lookup_smtp_password_async (host, username, timeout_ms, cancellable,
                                         tf_keyring_sync_done, sync);
  if (tf_keyring_sync_wait (sync, timeout_ms))
    password = tf_keyring_lookup_smtp_password_finish (tf_keyring_sync_get_result (sync), error);
  else
    g_propagate_error (error, tf_keyring_timeout_error_new ());
  tf_keyring_sync_end (sync);

  return password;
}

void
tf_keyring_store_smtp_password_async (const char          *host,
                                      const char          *username,
                                      TfSecureBuffer      *password,
                                      guint                timeout_ms,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  const char *const attributes[] = { "host", host, "username", username, NULL };
  g_autofree char *label = NULL;

  g_return_if_fail (host != NULL && host[0] != '\0');
  g_return_if_fail (username != NULL && username[0] != '\0');
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* Translators: the label of the keyring item, as shown in Passwords and
   * Keys; the first %s is the user name, the second the mail server. */
  label = g_strdup_printf (_("Twofold SMTP password (%s on %s)"), username, host);
  tf_keyring_item_store_async (get_smtp_schema (), attributes, label, password, "text/plain",
                               timeout_ms, cancellable, callback, user_data,
                               tf_keyring_store_smtp_password_async);
}

gboolean
tf_keyring_store_smtp_password_finish (GAsyncResult  *result,
                                       GError       **error)
{
  return tf_keyring_item_boolean_finish (result, tf_keyring_store_smtp_password_async, error);
}

gboolean
tf_keyring_store_smtp_password (const char      *host,
                                const char      *username,
                                TfSecureBuffer  *password,
                                guint            timeout_ms,
                                GCancellable    *cancellable,
                                GError         **error)
{
  gboolean stored = FALSE;
  TfKeyringSync *sync;

  g_return_val_if_fail (host != NULL && host[0] != '\0', FALSE);
  g_return_val_if_fail (username != NULL && username[0] != '\0', FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (timeout_ms > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sync = tf_keyring_sync_begin ();
  tf_keyring_store_smtp_password_async (host, username, password, timeout_ms, cancellable,
                                        tf_keyring_sync_done, sync);
  if (tf_keyring_sync_wait (sync, timeout_ms))
    stored = tf_keyring_store_smtp_password_finish (tf_keyring_sync_get_result (sync), error);
  else
    g_propagate_error (error, tf_keyring_timeout_error_new ());
  tf_keyring_sync_end (sync);

  return stored;
}

static void
delete_smtp_password_async (const char          *host,
                            const char          *username,
                            guint                timeout_ms,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  const char *const attributes[] = { "host", host, "username", username, NULL };

  tf_keyring_item_delete_async (get_smtp_schema (), attributes, timeout_ms, cancellable,
                                callback, user_data, delete_smtp_password_async);
}

gboolean
tf_keyring_delete_smtp_password (const char    *host,
                                 const char    *username,
                                 guint          timeout_ms,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  gboolean deleted = FALSE;
  TfKeyringSync *sync;

  g_return_val_if_fail (host != NULL && host[0] != '\0', FALSE);
  g_return_val_if_fail (username != NULL && username[0] != '\0', FALSE);
  g_return_val_if_fail (timeout_ms > 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  sync = tf_keyring_sync_begin ();
  delete_smtp_password_async (host, username, timeout_ms, cancellable, tf_keyring_sync_done, sync);
  if (tf_keyring_sync_wait (sync, timeout_ms))
    deleted = tf_keyring_item_boolean_finish (tf_keyring_sync_get_result (sync),
                                              delete_smtp_password_async, error);
  else
    g_propagate_error (error, tf_keyring_timeout_error_new ());
  tf_keyring_sync_end (sync);

  return deleted;
}
