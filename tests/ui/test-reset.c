/* test-reset.c — "Forgot Password?", the Reset Password page with the code
 * taken from the outbox, and the home page's "Verify your e-mail address"
 * group. */
#include "tf-ui-test.h"

#include "tf-forgot-page.h"
#include "tf-home-page.h"
#include "tf-reset-page.h"
#include "tf-verify-email-group.h"

#define NEW_PASSWORD "difference engine brass gears"
#define ANSWER "If an account with a verified e-mail address matches, a code is on its way. " \
               "It expires in 10 minutes."

typedef struct {
  TfUiFixture  base;
  gint64       user_id;
} ResetFixture;

static void
reset_setup (ResetFixture  *fixture,
             gconstpointer  data)
{
  tf_ui_fixture_setup (&fixture->base, data);
  fixture->user_id = tf_ui_make_active_user (&fixture->base, "ada", "Ada", NULL);
}

static void
reset_teardown (ResetFixture  *fixture,
                gconstpointer  data)
{
  tf_ui_fixture_teardown (&fixture->base, data);
}

static GtkWidget *
page (ResetFixture *fixture,
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

static char *
claim_code (ResetFixture *fixture,
            const char   *subject)
{
  return tf_ui_claim_code (&fixture->base, subject, NULL);
}

static void
verify_email (ResetFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = claim_code (fixture, "Confirm your e-mail address");

  g_assert_nonnull (code);
  g_assert_true (tf_auth_verify_email (fixture->base.auth, fixture->user_id, code, &error));
  g_assert_no_error (error);
}

/* From the login page's link to the answer. */
static void
request_code (ResetFixture *fixture,
              const char   *identifier)
{
  GtkWidget *login = page (fixture, "login");
  GtkWidget *forgot = page (fixture, "forgot");
  GtkWidget *link = tf_ui_find (login, "Forgot Password?");

  g_assert_true (gtk_widget_get_visible (link));
  g_assert_true (gtk_widget_activate (link));
  tf_ui_wait_for_page (fixture->base.window, "forgot");
  g_assert_null (tf_forgot_page_get_answer (TF_FORGOT_PAGE (forgot)));
  g_assert_true (gtk_widget_get_visible (tf_ui_find (forgot, "Send Code")));

  tf_ui_set_text (forgot, "Username or email", identifier);
  activate (forgot, "forgot.submit");
  tf_ui_wait_for_boolean (forgot, "busy", FALSE);
  g_assert_null (tf_forgot_page_get_error_message (TF_FORGOT_PAGE (forgot)));
}

static void
test_same_answer (ResetFixture  *fixture,
                  gconstpointer  data)
{
  const char *identifiers[] = { "nobody", "ada", "ada@example.org", "nobody@example.org" };
  g_autofree char *none = NULL;
  g_autofree char *code = NULL;

  /* Unverified: nothing is sent, and the answer does not tell. */
  for (guint i = 0; i < G_N_ELEMENTS (identifiers); i++)
    {
      request_code (fixture, identifiers[i]);
      g_assert_cmpstr (tf_forgot_page_get_answer (TF_FORGOT_PAGE (page (fixture, "forgot"))), ==,
                       ANSWER);
      g_assert_true (gtk_widget_get_visible (tf_ui_find (page (fixture, "forgot"),
                                                         "Enter the Code")));
      /* Escape goes back to the login page. */
      activate (GTK_WIDGET (fixture->base.window), "win.back");
      tf_ui_wait_for_page (fixture->base.window, "login");
    }
  none = claim_code (fixture, "password reset code");
  g_assert_null (none);

  verify_email (fixture);
  request_code (fixture, "nobody");
  g_assert_cmpstr (tf_forgot_page_get_answer (TF_FORGOT_PAGE (page (fixture, "forgot"))), ==,
                   ANSWER);
  activate (GTK_WIDGET (fixture->base.window), "win.back");
  request_code (fixture, "ada");
  g_assert_cmpstr (tf_forgot_page_get_answer (TF_FORGOT_PAGE (page (fixture, "forgot"))), ==,
                   ANSWER);
  code = claim_code (fixture, "password reset code");
  g_assert_nonnull (code);
  g_assert_cmpuint (strlen (code), ==, 8);
}

static void
fill_reset (ResetFixture *fixture,
            const char   *reset_code,
            const char   *password,
            const char   *confirmation)
{
  GtkWidget *reset = page (fixture, "reset");
  g_autofree char *totp = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);

  tf_ui_set_text (reset, "Code from the email", reset_code);
  tf_ui_set_text (reset, "New password", password);
  tf_ui_set_text (reset, "Confirm new password", confirmation);
  tf_ui_set_text (reset, "Authenticator code or recovery code", totp);
  activate (reset, "reset.submit");
  g_assert_true (tf_reset_page_get_busy (TF_RESET_PAGE (reset)));
  g_assert_false (gtk_widget_is_sensitive (tf_ui_find (reset, "New password")));
  tf_ui_wait_for_boolean (reset, "busy", FALSE);

  /* Secrets never outlive an attempt. */
  g_assert_cmpstr (tf_ui_get_text (reset, "Code from the email"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (reset, "New password"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (reset, "Confirm new password"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (reset, "Authenticator code or recovery code"), ==, "");
}

static void
go_to_reset (ResetFixture *fixture)
{
  GtkWidget *reset = page (fixture, "reset");

  verify_email (fixture);
  request_code (fixture, "ada");
  activate (page (fixture, "forgot"), "forgot.continue");
  tf_ui_wait_for_page (fixture->base.window, "reset");
  g_assert_cmpstr (tf_ui_get_text (reset, "Username or email"), ==, "ada");
}

static void
test_wrong_code (ResetFixture  *fixture,
                 gconstpointer  data)
{
  TfResetPage *reset = TF_RESET_PAGE (page (fixture, "reset"));
  g_autofree char *code = NULL;
  g_autofree char *wrong = NULL;

  go_to_reset (fixture);
  code = claim_code (fixture, "password reset code");
  g_assert_nonnull (code);
  wrong = g_strdup_printf ("%08u", (guint) ((g_ascii_strtoull (code, NULL, 10) + 1) % 100000000));

  fill_reset (fixture, wrong, NEW_PASSWORD, NEW_PASSWORD);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->base.window), ==, "reset");
  g_assert_nonnull (tf_reset_page_get_error_message (reset));
  g_assert_null (tf_reset_page_get_field_error (reset, "password"));
  g_assert_null (tf_reset_page_get_field_error (reset, "confirm-password"));

  /* Policy errors go under the new password, a mismatch under its confirmation. */
  fill_reset (fixture, code, "short", "short");
  g_assert_nonnull (tf_reset_page_get_field_error (reset, "password"));
  fill_reset (fixture, code, NEW_PASSWORD, "difference engine brass gear");
  g_assert_nonnull (tf_reset_page_get_field_error (reset, "confirm-password"));
  g_assert_cmpstr (tf_window_get_visible_page (fixture->base.window), ==, "reset");

  /* Escape goes back through the pages. */
  activate (GTK_WIDGET (fixture->base.window), "win.back");
  tf_ui_wait_for_page (fixture->base.window, "forgot");
  activate (GTK_WIDGET (fixture->base.window), "win.back");
  tf_ui_wait_for_page (fixture->base.window, "login");
}

static void
test_full_reset (ResetFixture  *fixture,
                 gconstpointer  data)
{
  g_autofree char *code = NULL;
  g_autofree char *totp = NULL;

  go_to_reset (fixture);
  code = claim_code (fixture, "password reset code");
  g_assert_nonnull (code);

  fill_reset (fixture, code, NEW_PASSWORD, NEW_PASSWORD);
  tf_ui_wait_for_page (fixture->base.window, "login");
  g_assert_cmpstr (tf_window_get_last_toast (fixture->base.window), ==,
                   "Your password was changed. Log in with the new one.");
  fixture->base.now += 30;

  /* The old password no longer works; the new one does. */
  totp = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  tf_ui_log_in (&fixture->base, "ada", TF_UI_PASSWORD, totp);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->base.window), ==, "login");
  fixture->base.now += 30;
  g_free (totp);
  totp = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  tf_ui_log_in (&fixture->base, "ada", NEW_PASSWORD, totp);
  tf_ui_wait_for_page (fixture->base.window, "home");
}

