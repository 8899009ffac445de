/* test-qr.c */
#include "tf-core.h"
#include "tf-qr.h"

#include <glib/gstdio.h>
#include <string.h>

#define URI "otpauth://totp/Twofold:alice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" \
            "&issuer=Twofold&algorithm=SHA1&digits=6&period=30"

/* Capacity of a version 40 code at level M in 8-bit mode. */
#define MAX_BYTES 2331

#define WHITE 0xffffffffu
#define BLACK 0xff000000u

typedef struct
{
  char *tmp_dir;
  char *png_path;
} ScanFixture;

static void
scan_fixture_set_up (ScanFixture   *fixture,
                     gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmp_dir = g_dir_make_tmp ("twofold-qr-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->png_path = g_build_filename (fixture->tmp_dir, "code.png", NULL);
}

static void
scan_fixture_tear_down (ScanFixture   *fixture,
                        gconstpointer  user_data)
{
  g_remove (fixture->png_path);
  g_assert_cmpint (g_rmdir (fixture->tmp_dir), ==, 0);
  g_clear_pointer (&fixture->png_path, g_free);
  g_clear_pointer (&fixture->tmp_dir, g_free);
}

/* Reads a pixel through memcpy: the data is only byte-aligned as far as the
 * compiler knows. */
static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 pixel;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));

  memcpy (&pixel, data + (gsize) y * stride + (gsize) x * 4, sizeof pixel);

  return pixel;
}

/* A surface of the given size filled with an opaque colour, the code painted
 * onto it at (x, y). */
static cairo_surface_t *
render_to_surface (const TfQrMatrix *matrix,
                   int               width,
                   int               height,
                   double            background,
                   int               x,
                   int               y,
                   guint             module_px)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);

  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, background, background, background);
  cairo_paint (cr);
  tf_qr_matrix_render (matrix, cr, x, y, module_px);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

/* Writes the surface as a PNG and returns what zbarimg reads from it, or
 * NULL after g_test_skip () when zbarimg is not installed. With binary,
 * zbar hands back the payload bytes as they are instead of guessing their
 * character set and converting them to UTF-8. */
static char *
scan_with_zbar (ScanFixture     *fixture,
                cairo_surface_t *surface,
                gboolean         binary)
{
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;
  gsize length;

  if (zbarimg == NULL)
    {
      g_test_skip ("zbarimg not found in PATH (Debian package zbar-tools): "
                   "cannot check that the rendered code scans");
      return NULL;
    }

  g_assert_cmpint (cairo_surface_write_to_png (surface, fixture->png_path), ==,
                   CAIRO_STATUS_SUCCESS);

  {
    /* Options only apply to the images named after them. */
    const char *argv[] = { zbarimg, "--nodbus", "--raw", "-q",
                           binary ? "-Sbinary" : "-Sbinary=0",
                           fixture->png_path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                  &out, &err, &wait_status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, &error))
    g_test_message ("zbarimg stderr: %s", err);
  /* Exit status 4 means no code was found in the image. */
  g_assert_no_error (error);

  /* --raw prints the payload followed by one newline; -Sbinary, the bare
   * payload. */
  length = strlen (out);
  if (binary)
    {
      g_assert_cmpuint (length, >, 0);
      return g_steal_pointer (&out);
    }
  g_assert_cmpuint (length, >, 0);
  g_assert_cmpint (out[length - 1], ==, '\n');
  out[length - 1] = '\0';

  return g_steal_pointer (&out);
}

static void
test_scan_4px (ScanFixture   *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (URI, &error);
  g_autofree char *decoded = NULL;
  cairo_surface_t *surface;
  int side;

  g_assert_no_error (error);
  side = (int) tf_qr_matrix_get_full_size (matrix) * 4;
  surface = render_to_surface (matrix, side, side, 0.5, 0, 0, 4);
  decoded = scan_with_zbar (fixture, surface, FALSE);
  cairo_surface_destroy (surface);

  if (decoded != NULL)
    g_assert_cmpstr (decoded, ==, URI);
}

static void
test_scan_2px (ScanFixture   *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (URI, &error);
  g_autofree char *decoded = NULL;
  cairo_surface_t *surface;
  int side;

  g_assert_no_error (error);
  side = (int) tf_qr_matrix_get_full_size (matrix) * 2;
  surface = render_to_surface (matrix, side, side, 0.5, 0, 0, 2);
  decoded = scan_with_zbar (fixture, surface, FALSE);
  cairo_surface_destroy (surface);

  if (decoded != NULL)
    g_assert_cmpstr (decoded, ==, URI);
}

