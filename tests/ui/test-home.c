/* test-home.c — the home page and the account actions behind it: greeting,
 * last login and failed attempts, recovery codes left, change password,
 * new recovery codes, re-enrolment, and logging out. */
#include "tf-ui-test.h"

#include "tf-change-password-page.h"
#include "tf-confirm-page.h"
#include "tf-enrol-page.h"
#include "tf-home-page.h"
#include "tf-login-page.h"
#include "tf-recovery-codes-page.h"

#define NEW_PASSWORD "difference engine brass gears"

typedef struct {
  TfUiFixture  base;
  gint64       user_id;
  GPtrArray   *codes;
  TfHomePage  *home;
} HomeFixture;

static void
home_setup (HomeFixture   *fixture,
            gconstpointer  data)
{
  tf_ui_fixture_setup (&fixture->base, data);
  fixture->user_id = tf_ui_make_active_user (&fixture->base, "ada", "Ada", &fixture->codes);
  fixture->home = TF_HOME_PAGE (tf_window_get_page (fixture->base.window, "home"));
}

static void
home_teardown (HomeFixture   *fixture,
               gconstpointer  data)
{
  g_clear_pointer (&fixture->codes, g_ptr_array_unref);
  tf_ui_fixture_teardown (&fixture->base, data);
}

/* Logs in with the current code and moves the clock to the next step. */
static void
log_in (HomeFixture *fixture,
        const char  *password)
{
  g_autofree char *code = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);

  tf_ui_log_in (&fixture->base, "ada", password, code);
  tf_ui_wait_for_page (fixture->base.window, "home");
  fixture->base.now += 30;
}

static void
activate (HomeFixture *fixture,
          const char  *action)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), action, NULL));
}

static void
test_first_login (HomeFixture   *fixture,
                  gconstpointer  data)
{
  log_in (fixture, TF_UI_PASSWORD);

  g_assert_cmpstr (tf_home_page_get_welcome_text (fixture->home), ==, "Welcome, Ada");
  /* The full name, as C_("full name", "%1$s %2$s") puts it. */
  g_assert_cmpstr (adw_avatar_get_text (ADW_AVATAR (tf_ui_find_type (GTK_WIDGET (fixture->home),
                                                                      ADW_TYPE_AVATAR))),
                   ==, "Ada Lovelace");
  g_assert_cmpstr (tf_home_page_get_last_login_text (fixture->home), ==,
                   "This is your first login");
  g_assert_cmpstr (tf_home_page_get_failed_text (fixture->home), ==, "None");
  g_assert_cmpstr (tf_home_page_get_codes_left_text (fixture->home), ==, "10 of 10 left");
  g_assert_false (tf_home_page_get_codes_warning (fixture->home));
  g_assert_true (GTK_IS_BUTTON (tf_ui_find (GTK_WIDGET (fixture->home), "Log Out")));
}

static void
test_failed_attempts_since (HomeFixture   *fixture,
                            gconstpointer  data)
{
  g_autofree char *expected = NULL;
  gint64 first_login;

  log_in (fixture, TF_UI_PASSWORD);
  first_login = fixture->base.now - 30;
  activate (fixture, "win.log-out");

  tf_ui_log_in (&fixture->base, "ada", "not my password", "123456");
  tf_ui_log_in (&fixture->base, "ada", "still not my password", "123456");
  fixture->base.now += 60;
  log_in (fixture, TF_UI_PASSWORD);

  g_assert_true (g_str_has_prefix (tf_home_page_get_failed_text (fixture->home),
                                   "2 failed attempts."));
  {
    g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (first_login);

    expected = g_date_time_format (when, "%H:%M");
  }
  g_assert_true (g_str_has_suffix (tf_home_page_get_last_login_text (fixture->home), expected));
}

