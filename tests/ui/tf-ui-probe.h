/* tf-ui-probe.h — a height-for-width widget that counts the requests for
 * its width at a given height, for the tests that check a layout never
 * makes them (a wrapped label answers each with a binary search over Pango
 * layouts in GTK 4.8: src/ui/tf-status-page.h, src/ui/tf-action-row.h). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_UI_TYPE_PROBE (tf_ui_probe_get_type ())
G_DECLARE_FINAL_TYPE (TfUiProbe, tf_ui_probe, TF_UI, PROBE, GtkWidget)

/* 100–300 px wide; its height for a width is 30 000 / width (at least
 * 100 wide), like a paragraph that wraps. */
GtkWidget *tf_ui_probe_new                    (void);
guint      tf_ui_probe_get_width_for_height   (TfUiProbe  *self);

/* Presents content in a window, waits until probe is laid out, then
 * resizes the window twice: each size is a new allocation of everything
 * in it. Returns the window (tf_ui_destroy_window () it). */
GtkWidget *tf_ui_present_and_resize           (GtkWidget  *content,
                                               GtkWidget  *probe);
/* The label under root whose text is text, shown or not, or NULL. */
GtkWidget *tf_ui_find_label                   (GtkWidget  *root,
                                               const char *text);

G_END_DECLS
