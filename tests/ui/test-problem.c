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
  ADD ("newer", test_newer, tf_ui_fixture_setup_auth);
  ADD ("unreadable", test_unreadable, tf_ui_fixture_setup_auth);
  ADD ("key-missing", test_key_missing, tf_ui_fixture_setup_auth);
  ADD ("keyring-unavailable", test_keyring_unavailable, tf_ui_fixture_setup_auth);
  ADD ("cancelled", test_cancelled, tf_ui_fixture_setup_auth);
  ADD ("loading-page", test_loading_page, tf_ui_fixture_setup_auth);
  ADD ("during-session", test_problem_during_session, tf_ui_fixture_setup);
  ADD ("other-error", test_other_error, tf_ui_fixture_setup_auth);

  return g_test_run ();
}
