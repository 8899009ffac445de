/* tf-ui-probe.c */
#include "tf-ui-probe.h"

#include "tf-ui-test.h"

struct _TfUiProbe
{
  GtkWidget parent_instance;
  guint width_for_height;
};

G_DEFINE_FINAL_TYPE (TfUiProbe, tf_ui_probe, GTK_TYPE_WIDGET)

static GtkSizeRequestMode
tf_ui_probe_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tf_ui_probe_measure (GtkWidget      *widget,
                     GtkOrientation  orientation,
                     int             for_size,
                     int            *minimum,
                     int            *natural,
                     int            *minimum_baseline,
                     int            *natural_baseline)
{
  TfUiProbe *self = TF_UI_PROBE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      if (for_size >= 0)
        self->width_for_height++;
      *minimum = 100;
      *natural = 300;
    }
  else
    {
      *minimum = *natural = 30000 / MAX (for_size > 0 ? for_size : 100, 100);
    }
}

static void
tf_ui_probe_class_init (TfUiProbeClass *klass)
{
  GTK_WIDGET_CLASS (klass)->get_request_mode = tf_ui_probe_get_request_mode;
  GTK_WIDGET_CLASS (klass)->measure = tf_ui_probe_measure;
}

static void
tf_ui_probe_init (TfUiProbe *self)
{
}

GtkWidget *
tf_ui_probe_new (void)
{
  return g_object_new (TF_UI_TYPE_PROBE, NULL);
}

guint
tf_ui_probe_get_width_for_height (TfUiProbe *self)
{
  return self->width_for_height;
}

static gboolean
laid_out (gpointer user_data)
{
  GtkWidget *widget = user_data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_height (widget) > 0;
}

GtkWidget *
tf_ui_present_and_resize (GtkWidget *content,
                          GtkWidget *probe)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 400, 600);
  gtk_window_set_child (GTK_WINDOW (window), content);
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_wait_for (laid_out, probe, "the probe laid out");

  gtk_window_set_default_size (GTK_WINDOW (window), 500, 700);
  tf_ui_run_for (200);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  tf_ui_run_for (200);
  g_assert_true (gtk_widget_get_height (probe) > 0);

  return window;
}

GtkWidget *
tf_ui_find_label (GtkWidget  *root,
                  const char *text)
{
  GtkWidget *child;

  if (GTK_IS_LABEL (root) && g_str_equal (gtk_label_get_text (GTK_LABEL (root)), text))
    return root;
  for (child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = tf_ui_find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}
