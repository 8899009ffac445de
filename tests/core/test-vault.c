/* test-vault.c
 *
 * Four groups, each run by its own meson test in the environment it needs:
 *   /twofold/vault/crypto, /twofold/vault/key-file, /twofold/vault/no-bus
 *       no session bus at all (DBUS_SESSION_BUS_ADDRESS points nowhere);
 *   /twofold/vault/bare-bus   a private bus with no Secret Service;
 *   /twofold/vault/keyring    a private bus with an unlocked gnome-keyring.
 * Every group first asserts its environment, so a case run in the wrong one
 * fails instead of passing for the wrong reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libsecret/secret.h>

#include "tf-core.h"
#include "tf-key-file.h"
#include "tf-keyring.h"
#include "tf-vault.h"

#define SECRETS_NAME "org.freedesktop.secrets"
#define KEYRING_PASSWORD "ci-password"
#define TIMEOUT_MS 5000

/* The environment before G_TEST_OPTION_ISOLATE_DIRS moved the XDG dirs: a
 * restarted keyring daemon must find the keyrings of the first one. */
static char **saved_environ;

static TfVault *
vault_new_random (void)
{
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);

  return tf_vault_new (key);
}

static void
assert_same_key (TfVault *a,
                 TfVault *b)
{
  static const guint8 plain[] = "same key?";
  g_autoptr(GBytes) sealed = tf_vault_seal (a, 1, "probe", plain, sizeof plain);
  g_autoptr(TfSecureBuffer) opened = NULL;
  g_autoptr(GError) error = NULL;

  opened = tf_vault_open (b, 1, "probe", sealed, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opened);
  g_assert_cmpmem (tf_secure_buffer_get_data (opened), tf_secure_buffer_get_length (opened),
                   plain, sizeof plain);
}

static void
assert_different_keys (TfVault *a,
                       TfVault *b)
{
  static const guint8 plain[] = "same key?";
  g_autoptr(GBytes) sealed = tf_vault_seal (a, 1, "probe", plain, sizeof plain);
  g_autoptr(TfSecureBuffer) opened = NULL;
  g_autoptr(GError) error = NULL;

  opened = tf_vault_open (b, 1, "probe", sealed, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE);
  g_assert_null (opened);
}

static void
assert_unreadable (TfVault    *vault,
                   gint64      row_id,
                   const char *column,
                   GBytes     *sealed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) opened = tf_vault_open (vault, row_id, column, sealed, &error);

  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE);
  g_assert_null (opened);
  g_assert_nonnull (strstr (error->message, "cannot be opened"));
}

/* /twofold/vault/crypto */

static void
test_crypto_round_trip (void)
{
  static const char secret[] = "JBSWY3DPEHPK3PXP";
  g_autoptr(TfVault) vault = vault_new_random ();
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(TfSecureBuffer) opened = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize size;

  sealed = tf_vault_seal (vault, 42, "totp_secret", (const guint8 *) secret, strlen (secret));
  data = g_bytes_get_data (sealed, &size);
  g_assert_cmpuint (size, ==, 1 + 24 + strlen (secret) + 16);
  g_assert_cmpuint (data[0], ==, 1);
  g_assert_null (memmem (data, size, secret, strlen (secret)));

  opened = tf_vault_open (vault, 42, "totp_secret", sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_secure_buffer_get_string (opened), ==, secret);

  /* A fresh nonce every time: the same secret never seals to the same bytes. */
  again = tf_vault_seal (vault, 42, "totp_secret", (const guint8 *) secret, strlen (secret));
  g_assert_false (g_bytes_equal (sealed, again));

  g_clear_pointer (&opened, tf_secure_buffer_unref);
  empty = tf_vault_seal (vault, -1, "", NULL, 0);
  opened = tf_vault_open (vault, -1, "", empty, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tf_secure_buffer_get_length (opened), ==, 0);
}

/* Pins the sealed format: a blob built by hand as tf-vault.h describes opens. */
static void
test_crypto_format (void)
{
  static const char secret[] = "format";
  static const char column[] = "totp_secret";
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(TfVault) vault = tf_vault_new (key);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(TfSecureBuffer) opened = NULL;
  g_autoptr(GError) error = NULL;
  guint8 subkey[32];
  guint8 ad[1 + 8 + sizeof column - 1];
  guint8 blob[1 + 24 + sizeof secret - 1 + 16];
  unsigned long long length = 0;
  guint64 row_le = GUINT64_TO_LE ((guint64) 0x0102030405060708);

  g_assert_cmpint (crypto_kdf_derive_from_key (subkey, sizeof subkey, 1, "Twofold1",
                                               tf_secure_buffer_get_data (key)), ==, 0);
  ad[0] = 1;
  memcpy (ad + 1, &row_le, 8);
  memcpy (ad + 9, column, sizeof column - 1);
  blob[0] = 1;
  randombytes_buf (blob + 1, 24);
  crypto_aead_xchacha20poly1305_ietf_encrypt (blob + 25, &length,
                                              (const guint8 *) secret, sizeof secret - 1,
                                              ad, sizeof ad, NULL, blob + 1, subkey);
  g_assert_cmpuint (length, ==, sizeof secret - 1 + 16);

  sealed = g_bytes_new (blob, sizeof blob);
  opened = tf_vault_open (vault, 0x0102030405060708, column, sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_secure_buffer_get_string (opened), ==, secret);
}

