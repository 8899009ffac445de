/* main.c — the `twofold` program: load settings, hand them to the application. */
#define G_LOG_DOMAIN "twofold"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <sys/resource.h>

#include "tf-application.h"
#include "tf-bench-hook.h"
#include "tf-core.h"
#include "tf-settings.h"
#include "tf-window.h"

static GtkWidget *
get_window_page (GtkWindow  *window,
                 const char *page)
{
  return TF_IS_WINDOW (window) ? tf_window_get_page (TF_WINDOW (window), page) : NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TfApplication) app = NULL;

  /* Passwords, codes and the master key pass through this process: never
   * write them into a core dump. */
  setrlimit (RLIMIT_CORE, &(struct rlimit) { 0, 0 });
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
  /* Inert unless TWOFOLD_BENCH_FD is set (tests/bench/bench-startup.c). */
  tf_bench_hook_watch_application (GTK_APPLICATION (app), "login", get_window_page);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
