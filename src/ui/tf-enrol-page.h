/* tf-enrol-page.h
 *
 * Sets up an authenticator app: the otpauth URI as a QR code, the same
 * secret as text in groups of four with a copy button, short instructions,
 * and a "Code" field to prove the app works. Two modes: a new (pending)
 * account, whose confirmation returns the recovery codes, and replacing the
 * authenticator of an active account. A wrong code says so and keeps the
 * same secret. tf_enrol_page_clear () drops the enrolment (its buffers are
 * wiped) and empties everything that showed it.
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

typedef enum {
  TF_ENROL_NEW,
  TF_ENROL_REPLACE,
} TfEnrolMode;

#define TF_TYPE_ENROL_PAGE (tf_enrol_page_get_type ())

G_DECLARE_FINAL_TYPE (TfEnrolPage, tf_enrol_page, TF, ENROL_PAGE, AdwBin)

void         tf_enrol_page_set_auth             (TfEnrolPage *self,
                                                 TfAuth      *auth);
/* A pending account: fetches its enrolment (tf_auth_get_enrolment_async). */
void         tf_enrol_page_load                 (TfEnrolPage *self,
                                                 gint64       user_id);
/* Re-enrolment already begun by the caller; takes ownership of enrolment. */
void         tf_enrol_page_show_enrolment       (TfEnrolPage *self,
                                                 gint64       user_id,
                                                 TfEnrolment *enrolment);
void         tf_enrol_page_clear                (TfEnrolPage *self);
/* While the spinner shows (no enrolment yet) and the page has been laid
 * out, hidden or not: lays out the QR code, the secret and the form behind
 * it at the width they will be shown at (tf_ui_lay_out_hidden ()), for the
 * frame that first shows an enrolment. FALSE when there was nothing to do
 * (done before, an enrolment on show, the page not laid out yet). */
gboolean     tf_enrol_page_lay_out_ahead        (TfEnrolPage *self);

TfEnrolMode  tf_enrol_page_get_mode             (TfEnrolPage *self);
gboolean     tf_enrol_page_get_ready            (TfEnrolPage *self);
gboolean     tf_enrol_page_get_busy             (TfEnrolPage *self);
const char  *tf_enrol_page_get_account          (TfEnrolPage *self);
/* The secret as shown ("ABCD EFGH …"), or "" when cleared. */
const char  *tf_enrol_page_get_secret_text      (TfEnrolPage *self);
const char  *tf_enrol_page_get_error_message    (TfEnrolPage *self);
GtkWidget   *tf_enrol_page_get_qr_code          (TfEnrolPage *self);
/* After "confirmed" in TF_ENROL_NEW mode: the recovery codes (TfSecureBuffer). */
GPtrArray   *tf_enrol_page_take_recovery_codes  (TfEnrolPage *self);

G_END_DECLS
