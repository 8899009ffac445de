/* test-store.c — the account store: opening, files, schema and secrets.
 * The operations are in test-store-ops.c, damage in test-store-damage.c,
 * several processes in test-store-crash.c. */
#include "test-store-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void
test_create_and_reopen (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "twofold", "store.db", NULL);
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(TfVault) vault = tf_vault_new (key);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = tf_store_open (path, &error);
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *uuid = NULL;
  const char *name;

  g_assert_no_error (error);
  g_assert_true (g_uuid_string_is_valid (tf_store_get_uuid (store)));
  g_assert_cmpstr (tf_store_get_path (store), ==, path);
  g_assert_true (tf_store_is_new (store));
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, TF_STORE_SCHEMA_VERSION);
  /* The store is never empty on disk, and no temporary file is left. */
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM meta WHERE key = 'uuid'"), ==, 1);
  dir = g_dir_open (dir_path, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_null (strstr (name, ".new-"));

  g_assert_true (tf_store_attach_vault (store, vault, &error));
  g_assert_no_error (error);
  g_assert_false (tf_store_is_new (store));
  g_assert_true (tf_store_get_vault (store) == vault);
  g_assert_true (tf_store_check_integrity (store, &error));
  g_assert_no_error (error);

  uuid = g_strdup (tf_store_get_uuid (store));
  g_clear_object (&store);
  store = tf_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_store_get_uuid (store), ==, uuid);
  g_assert_false (tf_store_is_new (store));
  g_assert_true (tf_store_attach_vault (store, vault, &error));
  g_assert_no_error (error);
}

static void
test_permissions (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "a", "b", "twofold", NULL);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;
  mode_t old_umask = umask (0);

  store = tf_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (dir), ==, 0700);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);
  g_clear_object (&store);

  /* Looser modes are narrowed again at the next open. */
  g_assert_cmpint (g_chmod (path, 0666), ==, 0);
  store = tf_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (file_mode (path), ==, 0600);
  g_assert_cmpuint (file_mode (wal), ==, 0600);
  g_assert_cmpuint (file_mode (shm), ==, 0600);

  umask (old_umask);
}

static void
test_symlink_file (void)
{
  g_autofree char *real_dir = g_build_filename (g_get_user_data_dir (), "real", NULL);
  g_autofree char *real = g_build_filename (real_dir, "store.db", NULL);
  g_autofree char *link_dir = g_build_filename (g_get_user_data_dir (), "twofold", NULL);
  g_autofree char *link = g_build_filename (link_dir, "store.db", NULL);
  g_autofree char *dangling = g_build_filename (real_dir, "nothing.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = tf_store_open (real, &error);

  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (g_mkdir_with_parents (link_dir, 0700), ==, 0);
  g_assert_cmpint (symlink (real, link), ==, 0);

  store = tf_store_open (link, &error);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION);
  g_assert_null (store);
  g_clear_error (&error);

  /* A dangling link is not followed to create a file either. */
  g_assert_cmpint (g_unlink (link), ==, 0);
  g_assert_cmpint (symlink (dangling, link), ==, 0);
  store = tf_store_open (link, &error);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION);
  g_assert_false (g_file_test (dangling, G_FILE_TEST_EXISTS));
}

static void
test_symlink_dir (void)
{
  g_autofree char *real_dir = g_build_filename (g_get_user_data_dir (), "real", NULL);
  g_autofree char *link_dir = g_build_filename (g_get_user_data_dir (), "twofold", NULL);
  g_autofree char *path = g_build_filename (link_dir, "store.db", NULL);
  g_autofree char *real = g_build_filename (real_dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;

  g_assert_cmpint (g_mkdir_with_parents (real_dir, 0700), ==, 0);
  g_assert_cmpint (symlink (real_dir, link_dir), ==, 0);
  store = tf_store_open (path, &error);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION);
  g_assert_null (store);
  g_assert_false (g_file_test (real, G_FILE_TEST_EXISTS));
}

static void
test_world_writable_dir (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "open", NULL);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  store = tf_store_open (path, &error);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_clear_error (&error);

  /* Like /tmp: the sticky bit keeps others from replacing our files. */
  g_assert_cmpint (g_chmod (dir, 01777), ==, 0);
  store = tf_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
}

static void
test_newer (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = tf_store_open (path, &error);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  g_clear_object (&store);
  raw_exec (path, "PRAGMA user_version = 99");
  before = file_sha256 (path);

  store = tf_store_open (path, &error);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NEWER);
  g_assert_nonnull (strstr (error->message, "newer version of Twofold"));
  g_assert_null (store);
  after = file_sha256 (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 99);
}

