/* test-kiosk.c — kiosk mode: the window cannot be closed, there is no Quit,
 * About or shortcuts window; `--kiosk` turns it on; the session command
 * runs with TWOFOLD_USER under an "in use" page and logging out (or its
 * exit) returns to an empty log-in page; the idle timeout does the same. */
#include "tf-ui-test.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "tf-application.h"
#include "tf-in-use-page.h"
#include "tf-session-command.h"

static void
kiosk_setup (TfUiFixture   *fixture,
             gconstpointer  data)
{
  tf_ui_fixture_setup_auth (fixture, data);
  g_settings_set_boolean (fixture->settings, "kiosk", TRUE);
  g_settings_set_uint (fixture->settings, "idle-timeout", 0);
}

static void
kiosk_teardown (TfUiFixture   *fixture,
                gconstpointer  data)
{
  const char *keys[] = { "kiosk", "idle-timeout", "kiosk-session-command", NULL };

  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (fixture->settings, keys[i]);
  tf_ui_fixture_teardown (fixture, data);
}

static void
open_window (TfUiFixture *fixture)
{
  tf_ui_fixture_present (fixture, tf_window_new (NULL, fixture->settings, fixture->auth));
  tf_ui_wait_for_page (fixture->window, "login");
}

/* Ada, enrolled, logs in through the form. */
static void
log_in_ada (TfUiFixture *fixture)
{
  gint64 id = tf_ui_make_active_user (fixture, "ada", "Ada", NULL);
  g_autofree char *code = tf_ui_code (fixture, id, fixture->now, FALSE);

  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD, code);
}

static void
assert_logged_out (TfUiFixture *fixture)
{
  GtkWidget *login = tf_window_get_page (fixture->window, "login");

  tf_ui_wait_for_page (fixture->window, "login");
  g_assert_null (tf_window_get_session (fixture->window));
  g_assert_cmpstr (tf_ui_get_text (login, "Username"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (login, "Password"), ==, "");
  g_assert_cmpstr (tf_ui_get_text (login, "Code"), ==, "");
}

static GtkWidget *
about_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        return GTK_WIDGET (window);
    }

  return NULL;
}

static void
test_close_refused (TfUiFixture   *fixture,
                    gconstpointer  data)
{
  GtkWindow *weak;

  open_window (fixture);
  g_assert_true (tf_window_get_kiosk (fixture->window));
  weak = GTK_WINDOW (fixture->window);
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  gtk_window_close (weak);
  tf_ui_run_for (100);
  g_assert_nonnull (weak);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (weak)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (weak)));
  g_object_remove_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);

  /* The same window outside kiosk mode closes. */
  tf_ui_destroy_window (GTK_WINDOW (fixture->window));
  g_settings_set_boolean (fixture->settings, "kiosk", FALSE);
  open_window (fixture);
  g_assert_false (tf_window_get_kiosk (fixture->window));
  weak = GTK_WINDOW (fixture->window);
  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  fixture->window = NULL;
  gtk_window_close (weak);
  tf_ui_run_for (100);
  g_assert_null (weak);
}

static void
test_no_way_out (TfUiFixture   *fixture,
                 gconstpointer  data)
{
  GtkWidget *window;
  AdwHeaderBar *header_bar;
  GActionGroup *actions;
  guint toplevels;
  gboolean handled = TRUE;

  open_window (fixture);
  window = GTK_WIDGET (fixture->window);
  actions = G_ACTION_GROUP (fixture->window);
  header_bar = ADW_HEADER_BAR (tf_ui_find_type (window, ADW_TYPE_HEADER_BAR));

  g_assert_false (gtk_window_get_decorated (GTK_WINDOW (window)));
  g_assert_false (gtk_window_get_deletable (GTK_WINDOW (window)));
  g_assert_false (adw_header_bar_get_show_start_title_buttons (header_bar));
  g_assert_false (adw_header_bar_get_show_end_title_buttons (header_bar));
  g_assert_null (tf_ui_lookup (window, "Main Menu"));

  gtk_widget_activate_action (window, "win.about", NULL);
  tf_ui_run_for (50);
  g_assert_null (about_window ());

  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (!g_action_group_has_action (actions, "show-help-overlay") ||
                 !g_action_group_get_action_enabled (actions, "show-help-overlay"));

  /* Ctrl+Shift+I / D: no GTK Inspector (nor its "are you sure" dialog). */
  toplevels = g_list_model_get_n_items (gtk_window_get_toplevels ());
  g_signal_emit_by_name (window, "enable-debugging", FALSE, &handled);
  g_assert_false (handled);
  g_signal_emit_by_name (window, "enable-debugging", TRUE, &handled);
  g_assert_false (handled);
  tf_ui_run_for (50);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_window_get_toplevels ()), ==, toplevels);

  /* GtkWindow's own window.close leads to the refused close request. */
  gtk_widget_activate_action (window, "window.close", NULL);
  gtk_widget_activate_action (window, "window.minimize", NULL);
  tf_ui_run_for (50);
  g_assert_true (gtk_widget_get_mapped (window));
}

