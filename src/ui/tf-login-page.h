/* tf-login-page.h
 *
 * Username, password and code (a 6-digit TOTP code or a recovery code) in
 * one form, sent to the service with tf_auth_login_async (). Every failure
 * reads the same ("Invalid username, password or code."), with the wait
 * when throttled and the clock hint when the service gives one. Password
 * and code are emptied after every attempt. On success "logged-in" is
 * emitted and the result can be taken with tf_login_page_take_result ();
 * errors that end the session (keyring, damaged store) go out as "problem".
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

#define TF_TYPE_LOGIN_PAGE (tf_login_page_get_type ())

G_DECLARE_FINAL_TYPE (TfLoginPage, tf_login_page, TF, LOGIN_PAGE, AdwBin)

TfAuth        *tf_login_page_get_auth          (TfLoginPage *self);
void           tf_login_page_set_auth          (TfLoginPage *self,
                                                TfAuth      *auth);
gboolean       tf_login_page_get_busy          (TfLoginPage *self);
/* The message under the form, or NULL when none is shown. */
const char    *tf_login_page_get_error_message (TfLoginPage *self);
void           tf_login_page_set_username      (TfLoginPage *self,
                                                const char  *username);
/* Empties password and code. */
void           tf_login_page_clear_secrets     (TfLoginPage *self);
/* Empties every field and the message. */
void           tf_login_page_clear             (TfLoginPage *self);
TfLoginResult *tf_login_page_take_result       (TfLoginPage *self);

G_END_DECLS
