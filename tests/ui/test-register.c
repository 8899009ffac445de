/* test-register.c — the create-account page: field errors as the user
 * leaves each field and on submit, the strength hint, the service's own
 * errors, and the switch that turns registration off. */
#include "tf-ui-test.h"

#include "tf-enrol-page.h"
#include "tf-login-page.h"
#include "tf-register-page.h"

static const char *fields[][2] = {
  { "First name", "first-name" },
  { "Last name", "last-name" },
  { "Username", "username" },
  { "Email", "email" },
  { "Password", "password" },
  { "Confirm password", "confirm-password" },
};

static GtkWidget *
show_register (TfUiFixture *fixture)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-register",
                                             NULL));
  tf_ui_wait_for_page (fixture->window, "register");

  return tf_window_get_page (fixture->window, "register");
}

static void
fill (GtkWidget  *page,
      const char *username)
{
  tf_ui_set_text (page, "First name", "Ada");
  tf_ui_set_text (page, "Last name", "Lovelace");
  tf_ui_set_text (page, "Username", username);
  tf_ui_set_text (page, "Email", "ada@example.org");
  tf_ui_set_text (page, "Password", "analytical engine punched cards");
  tf_ui_set_text (page, "Confirm password", "analytical engine punched cards");
}

static void
test_accessible_names (TfUiFixture   *fixture,
                       gconstpointer  data)
{
  GtkWidget *page = show_register (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      GtkWidget *text = tf_ui_find (page, fields[i][0]);

      g_assert_true (GTK_IS_TEXT (text));
      gtk_test_accessible_assert_property (text, GTK_ACCESSIBLE_PROPERTY_LABEL, fields[i][0]);
    }
  g_assert_true (GTK_IS_BUTTON (tf_ui_find (page, "Create Account")));
  g_assert_cmpint (gtk_text_get_input_purpose (GTK_TEXT (tf_ui_find (page, "Email"))), ==,
                   GTK_INPUT_PURPOSE_EMAIL);
  g_assert_cmpint (gtk_text_get_input_purpose (GTK_TEXT (tf_ui_find (page, "Confirm password"))),
                   ==, GTK_INPUT_PURPOSE_PASSWORD);
}

static void
test_error_on_leave (TfUiFixture   *fixture,
                     gconstpointer  data)
{
  GtkWidget *page = show_register (fixture);
  TfRegisterPage *reg = TF_REGISTER_PAGE (page);
  GtkWidget *email = tf_ui_find (page, "Email");
  const char *error;

  /* Untouched fields say nothing when focus passes through them. */
  gtk_widget_grab_focus (tf_ui_find (page, "Username"));
  gtk_widget_grab_focus (email);
  g_assert_null (tf_register_page_get_field_error (reg, "username"));

  gtk_editable_set_text (GTK_EDITABLE (email), "not an address");
  g_assert_null (tf_register_page_get_field_error (reg, "email"));
  gtk_widget_grab_focus (tf_ui_find (page, "Password"));

  error = tf_register_page_get_field_error (reg, "email");
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, "mail"));
  /* The message is what a screen reader hears for that field too. */
  gtk_test_accessible_assert_property (email, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error);
  gtk_test_accessible_assert_state (email, GTK_ACCESSIBLE_STATE_INVALID,
                                    GTK_ACCESSIBLE_INVALID_TRUE);

  /* Fixing the field takes the message away as soon as it is right. */
  gtk_editable_set_text (GTK_EDITABLE (email), "ada@example.org");
  g_assert_null (tf_register_page_get_field_error (reg, "email"));

  /* Confirmation that differs, said when leaving it. */
  tf_ui_set_text (page, "Password", "analytical engine punched cards");
  gtk_widget_grab_focus (tf_ui_find (page, "Confirm password"));
  tf_ui_set_text (page, "Confirm password", "analytical engine punched card");
  gtk_widget_grab_focus (tf_ui_find (page, "First name"));
  g_assert_cmpstr (tf_register_page_get_field_error (reg, "confirm-password"), ==,
                   "The passwords do not match.");
}

static void
test_errors_on_submit (TfUiFixture   *fixture,
                       gconstpointer  data)
{
  GtkWidget *page = show_register (fixture);
  TfRegisterPage *reg = TF_REGISTER_PAGE (page);

  g_assert_true (gtk_widget_activate_action (page, "register.submit", NULL));

  /* Nothing was sent: every field says what is wrong with it. */
  g_assert_false (tf_register_page_get_busy (reg));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_nonnull (tf_register_page_get_field_error (reg, fields[i][1]));
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "register");
  /* Focus goes to the first field in error. */
  g_assert_true (gtk_widget_is_focus (tf_ui_find (page, "First name")));

  fill (page, "ada");
  tf_ui_set_text (page, "Password", "short");
  g_assert_true (gtk_widget_activate_action (page, "register.submit", NULL));
  g_assert_null (tf_register_page_get_field_error (reg, "first-name"));
  g_assert_null (tf_register_page_get_field_error (reg, "email"));
  g_assert_nonnull (tf_register_page_get_field_error (reg, "password"));
}

