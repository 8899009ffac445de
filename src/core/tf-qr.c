/* tf-qr.c */
#define G_LOG_DOMAIN "tf-qr"

#include "config.h"

#include "tf-qr.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <qrencode.h>
#include <sodium.h>
#include <string.h>

struct _TfQrMatrix
{
  guint size;
  /* size × size bytes, row by row, 1 for a dark module and 0 for a light one. */
  TfSecureBuffer *modules;
};

/* Three bytes each in UTF-8. */
#define BLOCK_FULL  "\u2588"
#define BLOCK_UPPER "\u2580"
#define BLOCK_LOWER "\u2584"
#define BLOCK_BYTES 3

G_DEFINE_QUARK (tf-qr-error-quark, tf_qr_error)

TfQrMatrix *
tf_qr_matrix_new (const char  *text,
                  GError     **error)
{
  g_autoptr(TfQrMatrix) self = NULL;
  QRcode *code;
  gsize length;
  gsize n_modules;
  guint8 *modules;
  int saved_errno;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* libqrencode refuses it too (EINVAL), but say why in words. */
  length = strlen (text);
  if (length == 0)
    {
      g_set_error_literal (error, TF_QR_ERROR, TF_QR_ERROR_FAILED,
                           _("There is no text to put in a QR code"));
      return NULL;
    }

  if (length > G_MAXINT)
    {
      g_set_error_literal (error, TF_QR_ERROR, TF_QR_ERROR_TOO_LONG,
                           _("The text is too long to fit in a QR code"));
      return NULL;
    }

  /* 8-bit mode for the whole text: no mode guessing, so every byte comes
   * back exactly as it went in. Version 0 picks the smallest that fits. */
  errno = 0;
  code = QRcode_encodeData ((int) length, (const unsigned char *) text,
                            0, QR_ECLEVEL_M);
  saved_errno = errno;

  if (code == NULL)
    {
      if (saved_errno == ERANGE)
        g_set_error_literal (error, TF_QR_ERROR, TF_QR_ERROR_TOO_LONG,
                             _("The text is too long to fit in a QR code"));
      else if (saved_errno != 0)
        g_set_error (error, TF_QR_ERROR, TF_QR_ERROR_FAILED,
                     _("Could not make a QR code: %s"), g_strerror (saved_errno));
      else
        g_set_error_literal (error, TF_QR_ERROR, TF_QR_ERROR_FAILED,
                             _("Could not make a QR code"));
      return NULL;
    }

  g_assert (code->width > 0);

  self = g_new0 (TfQrMatrix, 1);
  self->size = (guint) code->width;
  n_modules = (gsize) self->size * self->size;
  self->modules = tf_secure_buffer_new (n_modules);

  /* The low bit is the colour; the others only say what the module is for. */
  modules = tf_secure_buffer_get_data (self->modules);
  for (gsize i = 0; i < n_modules; i++)
    modules[i] = code->data[i] & 1;

  sodium_memzero (code->data, n_modules);
  QRcode_free (code);

  return g_steal_pointer (&self);
}

void
tf_qr_matrix_free (TfQrMatrix *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->modules, tf_secure_buffer_unref);
  g_free (self);
}

guint
tf_qr_matrix_get_size (const TfQrMatrix *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

static inline const guint8 *
matrix_modules (const TfQrMatrix *self)
{
  /* The buffer is ours; reading it does not change the matrix. */
  return tf_secure_buffer_get_data ((TfSecureBuffer *) self->modules);
}

gboolean
tf_qr_matrix_get_module (const TfQrMatrix *self,
                         guint             x,
                         guint             y)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (x < self->size, FALSE);
  g_return_val_if_fail (y < self->size, FALSE);

  return matrix_modules (self)[(gsize) y * self->size + x] != 0;
}

guint
tf_qr_matrix_get_full_size (const TfQrMatrix *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size + 2 * TF_QR_QUIET_ZONE;
}

guint
tf_qr_matrix_module_size_for (const TfQrMatrix *self,
                              guint             available_px)
{
  guint full_size;

  g_return_val_if_fail (self != NULL, 1);

  full_size = tf_qr_matrix_get_full_size (self);

  return MAX (available_px / full_size, 1);
}

