/* tf-keyring.c */
#define G_LOG_DOMAIN "tf-keyring"

#include "config.h"

#include "tf-keyring.h"
#include "tf-keyring-private.h"

#include <glib/gi18n-lib.h>

#include "tf-vault.h"

#define CONTENT_TYPE "application/octet-stream"

typedef enum {
  OP_LOOKUP,
  OP_STORE,
  OP_DELETE,
} OpKind;

typedef struct {
  OpKind kind;
  const SecretSchema *schema;

  /* Owned */
  GHashTable *attributes;          /* attribute name → value, both owned */
  GCancellable *cancellable;       /* given to libsecret: the caller's or the timeout cancel it */
  GCancellable *caller_cancellable;
  GSource *timeout_source;
  SecretService *probe;            /* a private proxy, to tell "locked" from "not found" */

  gulong caller_handler;
  gboolean timed_out;
} Op;

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "org.twofold.Twofold.MasterKey", SECRET_SCHEMA_NONE,
    {
      { "store-uuid", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static const char *
op_kind_to_string (OpKind kind)
{
  switch (kind)
    {
    case OP_LOOKUP:
      return "lookup";
    case OP_STORE:
      return "store";
    case OP_DELETE:
      return "delete";
    default:
      g_return_val_if_reached ("unknown");
    }
}

/* Stops the timeout and the link to the caller's cancellable. */
static void
op_disarm (Op *op)
{
  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_clear_pointer (&op->timeout_source, g_source_unref);
    }

  if (op->caller_handler != 0)
    {
      g_cancellable_disconnect (op->caller_cancellable, op->caller_handler);
      op->caller_handler = 0;
    }
}

static void
op_free (gpointer data)
{
  Op *op = data;

  op_disarm (op);
  g_clear_object (&op->probe);
  g_clear_object (&op->caller_cancellable);
  g_clear_object (&op->cancellable);
  g_clear_pointer (&op->attributes, g_hash_table_unref);
  g_free (op);
}

static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
on_timeout (gpointer user_data)
{
  GTask *task = G_TASK (user_data);
  Op *op = g_task_get_task_data (task);

  g_debug ("Keyring %s: no answer, cancelling", op_kind_to_string (op->kind));

  op->timed_out = TRUE;
  g_clear_pointer (&op->timeout_source, g_source_unref);
  g_cancellable_cancel (op->cancellable);

  return G_SOURCE_REMOVE;
}

static GTask *
op_new (OpKind               kind,
        const SecretSchema  *schema,
        const char *const   *attributes,
        guint                timeout_ms,
        GCancellable        *cancellable,
        GAsyncReadyCallback  callback,
        gpointer             user_data,
        gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, op_free);

  op->kind = kind;
  op->schema = schema;
  op->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; attributes[i] != NULL && attributes[i + 1] != NULL; i += 2)
    g_hash_table_insert (op->attributes, g_strdup (attributes[i]), g_strdup (attributes[i + 1]));
  op->cancellable = g_cancellable_new ();

  if (cancellable != NULL)
    {
      op->caller_cancellable = g_object_ref (cancellable);
      op->caller_handler = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (on_caller_cancelled),
                                                  g_object_ref (op->cancellable),
                                                  g_object_unref);
    }

  if (timeout_ms > 0)
    {
      op->timeout_source = g_timeout_source_new (timeout_ms);
      g_task_attach_source (task, op->timeout_source, on_timeout);
    }

  return task;
}

static GError *
timeout_error_new (void)
{
  return g_error_new_literal (TF_VAULT_ERROR, TF_VAULT_ERROR_TIMEOUT,
                              _("The keyring did not answer in time. If it is asking "
                                "for a password, answer it, then choose Retry."));
}

