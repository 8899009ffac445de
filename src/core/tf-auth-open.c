/* tf-auth-open.c — from settings to a ready service: open (or create) the
 * store, fetch its key, check the key against the store, build the service.
 * The GUI and twofold-admin share this one sequence. */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include "tf-auth-private.h"

#include <glib/gi18n-lib.h>

typedef struct {
  char    *store_path;
  char    *key_file;
  char    *issuer;
  char    *seat;
  gboolean create;
  guint    timeout_ms;
} OpenArgs;

static void
open_args_free (OpenArgs *args)
{
  g_free (args->store_path);
  g_free (args->key_file);
  g_free (args->issuer);
  g_free (args->seat);
  g_free (args);
}

TfAuth *
tf_auth_open (const char    *store_path,
              const char    *key_file,
              const char    *issuer,
              const char    *seat,
              gboolean       create,
              guint          timeout_ms,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(TfStore) store = NULL;
  g_autoptr(TfVault) vault = NULL;

  g_return_val_if_fail (store_path != NULL, NULL);

  if (store_path[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                           _("No path was given for the account store."));
      return NULL;
    }

  if (!create && !g_file_test (store_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no account store at %s. Create one with “twofold-admin init”."),
                   store_path);
      return NULL;
    }

  store = tf_store_open (store_path, error);
  if (store == NULL)
    return NULL;

  vault = tf_vault_load (key_file, tf_store_get_uuid (store), tf_store_is_new (store),
                         timeout_ms, cancellable, error);
  if (vault == NULL || !tf_store_attach_vault (store, vault, error))
    return NULL;

  return tf_auth_new (store, issuer, seat);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  OpenArgs *args = task_data;
  GError *error = NULL;
  TfAuth *auth;

  auth = tf_auth_open (args->store_path, args->key_file, args->issuer, args->seat,
                       args->create, args->timeout_ms, cancellable, &error);
  if (auth != NULL)
    g_task_return_pointer (task, auth, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
tf_auth_open_async (const char          *store_path,
                    const char          *key_file,
                    const char          *issuer,
                    const char          *seat,
                    gboolean             create,
                    guint                timeout_ms,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenArgs *args;

  g_return_if_fail (store_path != NULL);

  args = g_new0 (OpenArgs, 1);
  args->store_path = g_strdup (store_path);
  args->key_file = g_strdup (key_file);
  args->issuer = g_strdup (issuer);
  args->seat = g_strdup (seat);
  args->create = create;
  args->timeout_ms = timeout_ms;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_auth_open_async);
  g_task_set_task_data (task, args, (GDestroyNotify) open_args_free);
  g_task_run_in_thread (task, open_thread);
}

TfAuth *
tf_auth_open_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tf_auth_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
