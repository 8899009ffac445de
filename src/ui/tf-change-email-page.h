/* tf-change-email-page.h
 *
 * Changes the logged-in user's e-mail address: the new address, checked as
 * at registration, then the current password and a code (authenticator or
 * recovery) — the address is where reset codes go. Runs
 * tf_auth_change_email_async (); emits "done" with the new address on
 * success, after which the address waits for its mailed code. The password
 * and the code are emptied after each attempt.
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

#define TF_TYPE_CHANGE_EMAIL_PAGE (tf_change_email_page_get_type ())

G_DECLARE_FINAL_TYPE (TfChangeEmailPage, tf_change_email_page, TF, CHANGE_EMAIL_PAGE, AdwBin)

void        tf_change_email_page_set_auth          (TfChangeEmailPage *self,
                                                    TfAuth            *auth);
/* The account to change; its current address is shown. */
void        tf_change_email_page_set_user          (TfChangeEmailPage *self,
                                                    const TfUser      *user);
gboolean    tf_change_email_page_get_busy          (TfChangeEmailPage *self);
/* field: "email", "password" or "code". */
const char *tf_change_email_page_get_field_error   (TfChangeEmailPage *self,
                                                    const char        *field);
const char *tf_change_email_page_get_error_message (TfChangeEmailPage *self);
void        tf_change_email_page_clear             (TfChangeEmailPage *self);

G_END_DECLS