static void
test_migration (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "twofold", NULL);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autofree char *fixture = g_build_filename (TF_TEST_SRCDIR, "fixtures", "store-v1.sql", NULL);
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(TfVault) vault = tf_vault_new (key);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(TfUser) alice = NULL;
  TfThrottleState throttle;
  gint64 id;

  g_assert_true (g_file_get_contents (fixture, &sql, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  raw_exec (path, sql);
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 1);

  store = tf_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, 2);
  g_assert_cmpstr (tf_store_get_uuid (store), ==, "6f1d7c52-3e0a-4b8e-9a51-2c7d0e4f9b13");
  /* Migration 2's columns and table, with their defaults. */
  g_assert_cmpint (raw_int (path, "SELECT sum(failed_since_login) FROM users"), ==, 0);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM totp WHERE pending_secret IS NULL"), ==, 2);
  g_assert_cmpint (raw_int (path, "SELECT count(*) FROM mail_log"), ==, 0);

  users = tf_store_list_users (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 3);
  alice = tf_store_find_user (store, "alice", &error);
  g_assert_no_error (error);
  g_assert_cmpint (alice->id, ==, 1);
  g_assert_cmpstr (alice->first_name, ==, "Alice");
  g_assert_cmpstr (alice->email, ==, "alice@example.org");
  g_assert_cmpint (alice->state, ==, TF_USER_STATE_ACTIVE);
  g_assert_cmpint (alice->email_verified_at, ==, 1700000100);
  g_assert_cmpint (alice->last_login_at, ==, 1700000900);
  g_assert_cmpuint (alice->failed_since_login, ==, 0);
  g_assert_cmpuint (tf_store_count_recovery_codes (store, 1, &error), ==, 1);
  g_assert_true (tf_store_get_throttle (store, "user:bob", &throttle, &error));
  g_assert_cmpuint (throttle.failures, ==, 3);

  /* The migrated store works as any other. */
  g_assert_true (tf_store_is_new (store));
  g_assert_true (tf_store_attach_vault (store, vault, &error));
  g_assert_no_error (error);
  id = add_user (store, "dave");
  g_assert_cmpint (id, ==, 4);
  g_assert_true (tf_store_record_user_failure (store, 1, &error));
  g_assert_true (tf_store_check_integrity (store, &error));
  g_assert_no_error (error);

  /* Opening again migrates nothing more. */
  g_clear_object (&store);
  store = tf_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tf_store_count_users (store, &error), ==, 4);
}

