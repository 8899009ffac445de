/* test-store-damage.c — a damaged store is reported, never repaired or
 * replaced: the file keeps every byte and nothing appears beside it. */
#include "tf-core.h"
#include "tf-store.h"
#include "tf-store-private.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

typedef struct {
  char           *dir;
  char           *path;
  TfSecureBuffer *key;   /* the key make_store () used */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = g_build_filename (g_get_user_data_dir (), "twofold", NULL);
  f->path = g_build_filename (f->dir, "store.db", NULL);
  g_assert_cmpint (g_mkdir_with_parents (f->dir, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->key, tf_secure_buffer_unref);
  g_free (f->path);
  g_free (f->dir);
}

/* A closed store holding @n_users users. */
static void
make_store (Fixture *f,
            guint    n_users)
{
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (20);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = tf_store_open (f->path, &error);

  g_assert_no_error (error);
  g_clear_pointer (&f->key, tf_secure_buffer_unref);
  f->key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  vault = tf_vault_new (f->key);
  g_assert_true (tf_store_attach_vault (store, vault, &error));
  for (guint i = 0; i < n_users; i++)
    {
      g_autofree char *name = g_strdup_printf ("user-%04u", i);

      g_assert_cmpint (tf_store_create_user (store, name, "Some", "One", "one@example.org",
                                             "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
                                             secret, 1700000000, &error), >, 0);
    }
  g_assert_no_error (error);
}

static char *
describe_dir (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *contents = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *joined = NULL;
  gsize length;
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_ascii_strcasecmp);
  g_ptr_array_add (names, NULL);

  g_assert_true (g_file_get_contents (f->path, &contents, &length, NULL));
  sum = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
  joined = g_strjoinv (" ", (char **) names->pdata);
  return g_strdup_printf ("%s [%s]", sum, joined);
}

static void
assert_damaged_and_untouched (Fixture *f)
{
  g_autofree char *before = describe_dir (f);
  g_autofree char *after = NULL;

  for (guint attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TfStore) store = tf_store_open (f->path, &error);

      g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
      g_assert_null (store);
      /* The message says where and what to do. */
      g_assert_nonnull (strstr (error->message, f->path));
      g_assert_nonnull (strstr (error->message, "backup"));
    }

  after = describe_dir (f);
  g_assert_cmpstr (before, ==, after);
}

static void
overwrite (const char   *path,
           goffset       offset,
           const guint8 *bytes,
           gsize         length)
{
  int fd = open (path, O_WRONLY);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, bytes, length, offset), ==, (gssize) length);
  g_assert_cmpint (close (fd), ==, 0);
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_size;
}

static void
test_zero_length (Fixture       *f,
                  gconstpointer  data)
{
  g_assert_true (g_file_set_contents (f->path, "", 0, NULL));
  g_assert_cmpint (g_chmod (f->path, 0600), ==, 0);
  assert_damaged_and_untouched (f);
  g_assert_cmpint (file_size (f->path), ==, 0);
}

static void
test_header (Fixture       *f,
             gconstpointer  data)
{
  guint8 noise[100];

  make_store (f, 5);
  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) g_random_int ();
  overwrite (f->path, 0, noise, sizeof noise);
  assert_damaged_and_untouched (f);
}

static guint
read_be16 (const guint8 *p)
{
  return (guint) p[0] << 8 | p[1];
}

/* Spoils a table leaf page from the middle of the file (account rows),
 * leaving the header and the meta table readable. */
