/* test-change-email.c — the Change Email Address page reached from Home:
 * inline errors, the busy form, the service's refusals, success back to
 * Home with "Verify your e-mail address" shown again for the new address,
 * the mail to both addresses (taken from the outbox), and leaving the page. */
#include "tf-ui-test.h"

#include "tf-change-email-page.h"
#include "tf-verify-email-group.h"

#define OLD_ADDRESS "ada@example.org"
#define NEW_ADDRESS "countess@example.net"

typedef struct {
  TfUiFixture  base;
  gint64       user_id;
} EmailFixture;

static void
email_setup (EmailFixture  *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  tf_ui_fixture_setup (&fixture->base, data);
  fixture->user_id = tf_ui_make_active_user (&fixture->base, "ada", "Ada", NULL);
  code = tf_ui_claim_code (&fixture->base, "Confirm your e-mail address", NULL);
  g_assert_nonnull (code);
  g_assert_true (tf_auth_verify_email (fixture->base.auth, fixture->user_id, code, &error));
  g_assert_no_error (error);
}

static void
email_teardown (EmailFixture  *fixture,
                gconstpointer  data)
{
  tf_ui_fixture_teardown (&fixture->base, data);
}

static GtkWidget *
page (EmailFixture *fixture,
      const char   *name)
{
  return tf_window_get_page (fixture->base.window, name);
}

static void
activate (GtkWidget  *widget,
          const char *action)
{
  g_assert_true (gtk_widget_activate_action (widget, action, NULL));
}

/* Shown while the address waits for its code; hidden, it has no widget to find. */
static gboolean
verify_shown (EmailFixture *fixture)
{
  return tf_ui_lookup (page (fixture, "home"), "Verify") != NULL;
}

/* Logs in, then opens the page from Home. */
static GtkWidget *
open_page (EmailFixture *fixture)
{
  g_autofree char *totp = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);

  tf_ui_log_in (&fixture->base, "ada", TF_UI_PASSWORD, totp);
  tf_ui_wait_for_page (fixture->base.window, "home");
  fixture->base.now += 30;
  g_assert_false (verify_shown (fixture));

  g_assert_true (gtk_widget_activate (tf_ui_find (page (fixture, "home"),
                                                  "Change Email Address")));
  tf_ui_wait_for_page (fixture->base.window, "change-email");
  return page (fixture, "change-email");
}

