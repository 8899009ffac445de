/* main.c — `twofold-admin`, the command line over the same core. */
#define G_LOG_DOMAIN "twofold-admin"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "tf-core.h"
#include "tf-settings.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;

  setlocale (LC_ALL, "");
  tf_core_init ();
  textdomain (GETTEXT_PACKAGE);

  settings = tf_settings_new (&error);
  if (settings == NULL)
    {
      g_printerr ("twofold-admin: %s\n", error->message);
      return 3;
    }

  g_printerr ("twofold-admin: %s\n", _("no command given; see --help"));
  return 2;
}
