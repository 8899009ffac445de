/* tf-qr.h
 *
 * Contract: a QR code as plain data — a square of size × size modules, each
 * dark or light — made by libqrencode at error-correction level M in 8-bit
 * mode (so the exact bytes of the text round-trip), plus a Cairo renderer.
 * The modules live in a secure buffer because the text is usually an
 * otpauth URI holding a secret. The renderer always paints black modules on
 * white, whatever the surrounding theme, with a quiet zone of
 * TF_QR_QUIET_ZONE modules on every side and whole-pixel square modules
 * (module size is an integer number of device pixels), onto any cairo_t.
 * tf_qr_matrix_to_text () draws it for a terminal with Unicode half blocks.
 */
#pragma once

#include <cairo.h>

#include "tf-secure-buffer.h"

G_BEGIN_DECLS

#define TF_QR_ERROR (tf_qr_error_quark ())
#define TF_QR_QUIET_ZONE 4

typedef enum {
  TF_QR_ERROR_TOO_LONG,
  TF_QR_ERROR_FAILED,
} TfQrError;

typedef struct _TfQrMatrix TfQrMatrix;

GQuark          tf_qr_error_quark         (void);

TfQrMatrix     *tf_qr_matrix_new          (const char       *text,
                                           GError          **error);
void            tf_qr_matrix_free         (TfQrMatrix       *self);
guint           tf_qr_matrix_get_size     (const TfQrMatrix *self);
gboolean        tf_qr_matrix_get_module   (const TfQrMatrix *self,
                                           guint             x,
                                           guint             y);

/* Size in modules including the quiet zone on both sides. */
guint           tf_qr_matrix_get_full_size (const TfQrMatrix *self);

/* Largest whole number of device pixels per module so that the code with its
 * quiet zone fits in available_px; at least 1. */
guint           tf_qr_matrix_module_size_for (const TfQrMatrix *self,
                                              guint             available_px);

/* Paints the code, quiet zone included, with its top-left corner at (x, y)
 * in user space and module_px user units per module. Callers that want
 * crisp output pass integer device coordinates. */
void            tf_qr_matrix_render       (const TfQrMatrix *self,
                                           cairo_t          *cr,
                                           double            x,
                                           double            y,
                                           guint             module_px);

/* Terminal drawing: two module rows per text line with U+2580/U+2584/U+2588,
 * dark modules drawn as light text-on-dark inverted so it scans on a dark
 * terminal; quiet zone included. */
TfSecureBuffer *tf_qr_matrix_to_text      (const TfQrMatrix *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfQrMatrix, tf_qr_matrix_free)

G_END_DECLS
