/* tf-status-page.c */
#define G_LOG_DOMAIN "tf-status-page"

#include "config.h"

#include "tf-status-page.h"
#include "tf-ui-util.h"

struct _TfStatusPage
{
  GtkWidget parent_instance;

  /* Template widgets (the scrolled window is bound so that
   * gtk_widget_dispose_template () unparents it) */
  GtkWidget *scrolled_window;
  GtkBox *content_box;
  GtkImage *image;
  GtkLabel *title_label;
  GtkLabel *description_label;

  /* Owned */
  char *title;
  char *description;
  GtkWidget *child;
};

G_DEFINE_FINAL_TYPE (TfStatusPage, tf_status_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_ICON_NAME,
  PROP_PAINTABLE,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_CHILD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The title's or description's text, its label and its notification. */
static void
set_text (TfStatusPage *self,
          GtkLabel     *label,
          char        **field,
          const char   *text,
          int           prop_id)
{
  if (g_strcmp0 (text, *field) == 0)
    return;
  g_free (*field);
  *field = g_strdup (text);
  gtk_label_set_label (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

void
tf_status_page_set_icon_name (TfStatusPage *self,
                              const char   *icon_name)
{
  g_return_if_fail (TF_IS_STATUS_PAGE (self));

  gtk_image_set_from_icon_name (self->image, icon_name);
  gtk_widget_set_visible (GTK_WIDGET (self->image), icon_name != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

static void
set_paintable (TfStatusPage *self,
               GdkPaintable *paintable)
{
  gtk_image_set_from_paintable (self->image, paintable);
  gtk_widget_set_visible (GTK_WIDGET (self->image), paintable != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAINTABLE]);
}

const char *
tf_status_page_get_title (TfStatusPage *self)
{
  g_return_val_if_fail (TF_IS_STATUS_PAGE (self), NULL);

  return self->title;
}

void
tf_status_page_set_title (TfStatusPage *self,
                          const char   *title)
{
  g_return_if_fail (TF_IS_STATUS_PAGE (self));

  set_text (self, self->title_label, &self->title, title, PROP_TITLE);
}

const char *
tf_status_page_get_description (TfStatusPage *self)
{
  g_return_val_if_fail (TF_IS_STATUS_PAGE (self), NULL);

  return self->description;
}

void
tf_status_page_set_description (TfStatusPage *self,
                                const char   *description)
{
  g_return_if_fail (TF_IS_STATUS_PAGE (self));

  set_text (self, self->description_label, &self->description, description, PROP_DESCRIPTION);
}

void
tf_status_page_set_child (TfStatusPage *self,
                          GtkWidget    *child)
{
  g_return_if_fail (TF_IS_STATUS_PAGE (self));
  g_return_if_fail (child == NULL || GTK_IS_WIDGET (child));

  if (child == self->child)
    return;
  if (self->child != NULL)
    gtk_box_remove (self->content_box, self->child);
  self->child = child;
  if (child != NULL)
    gtk_box_append (self->content_box, child);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHILD]);
}

static void
tf_status_page_dispose (GObject *object)
{
  TfStatusPage *self = TF_STATUS_PAGE (object);

  self->child = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_STATUS_PAGE);

  G_OBJECT_CLASS (tf_status_page_parent_class)->dispose (object);
}

static void
tf_status_page_finalize (GObject *object)
{
  TfStatusPage *self = TF_STATUS_PAGE (object);

  g_free (self->title);
  g_free (self->description);

  G_OBJECT_CLASS (tf_status_page_parent_class)->finalize (object);
}

static void
tf_status_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TfStatusPage *self = TF_STATUS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ICON_NAME:
      g_value_set_string (value, gtk_image_get_icon_name (self->image));
      break;
    case PROP_PAINTABLE:
      g_value_set_object (value, gtk_image_get_paintable (self->image));
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_CHILD:
      g_value_set_object (value, self->child);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_status_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TfStatusPage *self = TF_STATUS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ICON_NAME:
      tf_status_page_set_icon_name (self, g_value_get_string (value));
      break;
    case PROP_PAINTABLE:
      set_paintable (self, g_value_get_object (value));
      break;
    case PROP_TITLE:
      tf_status_page_set_title (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      tf_status_page_set_description (self, g_value_get_string (value));
      break;
    case PROP_CHILD:
      tf_status_page_set_child (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_status_page_class_init (TfStatusPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_status_page_dispose;
  object_class->finalize = tf_status_page_finalize;
  object_class->get_property = tf_status_page_get_property;
  object_class->set_property = tf_status_page_set_property;

  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHILD] =
    g_param_spec_object ("child", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  tf_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-status-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfStatusPage, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, TfStatusPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, TfStatusPage, image);
  gtk_widget_class_bind_template_child (widget_class, TfStatusPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, TfStatusPage, description_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "statuspage");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tf_status_page_init (TfStatusPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
