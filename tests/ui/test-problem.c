/* test-problem.c — what the window says when the accounts cannot be used:
 * keyring unavailable, key missing, secrets unreadable, damaged store, store
 * from a newer Twofold, opening cancelled — and that nothing is changed. */
#include "tf-ui-test.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tf-loading-page.h"
#include "tf-login-page.h"
#include "tf-problem-page.h"
#include "tf-vault.h"

static TfProblemPage *
open_window (TfUiFixture *fixture)
{
  TfWindow *window = tf_window_new (NULL, fixture->settings, NULL);

  tf_ui_fixture_present (fixture, window);
  tf_ui_wait_for_page (window, "problem");

  return TF_PROBLEM_PAGE (tf_window_get_page (window, "problem"));
}

static char *
write_file (TfUiFixture *fixture,
            const char  *name,
            const char  *contents)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_chmod (path, 0600);

  return path;
}

static void
test_damaged (TfUiFixture   *fixture,
              gconstpointer  data)
{
  const char *garbage = "this is not an SQLite database, just some bytes";
  g_autofree char *path = write_file (fixture, "damaged.db", garbage);
  g_autofree char *after = NULL;
  TfProblemPage *page;

  g_settings_set_string (fixture->settings, "store-path", path);
  page = open_window (fixture);

  g_assert_cmpint (tf_problem_page_get_kind (page), ==, TF_PROBLEM_DAMAGED);
  g_assert_cmpstr (tf_problem_page_get_title (page), ==, "Account Store Damaged");
  g_assert_nonnull (strstr (tf_problem_page_get_description (page), path));
  g_assert_nonnull (strstr (tf_problem_page_get_description (page), "left it exactly as it is"));
  g_assert_false (tf_problem_page_get_can_retry (page));

  /* Kept aside, byte for byte. */
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, garbage);
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
}

/* Spoils a table leaf page from the middle of the store (account rows);
 * the header and the meta table stay readable, so only quick_check tells. */
static void
corrupt_page (const char *path)
{
  g_autofree guint8 *contents = NULL;
  gsize length;
  guint page_size, n_pages, target = 0;

  g_assert_true (g_file_get_contents (path, (char **) &contents, &length, NULL));
  page_size = (guint) contents[16] << 8 | contents[17];
  n_pages = length / page_size;
  g_assert_cmpuint (n_pages, >, 20);
  for (guint p = n_pages / 2; p < n_pages && target == 0; p++)
    if (contents[(gsize) p * page_size] == 13 &&
        ((guint) contents[(gsize) p * page_size + 3] << 8 | contents[(gsize) p * page_size + 4]) > 4)
      target = p;
  g_assert_cmpuint (target, >, 0);
  /* The cell pointer array, up to the middle of the page, pointing nowhere. */
  memset (contents + (gsize) target * page_size + 8, 0xff, page_size / 2 - 8);
  g_assert_true (g_file_set_contents (path, (const char *) contents, length, NULL));
  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
}

typedef struct {
  GPtrArray *pages;      /* every page shown, in order */
  gboolean   submitted;  /* the Log In form was sent to the service */
  GWeakRef   store;      /* the window's store, to wait for its end */
} PageLog;

/* Records the pages shown; the moment the Log In page appears, logs in. */
static void
on_visible_page (TfWindow   *window,
                 GParamSpec *pspec,
                 PageLog    *log)
{
  const char *page = tf_window_get_visible_page (window);
  GtkWidget *login = tf_window_get_page (window, "login");

  g_ptr_array_add (log->pages, g_strdup (page));
  if (g_strcmp0 (page, "login") != 0 || log->submitted)
    return;

  g_weak_ref_set (&log->store, tf_auth_get_store (tf_window_get_auth (window)));
  tf_ui_set_text (login, "Username", "user-0042");
  tf_ui_set_text (login, "Password", TF_UI_PASSWORD);
  tf_ui_set_text (login, "Code", "123456");
  log->submitted = gtk_widget_activate_action (login, "login.submit", NULL) &&
                   tf_login_page_get_busy (TF_LOGIN_PAGE (login));
}

static gboolean
store_gone (gpointer user_data)
{
  g_autoptr(GObject) store = g_weak_ref_get (user_data);

  return store == NULL;
}

