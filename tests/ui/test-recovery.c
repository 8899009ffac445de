/* test-recovery.c — the recovery codes page after enrolment: Continue only
 * once "I have saved these codes" is ticked, the codes work, and nothing of
 * them stays once the page is left. */
#include "tf-ui-test.h"

#include "tf-login-page.h"
#include "tf-recovery-codes-page.h"

typedef struct {
  TfUiFixture  base;
  gint64       user_id;
  GtkWidget   *page;
} RecoveryFixture;

static void
recovery_setup (RecoveryFixture *fixture,
                gconstpointer    data)
{
  g_autofree char *code = NULL;
  GtkWidget *enrol;

  tf_ui_fixture_setup (&fixture->base, data);
  fixture->user_id = tf_ui_make_pending_user (&fixture->base, "ada", "Ada");
  fixture->page = tf_window_get_page (fixture->base.window, "recovery");
  enrol = tf_window_get_page (fixture->base.window, "enrol");

  tf_ui_log_in (&fixture->base, "ada", TF_UI_PASSWORD, "");
  tf_ui_wait_for_page (fixture->base.window, "enrol");
  tf_ui_wait_for_boolean (enrol, "ready", TRUE);
  code = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  tf_ui_set_text (enrol, "Code", code);
  g_assert_true (gtk_widget_activate_action (enrol, "enrol.confirm", NULL));
  tf_ui_wait_for_page (fixture->base.window, "recovery");
  fixture->base.now += 30;
}

static void
recovery_teardown (RecoveryFixture *fixture,
                   gconstpointer    data)
{
  tf_ui_fixture_teardown (&fixture->base, data);
}

static void
test_continue_needs_check (RecoveryFixture *fixture,
                           gconstpointer    data)
{
  GtkWidget *button = tf_ui_find (fixture->page, "Continue");
  GtkWidget *check = tf_ui_find (fixture->page, "I have saved these codes");

  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  g_assert_false (gtk_widget_get_sensitive (button) && gtk_widget_is_sensitive (button));

  /* Even through the action, nothing happens yet. */
  gtk_widget_activate_action (fixture->page, "recovery.continue", NULL);
  tf_ui_run_for (50);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->base.window), ==, "recovery");

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  g_assert_true (gtk_widget_is_sensitive (button));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  g_assert_false (gtk_widget_is_sensitive (button));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);

  g_signal_emit_by_name (button, "clicked");
  tf_ui_wait_for_page (fixture->base.window, "login");

  /* Ready to log in: the username is filled in. */
  g_assert_cmpstr (tf_ui_get_text (tf_window_get_page (fixture->base.window, "login"), "Username"),
                   ==, "ada");
  g_assert_true (g_str_has_prefix (tf_window_get_last_toast (fixture->base.window),
                                   "Your account is ready"));
}

static void
test_codes_work (RecoveryFixture *fixture,
                 gconstpointer    data)
{
  TfRecoveryCodesPage *page = TF_RECOVERY_CODES_PAGE (fixture->page);
  g_autoptr(TfSecureBuffer) text = tf_recovery_codes_page_dup_text (page);
  g_auto(GStrv) lines = g_strsplit (tf_secure_buffer_get_string (text), "\n", -1);
  g_autofree char *first_code = NULL;

  /* A title line, ten codes, and the final newline. */
  g_assert_cmpuint (g_strv_length (lines), ==, 12);
  g_assert_nonnull (strstr (lines[0], "ada"));
  for (guint i = 1; i <= 10; i++)
    g_assert_true (g_regex_match_simple ("^[0-9A-Z]{5}-[0-9A-Z]{5}$", lines[i], 0, 0));
  first_code = g_strdup (lines[1]);

  tf_recovery_codes_page_set_saved (page, TRUE);
  g_assert_true (gtk_widget_activate_action (fixture->page, "recovery.continue", NULL));
  tf_ui_wait_for_page (fixture->base.window, "login");

  tf_ui_log_in (&fixture->base, "ada", TF_UI_PASSWORD, first_code);
  tf_ui_wait_for_page (fixture->base.window, "home");
}

static guint
count_code_labels (GtkWidget *widget)
{
  guint n = 0;

  if (GTK_IS_LABEL (widget) &&
      g_regex_match_simple ("[0-9A-Z]{5}-[0-9A-Z]{5}", gtk_label_get_label (GTK_LABEL (widget)),
                            0, 0))
    n++;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_code_labels (child);

  return n;
}

static void
test_leaving_forgets_codes (RecoveryFixture *fixture,
                            gconstpointer    data)
{
  TfRecoveryCodesPage *page = TF_RECOVERY_CODES_PAGE (fixture->page);

  g_assert_cmpuint (tf_recovery_codes_page_get_n_codes (page), ==, 10);
  g_assert_cmpuint (count_code_labels (fixture->page), ==, 10);
  tf_recovery_codes_page_set_saved (page, TRUE);
  g_assert_true (gtk_widget_activate_action (fixture->page, "recovery.continue", NULL));
  tf_ui_wait_for_page (fixture->base.window, "login");

  g_assert_cmpuint (tf_recovery_codes_page_get_n_codes (page), ==, 0);
  g_assert_false (tf_recovery_codes_page_get_saved (page));
  /* No label under the page holds a code any more. */
  g_assert_cmpuint (count_code_labels (fixture->page), ==, 0);
}

static void
test_no_way_back (RecoveryFixture *fixture,
                  gconstpointer    data)
{
  /* The codes are shown once; Escape must not lose them by accident. */
  gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.back", NULL);
  tf_ui_run_for (50);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->base.window), ==, "recovery");
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/twofold/ui/recovery/" path, RecoveryFixture, NULL, \
              recovery_setup, func, recovery_teardown)

  ADD ("continue-needs-check", test_continue_needs_check);
  ADD ("codes-work", test_codes_work);
  ADD ("leaving-forgets-codes", test_leaving_forgets_codes);
  ADD ("no-way-back", test_no_way_back);

  return g_test_run ();
}