/* Takes @error and turns it into what the contract promises. */
static GError *
op_map_error (Op     *op,
              GError *error)
{
  GError *mapped;

  g_debug ("Keyring %s failed: %s (%s, %d)", op_kind_to_string (op->kind),
           error->message, g_quark_to_string (error->domain), error->code);

  if (op->timed_out)
    {
      mapped = timeout_error_new ();
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      return error;
    }
  else if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED) ||
           (op->kind == OP_STORE &&
            g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT)))
    {
      /* A locked collection refuses a new item with IsLocked once libsecret's
       * unlock prompt failed; an auto-started gnome-keyring whose login
       * keyring is still locked answers UnknownObject (TESTING.md). */
      mapped = g_error_new_literal (TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_LOCKED,
                                    _("The keyring is locked. Unlock it (for example by "
                                      "logging in again) and choose Retry."));
    }
  else
    {
      mapped = g_error_new_literal (TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_UNAVAILABLE,
                                    _("No keyring is available. Log in to a desktop session "
                                      "that runs one (such as GNOME Keyring), or configure "
                                      "a key file, then choose Retry."));
    }

  g_error_free (error);
  return mapped;
}

static void
op_return_error (GTask  *task,
                 GError *error)
{
  Op *op = g_task_get_task_data (task);

  op_disarm (op);
  g_task_return_error (task, op_map_error (op, error));
}

static void
op_return_locked (GTask *task)
{
  op_return_error (task, g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                              "A matching item or collection is locked"));
}

static void
op_return_pointer (GTask          *task,
                   gpointer        result,
                   GDestroyNotify  result_destroy)
{
  op_disarm (g_task_get_task_data (task));
  g_task_return_pointer (task, result, result_destroy);
}

static void
op_return_boolean (GTask    *task,
                   gboolean  result)
{
  op_disarm (g_task_get_task_data (task));
  g_task_return_boolean (task, result);
}

/* A failed probe only stops the probing, unless the call was cancelled. */
static gboolean
probe_failed (GTask  *task,
              GError *error)
{
  Op *op = g_task_get_task_data (task);

  if (error == NULL)
    return FALSE;

  if (g_cancellable_is_cancelled (op->cancellable))
    {
      op_return_error (task, g_error_copy (error));
      return TRUE;
    }

  g_debug ("Keyring probe failed, assuming not locked: %s", error->message);
  return FALSE;
}

static void
on_probe_collections (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *collections;
  gboolean locked = FALSE;

  secret_service_load_collections_finish (op->probe, result, &error);
  if (probe_failed (task, error))
    return;

  /* The key may be inside any locked collection, whatever its attributes show. */
  collections = secret_service_get_collections (op->probe);
  for (GList *l = collections; l != NULL; l = l->next)
    locked |= secret_collection_get_locked (l->data);
  g_list_free_full (collections, g_object_unref);

  if (locked)
    op_return_locked (task);
  else
    op_return_pointer (task, NULL, NULL);
}

static void
on_probe_default_collection (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretCollection) collection = NULL;

  collection = secret_collection_for_alias_finish (result, &error);
  if (probe_failed (task, error))
    return;

  if (collection != NULL && secret_collection_get_locked (collection))
    {
      op_return_locked (task);
      return;
    }

  secret_service_load_collections (op->probe, op->cancellable,
                                   on_probe_collections, g_steal_pointer (&task));
}

static void
on_probe_searched (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;
  gboolean locked = FALSE;

  items = secret_service_search_finish (op->probe, result, &error);
  if (probe_failed (task, error))
    return;

  for (GList *l = items; l != NULL; l = l->next)
    locked |= secret_item_get_locked (l->data);
  g_list_free_full (items, g_object_unref);

  if (locked)
    {
      op_return_locked (task);
      return;
    }

  secret_collection_for_alias (op->probe, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                               op->cancellable, on_probe_default_collection,
                               g_steal_pointer (&task));
}

static void
on_probe_opened (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  op->probe = secret_service_open_finish (result, &error);
  if (probe_failed (task, error))
    return;

  if (op->probe == NULL)
    {
      op_return_pointer (task, NULL, NULL);
      return;
    }

  /* Without SECRET_SEARCH_UNLOCK: locked items are listed, never prompted for. */
  secret_service_search (op->probe, op->schema, op->attributes, SECRET_SEARCH_ALL,
                         op->cancellable, on_probe_searched, g_steal_pointer (&task));
}

