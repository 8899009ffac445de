/* tf-field.h
 *
 * One form field: an entry row (or a password entry row) in its own boxed
 * list with its error message under it. The field tells its form when to
 * check it — "validate" is emitted when focus leaves a field the user has
 * typed in, and again on every change while an error is shown, so the
 * message goes away as soon as the input is fixed. The text inside gets the
 * field's title as its accessible name and the error as its description.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_FIELD (tf_field_get_type ())

G_DECLARE_FINAL_TYPE (TfField, tf_field, TF, FIELD, GtkWidget)

const char  *tf_field_get_text    (TfField    *self);
void         tf_field_set_text    (TfField    *self,
                                   const char *text);
const char  *tf_field_get_error   (TfField    *self);
/* NULL or "" hides the error. */
void         tf_field_set_error   (TfField    *self,
                                   const char *error);
gboolean     tf_field_get_touched (TfField    *self);
/* Empties the text, hides the error and forgets that it was touched. */
void         tf_field_clear       (TfField    *self);
AdwEntryRow *tf_field_get_row     (TfField    *self);

G_END_DECLS
