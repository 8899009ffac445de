/* test-screenshots.c — renders every page in the light and the dark style,
 * at the default width and at 360 px (a portrait kiosk), into
 * <builddir>/tests/ui/screenshots/PAGE-STYLE[-narrow].png. Rendering is
 * in-process (widget paintable → render node → texture → PNG). */
#include "tf-ui-test.h"

#include <glib/gstdio.h>

#include "tf-enrol-page.h"
#include "tf-loading-page.h"
#include "tf-recovery-codes-page.h"
#include "tf-register-page.h"

typedef struct {
  const char *name;
  int         width;
  int         height;
} Shot;

static char *
screenshot_dir (void)
{
  const char *builddir = g_getenv ("G_TEST_BUILDDIR");
  char *dir = g_build_filename (builddir != NULL ? builddir : ".", "ui", "screenshots", NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  return dir;
}

static gboolean
has_size (gpointer user_data)
{
  return gtk_widget_get_width (GTK_WIDGET (user_data)) > 0;
}

static void
save (GtkWidget  *window,
      const char *name)
{
  g_autofree char *dir = screenshot_dir ();
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GdkTexture) texture = NULL;

  tf_ui_wait_for (has_size, window, "the window to take its size");
  /* Icons, spinners and the crossfade settle. */
  tf_ui_run_for (300);
  texture = tf_ui_render (window);
  g_test_message ("%s: %d×%d", name, gdk_texture_get_width (texture),
                  gdk_texture_get_height (texture));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Wrote %s", path);
}

/* Saves the light and dark renderings of the window as it is now. */
static void
save_both (GtkWidget  *window,
           const char *page,
           gboolean    narrow)
{
  const char *suffix = narrow ? "-narrow" : "";
  g_autofree char *light = g_strdup_printf ("%s-light%s", page, suffix);
  g_autofree char *dark = g_strdup_printf ("%s-dark%s", page, suffix);

  tf_ui_force_style (ADW_COLOR_SCHEME_FORCE_LIGHT);
  save (window, light);
  tf_ui_force_style (ADW_COLOR_SCHEME_FORCE_DARK);
  save (window, dark);
  tf_ui_force_style (ADW_COLOR_SCHEME_DEFAULT);
}

static void
set_size (GtkWindow *window,
          gboolean   narrow)
{
  /* Xvfb without a window manager takes 10 px off the default size for
   * the frame; ask for that much more to render 360 × 720 and 480 × 760. */
  gtk_window_set_default_size (window, narrow ? 370 : 490, narrow ? 730 : 770);
}

static TfWindow *
new_window (TfUiFixture *fixture,
            gboolean     narrow,
            gboolean     with_auth)
{
  TfWindow *window = tf_window_new (NULL, fixture->settings, with_auth ? fixture->auth : NULL);

  set_size (GTK_WINDOW (window), narrow);
  tf_ui_fixture_present (fixture, window);

  return window;
}

static void
shoot_login (TfUiFixture *fixture,
             gboolean     narrow)
{
  TfWindow *window = new_window (fixture, narrow, TRUE);
  GtkWidget *page = tf_window_get_page (window, "login");

  tf_ui_wait_for_page (window, "login");
  save_both (GTK_WIDGET (window), "login", narrow);

  tf_ui_log_in (fixture, "ada", "a wrong password", "123456");
  save_both (GTK_WIDGET (window), "login-error", narrow);
  (void) page;
}

