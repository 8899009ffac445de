/* tf-bench-hook.h
 *
 * Contract: a measurement hook for the start-up benchmark
 * (tests/bench/bench-startup.c), inert unless the environment variable
 * TWOFOLD_BENCH_FD names an open file descriptor. Then, the first time the
 * watched widget is mapped and a frame showing it has been painted (for a
 * page of a GtkStack: the frame that ends the stack's transition), one
 * line is written to that descriptor: g_get_monotonic_time () in
 * microseconds (CLOCK_MONOTONIC, comparable across processes), and the
 * descriptor is closed. Nothing else changes.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The descriptor from TWOFOLD_BENCH_FD, or -1 when the hook is off. */
int      tf_bench_hook_fd            (void);
/* Reports the first painted frame after @widget is mapped. */
void     tf_bench_hook_watch_widget  (GtkWidget      *widget);
/* For the app: watches the page named @page of the first TfWindow that
 * @application adds, through @get_page (window, page). */
typedef GtkWidget *(*TfBenchGetPage) (GtkWindow  *window,
                                      const char *page);
void     tf_bench_hook_watch_application (GtkApplication *application,
                                          const char     *page,
                                          TfBenchGetPage  get_page);

G_END_DECLS
