/* tf-action-row.c */
#define G_LOG_DOMAIN "tf-action-row"

#include "config.h"

#include "tf-action-row.h"
#include "tf-ui-util.h"

/* The box of the title and subtitle (CSS "box.title", as AdwActionRow's):
 * a vertical GtkBoxLayout of its children, asked for widths without a
 * height (tf-action-row.h). The layout manager is its own and not the
 * widget's, since a widget's measure () is not called when it has one. */
#define TF_TYPE_ROW_TITLE (tf_row_title_get_type ())
G_DECLARE_FINAL_TYPE (TfRowTitle, tf_row_title, TF, ROW_TITLE, GtkWidget)

struct _TfRowTitle
{
  GtkWidget parent_instance;

  GtkLayoutManager *layout;
};

G_DEFINE_FINAL_TYPE (TfRowTitle, tf_row_title, GTK_TYPE_WIDGET)

static GtkSizeRequestMode
tf_row_title_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
tf_row_title_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  TfRowTitle *self = TF_ROW_TITLE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    for_size = -1;
  gtk_layout_manager_measure (self->layout, widget, orientation, for_size,
                              minimum, natural, minimum_baseline, natural_baseline);
}

static void
tf_row_title_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  gtk_layout_manager_allocate (TF_ROW_TITLE (widget)->layout, widget, width, height, baseline);
}

static void
tf_row_title_dispose (GObject *object)
{
  TfRowTitle *self = TF_ROW_TITLE (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (tf_row_title_parent_class)->dispose (object);
}

static void
tf_row_title_class_init (TfRowTitleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_row_title_dispose;
  widget_class->get_request_mode = tf_row_title_get_request_mode;
  widget_class->measure = tf_row_title_measure;
  widget_class->size_allocate = tf_row_title_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "box");
}

static void
tf_row_title_init (TfRowTitle *self)
{
  self->layout = gtk_box_layout_new (GTK_ORIENTATION_VERTICAL);
}

/* The row. */

struct _TfActionRow
{
  AdwPreferencesRow parent_instance;

  /* Template widgets */
  GtkLabel *subtitle;
  GtkBox *suffixes;
};

static void tf_action_row_buildable_init (GtkBuildableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TfActionRow, tf_action_row, ADW_TYPE_PREFERENCES_ROW,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE,
                                                      tf_action_row_buildable_init))

static GtkBuildableIface *parent_buildable_iface;

enum {
  PROP_0,
  PROP_SUBTITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
string_is_not_empty (gpointer    user_data,
                     const char *text)
{
  return text != NULL && *text != '\0';
}

GtkWidget *
tf_action_row_new (void)
{
  return g_object_new (TF_TYPE_ACTION_ROW, NULL);
}

const char *
tf_action_row_get_subtitle (TfActionRow *self)
{
  g_return_val_if_fail (TF_IS_ACTION_ROW (self), NULL);

  return gtk_label_get_label (self->subtitle);
}

void
tf_action_row_set_subtitle (TfActionRow *self,
                            const char  *subtitle)
{
  g_return_if_fail (TF_IS_ACTION_ROW (self));

  if (subtitle == NULL)
    subtitle = "";
  if (g_str_equal (gtk_label_get_label (self->subtitle), subtitle))
    return;
  gtk_label_set_label (self->subtitle, subtitle);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

void
tf_action_row_add_suffix (TfActionRow *self,
                          GtkWidget   *widget)
{
  g_return_if_fail (TF_IS_ACTION_ROW (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_box_append (self->suffixes, widget);
  gtk_widget_set_visible (GTK_WIDGET (self->suffixes), TRUE);
}

static void
tf_action_row_buildable_add_child (GtkBuildable *buildable,
                                   GtkBuilder   *builder,
                                   GObject      *child,
                                   const char   *type)
{
  TfActionRow *self = TF_ACTION_ROW (buildable);

  /* As AdwActionRow: a widget with no type is a suffix too. (The template,
   * built in init (), has no <child> of its own.) */
  if ((type == NULL || g_str_equal (type, "suffix")) && GTK_IS_WIDGET (child))
    tf_action_row_add_suffix (self, GTK_WIDGET (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
tf_action_row_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = tf_action_row_buildable_add_child;
}

static void
tf_action_row_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TfActionRow *self = TF_ACTION_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBTITLE:
      g_value_set_string (value, tf_action_row_get_subtitle (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_action_row_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TfActionRow *self = TF_ACTION_ROW (object);

  switch (prop_id)
    {
    case PROP_SUBTITLE:
      tf_action_row_set_subtitle (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_action_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_ACTION_ROW);

  G_OBJECT_CLASS (tf_action_row_parent_class)->dispose (object);
}

static void
tf_action_row_class_init (TfActionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_action_row_dispose;
  object_class->get_property = tf_action_row_get_property;
  object_class->set_property = tf_action_row_set_property;

  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TF_TYPE_ROW_TITLE);
  tf_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-action-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TfActionRow, subtitle);
  gtk_widget_class_bind_template_child (widget_class, TfActionRow, suffixes);
  gtk_widget_class_bind_template_callback (widget_class, string_is_not_empty);
}

static void
tf_action_row_init (TfActionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
