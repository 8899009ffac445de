/* tf-recovery-codes-page.h
 *
 * Shows the recovery codes once, right after they were made: copy them,
 * save them to a file (GtkFileChooserNative; the file is private to the
 * user), and tick "I have saved these codes" before Continue is enabled.
 * Continue emits "done". tf_recovery_codes_page_clear () drops the codes
 * (their buffers are wiped) and empties the labels that showed them.
 */
#pragma once

#include <adwaita.h>

#include "tf-secure-buffer.h"

G_BEGIN_DECLS

#define TF_TYPE_RECOVERY_CODES_PAGE (tf_recovery_codes_page_get_type ())

G_DECLARE_FINAL_TYPE (TfRecoveryCodesPage, tf_recovery_codes_page, TF, RECOVERY_CODES_PAGE, AdwBin)

/* Takes ownership of codes (TfSecureBuffer each, display form). */
void            tf_recovery_codes_page_set_codes   (TfRecoveryCodesPage *self,
                                                    GPtrArray           *codes,
                                                    const char          *account);
void            tf_recovery_codes_page_clear       (TfRecoveryCodesPage *self);
guint           tf_recovery_codes_page_get_n_codes (TfRecoveryCodesPage *self);
gboolean        tf_recovery_codes_page_get_saved   (TfRecoveryCodesPage *self);
void            tf_recovery_codes_page_set_saved   (TfRecoveryCodesPage *self,
                                                    gboolean             saved);
/* The text that Copy and Save to File write: a title line, then one code a line. */
TfSecureBuffer *tf_recovery_codes_page_dup_text    (TfRecoveryCodesPage *self);

G_END_DECLS
