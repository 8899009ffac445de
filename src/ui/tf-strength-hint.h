/* tf-strength-hint.h
 *
 * A level bar and one line of text under a new password: libpwquality's
 * score, and when the password policy refuses it, the reason in words. It
 * only advises; the service decides on submit.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TF_TYPE_STRENGTH_HINT (tf_strength_hint_get_type ())

G_DECLARE_FINAL_TYPE (TfStrengthHint, tf_strength_hint, TF, STRENGTH_HINT, GtkWidget)

/* Every context string may be NULL; an empty password hides the hint. */
void        tf_strength_hint_update   (TfStrengthHint *self,
                                       const char     *password,
                                       const char     *username,
                                       const char     *first_name,
                                       const char     *last_name,
                                       const char     *email);
const char *tf_strength_hint_get_text (TfStrengthHint *self);
/* 0–100, or -1 while nothing is typed or the policy refuses the password. */
int         tf_strength_hint_get_score (TfStrengthHint *self);

G_END_DECLS