static void
test_locked (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "store.db", NULL);
  g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (20);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = tf_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (tf_store_create_user (store, "alice", NULL, NULL, NULL, HASH_A, secret, NOW,
                                         &error), ==, 0);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (tf_store_append_audit (store, NOW, NULL, "event", NULL, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_false (tf_store_verify_audit (store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_null (tf_store_get_totp (store, 1, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_LOCKED);
}

static void
test_sealed_blob_moved (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) hash = NULL;
  gint64 alice = add_user (f->store, "alice");
  gint64 bob = add_user (f->store, "bob");

  g_assert_cmpint (alice, ==, 1);
  g_assert_cmpint (bob, ==, 2);
  hash = tf_store_get_password_hash (f->store, bob, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_secure_buffer_get_string (hash), ==, HASH_A);
  g_clear_pointer (&hash, tf_secure_buffer_unref);

  raw_exec (f->path, "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE id = 1)"
                     " WHERE id = 2;"
                     "UPDATE totp SET secret = (SELECT secret FROM totp WHERE user_id = 1)"
                     " WHERE user_id = 2;");
  hash = tf_store_get_password_hash (f->store, bob, &error);
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE);
  g_assert_null (hash);
  g_clear_error (&error);
  g_assert_null (tf_store_get_totp (f->store, bob, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE);
  g_clear_error (&error);

  /* The password hash sealed as a TOTP secret does not open either. */
  raw_exec (f->path, "UPDATE totp SET secret = (SELECT password_hash FROM users WHERE id = 1)"
                     " WHERE user_id = 1;");
  g_assert_null (tf_store_get_totp (f->store, alice, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE);
  g_clear_error (&error);

  hash = tf_store_get_password_hash (f->store, alice, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_secure_buffer_get_string (hash), ==, HASH_A);
}

static void
test_wrong_vault (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(TfSecureBuffer) other_key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  g_autoptr(TfVault) other = tf_vault_new (other_key);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;

  add_user (f->store, "alice");
  g_clear_object (&f->store);

  store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_false (tf_store_is_new (store));
  g_assert_false (tf_store_attach_vault (store, other, &error));
  g_assert_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE);
  g_clear_error (&error);
  /* Still locked: nothing can be read with no vault. */
  g_assert_null (tf_store_get_vault (store));
  g_assert_null (tf_store_get_password_hash (store, 1, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  g_assert_true (tf_store_attach_vault (store, f->vault, &error));
  g_assert_no_error (error);
}

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static char *
base32 (const guint8 *data,
        gsize         length)
{
  GString *out = g_string_new (NULL);
  guint buffer = 0, bits = 0;

  for (gsize i = 0; i < length; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          g_string_append_c (out, base32_alphabet[(buffer >> (bits - 5)) & 31]);
          bits -= 5;
        }
    }
  if (bits > 0)
    g_string_append_c (out, base32_alphabet[(buffer << (5 - bits)) & 31]);
  return g_string_free (out, FALSE);
}

static gboolean
files_contain (const char *path,
               gconstpointer needle,
               gsize        length)
{
  static const char *const suffixes[] = { "", "-wal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *contents = NULL;
      gsize size;

      if (g_file_get_contents (name, &contents, &size, NULL) &&
          memmem (contents, size, needle, length) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
assert_no_secrets (Fixture              *f,
                   const TfSecureBuffer *secret,
                   const TfSecureBuffer *pending)
{
  const TfSecureBuffer *secrets[] = { secret, pending };

  /* The search works: the username is there in clear. */
  g_assert_true (files_contain (f->path, "alice-the-user", strlen ("alice-the-user")));

  g_assert_false (files_contain (f->path, HASH_A, strlen (HASH_A)));
  g_assert_false (files_contain (f->path, "$argon2id$", strlen ("$argon2id$")));
  g_assert_false (files_contain (f->path, tf_secure_buffer_get_data (f->key), TF_VAULT_KEY_LENGTH));
  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    {
      TfSecureBuffer *s = (TfSecureBuffer *) secrets[i];
      g_autofree char *text = base32 (tf_secure_buffer_get_data (s), tf_secure_buffer_get_length (s));

      g_assert_false (files_contain (f->path, tf_secure_buffer_get_data (s), tf_secure_buffer_get_length (s)));
      g_assert_false (files_contain (f->path, text, strlen (text)));
      /* Not even a quarter of it. */
      g_assert_false (files_contain (f->path, tf_secure_buffer_get_data (s), 5));
    }
}

static void
test_no_secrets_on_disk (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (20);
  g_autoptr(TfSecureBuffer) pending = tf_secure_buffer_new_random (20);
  gint64 id;

  id = tf_store_create_user (f->store, "alice-the-user", "Alice", "Liddell", "alice@example.org",
                             HASH_A, secret, NOW, &error);
  g_assert_no_error (error);
  g_assert_true (tf_store_set_pending_totp (f->store, id, pending, &error));
  g_assert_true (tf_store_set_password_hash (f->store, id, HASH_A, &error));
  g_assert_no_error (error);

  /* In the WAL only, then checkpointed into the database, then closed. */
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM users"), ==, 1);
  assert_no_secrets (f, secret, pending);
  raw_exec (f->path, "PRAGMA wal_checkpoint(TRUNCATE)");
  assert_no_secrets (f, secret, pending);
  g_clear_object (&f->store);
  assert_no_secrets (f, secret, pending);
}

static void
test_integrity (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("user%u", i);

      add_user (f->store, name);
    }
  g_assert_true (tf_store_check_integrity (f->store, &error));
  g_assert_no_error (error);
}

/* A second TfStore on the same file in one process: both work, and
 * neither one's checks disturb the other's locks. */
static void
test_open_twice (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) second = NULL;
  g_autoptr(TfUser) user = NULL;
  gint64 id = add_user (f->store, "alice");

  second = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_store_get_uuid (second), ==, tf_store_get_uuid (f->store));
  g_assert_true (tf_store_attach_vault (second, f->vault, &error));
  g_assert_no_error (error);
  user = tf_store_get_user (second, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->username, ==, "alice");

  g_assert_true (tf_store_consume_totp_step (second, id, 10, 0, NOW, &error));
  g_assert_false (tf_store_consume_totp_step (f->store, id, 10, 0, NOW, &error));
  g_assert_no_error (error);
  add_user (second, "bob");
  g_clear_object (&second);
  g_assert_cmpuint (tf_store_count_users (f->store, &error), ==, 2);

  /* Closed again: a third open takes the full checks. */
  second = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&f->store);
  g_assert_true (tf_store_check_integrity (second, &error));
  g_assert_no_error (error);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_open_async (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "twofold", NULL);
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;

  tf_store_open_async (path, NULL, on_opened, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  store = tf_store_open_finish (result, &error);
  g_assert_no_error (error);
  g_assert_true (TF_IS_STORE (store));
  g_assert_true (tf_store_is_new (store));
  g_clear_object (&result);

  /* Errors come back the same way. */
  g_clear_object (&store);
  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  tf_store_open_async (path, NULL, on_opened, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (tf_store_open_finish (result, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION);
  g_assert_cmpint (g_chmod (dir, 0700), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/store/create-and-reopen", test_create_and_reopen);
  g_test_add_func ("/twofold/store/permissions", test_permissions);
  g_test_add_func ("/twofold/store/symlink-file", test_symlink_file);
  g_test_add_func ("/twofold/store/symlink-dir", test_symlink_dir);
  g_test_add_func ("/twofold/store/world-writable-dir", test_world_writable_dir);
  g_test_add_func ("/twofold/store/newer", test_newer);
  g_test_add_func ("/twofold/store/migration", test_migration);
  g_test_add_func ("/twofold/store/locked", test_locked);
  g_test_add_func ("/twofold/store/open-async", test_open_async);
#define ADD(path, func) \
  g_test_add ("/twofold/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("sealed-blob-moved", test_sealed_blob_moved);
  ADD ("wrong-vault", test_wrong_vault);
  ADD ("no-secrets-on-disk", test_no_secrets_on_disk);
  ADD ("integrity", test_integrity);
  ADD ("open-twice", test_open_twice);
#undef ADD

  return g_test_run ();
}