static void
corrupt_page (Fixture *f)
{
  g_autofree guint8 *contents = NULL;
  g_autofree guint8 *garbage = NULL;
  gsize length;
  guint page_size, n_pages, target = 0;

  g_assert_true (g_file_get_contents (f->path, (char **) &contents, &length, NULL));
  page_size = read_be16 (contents + 16);
  n_pages = length / page_size;
  g_assert_cmpuint (n_pages, >, 20);

  /* A table leaf page (type 13) from the middle of the file. */
  for (guint p = n_pages / 2; p < n_pages && target == 0; p++)
    if (contents[(gsize) p * page_size] == 13 && read_be16 (contents + (gsize) p * page_size + 3) > 4)
      target = p;
  g_assert_cmpuint (target, >, 0);

  /* Its cell pointer array, up to the middle of the page, pointing
   * nowhere. */
  garbage = g_malloc (page_size / 2 - 8);
  memset (garbage, 0xff, page_size / 2 - 8);
  overwrite (f->path, (goffset) target * page_size + 8, garbage, page_size / 2 - 8);
}

static void
test_corrupt_page (Fixture       *f,
                   gconstpointer  data)
{
  make_store (f, 300);
  corrupt_page (f);
  assert_damaged_and_untouched (f);
}

static void
on_finalized (gpointer data)
{
  g_atomic_int_set ((gint *) data, TRUE);
}

/* Drops the last reference the test holds and waits until the store is
 * gone: the check's thread lets go of its own just after the verdict, and
 * may finalize the store there. Not a weak reference, whose notice comes
 * at dispose, before finalize has closed the connection (and SQLite
 * removed the -wal and -shm files): the object's data goes last. */
static void
close_store (TfStore **store)
{
  gint gone = FALSE;

  g_object_set_data_full (G_OBJECT (*store), "test-store-damage-gone", &gone, on_finalized);
  g_clear_object (store);
  for (guint i = 0; i < 60000 && !g_atomic_int_get (&gone); i++)
    g_usleep (1000);
  g_assert_true (g_atomic_int_get (&gone));
}

/* A store of @accounts accounts opened as the GUI opens it, key attached,
 * its check not started. */
static TfStore *
open_deferred (Fixture *f,
               guint    accounts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfVault) vault = NULL;
  TfStore *store;

  make_store (f, accounts);
  vault = tf_vault_new (f->key);
  store = tf_store_open_full (f->path, TF_STORE_OPEN_DEFER_CHECK, &error);
  g_assert_no_error (error);
  g_assert_true (tf_store_attach_vault (store, vault, &error));
  g_assert_no_error (error);
  return store;
}

/* The GUI's open (TF_STORE_OPEN_DEFER_CHECK): the store opens and takes
 * its key with only the meta table readable; the check, once started,
 * finds the damage, and from then on every call fails with it — none
 * reads an account or writes a byte. */
