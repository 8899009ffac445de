/* tf-register-page.h
 *
 * Create an account: first name, last name, username, e-mail, password and
 * its confirmation. Each field is checked as the user leaves it and all of
 * them on submit, with the message under the field; a strength hint from
 * libpwquality follows the password. The service (tf_auth_register_async)
 * has the last word, and its field errors land under the field they name.
 * On success "registered" carries the new (pending) account's id.
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

#define TF_TYPE_REGISTER_PAGE (tf_register_page_get_type ())

G_DECLARE_FINAL_TYPE (TfRegisterPage, tf_register_page, TF, REGISTER_PAGE, AdwBin)

void        tf_register_page_set_auth          (TfRegisterPage *self,
                                                TfAuth         *auth);
gboolean    tf_register_page_get_busy          (TfRegisterPage *self);
/* field: "first-name", "last-name", "username", "email", "password" or
 * "confirm-password". NULL when that field shows no error. */
const char *tf_register_page_get_field_error   (TfRegisterPage *self,
                                                const char     *field);
/* A message about the whole form (not one field), or NULL. */
const char *tf_register_page_get_error_message (TfRegisterPage *self);
const char *tf_register_page_get_strength_text (TfRegisterPage *self);
void        tf_register_page_clear             (TfRegisterPage *self);

G_END_DECLS