static gboolean
page_log_has (PageLog    *log,
              const char *page)
{
  for (guint i = 0; i < log->pages->len; i++)
    if (g_strcmp0 (g_ptr_array_index (log->pages, i), page) == 0)
      return TRUE;
  return FALSE;
}

/* Damage only quick_check finds is found after the Log In page is up (the
 * check no longer delays it): the window then switches to the problem
 * page, and a log-in sent at once never reached the store — it waited for
 * the check and failed with it. Not a byte of the file changed. */
static gboolean
window_has_no_auth (gpointer user_data)
{
  return tf_window_get_auth (TF_WINDOW (user_data)) == NULL;
}

static void
test_damaged_after_login_page (TfUiFixture   *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (20);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *wal = g_strconcat (fixture->store_path, "-wal", NULL);
  PageLog log = { g_ptr_array_new_with_free_func (g_free), FALSE, { { NULL } } };
  TfStore *store = tf_auth_get_store (fixture->auth);
  TfWindow *window;
  GtkWidget *login;
  TfProblemPage *page;

  /* Enough accounts for a table page of their own, written straight into
   * the store (no Argon2id: nobody logs in with them). */
  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("user-%04u", i);

      g_assert_cmpint (tf_store_create_user (store, name, "Some", "One", "one@example.org",
                                             "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA",
                                             secret, TF_UI_START, &error), >, 0);
    }
  g_clear_object (&fixture->auth);
  corrupt_page (fixture->store_path);
  before = file_checksum (fixture->store_path);

  window = tf_window_new (NULL, fixture->settings, NULL);
  login = tf_window_get_page (window, "login");
  page = TF_PROBLEM_PAGE (tf_window_get_page (window, "problem"));
  g_signal_connect (window, "notify::visible-page", G_CALLBACK (on_visible_page), &log);
  tf_ui_fixture_present (fixture, window);
  tf_ui_wait_for_page (window, "problem");
  tf_ui_wait_for_boolean (login, "busy", FALSE);

  g_assert_true (page_log_has (&log, "login"));
  g_assert_cmpstr (g_ptr_array_index (log.pages, log.pages->len - 1), ==, "problem");
  g_assert_true (log.submitted);
  g_assert_cmpint (tf_problem_page_get_kind (page), ==, TF_PROBLEM_DAMAGED);
  g_assert_nonnull (strstr (tf_problem_page_get_description (page), fixture->store_path));
  g_assert_false (tf_problem_page_get_can_retry (page));
  g_assert_null (tf_window_get_session (window));
  /* The window lets go of the service once it has the verdict, which it
   * asks for after its first frame. */
  tf_ui_wait_for (window_has_no_auth, window, "the window to drop the service");

  g_signal_handlers_disconnect_by_func (window, on_visible_page, &log);
  fixture->window = NULL;
  tf_ui_destroy_window (GTK_WINDOW (window));
  /* Closed (the check's thread lets go of it just after the verdict). */
  tf_ui_wait_for (store_gone, &log.store, "the store to be closed");
  g_weak_ref_clear (&log.store);
  after = file_checksum (fixture->store_path);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_ptr_array_unref (log.pages);
}

static int
user_version (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return version;
}