void
tf_qr_matrix_render (const TfQrMatrix *self,
                     cairo_t          *cr,
                     double            x,
                     double            y,
                     guint             module_px)
{
  const guint8 *modules;
  double full_px;
  double code_x;
  double code_y;

  g_return_if_fail (self != NULL);
  g_return_if_fail (cr != NULL);
  g_return_if_fail (module_px > 0);

  modules = matrix_modules (self);
  full_px = (double) tf_qr_matrix_get_full_size (self) * module_px;
  code_x = x + (double) TF_QR_QUIET_ZONE * module_px;
  code_y = y + (double) TF_QR_QUIET_ZONE * module_px;

  cairo_save (cr);
  cairo_new_path (cr);
  /* Without antialiasing a pixel is either in or out, so module edges are
   * crisp and a module stays one solid square. OVER with opaque colours
   * paints exactly these colours, whatever operator the caller had set. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_operator (cr, CAIRO_OPERATOR_OVER);
  cairo_set_fill_rule (cr, CAIRO_FILL_RULE_WINDING);

  cairo_set_source_rgb (cr, 1.0, 1.0, 1.0);
  cairo_rectangle (cr, x, y, full_px, full_px);
  cairo_fill (cr);

  /* One rectangle per horizontal run of dark modules, all in one fill. */
  cairo_set_source_rgb (cr, 0.0, 0.0, 0.0);
  for (guint row = 0; row < self->size; row++)
    {
      const guint8 *line = modules + (gsize) row * self->size;
      guint col = 0;

      while (col < self->size)
        {
          guint start;

          if (!line[col])
            {
              col++;
              continue;
            }

          start = col;
          while (col < self->size && line[col])
            col++;

          cairo_rectangle (cr,
                           code_x + (double) start * module_px,
                           code_y + (double) row * module_px,
                           (double) (col - start) * module_px,
                           (double) module_px);
        }
    }
  cairo_fill (cr);

  cairo_restore (cr);
}

/* Whether the module at (fx, fy) of the full square, quiet zone included,
 * is light. Outside the code it is the quiet zone, hence light. */
static gboolean
full_module_is_light (const TfQrMatrix *self,
                      const guint8     *modules,
                      guint             fx,
                      guint             fy)
{
  if (fx < TF_QR_QUIET_ZONE || fy < TF_QR_QUIET_ZONE)
    return TRUE;

  fx -= TF_QR_QUIET_ZONE;
  fy -= TF_QR_QUIET_ZONE;
  if (fx >= self->size || fy >= self->size)
    return TRUE;

  return modules[(gsize) fy * self->size + fx] == 0;
}

TfSecureBuffer *
tf_qr_matrix_to_text (const TfQrMatrix *self)
{
  g_autoptr(TfSecureBuffer) text = NULL;
  const guint8 *modules;
  guint full_size;
  guint n_lines;
  gsize capacity;
  char *out;
  gsize used = 0;

  g_return_val_if_fail (self != NULL, NULL);

  modules = matrix_modules (self);
  full_size = tf_qr_matrix_get_full_size (self);
  n_lines = (full_size + 1) / 2;
  /* Room for the widest line everywhere; trimmed to what was written. */
  capacity = (gsize) n_lines * ((gsize) full_size * BLOCK_BYTES + 1);
  text = tf_secure_buffer_new (capacity);
  out = (char *) tf_secure_buffer_get_data (text);

  for (guint line = 0; line < n_lines; line++)
    {
      guint top_row = 2 * line;
      guint bottom_row = top_row + 1;

      for (guint col = 0; col < full_size; col++)
        {
          gboolean top = full_module_is_light (self, modules, col, top_row);
          /* Below the last row is the terminal's background: dark. */
          gboolean bottom = bottom_row < full_size &&
                            full_module_is_light (self, modules, col, bottom_row);
          const char *glyph;

          if (top && bottom)
            glyph = BLOCK_FULL;
          else if (top)
            glyph = BLOCK_UPPER;
          else if (bottom)
            glyph = BLOCK_LOWER;
          else
            glyph = " ";

          for (const char *p = glyph; *p != '\0'; p++)
            out[used++] = *p;
        }

      out[used++] = '\n';
    }

  g_assert (used <= capacity);
  tf_secure_buffer_truncate (text, used);

  return g_steal_pointer (&text);
}