static void
test_change (EmailFixture  *fixture,
             gconstpointer  data)
{
  GtkWidget *form = open_page (fixture);
  TfChangeEmailPage *change = TF_CHANGE_EMAIL_PAGE (form);
  TfVerifyEmailGroup *group;
  g_autofree char *totp = NULL;
  g_autofree char *code = NULL;
  g_autofree char *recipient = NULL;

  /* Every field is there under its accessible name. */
  g_assert_nonnull (tf_ui_find (form, "New email address"));
  g_assert_nonnull (tf_ui_find (form, "Current password"));
  g_assert_nonnull (tf_ui_find (form, "Code"));

  /* Checked here first: nothing is sent with a bad address or no password. */
  tf_ui_set_text (form, "New email address", "Eve <eve@example.org>");
  activate (form, "change-email.submit");
  g_assert_false (tf_change_email_page_get_busy (change));
  g_assert_cmpstr (tf_change_email_page_get_field_error (change, "email"), ==,
                   "Enter an e-mail address such as name@example.org.");
  g_assert_cmpstr (tf_change_email_page_get_field_error (change, "password"), ==,
                   "Enter your current password.");
  g_assert_nonnull (tf_change_email_page_get_field_error (change, "code"));

  /* A wrong password: the busy form, then the generic answer. */
  tf_ui_set_text (form, "New email address", NEW_ADDRESS);
  tf_ui_set_text (form, "Current password", "not my password");
  tf_ui_set_text (form, "Code", "123456");
  activate (form, "change-email.submit");
  g_assert_true (tf_change_email_page_get_busy (change));
  g_assert_false (gtk_widget_is_sensitive (tf_ui_find (form, "New email address")));
  tf_ui_wait_for_boolean (form, "busy", FALSE);
  g_assert_true (gtk_widget_is_sensitive (tf_ui_find (form, "New email address")));
  g_assert_null (tf_change_email_page_get_field_error (change, "email"));
  g_assert_cmpstr (tf_change_email_page_get_error_message (change), ==,
                   "Invalid username, password or code.");
  g_assert_cmpstr (tf_ui_get_text (form, "Current password"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (form, "Code"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (form, "New email address"), ==, NEW_ADDRESS);

  /* The address the account has is no change: said under the field. */
  totp = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  tf_ui_set_text (form, "New email address", "Ada@Example.org");
  tf_ui_set_text (form, "Current password", TF_UI_PASSWORD);
  tf_ui_set_text (form, "Code", totp);
  activate (form, "change-email.submit");
  tf_ui_wait_for_boolean (form, "busy", FALSE);
  g_assert_cmpstr (tf_change_email_page_get_field_error (change, "email"), ==,
                   "This is already the e-mail address of your account.");

  /* The change, with Enter in the last field; its code was not spent above. */
  tf_ui_set_text (form, "New email address", NEW_ADDRESS);
  tf_ui_set_text (form, "Current password", TF_UI_PASSWORD);
  tf_ui_set_text (form, "Code", totp);
  tf_ui_press_enter (form, "Code");
  tf_ui_wait_for_page (fixture->base.window, "home");
  g_assert_cmpstr (tf_window_get_last_toast (fixture->base.window), ==, "Email address changed");
  g_assert_cmpstr (tf_window_get_session (fixture->base.window)->user->email, ==, NEW_ADDRESS);

  /* Home asks for the new address's code again. */
  g_assert_true (verify_shown (fixture));
  group = TF_VERIFY_EMAIL_GROUP (tf_ui_find_type (page (fixture, "home"),
                                                  TF_TYPE_VERIFY_EMAIL_GROUP));

  /* The old address got the notice, the new one the code. */
  g_assert_null (tf_ui_claim_code (&fixture->base, "account was changed", &recipient));
  g_assert_cmpstr (recipient, ==, OLD_ADDRESS);
  g_clear_pointer (&recipient, g_free);
  code = tf_ui_claim_code (&fixture->base, "Confirm your e-mail address", &recipient);
  g_assert_nonnull (code);
  g_assert_cmpstr (recipient, ==, NEW_ADDRESS);

  tf_ui_set_text (page (fixture, "home"), "Code from the email", code);
  activate (GTK_WIDGET (group), "verify.submit");
  tf_ui_wait_for_boolean (group, "busy", FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (group)));
  g_assert_cmpstr (tf_window_get_last_toast (fixture->base.window), ==, "E-mail address verified");
}

/* Back (Escape) returns Home and forgets what was typed. */
static void
test_back (EmailFixture  *fixture,
           gconstpointer  data)
{
  GtkWidget *form = open_page (fixture);

  tf_ui_set_text (form, "New email address", NEW_ADDRESS);
  tf_ui_set_text (form, "Current password", TF_UI_PASSWORD);
  activate (GTK_WIDGET (fixture->base.window), "win.back");
  tf_ui_wait_for_page (fixture->base.window, "home");

  gtk_widget_set_child_visible (form, TRUE);
  g_assert_cmpstr (tf_ui_get_text (form, "New email address"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (form, "Current password"), ==, "");
  gtk_widget_set_child_visible (form, FALSE);

  /* Without a session the page cannot be reached. */
  activate (GTK_WIDGET (fixture->base.window), "win.log-out");
  tf_ui_wait_for_page (fixture->base.window, "login");
  gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.change-email", NULL);
  tf_ui_run_for (50);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->base.window), ==, "login");
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

  g_test_add ("/twofold/ui/change-email/change", EmailFixture, NULL,
              email_setup, test_change, email_teardown);
  g_test_add ("/twofold/ui/change-email/back", EmailFixture, NULL,
              email_setup, test_back, email_teardown);

  return g_test_run ();
}
