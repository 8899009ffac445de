/* tf-change-password-page.h
 *
 * Changes the logged-in user's password: current password and a code
 * (authenticator or recovery) prove it is them, then the new password
 * twice, with the same checks and strength hint as registration. Runs
 * tf_auth_change_password_async (); emits "done" on success. Every password
 * field and the code are emptied after each attempt.
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

#define TF_TYPE_CHANGE_PASSWORD_PAGE (tf_change_password_page_get_type ())

G_DECLARE_FINAL_TYPE (TfChangePasswordPage, tf_change_password_page,
                      TF, CHANGE_PASSWORD_PAGE, AdwBin)

void        tf_change_password_page_set_auth          (TfChangePasswordPage *self,
                                                       TfAuth               *auth);
/* The account to change; its names feed the password checks. */
void        tf_change_password_page_set_user          (TfChangePasswordPage *self,
                                                       const TfUser         *user);
gboolean    tf_change_password_page_get_busy          (TfChangePasswordPage *self);
/* field: "current-password", "code", "new-password" or "confirm-password". */
const char *tf_change_password_page_get_field_error   (TfChangePasswordPage *self,
                                                       const char           *field);
const char *tf_change_password_page_get_error_message (TfChangePasswordPage *self);
void        tf_change_password_page_clear             (TfChangePasswordPage *self);

G_END_DECLS