static void
test_newer (TfUiFixture   *fixture,
            gconstpointer  data)
{
  sqlite3 *db = NULL;
  TfProblemPage *page;

  /* The fixture's store, as a future Twofold would leave it. */
  g_clear_object (&fixture->auth);
  g_assert_cmpint (sqlite3_open (fixture->store_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  page = open_window (fixture);
  g_assert_cmpint (tf_problem_page_get_kind (page), ==, TF_PROBLEM_NEWER);
  g_assert_cmpstr (tf_problem_page_get_title (page), ==, "Update Twofold");
  g_assert_nonnull (strstr (tf_problem_page_get_description (page), "newer version"));
  g_assert_false (tf_problem_page_get_can_retry (page));
  g_assert_cmpint (user_version (fixture->store_path), ==, 99);
}

static void
test_unreadable (TfUiFixture   *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfAuth) other = NULL;
  g_autofree char *other_store = g_build_filename (fixture->dir, "other", "twofold.db", NULL);
  g_autofree char *other_key = g_build_filename (fixture->dir, "other.key", NULL);
  TfProblemPage *page;

  /* A valid key — of another store. */
  other = tf_auth_open (other_store, other_key, NULL, NULL, TRUE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&other);

  g_settings_set_string (fixture->settings, "key-file", other_key);
  page = open_window (fixture);
  g_assert_cmpint (tf_problem_page_get_kind (page), ==, TF_PROBLEM_UNREADABLE);
  g_assert_cmpstr (tf_problem_page_get_title (page), ==, "Secrets Unreadable");
  g_assert_true (tf_problem_page_get_can_retry (page));

  /* The right key back in place, Retry opens the accounts. */
  g_settings_set_string (fixture->settings, "key-file", fixture->key_path);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.retry", NULL));
  tf_ui_wait_for_page (fixture->window, "login");
  g_assert_nonnull (tf_window_get_auth (fixture->window));
}

static void
test_key_missing (TfUiFixture   *fixture,
                  gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "nowhere.key", NULL);
  TfProblemPage *page;

  g_settings_set_string (fixture->settings, "key-file", missing);
  page = open_window (fixture);
  g_assert_cmpint (tf_problem_page_get_kind (page), ==, TF_PROBLEM_KEYRING);
  g_assert_cmpstr (tf_problem_page_get_title (page), ==, "Key Not Found");
  /* Never a new key over existing data. */
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
}

static void
test_keyring_unavailable (TfUiFixture   *fixture,
                          gconstpointer  data)
{
  TfProblemPage *page;

  /* The test session's bus has no Secret Service. */
  g_settings_set_string (fixture->settings, "key-file", "");
  page = open_window (fixture);
  g_assert_cmpint (tf_problem_page_get_kind (page), ==, TF_PROBLEM_KEYRING);
  g_assert_true (tf_problem_page_get_can_retry (page));
  g_assert_true (GTK_IS_BUTTON (tf_ui_find (GTK_WIDGET (page), "Retry")));

  /* Retry goes through the loading page again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.retry", NULL));
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "loading");
  tf_ui_wait_for_page (fixture->window, "problem");
  g_assert_cmpint (tf_problem_page_get_kind (page), ==, TF_PROBLEM_KEYRING);
}

static void
test_cancelled (TfUiFixture   *fixture,
                gconstpointer  data)
{
  TfWindow *window = tf_window_new (NULL, fixture->settings, NULL);
  TfProblemPage *page = TF_PROBLEM_PAGE (tf_window_get_page (window, "problem"));

  tf_ui_fixture_present (fixture, window);
  g_assert_cmpstr (tf_window_get_visible_page (window), ==, "loading");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.cancel-open", NULL));
  tf_ui_wait_for_page (window, "problem");
  g_assert_cmpstr (tf_problem_page_get_title (page), ==, "Opening Cancelled");
  g_assert_true (tf_problem_page_get_can_retry (page));
}

/* The store opened while GTK started (the application's prefetch): the
 * window's first page is Log In, with no loading page made for nothing;
 * and a damaged store found that way still gets the problem page. */
static void
test_opened_early (TfUiFixture   *fixture,
                   gconstpointer  data)
{
  g_autofree char *issuer = tf_settings_dup_issuer (fixture->settings);
  g_autofree char *bad_store = NULL;
  TfWindow *window;
  GtkWidget *stack;

  tf_auth_open_prefetch (fixture->store_path, fixture->key_path, issuer, NULL, TRUE,
                         TF_WINDOW_OPEN_TIMEOUT_MS);
  g_assert_true (tf_auth_open_prefetch_wait (TF_UI_TIMEOUT_MS));
  window = tf_window_new (NULL, fixture->settings, NULL);
  stack = tf_ui_find_type (GTK_WIDGET (window), GTK_TYPE_STACK);

  /* At once, before the main loop runs. */
  g_assert_cmpstr (tf_window_get_visible_page (window), ==, "login");
  g_assert_null (gtk_stack_get_child_by_name (GTK_STACK (stack), "loading"));
  g_assert_nonnull (tf_window_get_auth (window));
  tf_ui_fixture_present (fixture, window);
  tf_ui_wait_for_page (window, "login");
  tf_ui_destroy_window (GTK_WINDOW (window));
  fixture->window = NULL;

  /* A prefetch that failed says why as soon: here, a store whose folder
   * is a file. */
  bad_store = g_build_filename (fixture->key_path, "twofold.db", NULL);
  g_settings_set_string (fixture->settings, "store-path", bad_store);
  tf_auth_open_prefetch (bad_store, fixture->key_path, issuer, NULL, TRUE,
                         TF_WINDOW_OPEN_TIMEOUT_MS);
  g_assert_true (tf_auth_open_prefetch_wait (TF_UI_TIMEOUT_MS));
  window = tf_window_new (NULL, fixture->settings, NULL);
  g_assert_cmpstr (tf_window_get_visible_page (window), ==, "problem");
  g_assert_null (tf_window_get_auth (window));
  tf_ui_fixture_present (fixture, window);
}

static void
test_loading_page (TfUiFixture   *fixture,
                   gconstpointer  data)
{
  TfLoadingPage *page = g_object_ref_sink (g_object_new (TF_TYPE_LOADING_PAGE, NULL));
  GtkWidget *window = gtk_window_new ();
  GtkWidget *cancel;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_null (tf_ui_lookup (GTK_WIDGET (page), "Cancel"));

  tf_loading_page_set_waiting (page, TRUE, "Waiting for the keyring…");
  g_assert_cmpstr (tf_loading_page_get_message (page), ==, "Waiting for the keyring…");
  cancel = tf_ui_find (GTK_WIDGET (page), "Cancel");
  g_assert_true (GTK_IS_BUTTON (cancel));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (cancel)), ==, "win.cancel-open");

  tf_loading_page_set_waiting (page, FALSE, NULL);
  g_assert_null (tf_ui_lookup (GTK_WIDGET (page), "Cancel"));

  tf_ui_destroy_window (GTK_WINDOW (window));
  g_object_unref (page);
}