static void
test_desktop_has_ways_out (TfUiFixture   *fixture,
                           gconstpointer  data)
{
  GtkWidget *window;
  GtkWidget *about;

  g_settings_set_boolean (fixture->settings, "kiosk", FALSE);
  open_window (fixture);
  window = GTK_WIDGET (fixture->window);

  g_assert_true (gtk_window_get_deletable (GTK_WINDOW (window)));
  g_assert_nonnull (tf_ui_lookup (window, "Main Menu"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-help-overlay"));
  gtk_widget_activate_action (window, "win.about", NULL);
  about = about_window ();
  g_assert_nonnull (about);
  tf_ui_destroy_window (GTK_WINDOW (about));
}

static TfApplication *
new_application (TfUiFixture *fixture,
                 const char  *id,
                 gboolean     kiosk_option)
{
  /* Non-unique, and an id each: several live in this process. */
  return g_object_new (TF_TYPE_APPLICATION,
                       "application-id", id,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "settings", fixture->settings,
                       "kiosk", kiosk_option,
                       NULL);
}

static void
assert_quit (GtkApplication *app,
             gboolean        kiosk)
{
  g_auto(GStrv) quit = gtk_application_get_accels_for_action (app, "app.quit");
  g_auto(GStrv) help = gtk_application_get_accels_for_action (app, "win.show-help-overlay");

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "quit"));
  g_assert_cmpint (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "quit"), ==, !kiosk);
  if (kiosk)
    {
      g_assert_cmpuint (g_strv_length (quit), ==, 0);
      g_assert_cmpuint (g_strv_length (help), ==, 0);
    }
  else
    {
      g_assert_cmpuint (g_strv_length (quit), ==, 1);
      g_assert_cmpstr (quit[0], ==, "<Control>q");
      /* Set by startup itself: the application has no resource base path
       * from which GtkApplication would (tf_application_constructed ()). */
      g_assert_cmpuint (g_strv_length (help), ==, 1);
      g_assert_cmpstr (help[0], ==, "<Control>question");
      g_assert_null (g_application_get_resource_base_path (G_APPLICATION (app)));
    }
}

static void
test_no_quit (TfUiFixture   *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfApplication) desktop = NULL;
  g_autoptr(TfApplication) kiosk = NULL;

  g_settings_set_boolean (fixture->settings, "kiosk", FALSE);
  desktop = new_application (fixture, "org.twofold.Twofold.Desktop", FALSE);
  g_assert_true (g_application_register (G_APPLICATION (desktop), NULL, &error));
  g_assert_no_error (error);
  assert_quit (GTK_APPLICATION (desktop), FALSE);

  /* The setting alone is enough. */
  g_settings_set_boolean (fixture->settings, "kiosk", TRUE);
  kiosk = new_application (fixture, "org.twofold.Twofold.Kiosk", FALSE);
  g_assert_true (g_application_register (G_APPLICATION (kiosk), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tf_application_get_kiosk (kiosk));
  assert_quit (GTK_APPLICATION (kiosk), TRUE);
}

static void
on_activated (GApplication  *app,
              TfWindow     **window)
{
  *window = TF_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (*window);
  g_object_ref (*window);
  /* Only while the application runs: it is unregistered afterwards. */
  assert_quit (GTK_APPLICATION (app), TRUE);
  /* A kiosk's window refuses to close. */
  gtk_window_close (GTK_WINDOW (*window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (*window)));
  g_application_quit (app);
}