static void
test_crypto_moved (void)
{
  static const char secret[] = "JBSWY3DPEHPK3PXP";
  g_autoptr(TfVault) vault = vault_new_random ();
  g_autoptr(GBytes) sealed = NULL;

  sealed = tf_vault_seal (vault, 7, "totp_secret", (const guint8 *) secret, strlen (secret));

  assert_unreadable (vault, 8, "totp_secret", sealed);
  assert_unreadable (vault, -7, "totp_secret", sealed);
  assert_unreadable (vault, 7 + ((gint64) 1 << 32), "totp_secret", sealed);
  assert_unreadable (vault, 7, "recovery_secret", sealed);
  assert_unreadable (vault, 7, "totp_secre", sealed);
  assert_unreadable (vault, 7, "", sealed);
}

static void
test_crypto_tampered (void)
{
  static const char secret[] = "JBSWY3DPEHPK3PXP";
  g_autoptr(TfVault) vault = vault_new_random ();
  g_autoptr(GBytes) sealed = NULL;
  const guint8 *data;
  gsize size;

  sealed = tf_vault_seal (vault, 7, "totp_secret", (const guint8 *) secret, strlen (secret));
  data = g_bytes_get_data (sealed, &size);

  /* Version, nonce, ciphertext and tag: one flipped bit anywhere is refused. */
  for (gsize i = 0; i < size; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, size);
      g_autoptr(GBytes) tampered = NULL;

      copy[i] ^= 0x01;
      tampered = g_bytes_new (copy, size);
      assert_unreadable (vault, 7, "totp_secret", tampered);
    }
}

static void
test_crypto_truncated (void)
{
  static const char secret[] = "JBSWY3DPEHPK3PXP";
  g_autoptr(TfVault) vault = vault_new_random ();
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) longer = NULL;
  g_autofree guint8 *extended = NULL;
  const guint8 *data;
  gsize size;

  sealed = tf_vault_seal (vault, 7, "totp_secret", (const guint8 *) secret, strlen (secret));
  data = g_bytes_get_data (sealed, &size);

  for (gsize cut = 0; cut < size; cut++)
    {
      g_autoptr(GBytes) truncated = g_bytes_new (data, cut);

      assert_unreadable (vault, 7, "totp_secret", truncated);
    }

  extended = g_malloc0 (size + 1);
  memcpy (extended, data, size);
  longer = g_bytes_new (extended, size + 1);
  assert_unreadable (vault, 7, "totp_secret", longer);
}

static void
test_crypto_wrong_key (void)
{
  static const char secret[] = "JBSWY3DPEHPK3PXP";
  g_autoptr(TfVault) vault = vault_new_random ();
  g_autoptr(TfVault) other = vault_new_random ();
  g_autoptr(GBytes) sealed = NULL;

  sealed = tf_vault_seal (vault, 7, "totp_secret", (const guint8 *) secret, strlen (secret));
  assert_unreadable (other, 7, "totp_secret", sealed);
}

