/* tf-submit-button.h
 *
 * The button that sends a form. While the service works (Argon2id takes a
 * noticeable moment) it shows a spinner in place of its label, keeping its
 * size, and reports itself busy to assistive technologies. The label takes a
 * mnemonic and, as the button's mnemonic label, gives the button its
 * accessible name (without the underscore).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_SUBMIT_BUTTON (tf_submit_button_get_type ())

G_DECLARE_FINAL_TYPE (TfSubmitButton, tf_submit_button, TF, SUBMIT_BUTTON, GtkButton)

const char *tf_submit_button_get_text (TfSubmitButton *self);
void        tf_submit_button_set_text (TfSubmitButton *self,
                                       const char     *text);
gboolean    tf_submit_button_get_busy (TfSubmitButton *self);
void        tf_submit_button_set_busy (TfSubmitButton *self,
                                       gboolean        busy);
/* A form page waiting for the service: the button busy, the form
 * insensitive and the page's submit action (e.g. "login.submit") off; or
 * all of it back. */
void        tf_submit_button_set_form_busy (TfSubmitButton *self,
                                            GtkWidget      *page,
                                            GtkWidget      *form,
                                            const char     *action,
                                            gboolean        busy);

G_END_DECLS
