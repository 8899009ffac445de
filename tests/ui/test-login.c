/* test-login.c — the log-in page inside a real window over a temporary store. */
#include "tf-ui-test.h"

#include "tf-enrol-page.h"
#include "tf-home-page.h"
#include "tf-login-page.h"

#define GENERIC_ERROR "Invalid username, password or code."

static GtkWidget *
login_page (TfUiFixture *fixture)
{
  return tf_window_get_page (fixture->window, "login");
}

static void
test_accessible_names (TfUiFixture   *fixture,
                       gconstpointer  data)
{
  GtkWidget *page = login_page (fixture);
  GtkWidget *code = tf_ui_find (page, "Code");

  g_assert_true (GTK_IS_TEXT (tf_ui_find (page, "Username")));
  g_assert_true (GTK_IS_TEXT (tf_ui_find (page, "Password")));
  g_assert_true (GTK_IS_TEXT (code));
  gtk_test_accessible_assert_property (tf_ui_find (page, "Username"),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, "Username");
  /* Named by its mnemonic label alone: a label of its own would be read too. */
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (tf_ui_find (page, "Log In")),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL));
  g_assert_true (GTK_IS_BUTTON (tf_ui_find (page, "Log In")));
  g_assert_true (GTK_IS_BUTTON (tf_ui_find (page, "Create Account")));

  /* Digits for on-screen keyboards; a hint only, so recovery codes still fit. */
  g_assert_cmpint (gtk_text_get_input_purpose (GTK_TEXT (code)), ==, GTK_INPUT_PURPOSE_DIGITS);
  gtk_editable_set_text (GTK_EDITABLE (code), "ABCDE-FGHJK");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (code)), ==, "ABCDE-FGHJK");
  g_assert_true (gtk_text_get_input_purpose (GTK_TEXT (tf_ui_find (page, "Password"))) ==
                 GTK_INPUT_PURPOSE_PASSWORD);

  /* It leads to the Forgot Password page (test-reset.c). */
  g_assert_true (GTK_IS_BUTTON (tf_ui_find (page, "Forgot Password?")));
}

static void
test_generic_error (TfUiFixture   *fixture,
                    gconstpointer  data)
{
  GtkWidget *page = login_page (fixture);
  gint64 id = tf_ui_make_active_user (fixture, "ada", "Ada", NULL);
  g_autofree char *code = tf_ui_code (fixture, id, fixture->now, FALSE);

  /* Wrong password, right code. */
  tf_ui_log_in (fixture, "ada", "not the password at all", code);
  g_assert_cmpstr (tf_login_page_get_error_message (TF_LOGIN_PAGE (page)), ==, GENERIC_ERROR);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "login");
  /* Password and code are emptied after every attempt; the username stays. */
  g_assert_cmpstr (tf_ui_get_text (page, "Password"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (page, "Code"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (page, "Username"), ==, "ada");

  /* Right password, wrong code. */
  fixture->now += 30;
  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD, "000000");
  g_assert_cmpstr (tf_login_page_get_error_message (TF_LOGIN_PAGE (page)), ==, GENERIC_ERROR);

  /* No such user. */
  tf_ui_log_in (fixture, "nobody", TF_UI_PASSWORD, "123456");
  g_assert_cmpstr (tf_login_page_get_error_message (TF_LOGIN_PAGE (page)), ==, GENERIC_ERROR);
  g_assert_null (tf_window_get_session (fixture->window));
}

static void
test_busy_while_checking (TfUiFixture   *fixture,
                          gconstpointer  data)
{
  GtkWidget *page = login_page (fixture);
  GtkWidget *button;

  tf_ui_set_text (page, "Username", "ada");
  tf_ui_set_text (page, "Password", "whatever it is");
  button = tf_ui_find (page, "Log In");
  g_assert_true (gtk_widget_activate_action (page, "login.submit", NULL));

  /* Argon2id runs in a worker: the form is insensitive, the button busy. */
  g_assert_true (tf_login_page_get_busy (TF_LOGIN_PAGE (page)));
  g_assert_false (gtk_widget_is_sensitive (tf_ui_find (page, "Username")));
  gtk_test_accessible_assert_state (button, GTK_ACCESSIBLE_STATE_BUSY, TRUE);
  g_assert_cmpstr (tf_ui_get_text (page, "Password"), ==, "");

  tf_ui_wait_for_boolean (page, "busy", FALSE);
  g_assert_true (gtk_widget_is_sensitive (tf_ui_find (page, "Username")));
  gtk_test_accessible_assert_state (button, GTK_ACCESSIBLE_STATE_BUSY, FALSE);
}