static void
test_verify_banner (ResetFixture  *fixture,
                    gconstpointer  data)
{
  GtkWidget *home = page (fixture, "home");
  TfVerifyEmailGroup *group;
  g_autofree char *totp = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  g_autofree char *code = NULL;

  tf_ui_log_in (&fixture->base, "ada", TF_UI_PASSWORD, totp);
  tf_ui_wait_for_page (fixture->base.window, "home");
  group = TF_VERIFY_EMAIL_GROUP (tf_ui_find_type (home, TF_TYPE_VERIFY_EMAIL_GROUP));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (group)));
  g_assert_nonnull (tf_ui_find (home, "Verify"));
  g_assert_nonnull (tf_ui_find (home, "Send a New Code"));

  /* A wrong code says so and keeps the group. */
  tf_ui_set_text (home, "Code from the email", "00000000");
  activate (GTK_WIDGET (group), "verify.submit");
  tf_ui_wait_for_boolean (group, "busy", FALSE);
  g_assert_nonnull (tf_verify_email_group_get_message (group));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (group)));

  /* A new code replaces the one sent at registration. */
  activate (GTK_WIDGET (group), "verify.resend");
  tf_ui_wait_for_boolean (group, "busy", FALSE);
  code = claim_code (fixture, "Confirm your e-mail address");
  g_assert_nonnull (code);

  tf_ui_set_text (home, "Code from the email", code);
  activate (GTK_WIDGET (group), "verify.submit");
  tf_ui_wait_for_boolean (group, "busy", FALSE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (group)));
  g_assert_cmpstr (tf_window_get_last_toast (fixture->base.window), ==, "E-mail address verified");

  /* And it stays away at the next login. */
  activate (GTK_WIDGET (fixture->base.window), "win.log-out");
  fixture->base.now += 30;
  g_free (totp);
  totp = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  tf_ui_log_in (&fixture->base, "ada", TF_UI_PASSWORD, totp);
  tf_ui_wait_for_page (fixture->base.window, "home");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (group)));
}