static void
test_crypto_keyed_hash (void)
{
  static const TfVaultPurpose purposes[] = {
    TF_VAULT_PURPOSE_RECOVERY_CODE,
    TF_VAULT_PURPOSE_RESET_CODE,
    TF_VAULT_PURPOSE_VERIFY_CODE,
    TF_VAULT_PURPOSE_AUDIT,
    TF_VAULT_PURPOSE_KEY_CHECK,
  };
  static const char code[] = "ABCD-EFGH-JKLM";
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(TfVault) vault = tf_vault_new (key);
  g_autoptr(TfVault) same = tf_vault_new (key);
  g_autoptr(TfVault) other = vault_new_random ();
  guint8 hashes[G_N_ELEMENTS (purposes)][TF_VAULT_HASH_LENGTH];
  guint8 hash[TF_VAULT_HASH_LENGTH];
  guint8 subkey[32];
  guint8 expected[TF_VAULT_HASH_LENGTH];

  for (gsize i = 0; i < G_N_ELEMENTS (purposes); i++)
    {
      tf_vault_keyed_hash (vault, purposes[i], (const guint8 *) code, strlen (code), hashes[i]);
      for (gsize j = 0; j < i; j++)
        g_assert_false (memcmp (hashes[i], hashes[j], TF_VAULT_HASH_LENGTH) == 0);

      /* Deterministic for one key, different for another. */
      tf_vault_keyed_hash (same, purposes[i], (const guint8 *) code, strlen (code), hash);
      g_assert_cmpmem (hash, sizeof hash, hashes[i], TF_VAULT_HASH_LENGTH);
      tf_vault_keyed_hash (other, purposes[i], (const guint8 *) code, strlen (code), hash);
      g_assert_false (memcmp (hash, hashes[i], TF_VAULT_HASH_LENGTH) == 0);

      g_assert_true (tf_vault_keyed_hash_verify (vault, purposes[i],
                                                 (const guint8 *) code, strlen (code),
                                                 hashes[i], TF_VAULT_HASH_LENGTH));
      g_assert_false (tf_vault_keyed_hash_verify (vault, purposes[i],
                                                  (const guint8 *) code, strlen (code) - 1,
                                                  hashes[i], TF_VAULT_HASH_LENGTH));
      g_assert_false (tf_vault_keyed_hash_verify (vault, purposes[i],
                                                  (const guint8 *) code, strlen (code),
                                                  hashes[i], TF_VAULT_HASH_LENGTH - 1));
      g_assert_false (tf_vault_keyed_hash_verify (other, purposes[i],
                                                  (const guint8 *) code, strlen (code),
                                                  hashes[i], TF_VAULT_HASH_LENGTH));
    }

  /* Pins the format: recovery codes use subkey 2 of context "Twofold1". */
  g_assert_cmpint (crypto_kdf_derive_from_key (subkey, sizeof subkey, 2, "Twofold1",
                                               tf_secure_buffer_get_data (key)), ==, 0);
  crypto_generichash (expected, sizeof expected, (const guint8 *) code, strlen (code),
                      subkey, sizeof subkey);
  g_assert_cmpmem (hashes[0], TF_VAULT_HASH_LENGTH, expected, sizeof expected);

  /* The empty input is hashed too, not refused. */
  tf_vault_keyed_hash (vault, TF_VAULT_PURPOSE_AUDIT, NULL, 0, hash);
  g_assert_false (memcmp (hash, hashes[3], TF_VAULT_HASH_LENGTH) == 0);
}

static void
test_crypto_key_check (void)
{
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(TfVault) vault = tf_vault_new (key);
  g_autoptr(TfVault) same = tf_vault_new (key);
  g_autoptr(TfVault) other = vault_new_random ();
  g_autoptr(GBytes) check = tf_vault_make_key_check (vault);
  g_autoptr(GBytes) short_check = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize size;

  data = g_bytes_get_data (check, &size);
  g_assert_cmpuint (size, ==, TF_VAULT_HASH_LENGTH);
  g_assert_null (memmem (data, size, tf_secure_buffer_get_data (key), 8));

  g_assert_true (tf_vault_check_key (vault, check, &error));
  g_assert_no_error (error);
  g_assert_true (tf_vault_check_key (same, check, &error));
  g_assert_no_error (error);

  g_assert_false (tf_vault_check_key (other, check, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, "key that was found"));
  g_clear_error (&error);

  short_check = g_bytes_new (data, size - 1);
  g_assert_false (tf_vault_check_key (vault, short_check, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE);
}

/* /twofold/vault/key-file */

static char *
key_file_path (const char *name)
{
  /* ISOLATE_DIRS gives every case a fresh, private data dir. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);

  return g_build_filename (g_get_user_data_dir (), name, NULL);
}

static void
write_key_file (const char *path,
                const char *contents,
                gssize      length,
                mode_t      mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, mode), ==, 0);
}

static void
assert_key_file_refused (const char *path,
                         const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) key = tf_key_file_read (path, &error);
  g_autoptr(TfVault) vault = NULL;

  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE);
  g_assert_null (key);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, reason));
  g_clear_error (&error);

  /* Refused for a new store too: never replaced by a fresh key. */
  vault = tf_vault_load (path, "0f6c3ab0-2c6e-4f4e-9a55-5b0c8e0e7d11", TRUE, 0, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE);
  g_assert_null (vault);
}

static const char valid_hex[] =
  "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

static void
test_key_file_read (void)
{
  g_autofree char *path = key_file_path ("key");
  g_autofree char *upper = g_ascii_strup (valid_hex, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) key = NULL;
  g_autoptr(TfSecureBuffer) key2 = NULL;
  g_autofree char *with_newline = g_strconcat (valid_hex, "\n", NULL);

  write_key_file (path, valid_hex, -1, 0600);
  key = tf_key_file_read (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tf_secure_buffer_get_length (key), ==, 32);
  for (guint i = 0; i < 32; i++)
    g_assert_cmpuint (tf_secure_buffer_get_data (key)[i], ==, i);

  g_assert_cmpint (g_unlink (path), ==, 0);
  write_key_file (path, upper, -1, 0400);
  key2 = tf_key_file_read (path, &error);
  g_assert_no_error (error);
  g_assert_true (tf_secure_buffer_equal (key, key2));
  g_clear_pointer (&key2, tf_secure_buffer_unref);

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  g_assert_cmpint (g_unlink (path), ==, 0);
  write_key_file (path, with_newline, -1, 0600);
  key2 = tf_key_file_read (path, &error);
  g_assert_no_error (error);
  g_assert_true (tf_secure_buffer_equal (key, key2));
}

static void
assert_created_0600 (mode_t umask_value)
{
  g_autofree char *path = key_file_path ("new-key");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(TfVault) again = NULL;
  g_autoptr(TfVault) renew = NULL;
  g_autoptr(TfSecureBuffer) key = NULL;
  g_autoptr(TfVault) from_file = NULL;
  struct stat st;
  mode_t old_umask;
  gsize length;

  old_umask = umask (umask_value);
  vault = tf_vault_load (path, "7d0c1d4e-5b0e-4a43-9d57-3c1f0a6b2e90", TRUE, 0, NULL, &error);
  umask (old_umask);
  g_assert_no_error (error);
  g_assert_nonnull (vault);

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  g_assert_cmpint (st.st_uid, ==, geteuid ());

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, ==, 65);
  g_assert_cmpint (contents[64], ==, '\n');
  for (guint i = 0; i < 64; i++)
    g_assert_true (g_ascii_isxdigit (contents[i]) && !g_ascii_isupper (contents[i]));

  key = tf_key_file_read (path, &error);
  g_assert_no_error (error);
  from_file = tf_vault_new (key);
  assert_same_key (vault, from_file);

  /* Found again for the existing store; not replaced for a "new" one. */
  again = tf_vault_load (path, "7d0c1d4e-5b0e-4a43-9d57-3c1f0a6b2e90", FALSE, 0, NULL, &error);
  g_assert_no_error (error);
  assert_same_key (vault, again);
  renew = tf_vault_load (path, "7d0c1d4e-5b0e-4a43-9d57-3c1f0a6b2e90", TRUE, 0, NULL, &error);
  g_assert_no_error (error);
  assert_same_key (vault, renew);

  g_assert_cmpint (g_unlink (path), ==, 0);
}

