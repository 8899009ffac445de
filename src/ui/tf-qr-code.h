/* tf-qr-code.h
 *
 * Draws a QR matrix with Cairo: black modules on white with the quiet zone,
 * whatever the style, in whole device pixels per module (never fewer than
 * 4 logical pixels), honouring the display scale. It asks for enough room
 * for that. Its accessible role is an image named "QR code for your
 * authenticator app", described as pointing to the secret shown as text.
 */
#pragma once

#include <gtk/gtk.h>

#include "tf-qr.h"

G_BEGIN_DECLS

#define TF_TYPE_QR_CODE (tf_qr_code_get_type ())

#define TF_QR_CODE_MIN_MODULE_PX 4

G_DECLARE_FINAL_TYPE (TfQrCode, tf_qr_code, TF, QR_CODE, GtkWidget)

GtkWidget        *tf_qr_code_new            (void);
/* Takes ownership of matrix; NULL clears (and wipes) the code. */
void              tf_qr_code_set_matrix     (TfQrCode   *self,
                                             TfQrMatrix *matrix);
const TfQrMatrix *tf_qr_code_get_matrix     (TfQrCode   *self);
/* Device pixels per module in the last drawing; 0 before the first. */
guint             tf_qr_code_get_module_px  (TfQrCode   *self);

G_END_DECLS