typedef struct {
  GtkWidget *page;
  guint      frames;
} FrameCount;

/* Frames until the busy button's spinner comes (after half a second of
 * waiting, when a busy machine slows Argon2id down): from then on the
 * spinner's turning draws them, as it should. */
static void
count_frame (GdkFrameClock *clock,
             FrameCount    *count)
{
  if (tf_ui_find_type (count->page, GTK_TYPE_SPINNER) == NULL)
    count->frames++;
}

static void
stop_counting (GObject    *page,
               GParamSpec *pspec,
               gulong     *handler)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (page));

  if (*handler != 0 && !tf_login_page_get_busy (TF_LOGIN_PAGE (page)))
    g_clear_signal_handler (handler, clock);
}

/* The form greys out in one frame, and the window stays still while the
 * service checks: a frame drawn meanwhile delays the answer's own (the frame
 * clock keeps a 16.7 ms step between frames). */
static void
test_busy_in_one_frame (TfUiFixture   *fixture,
                        gconstpointer  data)
{
  /* A hash that takes a while (~0.1 s here) to check. */
  const TfPasswordLimits slow = { 12, 32 * 1024 * 1024 };
  GtkWidget *page = login_page (fixture);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (page);
  g_autofree char *code = NULL;
  FrameCount count = { page, 0 };
  gulong handler;
  gint64 id;

  /* As users have it (tf_ui_test_init () turns animations off), and
   * once the window's own idle work is done. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  tf_ui_wait_for_pages_prepared (fixture->window);
  tf_auth_set_password_limits (fixture->auth, &slow);
  id = tf_ui_make_active_user (fixture, "ada", "Ada", NULL);
  code = tf_ui_code (fixture, id, fixture->now, FALSE);
  tf_ui_set_text (page, "Username", "ada");
  tf_ui_set_text (page, "Password", TF_UI_PASSWORD);
  tf_ui_set_text (page, "Code", code);
  /* The fields' own animations for the typing are over. */
  tf_ui_run_for (300);

  handler = g_signal_connect (clock, "paint", G_CALLBACK (count_frame), &count);
  g_signal_connect (page, "notify::busy", G_CALLBACK (stop_counting), &handler);
  g_assert_true (gtk_widget_activate_action (page, "login.submit", NULL));
  tf_ui_wait_for_page (fixture->window, "home");
  g_assert_cmpuint (handler, ==, 0);
  /* The greyed form; a second one when the answer came right after it. */
  g_assert_cmpuint (count.frames, >=, 1);
  g_assert_cmpuint (count.frames, <=, 2);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

static void
test_empty_fields (TfUiFixture   *fixture,
                   gconstpointer  data)
{
  GtkWidget *page = login_page (fixture);

  g_assert_true (gtk_widget_activate_action (page, "login.submit", NULL));
  g_assert_false (tf_login_page_get_busy (TF_LOGIN_PAGE (page)));
  g_assert_nonnull (tf_login_page_get_error_message (TF_LOGIN_PAGE (page)));
}

static void
test_throttled (TfUiFixture   *fixture,
                gconstpointer  data)
{
  GtkWidget *page = login_page (fixture);
  const char *message = NULL;

  tf_ui_make_active_user (fixture, "ada", "Ada", NULL);

  for (guint i = 0; i < 8; i++)
    {
      tf_ui_log_in (fixture, "ada", "a wrong password", "123456");
      message = tf_login_page_get_error_message (TF_LOGIN_PAGE (page));
      if (g_str_has_prefix (message, "Too many attempts"))
        break;
      g_assert_cmpstr (message, ==, GENERIC_ERROR);
    }

  /* The wait is shown, in words. */
  g_assert_cmpstr (message, ==, "Too many attempts. Try again in 30 seconds.");
}

static void
test_clock_skew_hint (TfUiFixture   *fixture,
                      gconstpointer  data)
{
  GtkWidget *page = login_page (fixture);
  gint64 id = tf_ui_make_active_user (fixture, "ada", "Ada", NULL);
  /* A phone whose clock runs five minutes fast. */
  g_autofree char *code = tf_ui_code (fixture, id, fixture->now + 300, FALSE);

  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD, code);
  g_assert_nonnull (strstr (tf_login_page_get_error_message (TF_LOGIN_PAGE (page)),
                            "clock is off by about 5 minutes"));
  g_assert_true (g_str_has_prefix (tf_login_page_get_error_message (TF_LOGIN_PAGE (page)),
                                   GENERIC_ERROR));
}

