/* tf-qr-code.c */
#define G_LOG_DOMAIN "tf-qr-code"

#include "config.h"

#include "tf-qr-code.h"

#include <glib/gi18n.h>

struct _TfQrCode
{
  GtkWidget parent_instance;

  /* Owned */
  TfQrMatrix *matrix;
  guint module_px;
};

G_DEFINE_FINAL_TYPE (TfQrCode, tf_qr_code, GTK_TYPE_WIDGET)

GtkWidget *
tf_qr_code_new (void)
{
  return g_object_new (TF_TYPE_QR_CODE, NULL);
}

void
tf_qr_code_set_matrix (TfQrCode   *self,
                       TfQrMatrix *matrix)
{
  g_return_if_fail (TF_IS_QR_CODE (self));

  g_clear_pointer (&self->matrix, tf_qr_matrix_free);
  self->matrix = matrix;
  self->module_px = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

const TfQrMatrix *
tf_qr_code_get_matrix (TfQrCode *self)
{
  g_return_val_if_fail (TF_IS_QR_CODE (self), NULL);

  return self->matrix;
}

guint
tf_qr_code_get_module_px (TfQrCode *self)
{
  g_return_val_if_fail (TF_IS_QR_CODE (self), 0);

  return self->module_px;
}

static GtkSizeRequestMode
tf_qr_code_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_CONSTANT_SIZE;
}

static void
tf_qr_code_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  TfQrCode *self = TF_QR_CODE (widget);
  guint full = self->matrix != NULL ? tf_qr_matrix_get_full_size (self->matrix) : 0;

  /* At least 4 px a module at scale 1; 5 when there is room, which scans
   * easily from a screen at arm's length. */
  *minimum = (int) (full * TF_QR_CODE_MIN_MODULE_PX);
  *natural = (int) (full * (TF_QR_CODE_MIN_MODULE_PX + 1));
}

static void
tf_qr_code_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  TfQrCode *self = TF_QR_CODE (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  guint full, module, side;
  int x, y;
  cairo_t *cr;

  if (self->matrix == NULL || width <= 0 || height <= 0)
    return;

  /* Work in device pixels so every module is a whole number of them. */
  full = tf_qr_matrix_get_full_size (self->matrix);
  module = tf_qr_matrix_module_size_for (self->matrix, (guint) (MIN (width, height) * scale));
  side = full * module;
  x = (width * scale - (int) side) / 2;
  y = (height * scale - (int) side) / 2;
  self->module_px = module;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_scale (cr, 1.0 / scale, 1.0 / scale);
  tf_qr_matrix_render (self->matrix, cr, x, y, module);
  cairo_destroy (cr);
}

static void
tf_qr_code_finalize (GObject *object)
{
  TfQrCode *self = TF_QR_CODE (object);

  g_clear_pointer (&self->matrix, tf_qr_matrix_free);

  G_OBJECT_CLASS (tf_qr_code_parent_class)->finalize (object);
}

static void
tf_qr_code_class_init (TfQrCodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = tf_qr_code_finalize;
  widget_class->get_request_mode = tf_qr_code_get_request_mode;
  widget_class->measure = tf_qr_code_measure;
  widget_class->snapshot = tf_qr_code_snapshot;

  gtk_widget_class_set_css_name (widget_class, "qrcode");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tf_qr_code_init (TfQrCode *self)
{
  gtk_widget_set_halign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_widget_set_valign (GTK_WIDGET (self), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("QR code for your authenticator app"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("If you cannot scan it, type the secret key shown below "
                                    "into your authenticator app instead."),
                                  -1);
}