/* A dark theme around the code: only the quiet zone the renderer paints
 * separates it from the dark surroundings. */
static void
test_scan_offset_dark (ScanFixture   *fixture,
                       gconstpointer  user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (URI, &error);
  g_autofree char *decoded = NULL;
  cairo_surface_t *surface;
  int side;

  g_assert_no_error (error);
  side = (int) tf_qr_matrix_get_full_size (matrix) * 3;
  surface = render_to_surface (matrix, side + 100, side + 80, 0.15, 37, 53, 3);
  /* The surroundings really are dark, right up to the code. */
  g_assert_cmphex (pixel_at (surface, 36, 53), !=, WHITE);
  g_assert_cmphex (pixel_at (surface, 37, 52), !=, WHITE);
  g_assert_cmphex (pixel_at (surface, 37, 53), ==, WHITE);
  decoded = scan_with_zbar (fixture, surface, FALSE);
  cairo_surface_destroy (surface);

  if (decoded != NULL)
    g_assert_cmpstr (decoded, ==, URI);
}

/* Bytes outside ASCII come back unchanged: 8-bit mode, no mode guessing.
 * zbar has to be told not to convert them: left to guess, it takes this
 * UTF-8 for Shift JIS (other readers may guess wrong too, which is why
 * otpauth labels are percent-encoded). */
static void
test_scan_utf8 (ScanFixture   *fixture,
                gconstpointer  user_data)
{
  static const char text[] =
    "otpauth://totp/B\xc3\xa4" "ckerei:j\xc3\xbcrgen?secret=JBSWY3DPEHPK3PXP&issuer=B%C3%A4ckerei";
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (text, &error);
  g_autofree char *decoded = NULL;
  cairo_surface_t *surface;
  int side;

  g_assert_no_error (error);
  side = (int) tf_qr_matrix_get_full_size (matrix) * 4;
  surface = render_to_surface (matrix, side, side, 0.5, 0, 0, 4);
  decoded = scan_with_zbar (fixture, surface, TRUE);
  cairo_surface_destroy (surface);

  if (decoded != NULL)
    g_assert_cmpstr (decoded, ==, text);
}

/* The 7 × 7 finder pattern whose top-left module is (x0, y0): dark ring,
 * light ring, dark 3 × 3 centre. */
static void
assert_finder (const TfQrMatrix *matrix,
               guint             x0,
               guint             y0)
{
  for (guint dy = 0; dy < 7; dy++)
    for (guint dx = 0; dx < 7; dx++)
      {
        guint ring = MIN (MIN (dx, dy), MIN (6 - dx, 6 - dy));
        gboolean expected_dark = ring != 1;

        g_assert_cmpint (tf_qr_matrix_get_module (matrix, x0 + dx, y0 + dy), ==,
                         expected_dark);
      }
}

static void
test_matrix (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (URI, &error);
  g_autoptr(TfQrMatrix) again = NULL;
  g_autoptr(TfQrMatrix) other = NULL;
  guint size;
  gboolean differs = FALSE;

  g_assert_no_error (error);
  g_assert_nonnull (matrix);

  /* 110 bytes at level M need version 7: 17 + 4 × 7 modules. */
  size = tf_qr_matrix_get_size (matrix);
  g_assert_cmpuint (size, ==, 45);
  g_assert_cmpuint (tf_qr_matrix_get_full_size (matrix), ==, size + 2 * TF_QR_QUIET_ZONE);

  assert_finder (matrix, 0, 0);
  assert_finder (matrix, size - 7, 0);
  assert_finder (matrix, 0, size - 7);
  /* Same text, same code; another secret, another code of the same size. */
  again = tf_qr_matrix_new (URI, &error);
  g_assert_no_error (error);
  other = tf_qr_matrix_new ("otpauth://totp/Twofold:alice?secret=JBSWY3DPEHPK3PXQJBSWY3DPEHPK3PXP"
                            "&issuer=Twofold&algorithm=SHA1&digits=6&period=30", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tf_qr_matrix_get_size (other), ==, size);
  for (guint y = 0; y < size; y++)
    for (guint x = 0; x < size; x++)
      {
        g_assert_cmpint (tf_qr_matrix_get_module (again, x, y), ==,
                         tf_qr_matrix_get_module (matrix, x, y));
        if (tf_qr_matrix_get_module (other, x, y) != tf_qr_matrix_get_module (matrix, x, y))
          differs = TRUE;
      }
  g_assert_true (differs);
}

