/* test-store-util.c */
#include "test-store-util.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_build_filename (g_get_user_data_dir (), "twofold", NULL);
  f->path = g_build_filename (f->dir, "store.db", NULL);
  f->key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  f->vault = tf_vault_new (f->key);
  f->store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tf_store_attach_vault (f->store, f->vault, &error));
  g_assert_no_error (error);
}

void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->vault);
  g_clear_pointer (&f->key, tf_secure_buffer_unref);
  g_free (f->path);
  g_free (f->dir);
}

void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

gint64
raw_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

char *
file_sha256 (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
}

guint
file_mode (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

gint64
add_user (TfStore    *store,
          const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (20);
  gint64 id = tf_store_create_user (store, name, "First", "Last", "someone@example.org",
                                    HASH_A, secret, NOW, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

gboolean
user_exists (TfStore *store,
             gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfUser) user = tf_store_get_user (store, id, &error);

  if (user == NULL)
    g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
  return user != NULL;
}
