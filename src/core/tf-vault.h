/* tf-vault.h
 *
 * Contract: a TfVault holds a store's 32-byte master key and the subkeys
 * derived from it (crypto_kdf, context "Twofold1"; the subkey numbers are
 * part of the file format and never change). With it the store:
 * - seals a secret for one row and column (XChaCha20-Poly1305; the row id and
 *   column name are authenticated, so a blob copied elsewhere does not open)
 *   and opens it again, failing with TF_VAULT_ERROR_UNREADABLE for anything
 *   that is not exactly what was sealed there with this key;
 * - computes keyed hashes (BLAKE2b) with one subkey per purpose, so a value
 *   hashed for one purpose never matches another;
 * - makes and checks a key-check value, which tells "this key opens nothing
 *   in this store" apart from "the data is damaged" before anything is
 *   opened. The key itself is never stored or compared.
 *
 * tf_vault_load () is the one place that acquires a master key, and it fails
 * closed: the key comes from the key file when one is given, otherwise from
 * the keyring under the store's UUID. A new key is made only for a new
 * store; for an existing store a missing, locked or unreachable keyring is an
 * error (KEY_MISSING, KEYRING_LOCKED, KEYRING_UNAVAILABLE, TIMEOUT) with a
 * translated message for the user, and nothing is created or written. The
 * caller then checks the store's key-check value with tf_vault_check_key ().
 */
#pragma once

#include <gio/gio.h>

#include "tf-secure-buffer.h"

G_BEGIN_DECLS

#define TF_VAULT_ERROR (tf_vault_error_quark ())
#define TF_TYPE_VAULT (tf_vault_get_type ())

#define TF_VAULT_KEY_LENGTH 32
#define TF_VAULT_HASH_LENGTH 32

typedef enum {
  TF_VAULT_ERROR_KEYRING_UNAVAILABLE, /* no bus, no Secret Service, D-Bus failure */
  TF_VAULT_ERROR_KEYRING_LOCKED,
  TF_VAULT_ERROR_KEY_MISSING,         /* the store exists but its key was not found */
  TF_VAULT_ERROR_KEY_FILE,            /* unsafe, unreadable or malformed key file */
  TF_VAULT_ERROR_UNREADABLE,          /* wrong key, or a sealed value that fails to open */
  TF_VAULT_ERROR_TIMEOUT,             /* the keyring did not answer in time */
} TfVaultError;

typedef enum {
  TF_VAULT_PURPOSE_RECOVERY_CODE,
  TF_VAULT_PURPOSE_RESET_CODE,
  TF_VAULT_PURPOSE_VERIFY_CODE,       /* e-mail verification codes */
  TF_VAULT_PURPOSE_AUDIT,             /* MAC of audit log entries */
  TF_VAULT_PURPOSE_KEY_CHECK,
} TfVaultPurpose;

G_DECLARE_FINAL_TYPE (TfVault, tf_vault, TF, VAULT, GObject)

GQuark          tf_vault_error_quark       (void);

/* Takes a reference on @master_key, which must be TF_VAULT_KEY_LENGTH bytes. */
TfVault        *tf_vault_new               (TfSecureBuffer       *master_key);

/* Returns version (1 byte) || nonce (24) || ciphertext || tag (16). */
GBytes         *tf_vault_seal              (TfVault              *self,
                                            gint64                row_id,
                                            const char           *column,
                                            const guint8         *plain,
                                            gsize                 length);
TfSecureBuffer *tf_vault_open              (TfVault              *self,
                                            gint64                row_id,
                                            const char           *column,
                                            GBytes               *sealed,
                                            GError              **error);

void            tf_vault_keyed_hash        (TfVault              *self,
                                            TfVaultPurpose        purpose,
                                            const guint8         *data,
                                            gsize                 length,
                                            guint8                out[TF_VAULT_HASH_LENGTH]);
/* Hashes @data and compares with @expected in constant time. */
gboolean        tf_vault_keyed_hash_verify (TfVault              *self,
                                            TfVaultPurpose        purpose,
                                            const guint8         *data,
                                            gsize                 length,
                                            const guint8         *expected,
                                            gsize                 expected_length);

GBytes         *tf_vault_make_key_check    (TfVault              *self);
gboolean        tf_vault_check_key         (TfVault              *self,
                                            GBytes               *stored_check,
                                            GError              **error);

/* @key_file: NULL to use the keyring. @timeout_ms bounds every keyring call;
 * 0 means no limit, allowed only in the async variant. */
void            tf_vault_load_async        (const char           *key_file,
                                            const char           *store_uuid,
                                            gboolean              store_is_new,
                                            guint                 timeout_ms,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
TfVault        *tf_vault_load_finish       (GAsyncResult         *result,
                                            GError              **error);
TfVault        *tf_vault_load              (const char           *key_file,
                                            const char           *store_uuid,
                                            gboolean              store_is_new,
                                            guint                 timeout_ms,
                                            GCancellable         *cancellable,
                                            GError              **error);

G_END_DECLS