static void
test_key_file_create_mode (void)
{
  assert_created_0600 (0);
  assert_created_0600 (0277);
  assert_created_0600 (0022);
}

static void
test_key_file_create_exclusive (void)
{
  g_autofree char *path = key_file_path ("key");
  g_autofree char *contents = NULL;
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(GError) error = NULL;

  write_key_file (path, valid_hex, -1, 0600);
  g_assert_false (tf_key_file_create (path, key, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE);
  g_clear_error (&error);

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, valid_hex);
}

static void
test_key_file_missing (void)
{
  g_autofree char *path = key_file_path ("absent");
  g_autofree char *no_dir = key_file_path ("no-such-dir/key");
  g_autoptr(GError) error = NULL;
  g_autoptr(TfVault) vault = NULL;

  /* An existing store without its key file stays closed, and no key is made. */
  vault = tf_vault_load (path, "4b7e2f7a-1d8a-4c1f-8f0e-6b1a3c5d7e9f", FALSE, 0, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_MISSING);
  g_assert_null (vault);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  vault = tf_vault_load (no_dir, "4b7e2f7a-1d8a-4c1f-8f0e-6b1a3c5d7e9f", TRUE, 0, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE);
  g_assert_null (vault);
}

static void
test_key_file_mode (void)
{
  static const mode_t refused[] = { 0644, 0640, 0604, 0660, 0606, 0610, 0666, 0602 };
  g_autofree char *path = key_file_path ("key");
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) key = NULL;

  write_key_file (path, valid_hex, -1, 0600);
  for (gsize i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_assert_cmpint (g_chmod (path, refused[i]), ==, 0);
      assert_key_file_refused (path, "must have mode 0600");
    }

  g_assert_cmpint (g_chmod (path, 0400), ==, 0);
  key = tf_key_file_read (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
}

static void
test_key_file_symlink (void)
{
  g_autofree char *target = key_file_path ("key");
  g_autofree char *link = key_file_path ("link");
  g_autofree char *dangling = key_file_path ("dangling");
  g_autofree char *dangling_target = key_file_path ("not-yet");
  g_autoptr(GError) error = NULL;
  g_autoptr(TfVault) vault = NULL;

  write_key_file (target, valid_hex, -1, 0600);
  g_assert_cmpint (symlink (target, link), ==, 0);
  assert_key_file_refused (link, "symbolic link");

  /* A new store does not create its key through a symlink either. */
  g_assert_cmpint (symlink (dangling_target, dangling), ==, 0);
  vault = tf_vault_load (dangling, "4b7e2f7a-1d8a-4c1f-8f0e-6b1a3c5d7e9f", TRUE, 0, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE);
  g_assert_null (vault);
  g_assert_false (g_file_test (dangling_target, G_FILE_TEST_EXISTS));
}

