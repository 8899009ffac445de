/* tf-reset-page.h
 *
 * "Reset Password": the username or e-mail address, the code from the
 * e-mail, the new password twice and the current authenticator code (or a
 * recovery code), sent with tf_auth_reset_password_async (). Policy errors
 * show under New password, a mismatch under Confirm, and every other
 * failure reads the same. Password and codes are emptied after every
 * attempt. On success "password-reset" is emitted; errors that end the
 * session go out as "problem".
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

#define TF_TYPE_RESET_PAGE (tf_reset_page_get_type ())

G_DECLARE_FINAL_TYPE (TfResetPage, tf_reset_page, TF, RESET_PAGE, AdwBin)

void        tf_reset_page_set_auth          (TfResetPage *self,
                                             TfAuth      *auth);
gboolean    tf_reset_page_get_busy          (TfResetPage *self);
const char *tf_reset_page_get_identifier    (TfResetPage *self);
void        tf_reset_page_set_identifier    (TfResetPage *self,
                                             const char  *identifier);
/* The message under the form, or NULL when none is shown. */
const char *tf_reset_page_get_error_message (TfResetPage *self);
/* field: "identifier", "reset-code", "password", "confirm-password" or
 * "code"; NULL when the field shows no error. */
const char *tf_reset_page_get_field_error   (TfResetPage *self,
                                             const char  *field);
/* Empties the codes and passwords. */
void        tf_reset_page_clear_secrets     (TfResetPage *self);
/* Empties every field and message. */
void        tf_reset_page_clear             (TfResetPage *self);

G_END_DECLS
