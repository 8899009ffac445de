/* tf-bench-hook.c — see tf-bench-hook.h. */
#define G_LOG_DOMAIN "twofold"

#include "tf-bench-hook.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
tf_bench_hook_fd (void)
{
  const char *value = g_getenv ("TWOFOLD_BENCH_FD");
  char *end = NULL;
  long fd;

  if (value == NULL || *value == '\0')
    return -1;
  fd = strtol (value, &end, 10);
  if (*end != '\0' || fd < 3 || fd > G_MAXINT || fcntl ((int) fd, F_GETFD) < 0)
    return -1;
  return (int) fd;
}

static void
report (void)
{
  static gboolean done;
  char line[32];
  int fd = tf_bench_hook_fd ();
  int length;

  if (done || fd < 0)
    return;
  done = TRUE;
  length = g_snprintf (line, sizeof line, "%" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  while (write (fd, line, (size_t) length) < 0 && errno == EINTR)
    ;
  close (fd);
}

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  GtkWidget *widget = user_data;
  GtkWidget *parent = gtk_widget_get_parent (widget);

  /* A page fading in is not on screen yet: wait for the frame that ends
   * the stack's transition. */
  if (GTK_IS_STACK (parent) && gtk_stack_get_transition_running (GTK_STACK (parent)))
    {
      gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
      return;
    }
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, user_data);
  report ();
}

static void
on_map (GtkWidget *widget,
        gpointer   user_data)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  g_signal_handlers_disconnect_by_func (widget, on_map, user_data);
  if (clock == NULL)
    {
      report ();
      return;
    }
  /* The frame that lays out and paints the newly mapped widget. */
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), widget);
  gdk_frame_clock_request_phase (clock, GDK_FRAME_CLOCK_PHASE_PAINT);
}

void
tf_bench_hook_watch_widget (GtkWidget *widget)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (tf_bench_hook_fd () < 0)
    return;
  if (gtk_widget_get_mapped (widget))
    on_map (widget, NULL);
  else
    g_signal_connect (widget, "map", G_CALLBACK (on_map), NULL);
}

typedef struct {
  char           *page;
  TfBenchGetPage  get_page;
} WatchApplication;

static void
on_window_added (GtkApplication *application,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  WatchApplication *watch = user_data;
  GtkWidget *page = watch->get_page (window, watch->page);

  if (page == NULL)
    return;
  g_signal_handlers_disconnect_by_func (application, on_window_added, user_data);
  tf_bench_hook_watch_widget (page);
}

static void
watch_application_free (gpointer  data,
                        GClosure *closure)
{
  WatchApplication *watch = data;

  g_free (watch->page);
  g_free (watch);
}

void
tf_bench_hook_watch_application (GtkApplication *application,
                                 const char     *page,
                                 TfBenchGetPage  get_page)
{
  WatchApplication *watch;

  g_return_if_fail (GTK_IS_APPLICATION (application));

  if (tf_bench_hook_fd () < 0)
    return;
  watch = g_new0 (WatchApplication, 1);
  watch->page = g_strdup (page);
  watch->get_page = get_page;
  g_signal_connect_data (application, "window-added", G_CALLBACK (on_window_added),
                         watch, watch_application_free, 0);
}
