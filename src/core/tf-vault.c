/* tf-vault.c */
#define G_LOG_DOMAIN "tf-vault"

#include "config.h"

#include "tf-vault.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "tf-key-file.h"
#include "tf-keyring.h"

/* Subkey numbers for crypto_kdf_derive_from_key (). They are part of the
 * store format: never renumber or reuse one. */
typedef enum {
  SUBKEY_SEAL = 1,
  SUBKEY_RECOVERY_CODE = 2,
  SUBKEY_RESET_CODE = 3,
  SUBKEY_VERIFY_CODE = 4,
  SUBKEY_AUDIT = 5,
  SUBKEY_KEY_CHECK = 6,
} SubkeyId;

#define SUBKEY_COUNT 6
#define SUBKEY_LENGTH 32
/* crypto_kdf_CONTEXTBYTES (8) characters. */
#define KDF_CONTEXT "Twofold1"

#define SEAL_VERSION 1
#define SEAL_NONCE_LENGTH crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define SEAL_TAG_LENGTH crypto_aead_xchacha20poly1305_ietf_ABYTES
#define SEAL_HEADER_LENGTH (1 + SEAL_NONCE_LENGTH)
/* Version byte and the row id as 8 bytes little-endian, then the column name. */
#define SEAL_AD_PREFIX_LENGTH (1 + 8)

#define KEY_CHECK_LABEL "Twofold key check v1"