static void
test_problem_during_session (TfUiFixture   *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = g_error_new_literal (TF_VAULT_ERROR, TF_VAULT_ERROR_UNREADABLE,
                                                 "A sealed value did not open.");
  GtkWidget *login = tf_window_get_page (fixture->window, "login");
  TfProblemPage *page = TF_PROBLEM_PAGE (tf_window_get_page (fixture->window, "problem"));

  tf_ui_set_text (login, "Username", "ada");
  g_signal_emit_by_name (login, "problem", error);
  tf_ui_wait_for_page (fixture->window, "problem");
  g_assert_cmpint (tf_problem_page_get_kind (page), ==, TF_PROBLEM_UNREADABLE);
  /* Whatever was typed is gone. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (tf_ui_find (login, "Username"))), ==, "");
}

static void
test_other_error (TfUiFixture   *fixture,
                  gconstpointer  data)
{
  TfProblemPage *page = g_object_ref_sink (g_object_new (TF_TYPE_PROBLEM_PAGE, NULL));
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                                 "Permission denied");

  g_assert_false (tf_problem_page_handles (error));
  tf_problem_page_set_error (page, error, "/srv/twofold/twofold.db");
  g_assert_cmpint (tf_problem_page_get_kind (page), ==, TF_PROBLEM_OTHER);
  g_assert_nonnull (strstr (tf_problem_page_get_description (page), "/srv/twofold/twofold.db"));
  g_assert_true (tf_problem_page_get_can_retry (page));
  g_object_unref (page);
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

#define ADD(path, func, setup) \
  g_test_add ("/twofold/ui/problem/" path, TfUiFixture, NULL, setup, func, tf_ui_fixture_teardown)

  ADD ("damaged", test_damaged, tf_ui_fixture_setup_auth);
  ADD ("damaged-after-login-page", test_damaged_after_login_page, tf_ui_fixture_setup_auth);
  ADD ("newer", test_newer, tf_ui_fixture_setup_auth);
  ADD ("unreadable", test_unreadable, tf_ui_fixture_setup_auth);
  ADD ("key-missing", test_key_missing, tf_ui_fixture_setup_auth);
  ADD ("keyring-unavailable", test_keyring_unavailable, tf_ui_fixture_setup_auth);
  ADD ("cancelled", test_cancelled, tf_ui_fixture_setup_auth);
  ADD ("opened-early", test_opened_early, tf_ui_fixture_setup_auth);
  ADD ("loading-page", test_loading_page, tf_ui_fixture_setup_auth);
  ADD ("during-session", test_problem_during_session, tf_ui_fixture_setup);
  ADD ("other-error", test_other_error, tf_ui_fixture_setup_auth);

  return g_test_run ();
}