static void
test_kiosk_option (TfUiFixture   *fixture,
                   gconstpointer  data)
{
  g_autoptr(TfApplication) app = NULL;
  TfWindow *window = NULL;
  char *argv[] = { (char *) "twofold", (char *) "--kiosk", NULL };

  g_settings_set_boolean (fixture->settings, "kiosk", FALSE);
  app = new_application (fixture, "org.twofold.Twofold.Option", FALSE);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activated), &window);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 2, argv), ==, 0);

  g_assert_true (tf_application_get_kiosk (app));
  g_assert_nonnull (window);
  g_assert_true (tf_window_get_kiosk (window));
  /* Quitting destroyed it (so the store it held is closed). */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_null (gtk_window_get_application (GTK_WINDOW (window)));

  g_object_unref (window);
}

static GtkEventController *
find_controller (GtkWidget  *widget,
                 const char *name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), name) == 0)
        return controller;
    }

  g_error ("No controller named %s", name);
  return NULL;
}

/* What a key press reaching the window looks like to the idle watch. */
static void
press_key (TfUiFixture *fixture)
{
  GtkEventController *keys = find_controller (GTK_WIDGET (fixture->window), "tf-kiosk-idle-key");
  gboolean handled = TRUE;

  g_assert_cmpint (gtk_event_controller_get_propagation_phase (keys), ==, GTK_PHASE_CAPTURE);
  g_signal_emit_by_name (keys, "key-pressed", GDK_KEY_a, 38, 0, &handled);
  /* Typing still reaches the fields. */
  g_assert_false (handled);
}

static void
test_idle_logs_out (TfUiFixture   *fixture,
                    gconstpointer  data)
{
  GtkWidget *login;

  g_settings_set_uint (fixture->settings, "idle-timeout", 1);
  open_window (fixture);
  log_in_ada (fixture);
  tf_ui_wait_for_page (fixture->window, "home");

  /* Someone using it keeps it open well past the timeout. */
  for (guint i = 0; i < 8; i++)
    {
      press_key (fixture);
      tf_ui_run_for (300);
      g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "home");
    }

  assert_logged_out (fixture);
  g_assert_cmpstr (tf_window_get_last_toast (fixture->window), ==,
                   "Logged out after a time without activity");

  /* Half-typed log-ins do not wait for the next person either. */
  login = tf_window_get_page (fixture->window, "login");
  tf_ui_set_text (login, "Username", "ada");
  tf_ui_set_text (login, "Password", "half a pass");
  press_key (fixture);
  tf_ui_wait_for_page (fixture->window, "login");
  g_assert_cmpstr (tf_ui_get_text (login, "Username"), ==, "ada");
  tf_ui_run_for (2500);
  assert_logged_out (fixture);
}

static void
test_idle_off (TfUiFixture   *fixture,
               gconstpointer  data)
{
  gboolean kiosk = GPOINTER_TO_INT (data);

  /* 0 turns it off in kiosk mode; outside kiosk mode there is none. */
  g_settings_set_boolean (fixture->settings, "kiosk", kiosk);
  g_settings_set_uint (fixture->settings, "idle-timeout", kiosk ? 0 : 1);
  open_window (fixture);
  log_in_ada (fixture);
  tf_ui_wait_for_page (fixture->window, "home");
  tf_ui_run_for (2500);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "home");
  g_assert_nonnull (tf_window_get_session (fixture->window));
}

static void
set_command (TfUiFixture *fixture,
             const char  *script)
{
  const char *argv[] = { "sh", "-c", script, NULL };

  g_settings_set_strv (fixture->settings, "kiosk-session-command", argv);
}

/* No live process is left in the group. Zombies do not count: where
 * nothing reaps orphans (pid 1 in a container), they stay in the group. */
static gboolean
group_gone (gpointer user_data)
{
  int pgid = GPOINTER_TO_INT (user_data);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (proc);
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *end;
      char state;
      int ppid, pgrp;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      /* "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses. */
      end = strrchr (stat, ')');
      if (end != NULL && sscanf (end + 1, " %c %d %d", &state, &ppid, &pgrp) == 3 &&
          pgrp == pgid && state != 'Z')
        return FALSE;
    }

  return TRUE;
}

