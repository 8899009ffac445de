/* tf-keyring-private.h — the keyring mechanism of tf-keyring.c (timeouts,
 * "locked" told apart from "not found", errors mapped to TF_VAULT_ERROR)
 * for any schema, shared with tf-keyring-smtp.c. Not for other modules.
 *
 * @attributes is a NULL-terminated list of name, value pairs; it is copied.
 * The finish functions check @source_tag, which the caller's public _async
 * function passes in. */
#pragma once

#include <libsecret/secret.h>

#include "tf-keyring.h"

G_BEGIN_DECLS

void            tf_keyring_item_lookup_async   (const SecretSchema  *schema,
                                                const char *const   *attributes,
                                                guint                timeout_ms,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data,
                                                gpointer             source_tag);
TfSecureBuffer *tf_keyring_item_lookup_finish  (GAsyncResult        *result,
                                                gpointer             source_tag,
                                                GError             **error);
void            tf_keyring_item_store_async    (const SecretSchema  *schema,
                                                const char *const   *attributes,
                                                const char          *label,
                                                TfSecureBuffer      *secret,
                                                const char          *content_type,
                                                guint                timeout_ms,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data,
                                                gpointer             source_tag);
void            tf_keyring_item_delete_async   (const SecretSchema  *schema,
                                                const char *const   *attributes,
                                                guint                timeout_ms,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data,
                                                gpointer             source_tag);
/* For store and delete. */
gboolean        tf_keyring_item_boolean_finish (GAsyncResult        *result,
                                                gpointer             source_tag,
                                                GError             **error);

/* Blocking calls: begin (a private main context becomes the thread
 * default), start the async call with tf_keyring_sync_done and the sync as
 * user data, wait (FALSE: given up after the timeout and a grace period,
 * report tf_keyring_timeout_error_new ()), finish with the result, end. */
typedef struct _TfKeyringSync TfKeyringSync;

TfKeyringSync  *tf_keyring_sync_begin          (void);
void            tf_keyring_sync_done           (GObject             *source,
                                                GAsyncResult        *result,
                                                gpointer             user_data);
gboolean        tf_keyring_sync_wait           (TfKeyringSync       *sync,
                                                guint                timeout_ms);
GAsyncResult   *tf_keyring_sync_get_result     (TfKeyringSync       *sync);
void            tf_keyring_sync_end            (TfKeyringSync       *sync);
GError         *tf_keyring_timeout_error_new   (void);

G_END_DECLS