static void
secure_buffer_free (gpointer data)
{
  tf_secure_buffer_unref (data);
}

static void
on_lookup_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretValue) value = NULL;
  const char *data;
  gsize length = 0;

  value = secret_password_lookup_binary_finish (result, &error);
  if (error != NULL)
    {
      op_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (value != NULL)
    {
      data = secret_value_get (value, &length);
      op_return_pointer (task, tf_secure_buffer_new_from_data (data, length),
                         secure_buffer_free);
      return;
    }

  /* libsecret says "nothing" both when there is no item and when the item
   * is in a locked collection it could not unlock: look closer, on a proxy of
   * our own so nothing is cached between calls. */
  secret_service_open (SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_NONE, op->cancellable,
                       on_probe_opened, g_steal_pointer (&task));
}

void
tf_keyring_item_lookup_async (const SecretSchema  *schema,
                              const char *const   *attributes,
                              guint                timeout_ms,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data,
                              gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  task = op_new (OP_LOOKUP, schema, attributes, timeout_ms, cancellable, callback, user_data,
                 source_tag);
  op = g_task_get_task_data (task);

  secret_password_lookupv (op->schema, op->attributes, op->cancellable,
                           on_lookup_done, g_steal_pointer (&task));
}

TfSecureBuffer *
tf_keyring_item_lookup_finish (GAsyncResult  *result,
                               gpointer       source_tag,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
tf_keyring_item_boolean_finish (GAsyncResult  *result,
                                gpointer       source_tag,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tf_keyring_lookup_async (const char          *store_uuid,
                         guint                timeout_ms,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  const char *const attributes[] = { "store-uuid", store_uuid, NULL };

  g_return_if_fail (store_uuid != NULL && store_uuid[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  tf_keyring_item_lookup_async (get_schema (), attributes, timeout_ms, cancellable,
                                callback, user_data, tf_keyring_lookup_async);
}

TfSecureBuffer *
tf_keyring_lookup_finish (GAsyncResult  *result,
                          GError       **error)
{
  return tf_keyring_item_lookup_finish (result, tf_keyring_lookup_async, error);
}

static void
on_store_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    op_return_error (task, g_steal_pointer (&error));
  else
    op_return_boolean (task, TRUE);
}

void
tf_keyring_item_store_async (const SecretSchema  *schema,
                             const char *const   *attributes,
                             const char          *label,
                             TfSecureBuffer      *secret,
                             const char          *content_type,
                             guint                timeout_ms,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data,
                             gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SecretValue) value = NULL;
  Op *op;

  task = op_new (OP_STORE, schema, attributes, timeout_ms, cancellable, callback, user_data,
                 source_tag);
  op = g_task_get_task_data (task);

  /* libsecret copies the bytes into its own non-pageable memory. */
  value = secret_value_new ((const char *) tf_secure_buffer_get_data (secret),
                            tf_secure_buffer_get_length (secret), content_type);

  secret_password_storev_binary (op->schema, op->attributes, SECRET_COLLECTION_DEFAULT,
                                 label, value, op->cancellable,
                                 on_store_done, g_steal_pointer (&task));
}

void
tf_keyring_store_async (const char          *store_uuid,
                        TfSecureBuffer      *key,
                        guint                timeout_ms,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  const char *const attributes[] = { "store-uuid", store_uuid, NULL };
  g_autofree char *label = NULL;

  g_return_if_fail (store_uuid != NULL && store_uuid[0] != '\0');
  g_return_if_fail (key != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* Translators: the label of the keyring item, as shown in Passwords and Keys. */
  label = g_strdup_printf (_("Twofold master key (%s)"), store_uuid);
  tf_keyring_item_store_async (get_schema (), attributes, label, key, CONTENT_TYPE,
                               timeout_ms, cancellable, callback, user_data,
                               tf_keyring_store_async);
}

gboolean
tf_keyring_store_finish (GAsyncResult  *result,
                         GError       **error)
{
  return tf_keyring_item_boolean_finish (result, tf_keyring_store_async, error);
}

static void
on_delete_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  g_autoptr(GError) error = NULL;
  gboolean deleted;

  deleted = secret_password_clear_finish (result, &error);
  if (error != NULL)
    op_return_error (task, g_steal_pointer (&error));
  else
    op_return_boolean (task, deleted);
}

void
tf_keyring_item_delete_async (const SecretSchema  *schema,
                              const char *const   *attributes,
                              guint                timeout_ms,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data,
                              gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  task = op_new (OP_DELETE, schema, attributes, timeout_ms, cancellable, callback, user_data,
                 source_tag);
  op = g_task_get_task_data (task);

  secret_password_clearv (op->schema, op->attributes, op->cancellable,
                          on_delete_done, g_steal_pointer (&task));
}

void
tf_keyring_delete_async (const char          *store_uuid,
                         guint                timeout_ms,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  const char *const attributes[] = { "store-uuid", store_uuid, NULL };

  g_return_if_fail (store_uuid != NULL && store_uuid[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  tf_keyring_item_delete_async (get_schema (), attributes, timeout_ms, cancellable,
                                callback, user_data, tf_keyring_delete_async);
}

gboolean
tf_keyring_delete_finish (GAsyncResult  *result,
                          GError       **error)
{
  return tf_keyring_item_boolean_finish (result, tf_keyring_delete_async, error);
}

GError *
tf_keyring_timeout_error_new (void)
{
  return timeout_error_new ();
}

/* Blocking calls: the async call on a private main context
 * (tf-keyring-sync.c). */

TfSecureBuffer *
tf_keyring_lookup (const char    *store_uuid,
                   guint          timeout_ms,
                   GCancellable  *cancellable,
                   GError       **error)
{
  TfSecureBuffer *key = NULL;
  TfKeyringSync *call;

  g_return_val_if_fail (store_uuid != NULL && store_uuid[0] != '\0', NULL);
  g_return_val_if_fail (timeout_ms > 0, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  call = tf_keyring_sync_begin ();
  tf_keyring_lookup_async (store_uuid, timeout_ms, cancellable, tf_keyring_sync_done, call);
  if (tf_keyring_sync_wait (call, timeout_ms))
    key = tf_keyring_lookup_finish (tf_keyring_sync_get_result (call), error);
  else
    g_propagate_error (error, timeout_error_new ());
  tf_keyring_sync_end (call);

  return key;
}

gboolean
tf_keyring_store (const char      *store_uuid,
                  TfSecureBuffer  *key,
                  guint            timeout_ms,
                  GCancellable    *cancellable,
                  GError         **error)
{
  gboolean stored = FALSE;
  TfKeyringSync *call;

  g_return_val_if_fail (store_uuid != NULL && store_uuid[0] != '\0', FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (timeout_ms > 0, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  call = tf_keyring_sync_begin ();
  tf_keyring_store_async (store_uuid, key, timeout_ms, cancellable, tf_keyring_sync_done, call);
  if (tf_keyring_sync_wait (call, timeout_ms))
    stored = tf_keyring_store_finish (tf_keyring_sync_get_result (call), error);
  else
    g_propagate_error (error, timeout_error_new ());
  tf_keyring_sync_end (call);

  return stored;
}

gboolean
tf_keyring_delete (const char    *store_uuid,
                   guint          timeout_ms,
                   GCancellable  *cancellable,
                   GError       **error)
{
  gboolean deleted = FALSE;
  TfKeyringSync *call;

  g_return_val_if_fail (store_uuid != NULL && store_uuid[0] != '\0', FALSE);
  g_return_val_if_fail (timeout_ms > 0, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  call = tf_keyring_sync_begin ();
  tf_keyring_delete_async (store_uuid, timeout_ms, cancellable, tf_keyring_sync_done, call);
  if (tf_keyring_sync_wait (call, timeout_ms))
    deleted = tf_keyring_delete_finish (tf_keyring_sync_get_result (call), error);
  else
    g_propagate_error (error, timeout_error_new ());
  tf_keyring_sync_end (call);

  return deleted;
}