static void
test_command_exit (TfUiFixture   *fixture,
                   gconstpointer  data)
{
  g_autofree char *user_file = g_build_filename (fixture->dir, "user", NULL);
  g_autofree char *pid_file = g_build_filename (fixture->dir, "pid", NULL);
  /* It leaves a child behind, which must not outlive the session. */
  g_autofree char *script = g_strdup_printf ("printf %%s \"$TWOFOLD_USER\" > '%s'; "
                                             "echo $$ > '%s'; sleep 60 & exit 0",
                                             user_file, pid_file);
  g_autofree char *user = NULL;
  g_autofree char *pid = NULL;

  /* The idle timeout has no say while the session runs. */
  g_settings_set_uint (fixture->settings, "idle-timeout", 1);
  set_command (fixture, script);
  open_window (fixture);
  log_in_ada (fixture);

  assert_logged_out (fixture);
  g_assert_cmpstr (tf_window_get_last_toast (fixture->window), ==, "Logged out");
  g_assert_true (g_file_get_contents (user_file, &user, NULL, NULL));
  g_assert_cmpstr (user, ==, "ada");
  g_assert_true (g_file_get_contents (pid_file, &pid, NULL, NULL));
  /* The command exits at once, possibly before its spawn has returned:
   * the group to end must be known all the same. */
  tf_ui_wait_for (group_gone, GINT_TO_POINTER (atoi (pid)), "what the session left to end");
}

static gboolean
file_has_content (gpointer user_data)
{
  g_autofree char *contents = NULL;

  return g_file_get_contents (user_data, &contents, NULL, NULL) && strchr (contents, '\n');
}

/* Starts a session whose command writes its pid to a file; returns it. */
static pid_t
start_session (TfUiFixture *fixture,
               const char  *body)
{
  g_autofree char *pid_file = g_build_filename (fixture->dir, "pid", NULL);
  g_autofree char *script = g_strdup_printf ("echo $$ > '%s'; %s", pid_file, body);
  g_autofree char *contents = NULL;
  TfInUsePage *in_use;
  pid_t pid;

  g_settings_set_uint (fixture->settings, "idle-timeout", 1);
  set_command (fixture, script);
  open_window (fixture);
  log_in_ada (fixture);

  tf_ui_wait_for_page (fixture->window, "in-use");
  in_use = TF_IN_USE_PAGE (tf_window_get_page (fixture->window, "in-use"));
  g_assert_cmpstr (tf_in_use_page_get_title (in_use), ==, "In use by ada");
  g_assert_nonnull (tf_ui_find (GTK_WIDGET (in_use), "Log Out"));
  /* No idle logout under the session: well past the 1 s timeout. */
  tf_ui_wait_for (file_has_content, pid_file, "the session command's pid");
  tf_ui_run_for (2000);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "in-use");

  g_assert_true (g_file_get_contents (pid_file, &contents, NULL, NULL));
  pid = (pid_t) g_ascii_strtoll (contents, NULL, 10);
  g_assert_cmpint (pid, >, 1);
  g_assert_cmpint (kill (pid, 0), ==, 0);

  return pid;
}

/* The "in use" page as drawn, next to test-screenshots' pictures. */
static void
save_in_use (TfUiFixture *fixture)
{
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *dir = g_build_filename (builddir != NULL ? builddir : ".", "ui", "screenshots",
                                           NULL);
  g_autofree char *path = g_build_filename (dir, "in-use-light.png", NULL);
  g_autoptr(GdkTexture) texture = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  tf_ui_run_for (300);
  texture = tf_ui_render (GTK_WIDGET (fixture->window));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Wrote %s", path);
}

