/* tf-confirm-page.h
 *
 * "Confirm it is you": password and code before an account change that
 * needs both — generating new recovery codes, or starting to re-enrol the
 * authenticator. The page runs the matching service call and emits
 * "confirmed"; the result is taken with tf_confirm_page_take_recovery_codes ()
 * or tf_confirm_page_take_enrolment (). Password and code are emptied after
 * every attempt.
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

typedef enum {
  TF_CONFIRM_REGENERATE_CODES,
  TF_CONFIRM_REENROL,
} TfConfirmMode;

#define TF_TYPE_CONFIRM_PAGE (tf_confirm_page_get_type ())

G_DECLARE_FINAL_TYPE (TfConfirmPage, tf_confirm_page, TF, CONFIRM_PAGE, AdwBin)

void           tf_confirm_page_set_auth            (TfConfirmPage *self,
                                                    TfAuth        *auth);
/* Prepares the page for mode on user_id, clearing what was typed before. */
void           tf_confirm_page_start               (TfConfirmPage *self,
                                                    TfConfirmMode  mode,
                                                    gint64         user_id);
TfConfirmMode  tf_confirm_page_get_mode            (TfConfirmPage *self);
gboolean       tf_confirm_page_get_busy            (TfConfirmPage *self);
const char    *tf_confirm_page_get_error_message   (TfConfirmPage *self);
void           tf_confirm_page_clear               (TfConfirmPage *self);
GPtrArray     *tf_confirm_page_take_recovery_codes (TfConfirmPage *self);
TfEnrolment   *tf_confirm_page_take_enrolment      (TfConfirmPage *self);

G_END_DECLS