/* The page's scrolled window to its end, laid out. */
static void
scroll_to (GtkWidget *page,
           gboolean   end)
{
  GtkWidget *scrolled = tf_ui_find_type (page, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

  tf_ui_run_for (300);
  gtk_adjustment_set_value (adjustment, end ? gtk_adjustment_get_upper (adjustment) -
                                              gtk_adjustment_get_page_size (adjustment) : 0);
}

static void
scroll_to_end (GtkWidget *page)
{
  scroll_to (page, TRUE);
}

static void
scroll_to_start (GtkWidget *page)
{
  scroll_to (page, FALSE);
}

static void
shoot_register (TfUiFixture *fixture,
                gboolean     narrow)
{
  TfWindow *window = new_window (fixture, narrow, TRUE);
  GtkWidget *page = tf_window_get_page (window, "register");

  tf_ui_wait_for_page (window, "login");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-register", NULL);
  tf_ui_wait_for_page (window, "register");
  save_both (GTK_WIDGET (window), "register", narrow);

  /* A toast from before (here the one a log-out leaves) over the form. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.toast", "s", "Logged out");
  scroll_to_end (page);
  save_both (GTK_WIDGET (window), "register-toast", narrow);
  scroll_to_start (page);

  tf_ui_set_text (page, "First name", "Ada");
  tf_ui_set_text (page, "Last name", "Lovelace");
  tf_ui_set_text (page, "Username", "ada lovelace");
  tf_ui_set_text (page, "Email", "ada@example");
  tf_ui_set_text (page, "Password", "lovelace1815");
  gtk_widget_activate_action (page, "register.submit", NULL);
  save_both (GTK_WIDGET (window), "register-errors", narrow);
}

static gint64
shoot_enrol (TfUiFixture *fixture,
             TfWindow    *window,
             gboolean     narrow)
{
  gint64 id = tf_ui_make_pending_user (fixture, "ada", "Ada");
  GtkWidget *enrol = tf_window_get_page (window, "enrol");

  tf_ui_wait_for_page (window, "login");
  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD, "");
  tf_ui_wait_for_page (window, "enrol");
  tf_ui_wait_for_boolean (enrol, "ready", TRUE);
  save_both (GTK_WIDGET (window), "enrol", narrow);

  return id;
}

static void
shoot_enrol_and_recovery (TfUiFixture *fixture,
                          gboolean     narrow)
{
  TfWindow *window = new_window (fixture, narrow, TRUE);
  GtkWidget *enrol = tf_window_get_page (window, "enrol");
  gint64 id = shoot_enrol (fixture, window, narrow);
  g_autofree char *code = tf_ui_code (fixture, id, fixture->now, FALSE);

  tf_ui_set_text (enrol, "Code", code);
  gtk_widget_activate_action (enrol, "enrol.confirm", NULL);
  tf_ui_wait_for_page (window, "recovery");
  save_both (GTK_WIDGET (window), "recovery", narrow);
}

static void
shoot_home (TfUiFixture *fixture,
            gboolean     narrow)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  TfWindow *window = new_window (fixture, narrow, TRUE);
  g_autofree char *code = NULL;
  gint64 id;

  id = tf_ui_make_active_user (fixture, "ada", "Ada", &codes);
  tf_ui_wait_for_page (window, "login");

  /* An earlier login, a failed attempt since, and few codes left. */
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(TfLoginResult) result =
        tf_auth_login (fixture->auth, "ada", TF_UI_PASSWORD,
                       tf_secure_buffer_get_string (g_ptr_array_index (codes, i)), &error);

      g_assert_no_error (error);
      fixture->now += 3600;
    }
  g_assert_null (tf_auth_login (fixture->auth, "ada", "wrong password", "123456", NULL));
  fixture->now += 600;

  code = tf_ui_code (fixture, id, fixture->now, FALSE);
  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD, code);
  tf_ui_wait_for_page (window, "home");
  save_both (GTK_WIDGET (window), "home", narrow);
  fixture->now += 30;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.change-password", NULL);
  tf_ui_wait_for_page (window, "change-password");
  tf_ui_set_text (tf_window_get_page (window, "change-password"), "New password", "lovelace");
  save_both (GTK_WIDGET (window), "change-password", narrow);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.change-email", NULL);
  tf_ui_wait_for_page (window, "change-email");
  tf_ui_set_text (tf_window_get_page (window, "change-email"), "New email address",
                  "countess@example.net");
  save_both (GTK_WIDGET (window), "change-email", narrow);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reenrol", NULL);
  tf_ui_wait_for_page (window, "confirm");
  save_both (GTK_WIDGET (window), "confirm", narrow);
}