static void
test_log_out_ends_command (TfUiFixture   *fixture,
                           gconstpointer  data)
{
  pid_t pid = start_session (fixture, "exec sleep 30");
  gint64 start;

  save_in_use (fixture);
  start = g_get_monotonic_time ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.log-out", NULL));
  assert_logged_out (fixture);
  g_assert_cmpint (kill (pid, 0), ==, -1);
  g_assert_cmpint (errno, ==, ESRCH);
  /* SIGTERM was enough: no wait for SIGKILL. */
  g_assert_cmpint (g_get_monotonic_time () - start, <,
                   TF_SESSION_COMMAND_GRACE_SECONDS * G_USEC_PER_SEC);
}

static void
test_log_out_kills_stubborn_command (TfUiFixture   *fixture,
                                     gconstpointer  data)
{
  /* Ignores SIGTERM, and so do its children: all go with SIGKILL. */
  pid_t pid = start_session (fixture, "trap '' TERM; sleep 60 & while :; do sleep 1; done");
  TfInUsePage *in_use = TF_IN_USE_PAGE (tf_window_get_page (fixture->window, "in-use"));
  gint64 start = g_get_monotonic_time ();

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.log-out", NULL);
  g_assert_true (tf_in_use_page_get_stopping (in_use));
  tf_ui_run_for (1000);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "in-use");

  assert_logged_out (fixture);
  g_assert_cmpint (g_get_monotonic_time () - start, >=,
                   (TF_SESSION_COMMAND_GRACE_SECONDS - 1) * G_USEC_PER_SEC);
  tf_ui_wait_for (group_gone, GINT_TO_POINTER (pid), "the session's process group to end");
}

static void
test_window_end_ends_command (TfUiFixture   *fixture,
                              gconstpointer  data)
{
  pid_t pid = start_session (fixture, "exec sleep 30");

  tf_ui_destroy_window (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  tf_ui_wait_for (group_gone, GINT_TO_POINTER (pid), "the session's process group to end");
}

static void
test_command_fails_to_start (TfUiFixture   *fixture,
                             gconstpointer  data)
{
  const char *argv[] = { "/nonexistent/twofold-session", NULL };
  const char *toast;

  g_settings_set_strv (fixture->settings, "kiosk-session-command", argv);
  open_window (fixture);
  log_in_ada (fixture);

  assert_logged_out (fixture);
  toast = tf_window_get_last_toast (fixture->window);
  g_assert_nonnull (toast);
  g_assert_true (g_str_has_prefix (toast, "The session could not start: "));
  g_assert_nonnull (strstr (toast, "/nonexistent/twofold-session"));
}

static void
test_registration_setting (TfUiFixture   *fixture,
                           gconstpointer  data)
{
  GtkWidget *login;

  g_settings_set_boolean (fixture->settings, "allow-registration", FALSE);
  open_window (fixture);
  login = tf_window_get_page (fixture->window, "login");
  g_assert_null (tf_ui_lookup (login, "Create Account"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-register", NULL);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "login");

  g_settings_set_boolean (fixture->settings, "allow-registration", TRUE);
  g_assert_nonnull (tf_ui_lookup (login, "Create Account"));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-register", NULL);
  tf_ui_wait_for_page (fixture->window, "register");
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

#define ADD(path, func, data) \
  g_test_add ("/twofold/ui/kiosk/" path, TfUiFixture, data, kiosk_setup, func, kiosk_teardown)

  ADD ("close-refused", test_close_refused, NULL);
  ADD ("no-way-out", test_no_way_out, NULL);
  ADD ("desktop-has-ways-out", test_desktop_has_ways_out, NULL);
  ADD ("no-quit", test_no_quit, NULL);
  ADD ("kiosk-option", test_kiosk_option, NULL);
  ADD ("idle-logs-out", test_idle_logs_out, NULL);
  ADD ("idle-off/zero", test_idle_off, GINT_TO_POINTER (TRUE));
  ADD ("idle-off/desktop", test_idle_off, GINT_TO_POINTER (FALSE));
  ADD ("command-exit", test_command_exit, NULL);
  ADD ("log-out-ends-command", test_log_out_ends_command, NULL);
  ADD ("log-out-kills-stubborn-command", test_log_out_kills_stubborn_command, NULL);
  ADD ("window-end-ends-command", test_window_end_ends_command, NULL);
  ADD ("command-fails-to-start", test_command_fails_to_start, NULL);
  ADD ("registration-setting", test_registration_setting, NULL);

  return g_test_run ();
}
