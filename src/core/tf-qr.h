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
 * An empty text is refused (TF_QR_ERROR_FAILED): it has nothing to scan.
 * Texts longer than a version 40 code holds at level M (2331 bytes) fail
 * with TF_QR_ERROR_TOO_LONG.
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
/* Size in modules of the code itself, without the quiet zone. */
guint           tf_qr_matrix_get_size     (const TfQrMatrix *self);

/* TRUE for a dark module; x is the column and y the row, both counted from
 * the top-left corner of the code (not of the quiet zone) and < size. */
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
 * in user space and module_px (> 0) user units per module: the whole square
 * of full_size × module_px white (1, 1, 1), then the dark modules black
 * (0, 0, 0), without antialiasing. Callers that want crisp output pass
 * integer device coordinates. The current path is cleared; the rest of the
 * state of cr is left as it was. */
void            tf_qr_matrix_render       (const TfQrMatrix *self,
                                           cairo_t          *cr,
                                           double            x,
                                           double            y,
                                           guint             module_px);

/* Terminal drawing, quiet zone included: UTF-8 text of
 * ceil (full_size / 2) lines, each of full_size characters and ending in
 * '\n', every character standing for two module rows (top and bottom half).
 * The characters print the LIGHT modules: U+2588 █ both light, U+2580 ▀ top
 * light, U+2584 ▄ bottom light, and a space where both are dark, so the
 * terminal's own background forms the dark modules. It therefore scans on a
 * light-on-dark terminal (the usual default) and appears as a negative on a
 * dark-on-light one. The half row below an odd full_size counts as dark, so
 * the last line is all ▀. A secure buffer because the code spells out the
 * secret. */
TfSecureBuffer *tf_qr_matrix_to_text      (const TfQrMatrix *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfQrMatrix, tf_qr_matrix_free)

G_END_DECLS