static void
test_deferred_damage (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (20);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  make_store (f, 300);
  corrupt_page (f);
  before = describe_dir (f);
  vault = tf_vault_new (f->key);

  store = tf_store_open_full (f->path, TF_STORE_OPEN_DEFER_CHECK, &error);
  g_assert_no_error (error);
  g_assert_false (tf_store_is_new (store));
  g_assert_true (tf_store_attach_vault (store, vault, &error));
  g_assert_no_error (error);

  /* Not checked yet: accounts cannot be reached. */
  user = tf_store_find_user (store, "user-0001", &error);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_LOCKED);
  g_assert_null (user);
  g_clear_error (&error);

  tf_store_start_check (store);
  /* A call made now waits for the verdict and shares it. */
  user = tf_store_find_user (store, "user-0001", &error);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_assert_null (user);
  g_clear_error (&error);
  g_assert_false (tf_store_check (store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);
  g_assert_cmpint (tf_store_create_user (store, "newcomer", NULL, NULL, NULL,
                                         "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
                                         secret, 1700000000, &error), ==, 0);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_clear_error (&error);
  g_assert_false (tf_store_check_integrity (store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_clear_error (&error);

  close_store (&store);
  after = describe_dir (f);
  g_assert_cmpstr (before, ==, after);
}

/* A sound store opened the same way works as usual once checked. */
static void
test_deferred_sound (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = open_deferred (f, 5);
  g_autoptr(TfUser) user = NULL;

  g_assert_null (tf_store_find_user (store, "user-0003", &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_LOCKED);
  g_clear_error (&error);

  tf_store_start_check (store);
  user = tf_store_find_user (store, "user-0003", &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_true (tf_store_check (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tf_store_count_users (store, &error), ==, 5);
}

/* Drops the test's reference and waits (at most 3 s, less than the 5 s
 * the check's thread is held back when nobody asks) for the last one to go. */
static void
release_and_wait_gone (TfStore *store)
{
  gpointer weak = store;

  g_object_add_weak_pointer (G_OBJECT (store), &weak);
  g_object_unref (store);
  for (guint i = 0; i < 300 && g_atomic_pointer_get (&weak) != NULL; i++)
    g_usleep (10 * 1000);
  g_assert_null (g_atomic_pointer_get (&weak));
}

/* The check's thread waits until the verdict is asked for (the GUI asks
 * once its window is up), then checks, and lets go of the store. */
static void
test_deferred_held (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TfStore *store = open_deferred (f, 5);

  tf_store_start_check (store);
  g_usleep (100 * 1000);
  g_assert_cmpint (store->check_state, ==, TF_STORE_CHECK_RUNNING);
  g_assert_true (tf_store_check (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store->check_state, ==, TF_STORE_CHECK_PASSED);

  release_and_wait_gone (store);
}

/* A store call that runs the check itself frees the waiting thread at
 * once: the store closes when its last user lets go. */
static void
test_deferred_run_by_call (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfUser) user = NULL;
  TfStore *store = open_deferred (f, 5);

  tf_store_start_check (store);
  user = tf_store_find_user (store, "user-0003", &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_cmpint (store->check_state, ==, TF_STORE_CHECK_PASSED);

  release_and_wait_gone (store);
}

static void
test_truncated (Fixture       *f,
                gconstpointer  data)
{
  guint8 header[100];
  goffset page_size;
  int fd;

  make_store (f, 200);
  fd = open (f->path, O_RDONLY);
  g_assert_cmpint (pread (fd, header, sizeof header, 0), ==, sizeof header);
  close (fd);
  page_size = read_be16 (header + 16);
  /* Half, on a page boundary: only the page count in the header tells. */
  g_assert_cmpint (truncate (f->path, file_size (f->path) / 2 / page_size * page_size), ==, 0);
  assert_damaged_and_untouched (f);
}

static void
test_truncated_odd (Fixture       *f,
                    gconstpointer  data)
{
  make_store (f, 200);
  g_assert_cmpint (truncate (f->path, file_size (f->path) / 2 + 100), ==, 0);
  assert_damaged_and_untouched (f);
}

static void
test_not_a_store (Fixture       *f,
                  gconstpointer  data)
{
  sqlite3 *db = NULL;

  /* A healthy database, but not one Twofold made. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE notes (text TEXT);"
                                     "INSERT INTO notes VALUES ('mine');", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  assert_damaged_and_untouched (f);
}

static void
test_text_file (Fixture       *f,
                gconstpointer  data)
{
  g_assert_true (g_file_set_contents (f->path, "not a database at all\n", -1, NULL));
  assert_damaged_and_untouched (f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

#define ADD(path, func) \
  g_test_add ("/twofold/store/damage/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("zero-length", test_zero_length);
  ADD ("header", test_header);
  ADD ("corrupt-page", test_corrupt_page);
  ADD ("deferred-check-damage", test_deferred_damage);
  ADD ("deferred-check-sound", test_deferred_sound);
  ADD ("deferred-check-held", test_deferred_held);
  ADD ("deferred-check-run-by-call", test_deferred_run_by_call);
  ADD ("truncated", test_truncated);
  ADD ("truncated-odd", test_truncated_odd);
  ADD ("not-a-store", test_not_a_store);
  ADD ("text-file", test_text_file);
#undef ADD

  return g_test_run ();
}