static void
test_username_taken (TfUiFixture   *fixture,
                     gconstpointer  data)
{
  GtkWidget *page;
  TfRegisterPage *reg;

  tf_ui_make_active_user (fixture, "ada", "Ada", NULL);
  page = show_register (fixture);
  reg = TF_REGISTER_PAGE (page);

  fill (page, "ADA");
  g_assert_true (gtk_widget_activate_action (page, "register.submit", NULL));
  g_assert_true (tf_register_page_get_busy (reg));
  tf_ui_wait_for_boolean (page, "busy", FALSE);

  /* The service's answer lands under the field it is about. */
  g_assert_cmpstr (tf_register_page_get_field_error (reg, "username"), ==,
                   "This username is taken. Choose another one.");
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "register");
  /* Both password fields are emptied after the attempt. */
  g_assert_cmpstr (tf_ui_get_text (page, "Password"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (page, "Confirm password"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (page, "First name"), ==, "Ada");
}

static void
test_strength_hint (TfUiFixture   *fixture,
                    gconstpointer  data)
{
  GtkWidget *page = show_register (fixture);
  TfRegisterPage *reg = TF_REGISTER_PAGE (page);
  g_autofree char *weak = NULL;

  tf_ui_set_text (page, "Password", "short");
  weak = g_strdup (tf_register_page_get_strength_text (reg));
  g_assert_nonnull (strstr (weak, "12"));

  tf_ui_set_text (page, "Password", "analytical engine punched cards 1843");
  g_assert_cmpstr (tf_register_page_get_strength_text (reg), !=, weak);
  g_assert_true (g_str_has_suffix (tf_register_page_get_strength_text (reg), "password") ||
                 g_str_has_prefix (tf_register_page_get_strength_text (reg), "Acceptable"));

  tf_ui_set_text (page, "Password", "");
  g_assert_nonnull (strstr (tf_register_page_get_strength_text (reg), "at least 12"));
}

static void
test_success_goes_to_enrol (TfUiFixture   *fixture,
                            gconstpointer  data)
{
  GtkWidget *page = show_register (fixture);
  GtkWidget *enrol = tf_window_get_page (fixture->window, "enrol");

  fill (page, "ada");
  tf_ui_press_enter (page, "Confirm password");
  tf_ui_wait_for_page (fixture->window, "enrol");
  tf_ui_wait_for_boolean (enrol, "ready", TRUE);
  g_assert_cmpstr (tf_enrol_page_get_account (TF_ENROL_PAGE (enrol)), ==, "ada");

  /* What was typed on the way is gone. */
  g_assert_cmpstr (tf_ui_get_text (page, "First name"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (page, "Password"), ==, "");
}

static void
test_back_to_login (TfUiFixture   *fixture,
                    gconstpointer  data)
{
  GtkWidget *page = show_register (fixture);

  tf_ui_set_text (page, "Password", "something secret");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back", NULL));
  tf_ui_wait_for_page (fixture->window, "login");
  g_assert_cmpstr (tf_ui_get_text (page, "Password"), ==, "");
}

static void
test_registration_disabled (TfUiFixture   *fixture,
                            gconstpointer  data)
{
  GtkWidget *login = tf_window_get_page (fixture->window, "login");

  g_assert_nonnull (tf_ui_lookup (login, "Create Account"));

  /* Switched off while the form is open: back to logging in. */
  show_register (fixture);
  g_settings_set_boolean (fixture->settings, "allow-registration", FALSE);
  tf_ui_wait_for_page (fixture->window, "login");

  /* The link is hidden, not broken, and the action does nothing. */
  g_assert_null (tf_ui_lookup (login, "Create Account"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-register", NULL);
  tf_ui_run_for (50);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "login");

  g_settings_set_boolean (fixture->settings, "allow-registration", TRUE);
  g_assert_nonnull (tf_ui_lookup (login, "Create Account"));
}

static void
test_registration_disabled_from_start (TfUiFixture   *fixture,
                                       gconstpointer  data)
{
  TfWindow *window;

  g_settings_set_boolean (fixture->settings, "allow-registration", FALSE);
  window = tf_window_new (NULL, fixture->settings, fixture->auth);
  tf_ui_fixture_present (fixture, window);
  tf_ui_wait_for_page (window, "login");
  g_assert_null (tf_ui_lookup (tf_window_get_page (window, "login"), "Create Account"));
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/twofold/ui/register/" path, TfUiFixture, NULL, \
              tf_ui_fixture_setup, func, tf_ui_fixture_teardown)

  ADD ("accessible-names", test_accessible_names);
  ADD ("error-on-leave", test_error_on_leave);
  ADD ("errors-on-submit", test_errors_on_submit);
  ADD ("username-taken", test_username_taken);
  ADD ("strength-hint", test_strength_hint);
  ADD ("success-goes-to-enrol", test_success_goes_to_enrol);
  ADD ("back-to-login", test_back_to_login);
  ADD ("registration-disabled", test_registration_disabled);
  g_test_add ("/twofold/ui/register/registration-disabled-from-start", TfUiFixture, NULL,
              tf_ui_fixture_setup_auth, test_registration_disabled_from_start,
              tf_ui_fixture_teardown);

  return g_test_run ();
}
