/* test-i18n.c — the window speaks German and French with the catalogues the
 * build compiled into <build>/po (found through TWOFOLD_LOCALEDIR, which
 * tf_core_init () honours).  LC_ALL is C.UTF-8 in the test environment;
 * glibc honours LANGUAGE for it, so no generated locale is needed. */
#include "config.h"

#include "tf-ui-test.h"

#include <glib/gi18n.h>
#include <locale.h>

typedef struct {
  const char *language;
  const char *log_in;
  const char *username;
  const char *password;
  const char *code;
  const char *create_account;
} Expected;

static const Expected german = {
  "de", "Anmelden", "Benutzername", "Passwort", "Bestätigungscode", "Konto erstellen",
};

static const Expected french = {
  "fr", "Se connecter", "Nom d’utilisateur", "Mot de passe", "Code de vérification",
  "Créer un compte",
};

/* The language must be chosen before the window is built. */
static void
setup (TfUiFixture   *fixture,
       gconstpointer  data)
{
  const Expected *expected = data;

  g_setenv ("LANGUAGE", expected->language, TRUE);
  /* gettext caches translations: setting the domain again flushes them. */
  textdomain (GETTEXT_PACKAGE);
  tf_ui_fixture_setup (fixture, data);
}

static void
teardown (TfUiFixture   *fixture,
          gconstpointer  data)
{
  tf_ui_fixture_teardown (fixture, data);
  g_setenv ("LANGUAGE", "C", TRUE);
}

static void
test_login_page (TfUiFixture   *fixture,
                 gconstpointer  data)
{
  const Expected *expected = data;
  GtkWidget *page = tf_window_get_page (fixture->window, "login");

  g_assert_cmpstr (_("Log In"), ==, expected->log_in);
  g_assert_true (GTK_IS_BUTTON (tf_ui_find (page, expected->log_in)));
  g_assert_true (GTK_IS_BUTTON (tf_ui_find (page, expected->create_account)));
  g_assert_true (GTK_IS_TEXT (tf_ui_find (page, expected->username)));
  g_assert_true (GTK_IS_TEXT (tf_ui_find (page, expected->password)));
  g_assert_true (GTK_IS_TEXT (tf_ui_find (page, expected->code)));
  g_assert_null (tf_ui_lookup (page, "Log In"));
  g_assert_null (tf_ui_lookup (page, "Username"));
}

/* The translators are credited in the About window. */
static void
test_about_credits (TfUiFixture   *fixture,
                    gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwAboutWindow *about = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.about", NULL));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        about = ADW_ABOUT_WINDOW (window);
    }

  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_translator_credits (about), ==, "Twofold Translators");
  tf_ui_destroy_window (GTK_WINDOW (about));
}

int
main (int   argc,
      char *argv[])
{
  const char *build_root = g_getenv ("TF_BUILD_ROOT");

  /* Before tf_core_init () binds the text domain. */
  if (build_root != NULL && g_getenv ("TWOFOLD_LOCALEDIR") == NULL)
    {
      g_autofree char *localedir = g_build_filename (build_root, "po", NULL);
      g_setenv ("TWOFOLD_LOCALEDIR", localedir, TRUE);
    }

  tf_ui_test_init (&argc, &argv);
  /* gtk_test_init () puts the process in the C locale, where LANGUAGE is
   * ignored; take the environment's (C.UTF-8 under meson test) back. */
  setlocale (LC_ALL, "");
  /* As src/app/main.c does: GtkBuilder translates with the default domain. */
  textdomain (GETTEXT_PACKAGE);

  g_test_add ("/twofold/ui/i18n/de", TfUiFixture, &german, setup, test_login_page, teardown);
  g_test_add ("/twofold/ui/i18n/fr", TfUiFixture, &french, setup, test_login_page, teardown);
  g_test_add ("/twofold/ui/i18n/de/about", TfUiFixture, &german, setup, test_about_credits,
              teardown);
  g_test_add ("/twofold/ui/i18n/fr/about", TfUiFixture, &french, setup, test_about_credits,
              teardown);

  return g_test_run ();
}