/* Renders the Reset Password page, with a policy error showing, into
 * <builddir>/tests/ui/screenshots/reset-light.png. */
static void
test_screenshot (ResetFixture  *fixture,
                 gconstpointer  data)
{
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *dir = g_build_filename (builddir != NULL ? builddir : ".", "ui", "screenshots",
                                           NULL);
  g_autofree char *path = g_build_filename (dir, "reset-light.png", NULL);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *code = NULL;

  gtk_window_set_default_size (GTK_WINDOW (fixture->base.window), 600, 900);
  go_to_reset (fixture);
  code = claim_code (fixture, "password reset code");
  fill_reset (fixture, code, "short", "short");
  g_assert_nonnull (tf_reset_page_get_field_error (TF_RESET_PAGE (page (fixture, "reset")),
                                                   "password"));
  tf_ui_run_for (300);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  texture = tf_ui_render (GTK_WIDGET (fixture->base.window));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Wrote %s", path);
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

  g_test_add ("/twofold/ui/reset/same-answer", ResetFixture, NULL,
              reset_setup, test_same_answer, reset_teardown);
  g_test_add ("/twofold/ui/reset/wrong-code", ResetFixture, NULL,
              reset_setup, test_wrong_code, reset_teardown);
  g_test_add ("/twofold/ui/reset/full-reset", ResetFixture, NULL,
              reset_setup, test_full_reset, reset_teardown);
  g_test_add ("/twofold/ui/reset/verify-email", ResetFixture, NULL,
              reset_setup, test_verify_banner, reset_teardown);

  g_test_add ("/twofold/ui/reset/screenshot", ResetFixture, NULL,
              reset_setup, test_screenshot, reset_teardown);

  return g_test_run ();
}