static void
test_success (TfUiFixture   *fixture,
              gconstpointer  data)
{
  gint64 id = tf_ui_make_active_user (fixture, "ada", "Ada", NULL);
  g_autofree char *code = tf_ui_code (fixture, id, fixture->now, FALSE);
  GtkWidget *home = tf_window_get_page (fixture->window, "home");
  GtkWidget *page = login_page (fixture);

  tf_ui_log_in (fixture, "Ada", TF_UI_PASSWORD, code);
  tf_ui_wait_for_page (fixture->window, "home");
  g_assert_cmpstr (tf_home_page_get_welcome_text (TF_HOME_PAGE (home)), ==, "Welcome, Ada");
  g_assert_nonnull (tf_window_get_session (fixture->window));
  /* Nothing typed stays behind in the log-in form. */
  g_assert_cmpstr (tf_ui_get_text (page, "Username"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (page, "Password"), ==, "");
}

static void
test_recovery_code (TfUiFixture   *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = NULL;
  GtkWidget *home = tf_window_get_page (fixture->window, "home");

  tf_ui_make_active_user (fixture, "ada", "Ada", &codes);
  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD,
                tf_secure_buffer_get_string (g_ptr_array_index (codes, 0)));
  tf_ui_wait_for_page (fixture->window, "home");
  g_assert_cmpstr (tf_window_get_last_toast (fixture->window), ==,
                   "You used a recovery code. 9 are left.");
  g_assert_cmpstr (tf_home_page_get_codes_left_text (TF_HOME_PAGE (home)), ==, "9 of 10 left");
}

static void
test_enter_submits (TfUiFixture   *fixture,
                    gconstpointer  data)
{
  GtkWidget *page = login_page (fixture);

  tf_ui_set_text (page, "Username", "ada");
  tf_ui_press_enter (page, "Username");
  g_assert_true (gtk_widget_is_focus (tf_ui_find (page, "Password")));
  tf_ui_set_text (page, "Password", "some password");
  tf_ui_press_enter (page, "Password");
  g_assert_true (gtk_widget_is_focus (tf_ui_find (page, "Code")));
  tf_ui_set_text (page, "Code", "123456");
  tf_ui_press_enter (page, "Code");
  g_assert_true (tf_login_page_get_busy (TF_LOGIN_PAGE (page)));
  tf_ui_wait_for_boolean (page, "busy", FALSE);
  g_assert_cmpstr (tf_login_page_get_error_message (TF_LOGIN_PAGE (page)), ==, GENERIC_ERROR);
}

static void
test_pending_resumes_enrolment (TfUiFixture   *fixture,
                                gconstpointer  data)
{
  gint64 id = tf_ui_make_pending_user (fixture, "ada", "Ada");
  GtkWidget *enrol = tf_window_get_page (fixture->window, "enrol");
  g_autoptr(GError) error = NULL;
  g_autoptr(TfEnrolment) enrolment = NULL;
  g_autofree char *grouped = NULL;
  g_autofree char *plain = NULL;

  /* Password only: the account has no confirmed authenticator yet. */
  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD, "");
  tf_ui_wait_for_page (fixture->window, "enrol");
  tf_ui_wait_for_boolean (enrol, "ready", TRUE);
  g_assert_null (tf_window_get_session (fixture->window));

  /* The same secret as at registration. */
  enrolment = tf_auth_get_enrolment (fixture->auth, id, &error);
  g_assert_no_error (error);
  grouped = g_strdup (tf_enrol_page_get_secret_text (TF_ENROL_PAGE (enrol)));
  plain = tf_ui_strip_spaces (grouped);
  g_assert_cmpstr (tf_secure_buffer_get_string (enrolment->secret_base32), ==, plain);
  g_assert_cmpuint (strlen (grouped), ==,
                    tf_secure_buffer_get_length (enrolment->secret_base32) * 5 / 4 - 1);
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/twofold/ui/login/" path, TfUiFixture, NULL, \
              tf_ui_fixture_setup, func, tf_ui_fixture_teardown)

  ADD ("accessible-names", test_accessible_names);
  ADD ("generic-error", test_generic_error);
  ADD ("busy-while-checking", test_busy_while_checking);
  ADD ("busy-in-one-frame", test_busy_in_one_frame);
  ADD ("empty-fields", test_empty_fields);
  ADD ("throttled", test_throttled);
  ADD ("clock-skew-hint", test_clock_skew_hint);
  ADD ("success", test_success);
  ADD ("recovery-code", test_recovery_code);
  ADD ("enter-submits", test_enter_submits);
  ADD ("pending-resumes-enrolment", test_pending_resumes_enrolment);

  return g_test_run ();
}
