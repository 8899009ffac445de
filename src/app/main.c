/* main.c — the `twofold` program: load settings, hand them to the application. */
#define G_LOG_DOMAIN "twofold"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tf-application.h"
#include "tf-core.h"
#include "tf-settings.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TfApplication) app = NULL;

  setlocale (LC_ALL, "");
  tf_core_init ();
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name (_("Twofold"));

  settings = tf_settings_new (&error);
  if (settings == NULL)
    {
      g_printerr ("twofold: %s\n", error->message);
      return 1;
    }

  app = tf_application_new (settings);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
