/* tf-status-page.h
 *
 * A page's icon, title, description (Pango markup) and content, centred
 * and scrolled: AdwStatusPage's layout and look, laid out in a way GTK 4.8
 * does cheaply.
 *
 * AdwStatusPage centres its content with valign=center. At every
 * allocation GTK 4.8 then asks that content its width for the height it
 * gets (gtk_widget_adjust_size_allocation ()), and each wrapped label in
 * it answers with a binary search: its text shaped again at 10–20 widths.
 * That was most of the layout of the pages with long descriptions
 * (BENCHMARKS.md, change 32). Here a vertical GtkCenterBox centres the
 * content instead; it only asks heights for widths.
 *
 * The widget's CSS name is "statuspage", so libadwaita's rules for the
 * outer box apply; the app's style.css carries the rest one box deeper.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_STATUS_PAGE (tf_status_page_get_type ())

G_DECLARE_FINAL_TYPE (TfStatusPage, tf_status_page, TF, STATUS_PAGE, GtkWidget)

void        tf_status_page_set_icon_name   (TfStatusPage *self,
                                            const char   *icon_name);
const char *tf_status_page_get_title       (TfStatusPage *self);
void        tf_status_page_set_title       (TfStatusPage *self,
                                            const char   *title);
const char *tf_status_page_get_description (TfStatusPage *self);
/* description is Pango markup; NULL or "" hides it. */
void        tf_status_page_set_description (TfStatusPage *self,
                                            const char   *description);
void        tf_status_page_set_child       (TfStatusPage *self,
                                            GtkWidget    *child);

G_END_DECLS
