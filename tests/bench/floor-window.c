/* floor-window.c — the start-up benchmark's floor: the least a libadwaita
 * program does to show a window (AdwApplication, AdwApplicationWindow the
 * size of Twofold's, one AdwStatusPage). It carries the same measurement
 * hook as `twofold` (TWOFOLD_BENCH_FD, src/app/tf-bench-hook.h), watching
 * the status page, so both are timed the same way. */
#include <adwaita.h>

#include "tf-bench-hook.h"

static void
activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_title (ADW_STATUS_PAGE (page), "Floor");
  adw_status_page_set_description (ADW_STATUS_PAGE (page), "A minimal libadwaita window.");
  gtk_window_set_title (GTK_WINDOW (window), "Floor");
  gtk_window_set_default_size (GTK_WINDOW (window), 480, 760);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), page);
  tf_bench_hook_watch_widget (page);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("org.twofold.BenchFloor",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