static void
test_smallest (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new ("A", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (tf_qr_matrix_get_size (matrix), ==, 21);
  g_assert_cmpuint (tf_qr_matrix_get_full_size (matrix), ==, 29);
}

static void
test_too_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill (8000, 'a');
  g_autofree char *fits = g_strnfill (MAX_BYTES, 'a');
  g_autofree char *one_more = g_strnfill (MAX_BYTES + 1, 'a');
  g_autoptr(TfQrMatrix) matrix = NULL;

  matrix = tf_qr_matrix_new (huge, &error);
  g_assert_null (matrix);
  g_assert_error (error, TF_QR_ERROR, TF_QR_ERROR_TOO_LONG);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);

  /* The boundary: the largest version holds exactly MAX_BYTES. */
  matrix = tf_qr_matrix_new (fits, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tf_qr_matrix_get_size (matrix), ==, 177);
  g_clear_pointer (&matrix, tf_qr_matrix_free);

  matrix = tf_qr_matrix_new (one_more, &error);
  g_assert_null (matrix);
  g_assert_error (error, TF_QR_ERROR, TF_QR_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* The error is optional. */
  g_assert_null (tf_qr_matrix_new (huge, NULL));
}

/* An empty text is refused: a code with nothing in it is never what a
 * caller meant to show. */
static void
test_empty (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new ("", &error);

  g_assert_null (matrix);
  g_assert_error (error, TF_QR_ERROR, TF_QR_ERROR_FAILED);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_null (tf_qr_matrix_new ("", NULL));
}

static void
test_module_size_for (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (URI, &error);
  guint full;

  g_assert_no_error (error);
  full = tf_qr_matrix_get_full_size (matrix);
  g_assert_cmpuint (full, ==, 53);

  g_assert_cmpuint (tf_qr_matrix_module_size_for (matrix, 53), ==, 1);
  g_assert_cmpuint (tf_qr_matrix_module_size_for (matrix, 105), ==, 1);
  g_assert_cmpuint (tf_qr_matrix_module_size_for (matrix, 106), ==, 2);
  g_assert_cmpuint (tf_qr_matrix_module_size_for (matrix, 200), ==, 3);
  g_assert_cmpuint (tf_qr_matrix_module_size_for (matrix, 212), ==, 4);
  g_assert_cmpuint (tf_qr_matrix_module_size_for (matrix, 530), ==, 10);
  g_assert_cmpuint (tf_qr_matrix_module_size_for (matrix, 582), ==, 10);
  /* Too little room still gets one pixel per module, never zero. */
  g_assert_cmpuint (tf_qr_matrix_module_size_for (matrix, 52), ==, 1);
  g_assert_cmpuint (tf_qr_matrix_module_size_for (matrix, 1), ==, 1);
  g_assert_cmpuint (tf_qr_matrix_module_size_for (matrix, 0), ==, 1);

  /* Whatever the room, the result fits in it when anything can. */
  for (guint available = full; available < 2000; available++)
    {
      guint px = tf_qr_matrix_module_size_for (matrix, available);

      g_assert_cmpuint (px * full, <=, available);
      g_assert_cmpuint ((px + 1) * full, >, available);
    }
}

/* The quiet zone is pure white on every side, and not one pixel beyond the
 * code's square is touched. */
static void
test_quiet_zone_pixels (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (URI, &error);
  const guint px = 4;
  const int ox = 11;
  const int oy = 6;
  cairo_surface_t *surface;
  int full_px;
  int quiet_px = TF_QR_QUIET_ZONE * px;
  guint32 background;

  g_assert_no_error (error);
  full_px = (int) (tf_qr_matrix_get_full_size (matrix) * px);
  surface = render_to_surface (matrix, full_px + 2 * ox, full_px + 2 * oy, 0.25, ox, oy, px);
  background = pixel_at (surface, 0, 0);
  g_assert_cmphex (background, !=, WHITE);
  g_assert_cmphex (background, !=, BLACK);

  for (int y = 0; y < cairo_image_surface_get_height (surface); y++)
    for (int x = 0; x < cairo_image_surface_get_width (surface); x++)
      {
        int cx = x - ox;
        int cy = y - oy;
        gboolean inside = cx >= 0 && cy >= 0 && cx < full_px && cy < full_px;
        gboolean in_quiet_zone = inside &&
                                 (cx < quiet_px || cy < quiet_px ||
                                  cx >= full_px - quiet_px || cy >= full_px - quiet_px);

        if (!inside)
          g_assert_cmphex (pixel_at (surface, x, y), ==, background);
        else if (in_quiet_zone)
          g_assert_cmphex (pixel_at (surface, x, y), ==, WHITE);
      }

  cairo_surface_destroy (surface);
}