G_STATIC_ASSERT (sizeof KDF_CONTEXT - 1 == crypto_kdf_CONTEXTBYTES);
G_STATIC_ASSERT (TF_VAULT_KEY_LENGTH == crypto_kdf_KEYBYTES);
G_STATIC_ASSERT (SUBKEY_LENGTH == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
G_STATIC_ASSERT (SUBKEY_LENGTH >= crypto_generichash_KEYBYTES_MIN);
G_STATIC_ASSERT (SUBKEY_LENGTH <= crypto_generichash_KEYBYTES_MAX);

struct _TfVault
{
  GObject parent_instance;

  /* Owned */
  TfSecureBuffer *master_key;
  /* SUBKEY_COUNT × SUBKEY_LENGTH bytes, subkey n at (n - 1) × SUBKEY_LENGTH. */
  TfSecureBuffer *subkeys;
};

G_DEFINE_FINAL_TYPE (TfVault, tf_vault, G_TYPE_OBJECT)

G_DEFINE_QUARK (tf-vault-error-quark, tf_vault_error)

static void
tf_vault_finalize (GObject *object)
{
  TfVault *self = TF_VAULT (object);

  g_clear_pointer (&self->subkeys, tf_secure_buffer_unref);
  g_clear_pointer (&self->master_key, tf_secure_buffer_unref);

  G_OBJECT_CLASS (tf_vault_parent_class)->finalize (object);
}

static void
tf_vault_class_init (TfVaultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tf_vault_finalize;
}

static void
tf_vault_init (TfVault *self)
{
}

static const guint8 *
get_subkey (TfVault  *self,
            SubkeyId  id)
{
  g_assert (id >= 1 && id <= SUBKEY_COUNT);

  return tf_secure_buffer_get_data (self->subkeys) + (id - 1) * SUBKEY_LENGTH;
}

TfVault *
tf_vault_new (TfSecureBuffer *master_key)
{
  TfVault *self;
  guint8 *subkeys;

  g_return_val_if_fail (master_key != NULL, NULL);
  g_return_val_if_fail (tf_secure_buffer_get_length (master_key) == TF_VAULT_KEY_LENGTH, NULL);

  self = g_object_new (TF_TYPE_VAULT, NULL);
  self->master_key = tf_secure_buffer_ref (master_key);
  self->subkeys = tf_secure_buffer_new (SUBKEY_COUNT * SUBKEY_LENGTH);

  subkeys = tf_secure_buffer_get_data (self->subkeys);
  for (guint id = 1; id <= SUBKEY_COUNT; id++)
    {
      if (crypto_kdf_derive_from_key (subkeys + (id - 1) * SUBKEY_LENGTH, SUBKEY_LENGTH, id,
                                      KDF_CONTEXT, tf_secure_buffer_get_data (master_key)) != 0)
        g_error ("crypto_kdf_derive_from_key failed");
    }

  return self;
}

static guint8 *
build_associated_data (gint64      row_id,
                       const char *column,
                       gsize      *length)
{
  gsize column_length = strlen (column);
  guint64 row_le = GUINT64_TO_LE ((guint64) row_id);
  guint8 *ad = g_malloc (SEAL_AD_PREFIX_LENGTH + column_length);

  ad[0] = SEAL_VERSION;
  memcpy (ad + 1, &row_le, sizeof row_le);
  memcpy (ad + SEAL_AD_PREFIX_LENGTH, column, column_length);
  *length = SEAL_AD_PREFIX_LENGTH + column_length;

  return ad;
}

GBytes *
tf_vault_seal (TfVault      *self,
               gint64        row_id,
               const char   *column,
               const guint8 *plain,
               gsize         length)
{
  static const guint8 empty[1] = { 0 };
  g_autofree guint8 *ad = NULL;
  unsigned long long sealed_length = 0;
  gsize ad_length;
  gsize out_length;
  guint8 *out;

  g_return_val_if_fail (TF_IS_VAULT (self), NULL);
  g_return_val_if_fail (column != NULL, NULL);
  g_return_val_if_fail (plain != NULL || length == 0, NULL);
  g_return_val_if_fail (length <= crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX, NULL);
  g_return_val_if_fail (length <= G_MAXSIZE - SEAL_HEADER_LENGTH - SEAL_TAG_LENGTH, NULL);

  out_length = SEAL_HEADER_LENGTH + length + SEAL_TAG_LENGTH;
  out = g_malloc (out_length);
  out[0] = SEAL_VERSION;
  /* 24 random bytes: no nonce bookkeeping, no realistic chance of reuse. */
  randombytes_buf (out + 1, SEAL_NONCE_LENGTH);

  ad = build_associated_data (row_id, column, &ad_length);
  crypto_aead_xchacha20poly1305_ietf_encrypt (out + SEAL_HEADER_LENGTH, &sealed_length,
                                              plain != NULL ? plain : empty, length,
                                              ad, ad_length, NULL, out + 1,
                                              get_subkey (self, SUBKEY_SEAL));
  g_assert (sealed_length == length + SEAL_TAG_LENGTH);

  return g_bytes_new_take (out, out_length);
}

static void
set_unreadable_error (GError **error)
{
  g_set_error_literal (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE,
                       _("A secret in this store cannot be opened: it was damaged, moved, "
                         "or sealed with another key."));
}

TfSecureBuffer *
tf_vault_open (TfVault     *self,
               gint64       row_id,
               const char  *column,
               GBytes      *sealed,
               GError     **error)
{
  g_autoptr(TfSecureBuffer) plain = NULL;
  g_autofree guint8 *ad = NULL;
  unsigned long long plain_length = 0;
  const guint8 *data;
  gsize ad_length;
  gsize size = 0;

  g_return_val_if_fail (TF_IS_VAULT (self), NULL);
  g_return_val_if_fail (column != NULL, NULL);
  g_return_val_if_fail (sealed != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (sealed, &size);
  if (size < SEAL_HEADER_LENGTH + SEAL_TAG_LENGTH || data[0] != SEAL_VERSION)
    {
      set_unreadable_error (error);
      return NULL;
    }

  ad = build_associated_data (row_id, column, &ad_length);
  plain = tf_secure_buffer_new (size - SEAL_HEADER_LENGTH - SEAL_TAG_LENGTH);
  if (crypto_aead_xchacha20poly1305_ietf_decrypt (tf_secure_buffer_get_data (plain),
                                                  &plain_length, NULL,
                                                  data + SEAL_HEADER_LENGTH,
                                                  size - SEAL_HEADER_LENGTH,
                                                  ad, ad_length, data + 1,
                                                  get_subkey (self, SUBKEY_SEAL)) != 0)
    {
      set_unreadable_error (error);
      return NULL;
    }
  g_assert (plain_length == tf_secure_buffer_get_length (plain));

  return g_steal_pointer (&plain);
}

static SubkeyId
purpose_to_subkey (TfVaultPurpose purpose)
{
  switch (purpose)
    {
    case TF_VAULT_PURPOSE_RECOVERY_CODE:
      return SUBKEY_RECOVERY_CODE;
    case TF_VAULT_PURPOSE_RESET_CODE:
      return SUBKEY_RESET_CODE;
    case TF_VAULT_PURPOSE_VERIFY_CODE:
      return SUBKEY_VERIFY_CODE;
    case TF_VAULT_PURPOSE_AUDIT:
      return SUBKEY_AUDIT;
    case TF_VAULT_PURPOSE_KEY_CHECK:
      return SUBKEY_KEY_CHECK;
    default:
      return 0;
    }
}

void
tf_vault_keyed_hash (TfVault        *self,
                     TfVaultPurpose  purpose,
                     const guint8   *data,
                     gsize           length,
                     guint8          out[TF_VAULT_HASH_LENGTH])
{
  static const guint8 empty[1] = { 0 };
  SubkeyId id = purpose_to_subkey (purpose);

  g_return_if_fail (TF_IS_VAULT (self));
  g_return_if_fail (id != 0);
  g_return_if_fail (data != NULL || length == 0);
  g_return_if_fail (out != NULL);

  crypto_generichash (out, TF_VAULT_HASH_LENGTH, data != NULL ? data : empty, length,
                      get_subkey (self, id), SUBKEY_LENGTH);
}

gboolean
tf_vault_keyed_hash_verify (TfVault        *self,
                            TfVaultPurpose  purpose,
                            const guint8   *data,
                            gsize           length,
                            const guint8   *expected,
                            gsize           expected_length)
{
  guint8 hash[TF_VAULT_HASH_LENGTH];
  gboolean equal;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (purpose_to_subkey (purpose) != 0, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (expected != NULL || expected_length == 0, FALSE);

  if (expected_length != TF_VAULT_HASH_LENGTH)
    return FALSE;

  tf_vault_keyed_hash (self, purpose, data, length, hash);
  equal = sodium_memcmp (hash, expected, TF_VAULT_HASH_LENGTH) == 0;
  sodium_memzero (hash, sizeof hash);

  return equal;
}

GBytes *
tf_vault_make_key_check (TfVault *self)
{
  guint8 check[TF_VAULT_HASH_LENGTH];

  g_return_val_if_fail (TF_IS_VAULT (self), NULL);

  tf_vault_keyed_hash (self, TF_VAULT_PURPOSE_KEY_CHECK,
                       (const guint8 *) KEY_CHECK_LABEL, strlen (KEY_CHECK_LABEL), check);

  return g_bytes_new (check, sizeof check);
}

gboolean
tf_vault_check_key (TfVault  *self,
                    GBytes   *stored_check,
                    GError  **error)
{
  const guint8 *data;
  gsize size = 0;

  g_return_val_if_fail (TF_IS_VAULT (self), FALSE);
  g_return_val_if_fail (stored_check != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = g_bytes_get_data (stored_check, &size);
  if (!tf_vault_keyed_hash_verify (self, TF_VAULT_PURPOSE_KEY_CHECK,
                                   (const guint8 *) KEY_CHECK_LABEL, strlen (KEY_CHECK_LABEL),
                                   data, size))
    {
      g_set_error_literal (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE,
                           _("This store’s secrets cannot be opened with the key that "
                             "was found."));
      return FALSE;
    }

  return TRUE;
}

/* Key acquisition. */

typedef struct {
  char *key_file;
  char *store_uuid;
  gboolean store_is_new;
  guint timeout_ms;
  TfSecureBuffer *new_key;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *load = data;

  g_clear_pointer (&load->new_key, tf_secure_buffer_unref);
  g_free (load->key_file);
  g_free (load->store_uuid);
  g_free (load);
}

static TfVault *
load_from_key_file (const char  *path,
                    gboolean     store_is_new,
                    GError     **error)
{
  g_autoptr(TfSecureBuffer) key = NULL;
  g_autoptr(GError) local_error = NULL;

  key = tf_key_file_read (path, &local_error);

  /* Only a new store gets a new key; an existing one stays closed. */
  if (key == NULL && store_is_new &&
      g_error_matches (local_error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_MISSING))
    {
      key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
      if (!tf_key_file_create (path, key, error))
        return NULL;
      g_debug ("Created a new key file for a new store");
    }
  else if (key == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return tf_vault_new (key);
}

static void
set_key_missing_error (GError **error)
{
  g_set_error_literal (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_MISSING,
                       _("This store’s key is not in the keyring. Twofold does not make "
                         "a new key for a store that already holds secrets: restore the "
                         "keyring, or configure the store’s key file, then choose Retry."));
}

static TfVault *
vault_from_keyring_key (TfSecureBuffer  *key,
                        GError         **error)
{
  if (tf_secure_buffer_get_length (key) != TF_VAULT_KEY_LENGTH)
    {
      g_set_error_literal (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE,
                           _("The keyring holds a key for this store that is not a "
                             "Twofold key."));
      return NULL;
    }

  return tf_vault_new (key);
}

static void
load_key_file_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  LoadData *load = task_data;
  GError *error = NULL;
  TfVault *vault;

  vault = load_from_key_file (load->key_file, load->store_is_new, &error);
  if (vault == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, vault, g_object_unref);
}

static void
on_load_stored (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  LoadData *load = g_task_get_task_data (task);
  GError *error = NULL;

  if (!tf_keyring_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, tf_vault_new (load->new_key), g_object_unref);
}

static void
on_load_looked_up (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = G_TASK (user_data);
  LoadData *load = g_task_get_task_data (task);
  g_autoptr(TfSecureBuffer) key = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  TfVault *vault;

  key = tf_keyring_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
    }
  else if (key != NULL)
    {
      vault = vault_from_keyring_key (key, &error);
      if (vault == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, vault, g_object_unref);
    }
  else if (!load->store_is_new)
    {
      set_key_missing_error (&error);
      g_task_return_error (task, error);
    }
  else
    {
      cancellable = g_task_get_cancellable (task);
      load->new_key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
      tf_keyring_store_async (load->store_uuid, load->new_key, load->timeout_ms, cancellable,
                              on_load_stored, g_steal_pointer (&task));
    }
}

void
tf_vault_load_async (const char          *key_file,
                     const char          *store_uuid,
                     gboolean             store_is_new,
                     guint                timeout_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *load;

  g_return_if_fail (key_file == NULL || key_file[0] != '\0');
  g_return_if_fail (store_uuid != NULL && store_uuid[0] != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_vault_load_async);

  load = g_new0 (LoadData, 1);
  load->key_file = g_strdup (key_file);
  load->store_uuid = g_strdup (store_uuid);
  load->store_is_new = store_is_new;
  load->timeout_ms = timeout_ms;
  g_task_set_task_data (task, load, load_data_free);

  if (key_file != NULL)
    g_task_run_in_thread (task, load_key_file_thread);
  else
    tf_keyring_lookup_async (store_uuid, timeout_ms, cancellable,
                             on_load_looked_up, g_steal_pointer (&task));
}

TfVault *
tf_vault_load_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tf_vault_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

TfVault *
tf_vault_load (const char    *key_file,
               const char    *store_uuid,
               gboolean       store_is_new,
               guint          timeout_ms,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(TfSecureBuffer) key = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (key_file == NULL || key_file[0] != '\0', NULL);
  g_return_val_if_fail (store_uuid != NULL && store_uuid[0] != '\0', NULL);
  g_return_val_if_fail (key_file != NULL || timeout_ms > 0, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (key_file != NULL)
    return load_from_key_file (key_file, store_is_new, error);

  key = tf_keyring_lookup (store_uuid, timeout_ms, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (key != NULL)
    return vault_from_keyring_key (key, error);

  if (!store_is_new)
    {
      set_key_missing_error (error);
      return NULL;
    }

  key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  if (!tf_keyring_store (store_uuid, key, timeout_ms, cancellable, error))
    return NULL;

  return tf_vault_new (key);
}
