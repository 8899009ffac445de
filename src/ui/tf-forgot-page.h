/* tf-forgot-page.h
 *
 * "Forgot Password": a username or e-mail address sent to the service with
 * tf_auth_request_reset_async (). The answer is always the same, whether or
 * not an account matched; the page then offers to go on to the Reset page,
 * which is announced with "continue" (tf_forgot_page_get_identifier () gives
 * what was typed). Errors that end the session go out as "problem".
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

#define TF_TYPE_FORGOT_PAGE (tf_forgot_page_get_type ())

G_DECLARE_FINAL_TYPE (TfForgotPage, tf_forgot_page, TF, FORGOT_PAGE, AdwBin)

void        tf_forgot_page_set_auth          (TfForgotPage *self,
                                              TfAuth       *auth);
gboolean    tf_forgot_page_get_busy          (TfForgotPage *self);
/* The answer shown once a code was requested, or NULL before. */
const char *tf_forgot_page_get_answer        (TfForgotPage *self);
/* The message under the form, or NULL when none is shown. */
const char *tf_forgot_page_get_error_message (TfForgotPage *self);
const char *tf_forgot_page_get_identifier    (TfForgotPage *self);
void        tf_forgot_page_set_identifier    (TfForgotPage *self,
                                              const char   *identifier);
/* Back to the empty form. */
void        tf_forgot_page_clear             (TfForgotPage *self);

G_END_DECLS