/* Each module is a solid px × px square of pure black or pure white that
 * matches the matrix, and the finder corners sit where they should. */
static void
check_module_squares (guint px,
                      int   ox,
                      int   oy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (URI, &error);
  cairo_surface_t *surface;
  guint size;
  int full_px;
  int code_x;
  int code_y;
  int last;

  g_assert_no_error (error);
  size = tf_qr_matrix_get_size (matrix);
  full_px = (int) (tf_qr_matrix_get_full_size (matrix) * px);
  surface = render_to_surface (matrix, full_px + ox + 5, full_px + oy + 5, 0.5, ox, oy, px);
  code_x = ox + TF_QR_QUIET_ZONE * (int) px;
  code_y = oy + TF_QR_QUIET_ZONE * (int) px;

  for (guint my = 0; my < size; my++)
    for (guint mx = 0; mx < size; mx++)
      {
        guint32 expected = tf_qr_matrix_get_module (matrix, mx, my) ? BLACK : WHITE;

        for (guint dy = 0; dy < px; dy++)
          for (guint dx = 0; dx < px; dx++)
            g_assert_cmphex (pixel_at (surface,
                                       code_x + (int) (mx * px + dx),
                                       code_y + (int) (my * px + dy)), ==, expected);
      }

  /* Outer corners of the three finder patterns are black, and the pixels
   * just outside them are quiet-zone white. */
  last = (int) (size * px) - 1;
  g_assert_cmphex (pixel_at (surface, code_x, code_y), ==, BLACK);
  g_assert_cmphex (pixel_at (surface, code_x - 1, code_y), ==, WHITE);
  g_assert_cmphex (pixel_at (surface, code_x, code_y - 1), ==, WHITE);
  g_assert_cmphex (pixel_at (surface, code_x + 7 * (int) px - 1, code_y), ==, BLACK);
  g_assert_cmphex (pixel_at (surface, code_x, code_y + 7 * (int) px - 1), ==, BLACK);
  g_assert_cmphex (pixel_at (surface, code_x + last, code_y), ==, BLACK);
  g_assert_cmphex (pixel_at (surface, code_x + last + 1, code_y), ==, WHITE);
  g_assert_cmphex (pixel_at (surface, code_x + last - 7 * (int) px + 1, code_y), ==, BLACK);
  g_assert_cmphex (pixel_at (surface, code_x, code_y + last), ==, BLACK);
  g_assert_cmphex (pixel_at (surface, code_x, code_y + last + 1), ==, WHITE);
  g_assert_cmphex (pixel_at (surface, code_x + last, code_y + 7 * (int) px - 1), ==, BLACK);
  /* The light ring inside the top-left finder. */
  g_assert_cmphex (pixel_at (surface, code_x + (int) px, code_y + (int) px), ==, WHITE);
  /* The centre of the top-left finder. */
  g_assert_cmphex (pixel_at (surface, code_x + 3 * (int) px, code_y + 3 * (int) px), ==, BLACK);

  cairo_surface_destroy (surface);
}

static void
test_module_squares (void)
{
  check_module_squares (4, 0, 0);
  check_module_squares (1, 0, 0);
  check_module_squares (3, 17, 9);
}

/* Even at a fractional position nothing is blended: every pixel is the
 * background, pure white or pure black, and module edges stay sharp. */
static void
test_no_antialias (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (URI, &error);
  cairo_surface_t *surface;
  cairo_t *cr;
  int side;
  guint32 background;
  guint n_white = 0;
  guint n_black = 0;

  g_assert_no_error (error);
  side = (int) tf_qr_matrix_get_full_size (matrix) * 3 + 20;
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, side, side);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
  cairo_paint (cr);
  /* The caller's antialias setting must not matter either. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_BEST);
  tf_qr_matrix_render (matrix, cr, 10.4, 6.7, 3);
  g_assert_cmpint (cairo_get_antialias (cr), ==, CAIRO_ANTIALIAS_BEST);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  background = pixel_at (surface, 0, 0);

  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      {
        guint32 pixel = pixel_at (surface, x, y);

        if (pixel == WHITE)
          n_white++;
        else if (pixel == BLACK)
          n_black++;
        else
          g_assert_cmphex (pixel, ==, background);
      }

  /* Exactly full_size² modules of 3 × 3 pixels were painted. */
  g_assert_cmpuint (n_white + n_black, ==,
                    tf_qr_matrix_get_full_size (matrix) * tf_qr_matrix_get_full_size (matrix) * 9);
  cairo_surface_destroy (surface);
}