static void
test_codes_left_warning (HomeFixture   *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Seven codes used elsewhere; the eighth through the window. */
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(TfLoginResult) result =
        tf_auth_login (fixture->base.auth, "ada", TF_UI_PASSWORD,
                       tf_secure_buffer_get_string (g_ptr_array_index (fixture->codes, i)), &error);

      g_assert_no_error (error);
      g_assert_nonnull (result);
    }
  tf_ui_log_in (&fixture->base, "ada", TF_UI_PASSWORD,
                tf_secure_buffer_get_string (g_ptr_array_index (fixture->codes, 7)));
  tf_ui_wait_for_page (fixture->base.window, "home");

  g_assert_true (tf_home_page_get_codes_warning (fixture->home));
  g_assert_cmpstr (tf_home_page_get_codes_left_text (fixture->home), ==,
                   "Only 2 left. Generate new codes soon.");
}

static void
test_log_out_clears (HomeFixture   *fixture,
                     gconstpointer  data)
{
  GtkWidget *login = tf_window_get_page (fixture->base.window, "login");
  GtkWidget *change = tf_window_get_page (fixture->base.window, "change-password");

  log_in (fixture, TF_UI_PASSWORD);
  activate (fixture, "win.change-password");
  tf_ui_wait_for_page (fixture->base.window, "change-password");
  tf_ui_set_text (change, "Current password", TF_UI_PASSWORD);
  tf_ui_set_text (change, "New password", NEW_PASSWORD);

  activate (fixture, "win.log-out");
  tf_ui_wait_for_page (fixture->base.window, "login");

  g_assert_null (tf_window_get_session (fixture->base.window));
  g_assert_cmpstr (tf_window_get_last_toast (fixture->base.window), ==, "Logged out");
  g_assert_cmpstr (tf_ui_get_text (login, "Username"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (login, "Password"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (login, "Code"), ==, "");
  g_assert_cmpstr (tf_home_page_get_welcome_text (fixture->home), ==, "");
  gtk_widget_set_child_visible (change, TRUE);
  g_assert_cmpstr (tf_ui_get_text (change, "Current password"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (change, "New password"), ==, "");
  gtk_widget_set_child_visible (change, FALSE);

  /* Account actions need a session. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.change-password", NULL);
  tf_ui_run_for (50);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->base.window), ==, "login");
}

static void
test_change_password (HomeFixture   *fixture,
                      gconstpointer  data)
{
  GtkWidget *page = tf_window_get_page (fixture->base.window, "change-password");
  TfChangePasswordPage *change = TF_CHANGE_PASSWORD_PAGE (page);
  g_autofree char *code = NULL;

  log_in (fixture, TF_UI_PASSWORD);
  activate (fixture, "win.change-password");
  tf_ui_wait_for_page (fixture->base.window, "change-password");

  /* The current password is checked by the service, with the code. */
  tf_ui_set_text (page, "Current password", "not my password");
  tf_ui_set_text (page, "Code", "123456");
  tf_ui_set_text (page, "New password", NEW_PASSWORD);
  tf_ui_set_text (page, "Confirm new password", NEW_PASSWORD);
  g_assert_true (gtk_widget_activate_action (page, "change-password.submit", NULL));
  g_assert_true (tf_change_password_page_get_busy (change));
  tf_ui_wait_for_boolean (page, "busy", FALSE);
  g_assert_cmpstr (tf_change_password_page_get_error_message (change), ==,
                   "Invalid username, password or code.");
  g_assert_cmpstr (tf_ui_get_text (page, "Current password"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (page, "New password"), ==, "");

  code = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  tf_ui_set_text (page, "Current password", TF_UI_PASSWORD);
  tf_ui_set_text (page, "Code", code);
  tf_ui_set_text (page, "New password", NEW_PASSWORD);
  tf_ui_set_text (page, "Confirm new password", NEW_PASSWORD);
  tf_ui_press_enter (page, "Confirm new password");
  tf_ui_wait_for_page (fixture->base.window, "home");
  g_assert_cmpstr (tf_window_get_last_toast (fixture->base.window), ==, "Password changed");
  fixture->base.now += 30;

  activate (fixture, "win.log-out");
  log_in (fixture, NEW_PASSWORD);
}

static void
test_regenerate_codes (HomeFixture   *fixture,
                       gconstpointer  data)
{
  GtkWidget *page = tf_window_get_page (fixture->base.window, "confirm");
  GtkWidget *recovery = tf_window_get_page (fixture->base.window, "recovery");
  g_autofree char *code = NULL;

  /* Down to nine codes first. */
  tf_ui_log_in (&fixture->base, "ada", TF_UI_PASSWORD,
                tf_secure_buffer_get_string (g_ptr_array_index (fixture->codes, 0)));
  tf_ui_wait_for_page (fixture->base.window, "home");
  g_assert_cmpstr (tf_home_page_get_codes_left_text (fixture->home), ==, "9 of 10 left");

  activate (fixture, "win.regenerate-codes");
  tf_ui_wait_for_page (fixture->base.window, "confirm");
  g_assert_cmpint (tf_confirm_page_get_mode (TF_CONFIRM_PAGE (page)), ==,
                   TF_CONFIRM_REGENERATE_CODES);
  code = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  tf_ui_set_text (page, "Password", TF_UI_PASSWORD);
  tf_ui_set_text (page, "Code", code);
  tf_ui_press_enter (page, "Code");
  tf_ui_wait_for_page (fixture->base.window, "recovery");
  g_assert_cmpuint (tf_recovery_codes_page_get_n_codes (TF_RECOVERY_CODES_PAGE (recovery)), ==, 10);
  g_assert_cmpstr (tf_ui_get_text (page, "Password"), ==, "");

  tf_recovery_codes_page_set_saved (TF_RECOVERY_CODES_PAGE (recovery), TRUE);
  g_assert_true (gtk_widget_activate_action (recovery, "recovery.continue", NULL));
  tf_ui_wait_for_page (fixture->base.window, "home");
  g_assert_cmpstr (tf_home_page_get_codes_left_text (fixture->home), ==, "10 of 10 left");
  g_assert_cmpuint (tf_recovery_codes_page_get_n_codes (TF_RECOVERY_CODES_PAGE (recovery)), ==, 0);
}

static void
test_reenrol (HomeFixture   *fixture,
              gconstpointer  data)
{
  GtkWidget *page = tf_window_get_page (fixture->base.window, "confirm");
  GtkWidget *enrol = tf_window_get_page (fixture->base.window, "enrol");
  g_autofree char *code = NULL;
  g_autofree char *new_code = NULL;

  log_in (fixture, TF_UI_PASSWORD);
  activate (fixture, "win.reenrol");
  tf_ui_wait_for_page (fixture->base.window, "confirm");
  code = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  tf_ui_set_text (page, "Password", TF_UI_PASSWORD);
  tf_ui_set_text (page, "Code", code);
  g_assert_true (gtk_widget_activate_action (page, "confirm.submit", NULL));
  tf_ui_wait_for_page (fixture->base.window, "enrol");
  g_assert_cmpint (tf_enrol_page_get_mode (TF_ENROL_PAGE (enrol)), ==, TF_ENROL_REPLACE);
  g_assert_true (tf_enrol_page_get_ready (TF_ENROL_PAGE (enrol)));
  fixture->base.now += 30;

  /* Back from here returns home, the old app still in charge. */
  new_code = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, TRUE);
  tf_ui_set_text (enrol, "Code", new_code);
  g_assert_true (gtk_widget_activate_action (enrol, "enrol.confirm", NULL));
  tf_ui_wait_for_page (fixture->base.window, "home");
  g_assert_cmpstr (tf_window_get_last_toast (fixture->base.window), ==,
                   "Your new authenticator app is set up");
  g_assert_cmpstr (tf_enrol_page_get_secret_text (TF_ENROL_PAGE (enrol)), ==, "");
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/twofold/ui/home/" path, HomeFixture, NULL, home_setup, func, home_teardown)

  ADD ("first-login", test_first_login);
  ADD ("failed-attempts-since", test_failed_attempts_since);
  ADD ("codes-left-warning", test_codes_left_warning);
  ADD ("log-out-clears", test_log_out_clears);
  ADD ("change-password", test_change_password);
  ADD ("regenerate-codes", test_regenerate_codes);
  ADD ("reenrol", test_reenrol);

  return g_test_run ();
}
