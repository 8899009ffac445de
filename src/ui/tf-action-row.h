/* tf-action-row.h
 *
 * A row of a boxed list with a title, a subtitle and widgets after them:
 * AdwActionRow's widgets, CSS and accessible relations, laid out in a way
 * GTK 4.8 does cheaply.
 *
 * AdwActionRow puts its wrapped title and subtitle in a vertical box,
 * inside a horizontal box, both centred with valign=center. At every
 * allocation GTK 4.8 asks a horizontal box's children, and any
 * height-for-width widget that is not `fill`, their width for the height
 * they get, and a wrapped label answers with a binary search: its text
 * shaped again at 10–20 widths. The Home page's seven rows shaped their
 * texts ~300 times per layout, ~125 of them in the log-in's first frame
 * (BENCHMARKS.md, change 35). Here the box that holds the two labels
 * gives its width without a height: the height the row gets is the one
 * it asked for that width, so the answer is the same.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_ACTION_ROW (tf_action_row_get_type ())

G_DECLARE_FINAL_TYPE (TfActionRow, tf_action_row, TF, ACTION_ROW, AdwPreferencesRow)

GtkWidget  *tf_action_row_new          (void);
/* Plain text; "" or NULL hides it. */
const char *tf_action_row_get_subtitle (TfActionRow *self);
void        tf_action_row_set_subtitle (TfActionRow *self,
                                        const char  *subtitle);
/* Also <child type="suffix"> (or <child>) in a .ui file. */
void        tf_action_row_add_suffix   (TfActionRow *self,
                                        GtkWidget   *widget);

G_END_DECLS