/* Reads the half-block text back into light/dark modules and compares every
 * one with the matrix. */
static void
test_to_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (URI, &error);
  g_autoptr(TfSecureBuffer) text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *string;
  guint full;
  guint n_lines;

  g_assert_no_error (error);
  full = tf_qr_matrix_get_full_size (matrix);
  text = tf_qr_matrix_to_text (matrix);
  g_assert_nonnull (text);

  string = tf_secure_buffer_get_string (text);
  g_assert_cmpuint (strlen (string), ==, tf_secure_buffer_get_length (text));
  g_assert_true (g_utf8_validate (string, -1, NULL));
  g_assert_true (g_str_has_suffix (string, "\n"));

  /* Splitting on '\n' leaves one empty string after the last newline. */
  lines = g_strsplit (string, "\n", -1);
  n_lines = g_strv_length (lines) - 1;
  g_assert_cmpstr (lines[n_lines], ==, "");
  g_assert_cmpuint (n_lines, ==, (full + 1) / 2);

  for (guint line = 0; line < n_lines; line++)
    {
      const char *p = lines[line];

      g_assert_cmpint (g_utf8_strlen (p, -1), ==, full);

      for (guint col = 0; col < full; col++, p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);
          gboolean top_light = c == 0x2588 || c == 0x2580;
          gboolean bottom_light = c == 0x2588 || c == 0x2584;

          g_assert_true (c == 0x2588 || c == 0x2580 || c == 0x2584 || c == ' ');

          for (guint half = 0; half < 2; half++)
            {
              guint row = 2 * line + half;
              gboolean light = half == 0 ? top_light : bottom_light;
              gboolean expected_light;

              if (row >= full)
                expected_light = FALSE;
              else if (row < TF_QR_QUIET_ZONE || col < TF_QR_QUIET_ZONE ||
                       row >= full - TF_QR_QUIET_ZONE || col >= full - TF_QR_QUIET_ZONE)
                expected_light = TRUE;
              else
                expected_light = !tf_qr_matrix_get_module (matrix,
                                                           col - TF_QR_QUIET_ZONE,
                                                           row - TF_QR_QUIET_ZONE);

              g_assert_cmpint (light, ==, expected_light);
            }
        }
    }

  /* The first line is quiet zone only: all full blocks. */
  {
    g_autoptr(GString) expected = g_string_new (NULL);

    for (guint col = 0; col < full; col++)
      g_string_append (expected, "\u2588");
    g_assert_cmpstr (lines[0], ==, expected->str);
  }

  /* The finder's dark top edge (module row 0, text line 2's top half) is a
   * run of spaces or lower halves: the terminal background shows through. */
  {
    const char *p = g_utf8_offset_to_pointer (lines[TF_QR_QUIET_ZONE / 2], TF_QR_QUIET_ZONE);

    for (guint i = 0; i < 7; i++, p = g_utf8_next_char (p))
      g_assert_true (g_utf8_get_char (p) == ' ' || g_utf8_get_char (p) == 0x2584);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/qr/matrix", test_matrix);
  g_test_add_func ("/twofold/qr/smallest", test_smallest);
  g_test_add_func ("/twofold/qr/too-long", test_too_long);
  g_test_add_func ("/twofold/qr/empty", test_empty);
  g_test_add_func ("/twofold/qr/module-size-for", test_module_size_for);
  g_test_add_func ("/twofold/qr/quiet-zone-pixels", test_quiet_zone_pixels);
  g_test_add_func ("/twofold/qr/module-squares", test_module_squares);
  g_test_add_func ("/twofold/qr/no-antialias", test_no_antialias);
  g_test_add_func ("/twofold/qr/to-text", test_to_text);
  g_test_add ("/twofold/qr/scan-4px", ScanFixture, NULL,
              scan_fixture_set_up, test_scan_4px, scan_fixture_tear_down);
  g_test_add ("/twofold/qr/scan-2px", ScanFixture, NULL,
              scan_fixture_set_up, test_scan_2px, scan_fixture_tear_down);
  g_test_add ("/twofold/qr/scan-offset-dark", ScanFixture, NULL,
              scan_fixture_set_up, test_scan_offset_dark, scan_fixture_tear_down);
  g_test_add ("/twofold/qr/scan-utf8", ScanFixture, NULL,
              scan_fixture_set_up, test_scan_utf8, scan_fixture_tear_down);

  return g_test_run ();
}