static void
test_key_file_not_regular (void)
{
  g_autofree char *dir = key_file_path ("dir");
  g_autofree char *fifo = key_file_path ("fifo");

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  assert_key_file_refused (dir, "not a regular file");

  /* Refused at once, not waited on for a writer. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  assert_key_file_refused (fifo, "not a regular file");

  assert_key_file_refused ("/dev/null", "not a regular file");
}

static void
test_key_file_garbage (void)
{
  g_autofree char *path = key_file_path ("key");
  g_autofree char *short_hex = g_strndup (valid_hex, 63);
  g_autofree char *long_hex = g_strconcat (valid_hex, "0", NULL);
  g_autofree char *two_newlines = g_strconcat (valid_hex, "\n\n", NULL);
  g_autofree char *crlf = g_strconcat (valid_hex, "\r\n", NULL);
  g_autofree char *space = g_strconcat (" ", valid_hex, NULL);
  g_autofree char *not_hex = g_strnfill (64, 'g');
  g_autofree char *big = g_strnfill (1 << 20, 'a');
  g_autofree char *with_nul = g_strdup (valid_hex);
  const struct {
    const char *contents;
    gssize length;
  } cases[] = {
    { "", 0 },
    { "hello\n", -1 },
    { short_hex, -1 },
    { long_hex, -1 },
    { two_newlines, -1 },
    { crlf, -1 },
    { space, -1 },
    { not_hex, -1 },
    { big, -1 },
    { with_nul, 64 },
  };

  with_nul[10] = '\0';

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      write_key_file (path, cases[i].contents, cases[i].length, 0600);
      assert_key_file_refused (path, "not a Twofold key file");
      g_assert_cmpint (g_unlink (path), ==, 0);
    }
}

static void
test_key_file_other_owner (void)
{
  g_autofree char *path = key_file_path ("key");

  if (geteuid () != 0)
    {
      g_test_skip ("Giving a file to another user needs root");
      return;
    }

  write_key_file (path, valid_hex, -1, 0600);
  g_assert_cmpint (chown (path, 65534, 65534), ==, 0);
  assert_key_file_refused (path, "owned by another user");
}

/* /twofold/vault/no-bus */

static void
assert_no_bus (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;

  g_assert_cmpstr (g_getenv ("DBUS_SESSION_BUS_ADDRESS"), ==, "unix:path=/nonexistent");
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_nonnull (error);
  g_assert_null (bus);
}

static void
assert_unavailable_everywhere (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(TfSecureBuffer) found = NULL;
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(GError) error = NULL;

  /* Each call fails with KEYRING_UNAVAILABLE, not TIMEOUT: the missing
   * service, not TIMEOUT_MS running out, is what stopped it. */
  found = tf_keyring_lookup (uuid, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_UNAVAILABLE);
  g_assert_null (found);
  g_test_message ("unavailable: %s", error->message);
  g_assert_nonnull (strstr (error->message, "keyring"));
  g_clear_error (&error);

  g_assert_false (tf_keyring_store (uuid, key, TIMEOUT_MS, NULL, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  g_assert_false (tf_keyring_delete (uuid, TIMEOUT_MS, NULL, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  vault = tf_vault_load (NULL, uuid, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_UNAVAILABLE);
  g_assert_null (vault);
  g_clear_error (&error);

  vault = tf_vault_load (NULL, uuid, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_UNAVAILABLE);
  g_assert_null (vault);
}

static void
on_async_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static TfVault *
load_async_and_wait (const char    *key_file,
                     const char    *uuid,
                     gboolean       store_is_new,
                     guint          timeout_ms,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tf_vault_load_async (key_file, uuid, store_is_new, timeout_ms, cancellable,
                       on_async_ready, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return tf_vault_load_finish (result, error);
}

static void
test_no_bus_unavailable (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(GError) error = NULL;

  assert_no_bus ();
  assert_unavailable_everywhere ();

  vault = load_async_and_wait (NULL, uuid, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_UNAVAILABLE);
  g_assert_null (vault);
}

/* /twofold/vault/bare-bus */

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &has_owner);

  return has_owner;
}

static void
assert_bare_bus (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  g_autofree const char **names = NULL;

  g_assert_no_error (error);
  g_assert_false (name_has_owner (bus, SECRETS_NAME));

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames",
                                       NULL, G_VARIANT_TYPE ("(as)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(^a&s)", &names);
  g_assert_false (g_strv_contains (names, SECRETS_NAME));
}

static void
test_bare_bus_unavailable (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(GError) error = NULL;

  assert_bare_bus ();
  assert_unavailable_everywhere ();

  vault = load_async_and_wait (NULL, uuid, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_UNAVAILABLE);
  g_assert_null (vault);
}

/* Drops every method call: a Secret Service that never answers. */
static GDBusMessage *
swallow_method_calls (GDBusConnection *connection,
                      GDBusMessage    *message,
                      gboolean         incoming,
                      gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_atomic_int_inc ((int *) user_data);
      g_object_unref (message);
      return NULL;
    }

  return message;
}

static GDBusConnection *
own_silent_secret_service (int *calls)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) reply = NULL;
  guint32 result = 0;

  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (connection, swallow_method_calls, calls, NULL);

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", SECRETS_NAME, 0x4 /* DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* PRIMARY_OWNER */);

  return g_steal_pointer (&connection);
}

static void
assert_timed_out (GError *error,
                  gint64  start,
                  guint   timeout_ms)
{
  gint64 elapsed_ms = (g_get_monotonic_time () - start) / 1000;

  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_TIMEOUT);
  g_assert_true (g_str_has_prefix (error->message, "The keyring did not answer"));
  g_assert_cmpint (elapsed_ms, >=, timeout_ms - 20);
  g_assert_cmpint (elapsed_ms, <, timeout_ms + 1500);
}