static void
shoot_problems (TfUiFixture *fixture,
                gboolean     narrow)
{
  g_autofree char *damaged = g_build_filename (fixture->dir, "damaged.db", NULL);
  TfWindow *window;

  g_settings_set_string (fixture->settings, "key-file", "");
  window = new_window (fixture, narrow, FALSE);
  tf_ui_wait_for_page (window, "problem");
  save_both (GTK_WIDGET (window), "problem-keyring", narrow);
  tf_ui_destroy_window (GTK_WINDOW (window));
  fixture->window = NULL;

  g_assert_true (g_file_set_contents (damaged, "not a database", -1, NULL));
  g_settings_set_string (fixture->settings, "store-path", damaged);
  g_settings_set_string (fixture->settings, "key-file", fixture->key_path);
  window = new_window (fixture, narrow, FALSE);
  tf_ui_wait_for_page (window, "problem");
  save_both (GTK_WIDGET (window), "problem-damaged", narrow);
}

static void
shoot_loading (TfUiFixture *fixture,
               gboolean     narrow)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = g_object_new (TF_TYPE_LOADING_PAGE, "vexpand", TRUE, NULL);

  /* The window's loading state is too short-lived to catch: the page alone,
   * dressed like the window. */
  gtk_widget_add_css_class (header, "flat");
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("", NULL));
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);
  adw_window_set_content (ADW_WINDOW (window), box);
  set_size (GTK_WINDOW (window), narrow);
  tf_loading_page_set_waiting (TF_LOADING_PAGE (page), TRUE, "Waiting for the keyring…");
  gtk_window_present (GTK_WINDOW (window));
  save_both (window, "loading", narrow);
  tf_ui_destroy_window (GTK_WINDOW (window));
}

static void
shoot_dialogs (TfUiFixture *fixture,
               gboolean     narrow)
{
  TfWindow *window = new_window (fixture, narrow, TRUE);
  GtkShortcutsWindow *overlay;
  GListModel *toplevels = gtk_window_get_toplevels ();

  tf_ui_wait_for_page (window, "login");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window));
  save_both (GTK_WIDGET (overlay), "shortcuts", narrow);
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.about", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) about = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (about))
        {
          save_both (GTK_WIDGET (about), "about", narrow);
          tf_ui_destroy_window (GTK_WINDOW (about));
          break;
        }
    }
}

#define SHOT(name) \
  static void \
  test_##name (TfUiFixture *fixture, gconstpointer data) \
  { \
    shoot_##name (fixture, data != NULL); \
  }

SHOT (login)
SHOT (register)
SHOT (enrol_and_recovery)
SHOT (home)
SHOT (problems)
SHOT (loading)
SHOT (dialogs)

int
main (int   argc,
      char *argv[])
{
  const struct { const char *name; void (*func) (TfUiFixture *, gconstpointer); } shots[] = {
    { "login", test_login },
    { "register", test_register },
    { "enrol-and-recovery", test_enrol_and_recovery },
    { "home", test_home },
    { "problems", test_problems },
    { "loading", test_loading },
    { "dialogs", test_dialogs },
  };

  tf_ui_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (shots); i++)
    for (guint narrow = 0; narrow < 2; narrow++)
      {
        g_autofree char *path = g_strdup_printf ("/twofold/ui/screenshots/%s%s", shots[i].name,
                                                 narrow ? "-narrow" : "");

        g_test_add (path, TfUiFixture, narrow ? GINT_TO_POINTER (1) : NULL,
                    tf_ui_fixture_setup_auth, shots[i].func, tf_ui_fixture_teardown);
      }

  return g_test_run ();
}
