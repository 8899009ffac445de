/* tf-verify-email-group.h
 *
 * The "Verify your e-mail address" group on the home page, shown while the
 * account's e-mail address is unverified: the mailed code, Verify
 * (tf_auth_verify_email_async) and Send a New Code
 * (tf_auth_request_email_verification_async). Once verified it hides
 * itself, emits "verified" and says so through the "win.toast" action.
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

#define TF_TYPE_VERIFY_EMAIL_GROUP (tf_verify_email_group_get_type ())

G_DECLARE_FINAL_TYPE (TfVerifyEmailGroup, tf_verify_email_group, TF, VERIFY_EMAIL_GROUP, AdwBin)

void        tf_verify_email_group_set_auth    (TfVerifyEmailGroup *self,
                                               TfAuth             *auth);
/* Shows the group when user has an e-mail address not yet verified. */
void        tf_verify_email_group_set_user    (TfVerifyEmailGroup *self,
                                               const TfUser       *user);
gboolean    tf_verify_email_group_get_busy    (TfVerifyEmailGroup *self);
/* The message under the code (an error or "sent"), or NULL. */
const char *tf_verify_email_group_get_message (TfVerifyEmailGroup *self);
/* Hides the group and forgets the account. */
void        tf_verify_email_group_clear       (TfVerifyEmailGroup *self);

G_END_DECLS