static gboolean
cancel_later (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));

  return G_SOURCE_REMOVE;
}

static void
test_bare_bus_timeout (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(GDBusConnection) silent = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(TfSecureBuffer) found = NULL;
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  int calls = 0;
  gint64 start;

  assert_bare_bus ();
  silent = own_silent_secret_service (&calls);

  start = g_get_monotonic_time ();
  found = tf_keyring_lookup (uuid, 300, NULL, &error);
  assert_timed_out (error, start, 300);
  g_assert_null (found);
  g_clear_error (&error);
  /* It timed out waiting for our service, not for something else. */
  g_assert_cmpint (g_atomic_int_get (&calls), >, 0);

  start = g_get_monotonic_time ();
  g_assert_false (tf_keyring_store (uuid, key, 300, NULL, &error));
  assert_timed_out (error, start, 300);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  vault = tf_vault_load (NULL, uuid, FALSE, 300, NULL, &error);
  assert_timed_out (error, start, 300);
  g_assert_null (vault);
  g_clear_error (&error);

  start = g_get_monotonic_time ();
  vault = load_async_and_wait (NULL, uuid, TRUE, 300, NULL, &error);
  assert_timed_out (error, start, 300);
  g_assert_null (vault);
  g_clear_error (&error);

  /* The caller's own cancellable still works, and is not called a timeout. */
  start = g_get_monotonic_time ();
  g_timeout_add (100, cancel_later, cancellable);
  vault = load_async_and_wait (NULL, uuid, TRUE, TIMEOUT_MS, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (vault);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_clear_error (&error);

  g_dbus_connection_close_sync (silent, NULL, &error);
  g_assert_no_error (error);
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  while (name_has_owner (bus, SECRETS_NAME))
    g_usleep (10 * 1000);
}

/* /twofold/vault/keyring */

static void
wait_for_owner (GDBusConnection *bus,
                gboolean         owned)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (name_has_owner (bus, SECRETS_NAME) != owned)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20 * 1000);
    }
}

static void
assert_keyring_running (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  /* The daemon may print its environment before it has taken its name. */
  wait_for_owner (bus, TRUE);
}

/* Kills the session's gnome-keyring-daemon and starts a new one, which
 * unlocks the login keyring from disk with the same password. */
static void
restart_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autofree char *out = NULL;
  guint32 pid = 0;

  g_assert_no_error (error);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", SECRETS_NAME),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  g_assert_cmpuint (pid, >, 1);
  g_assert_cmpint (kill ((pid_t) pid, SIGTERM), ==, 0);
  wait_for_owner (bus, FALSE);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_environ (launcher, saved_environ);
  /* As in tf-test-session: gnome-keyring's harmless warnings must not abort it. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon",
                                        "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (daemon, KEYRING_PASSWORD, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (daemon, NULL, &error);
  g_assert_no_error (error);

  wait_for_owner (bus, TRUE);
}

static void
test_keyring_new_store (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(TfVault) created = NULL;
  g_autoptr(TfVault) found = NULL;
  g_autoptr(TfVault) from_keyring = NULL;
  g_autoptr(TfSecureBuffer) key = NULL;
  g_autoptr(GBytes) check = NULL;
  g_autoptr(GError) error = NULL;

  assert_keyring_running ();

  created = tf_vault_load (NULL, uuid, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);
  check = tf_vault_make_key_check (created);

  key = tf_keyring_lookup (uuid, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);
  g_assert_cmpuint (tf_secure_buffer_get_length (key), ==, TF_VAULT_KEY_LENGTH);
  from_keyring = tf_vault_new (key);
  assert_same_key (created, from_keyring);

  found = tf_vault_load (NULL, uuid, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  assert_same_key (created, found);
  g_assert_true (tf_vault_check_key (found, check, &error));
  g_assert_no_error (error);
  g_clear_object (&found);

  /* "New" again (say, the store file was deleted): the key is reused, not replaced. */
  found = tf_vault_load (NULL, uuid, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  assert_same_key (created, found);
}

