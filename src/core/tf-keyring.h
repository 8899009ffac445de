/* tf-keyring.h
 *
 * Contract: master keys in the Secret Service (GNOME Keyring, KWallet,
 * KeePassXC; the Secret portal inside Flatpak), through libsecret. One item
 * per store: schema "org.twofold.Twofold.MasterKey", attribute "store-uuid",
 * the key as binary "application/octet-stream", copied into a secure buffer
 * as soon as it arrives. Every failure is a TF_VAULT_ERROR:
 * - lookup finds nothing → NULL without an error, unless the keyring is seen
 *   to be locked (a matching item, the default collection or any collection
 *   is locked), which is TF_VAULT_ERROR_KEYRING_LOCKED;
 * - a locked keyring refusing a store → KEYRING_LOCKED;
 * - no session bus, no Secret Service, any other D-Bus failure →
 *   KEYRING_UNAVAILABLE;
 * - no answer within @timeout_ms → TIMEOUT (a keyring showing a password
 *   prompt can otherwise keep a call waiting for ever).
 * Cancelling @cancellable gives G_IO_ERROR_CANCELLED as usual.
 *
 * The SMTP password (tf_keyring_*_smtp_password) uses the same mechanism
 * and errors: schema "org.twofold.Twofold.SmtpPassword", attributes "host"
 * and "username", the password as "text/plain".
 *
 * The async calls run on the thread-default main context; @timeout_ms 0
 * means no limit. The blocking calls run the async ones on a private main
 * context and need a timeout; they use a fresh connection to the service
 * each time, so a keyring daemon restarted in between is found again.
 */
#pragma once

#include <gio/gio.h>

#include "tf-secure-buffer.h"

G_BEGIN_DECLS

void            tf_keyring_lookup_async  (const char           *store_uuid,
                                          guint                 timeout_ms,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
TfSecureBuffer *tf_keyring_lookup_finish (GAsyncResult         *result,
                                          GError              **error);
TfSecureBuffer *tf_keyring_lookup        (const char           *store_uuid,
                                          guint                 timeout_ms,
                                          GCancellable         *cancellable,
                                          GError              **error);

/* Replaces any key already stored for @store_uuid. */
void            tf_keyring_store_async   (const char           *store_uuid,
                                          TfSecureBuffer       *key,
                                          guint                 timeout_ms,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean        tf_keyring_store_finish  (GAsyncResult         *result,
                                          GError              **error);
gboolean        tf_keyring_store         (const char           *store_uuid,
                                          TfSecureBuffer       *key,
                                          guint                 timeout_ms,
                                          GCancellable         *cancellable,
                                          GError              **error);

/* For tests and administration. TRUE = deleted; FALSE without an error =
 * there was nothing to delete. */
void            tf_keyring_delete_async  (const char           *store_uuid,
                                          guint                 timeout_ms,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean        tf_keyring_delete_finish (GAsyncResult         *result,
                                          GError              **error);
gboolean        tf_keyring_delete        (const char           *store_uuid,
                                          guint                 timeout_ms,
                                          GCancellable         *cancellable,
                                          GError              **error);

/* The SMTP password for (host, username); NULL without an error when there
 * is none. */
void            tf_keyring_lookup_smtp_password_async  (const char           *host,
                                                        const char           *username,
                                                        guint                 timeout_ms,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
TfSecureBuffer *tf_keyring_lookup_smtp_password_finish (GAsyncResult         *result,
                                                        GError              **error);
TfSecureBuffer *tf_keyring_lookup_smtp_password        (const char           *host,
                                                        const char           *username,
                                                        guint                 timeout_ms,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
/* Replaces any password already stored for (host, username). */
void            tf_keyring_store_smtp_password_async   (const char           *host,
                                                        const char           *username,
                                                        TfSecureBuffer       *password,
                                                        guint                 timeout_ms,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean        tf_keyring_store_smtp_password_finish  (GAsyncResult         *result,
                                                        GError              **error);
gboolean        tf_keyring_store_smtp_password         (const char           *host,
                                                        const char           *username,
                                                        TfSecureBuffer       *password,
                                                        guint                 timeout_ms,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
/* TRUE = deleted; FALSE without an error = there was nothing to delete. */
gboolean        tf_keyring_delete_smtp_password        (const char           *host,
                                                        const char           *username,
                                                        guint                 timeout_ms,
                                                        GCancellable         *cancellable,
                                                        GError              **error);

G_END_DECLS
