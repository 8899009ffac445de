/* tf-ui-util.h
 *
 * Small helpers shared by the widgets of libtwofold-ui: accessible names for
 * entry rows, mnemonic stripping, routing of errors that end a session, and
 * clearing secrets from the clipboard. No widget types live here.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Makes sure the compiled-in resources (templates) are registered; every
 * widget class calls it before loading its template. */
void      tf_ui_ensure_resources     (void);
/* Gives the text inside an entry row (the widget screen readers and AT-SPI
 * tools interact with) the row's title as its accessible name. */
void      tf_ui_label_entry_row      (AdwEntryRow  *row);
/* Sets GTK_ACCESSIBLE_PROPERTY_LABEL to label with its mnemonic
 * underscores removed ("_Log In" → "Log In"). */
void      tf_ui_set_accessible_label (GtkWidget    *widget,
                                      const char   *label);
char     *tf_ui_strip_mnemonic       (const char   *label);
/* Makes a form (in)sensitive while the service works on it. Focus inside
 * it is dropped first: GTK 4.8 leaves a text's cursor blinking (and warns)
 * when the focused text turns insensitive. Greying out takes one frame:
 * the rows' animations started in the same turn of the main loop (focus,
 * emptied fields) end at once. */
void      tf_ui_set_form_sensitive   (GtkWidget    *form,
                                      gboolean      sensitive);
/* Has spinner spin while it is mapped, and only then: GtkSpinner's CSS
 * animation makes the window draw a frame every 16 ms for as long as it
 * spins, on screen or not. */
void      tf_ui_spin_while_mapped    (GtkSpinner   *spinner);
/* Lays out a widget that is not on show (a stack's hidden page, what a
 * page keeps behind a spinner) at @width × @height, never below its
 * minimum; a negative @height means its natural height at that width.
 * The frame that later shows it at that size then has no label to measure
 * and nothing to allocate again: GTK keeps a widget's measurements until
 * it queues a resize, and skips allocating one whose size is unchanged.
 * FALSE, and nothing done, when it is on show or the size is not known
 * yet (a width of zero or less, a height of zero). */
gboolean  tf_ui_lay_out_hidden       (GtkWidget    *widget,
                                      int           width,
                                      int           height);
/* A form's error label: shown with message, hidden when it is NULL or
 * empty; get returns the message shown, or NULL. */
void        tf_ui_set_error_label    (GtkLabel     *label,
                                      const char   *message);
const char *tf_ui_get_error_label    (GtkLabel     *label);
/* Empties the text of an editable without leaving undo history behind. */
void      tf_ui_clear_editable       (GtkEditable  *editable);
/* Drops the clipboard's content when this process put it there, so a
 * copied secret does not outlive the page that showed it. */
void      tf_ui_forget_clipboard     (GtkWidget    *widget);
/* "Today at 10:12", "Yesterday at 10:12" or "4 June 2024 at 10:12". */
char     *tf_ui_format_time          (gint64        unix_time,
                                      gint64        now);

G_END_DECLS