static void
test_keyring_two_stores (void)
{
  g_autofree char *uuid_a = g_uuid_string_random ();
  g_autofree char *uuid_b = g_uuid_string_random ();
  g_autoptr(TfVault) a = NULL;
  g_autoptr(TfVault) b = NULL;
  g_autoptr(TfVault) a_again = NULL;
  g_autoptr(TfVault) b_again = NULL;
  g_autoptr(GError) error = NULL;

  assert_keyring_running ();

  a = tf_vault_load (NULL, uuid_a, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  b = tf_vault_load (NULL, uuid_b, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  assert_different_keys (a, b);

  a_again = tf_vault_load (NULL, uuid_a, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  b_again = tf_vault_load (NULL, uuid_b, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  assert_same_key (a, a_again);
  assert_same_key (b, b_again);
  assert_different_keys (a_again, b_again);
}

static void
test_keyring_missing (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(TfSecureBuffer) key = NULL;
  g_autoptr(GError) error = NULL;

  assert_keyring_running ();

  vault = tf_vault_load (NULL, uuid, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_MISSING);
  g_assert_null (vault);
  g_test_message ("missing: %s", error->message);
  g_clear_error (&error);

  vault = load_async_and_wait (NULL, uuid, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_MISSING);
  g_assert_null (vault);
  g_clear_error (&error);

  /* Nothing was created on the way. */
  key = tf_keyring_lookup (uuid, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);
}

static void
test_keyring_async (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(TfVault) created = NULL;
  g_autoptr(TfVault) found = NULL;
  g_autoptr(TfVault) found_blocking = NULL;
  g_autoptr(GError) error = NULL;

  assert_keyring_running ();

  created = load_async_and_wait (NULL, uuid, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (created);

  found = load_async_and_wait (NULL, uuid, FALSE, 0, NULL, &error);
  g_assert_no_error (error);
  assert_same_key (created, found);

  found_blocking = tf_vault_load (NULL, uuid, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  assert_same_key (created, found_blocking);
}

static void
test_keyring_store_delete (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(TfSecureBuffer) replacement = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(TfSecureBuffer) found = NULL;
  g_autoptr(GError) error = NULL;

  assert_keyring_running ();

  g_assert_true (tf_keyring_store (uuid, key, TIMEOUT_MS, NULL, &error));
  g_assert_no_error (error);
  found = tf_keyring_lookup (uuid, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tf_secure_buffer_equal (found, key));
  g_clear_pointer (&found, tf_secure_buffer_unref);

  /* One item per store: storing again replaces it. */
  tf_keyring_store (uuid, replacement, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  found = tf_keyring_lookup (uuid, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tf_secure_buffer_equal (found, replacement));
  g_clear_pointer (&found, tf_secure_buffer_unref);

  g_assert_true (tf_keyring_delete (uuid, TIMEOUT_MS, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (tf_keyring_delete (uuid, TIMEOUT_MS, NULL, &error));
  g_assert_no_error (error);
  found = tf_keyring_lookup (uuid, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (found);
}

static void
test_keyring_restart (void)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autoptr(TfVault) created = NULL;
  g_autoptr(TfVault) found = NULL;
  g_autoptr(TfVault) found_async = NULL;
  g_autoptr(GError) error = NULL;

  assert_keyring_running ();

  created = tf_vault_load (NULL, uuid, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);

  restart_keyring ();

  found = tf_vault_load (NULL, uuid, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  assert_same_key (created, found);

  found_async = load_async_and_wait (NULL, uuid, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  assert_same_key (created, found_async);
}

static void
lock_default_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  g_autoptr(SecretCollection) reloaded = NULL;
  GList *objects = NULL;
  GList *locked = NULL;
  int count;

  service = secret_service_open_sync (SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_NONE,
                                      NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);
  g_assert_false (secret_collection_get_locked (collection));

  objects = g_list_append (objects, collection);
  count = secret_service_lock_sync (service, objects, NULL, &locked, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, ==, 1);
  g_list_free (objects);
  g_list_free_full (locked, g_object_unref);

  g_clear_object (&service);
  service = secret_service_open_sync (SECRET_TYPE_SERVICE, NULL, SECRET_SERVICE_NONE,
                                      NULL, &error);
  g_assert_no_error (error);
  reloaded = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                               SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (secret_collection_get_locked (reloaded));
}

static void
test_keyring_locked (void)
{
  g_autofree char *existing = g_uuid_string_random ();
  g_autofree char *fresh = g_uuid_string_random ();
  g_autofree char *unknown = g_uuid_string_random ();
  g_autoptr(TfVault) created = NULL;
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(TfSecureBuffer) key = NULL;
  g_autoptr(TfSecureBuffer) new_key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(GError) error = NULL;

  assert_keyring_running ();

  created = tf_vault_load (NULL, existing, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);

  lock_default_collection ();

  /* An existing store whose key is in the locked keyring. */
  vault = tf_vault_load (NULL, existing, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_LOCKED);
  g_assert_null (vault);
  g_test_message ("locked: %s", error->message);
  g_clear_error (&error);

  vault = load_async_and_wait (NULL, existing, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_LOCKED);
  g_assert_null (vault);
  g_clear_error (&error);

  /* A store whose key cannot be seen: still "locked", never "missing". */
  vault = tf_vault_load (NULL, unknown, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_LOCKED);
  g_assert_null (vault);
  g_clear_error (&error);

  /* A new store gets no key while the keyring is locked. */
  vault = tf_vault_load (NULL, fresh, TRUE, TIMEOUT_MS, NULL, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_LOCKED);
  g_assert_null (vault);
  g_clear_error (&error);

  /* Storing directly is refused the same way. */
  g_assert_false (tf_keyring_store (fresh, new_key, TIMEOUT_MS, NULL, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEYRING_LOCKED);
  g_clear_error (&error);

  /* Unlocked again (by logging in, here by restarting the daemon): the old
   * key is intact and the new store was given none. */
  restart_keyring ();
  vault = tf_vault_load (NULL, existing, FALSE, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  assert_same_key (created, vault);
  key = tf_keyring_lookup (fresh, TIMEOUT_MS, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (key);
}

int
main (int   argc,
      char *argv[])
{
  saved_environ = g_get_environ ();

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/vault/crypto/round-trip", test_crypto_round_trip);
  g_test_add_func ("/twofold/vault/crypto/format", test_crypto_format);
  g_test_add_func ("/twofold/vault/crypto/moved", test_crypto_moved);
  g_test_add_func ("/twofold/vault/crypto/tampered", test_crypto_tampered);
  g_test_add_func ("/twofold/vault/crypto/truncated", test_crypto_truncated);
  g_test_add_func ("/twofold/vault/crypto/wrong-key", test_crypto_wrong_key);
  g_test_add_func ("/twofold/vault/crypto/keyed-hash", test_crypto_keyed_hash);
  g_test_add_func ("/twofold/vault/crypto/key-check", test_crypto_key_check);

  g_test_add_func ("/twofold/vault/key-file/read", test_key_file_read);
  g_test_add_func ("/twofold/vault/key-file/create-mode", test_key_file_create_mode);
  g_test_add_func ("/twofold/vault/key-file/create-exclusive", test_key_file_create_exclusive);
  g_test_add_func ("/twofold/vault/key-file/missing", test_key_file_missing);
  g_test_add_func ("/twofold/vault/key-file/mode", test_key_file_mode);
  g_test_add_func ("/twofold/vault/key-file/symlink", test_key_file_symlink);
  g_test_add_func ("/twofold/vault/key-file/not-regular", test_key_file_not_regular);
  g_test_add_func ("/twofold/vault/key-file/garbage", test_key_file_garbage);
  g_test_add_func ("/twofold/vault/key-file/other-owner", test_key_file_other_owner);

  g_test_add_func ("/twofold/vault/no-bus/unavailable", test_no_bus_unavailable);

  g_test_add_func ("/twofold/vault/bare-bus/unavailable", test_bare_bus_unavailable);
  g_test_add_func ("/twofold/vault/bare-bus/timeout", test_bare_bus_timeout);

  g_test_add_func ("/twofold/vault/keyring/new-store", test_keyring_new_store);
  g_test_add_func ("/twofold/vault/keyring/two-stores", test_keyring_two_stores);
  g_test_add_func ("/twofold/vault/keyring/missing", test_keyring_missing);
  g_test_add_func ("/twofold/vault/keyring/async", test_keyring_async);
  g_test_add_func ("/twofold/vault/keyring/store-delete", test_keyring_store_delete);
  g_test_add_func ("/twofold/vault/keyring/restart", test_keyring_restart);
  g_test_add_func ("/twofold/vault/keyring/locked", test_keyring_locked);

  return g_test_run ();
}
