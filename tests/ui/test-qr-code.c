/* test-qr-code.c — the QR widget at display scale 2: whole device pixels per
 * module (at least 4 logical pixels), black on white, quiet zone included.
 * GDK_SCALE=2 is set before GTK starts. */
#include "tf-ui-test.h"

#include "tf-qr-code.h"

#define URI "otpauth://totp/Twofold:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Twofold"

static TfQrMatrix *
new_matrix (void)
{
  g_autoptr(GError) error = NULL;
  TfQrMatrix *matrix = tf_qr_matrix_new (URI, &error);

  g_assert_no_error (error);
  return matrix;
}

static guint32
pixel (cairo_surface_t *surface,
       int              x,
       int              y)
{
  guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(guint32 *) (data + y * stride + x * 4);
}

static void
test_size_request (void)
{
  g_autoptr(TfQrMatrix) reference = new_matrix ();
  GtkWidget *qr = g_object_ref_sink (tf_qr_code_new ());
  int full = (int) tf_qr_matrix_get_full_size (reference);
  int min, nat;

  gtk_widget_measure (qr, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, 0);

  tf_qr_code_set_matrix (TF_QR_CODE (qr), new_matrix ());
  gtk_widget_measure (qr, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, full * TF_QR_CODE_MIN_MODULE_PX);
  g_assert_cmpint (nat, >=, min);
  gtk_widget_measure (qr, GTK_ORIENTATION_VERTICAL, -1, &min, &nat, NULL, NULL);
  g_assert_cmpint (min, ==, full * TF_QR_CODE_MIN_MODULE_PX);

  g_object_unref (qr);
}

static void
test_scale_two (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *qr = tf_qr_code_new ();
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(TfQrMatrix) reference = new_matrix ();
  cairo_surface_t *surface;
  cairo_t *cr;
  int width, height, scale, module, full, size, x0, y0;

  tf_qr_code_set_matrix (TF_QR_CODE (qr), new_matrix ());
  gtk_window_set_child (GTK_WINDOW (window), qr);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (qr) || gtk_widget_get_width (qr) == 0)
    g_main_context_iteration (NULL, TRUE);

  scale = gtk_widget_get_scale_factor (qr);
  if (scale != 2)
    {
      g_test_skip ("The display does not honour GDK_SCALE=2");
      tf_ui_destroy_window (GTK_WINDOW (window));
      return;
    }

  width = gtk_widget_get_width (qr);
  height = gtk_widget_get_height (qr);
  paintable = gtk_widget_paintable_new (qr);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));

  /* Draw as the display would: device pixels, twice the logical ones. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width * scale, height * scale);
  cairo_surface_set_device_scale (surface, scale, scale);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  module = (int) tf_qr_code_get_module_px (TF_QR_CODE (qr));
  full = (int) tf_qr_matrix_get_full_size (reference);
  size = (int) tf_qr_matrix_get_size (reference);
  g_assert_cmpint (module, >=, TF_QR_CODE_MIN_MODULE_PX * scale);
  x0 = (width * scale - full * module) / 2;
  y0 = (height * scale - full * module) / 2;

  /* Every device pixel of every module has the module's colour: no module
   * straddles a pixel, none is smeared by scaling. */
  for (int y = 0; y < full * module; y++)
    for (int x = 0; x < full * module; x++)
      {
        int mx = x / module - TF_QR_QUIET_ZONE;
        int my = y / module - TF_QR_QUIET_ZONE;
        gboolean dark = mx >= 0 && my >= 0 && mx < size && my < size &&
                        tf_qr_matrix_get_module (reference, mx, my);

        g_assert_cmphex (pixel (surface, x0 + x, y0 + y), ==, dark ? 0xff000000 : 0xffffffff);
      }

  cairo_surface_destroy (surface);
  tf_ui_destroy_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GDK_SCALE", "2", TRUE);
  tf_ui_test_init (&argc, &argv);

  g_test_add_func ("/twofold/ui/qr-code/size-request", test_size_request);
  g_test_add_func ("/twofold/ui/qr-code/scale-two", test_scale_two);

  return g_test_run ();
}
