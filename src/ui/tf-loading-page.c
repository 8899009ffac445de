/* tf-loading-page.c */
#define G_LOG_DOMAIN "tf-loading-page"

#include "config.h"

#include "tf-loading-page.h"
#include "tf-status-page.h"
#include "tf-ui-util.h"

struct _TfLoadingPage
{
  AdwBin parent_instance;

  /* Template widgets */
  TfStatusPage *status_page;
  GtkSpinner *spinner;
  GtkButton *cancel_button;

  /* Owned */
  gboolean waiting;
};

G_DEFINE_FINAL_TYPE (TfLoadingPage, tf_loading_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_WAITING,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
tf_loading_page_get_waiting (TfLoadingPage *self)
{
  g_return_val_if_fail (TF_IS_LOADING_PAGE (self), FALSE);

  return self->waiting;
}

const char *
tf_loading_page_get_message (TfLoadingPage *self)
{
  g_return_val_if_fail (TF_IS_LOADING_PAGE (self), NULL);

  return tf_status_page_get_description (self->status_page);
}

void
tf_loading_page_set_waiting (TfLoadingPage *self,
                             gboolean       waiting,
                             const char    *message)
{
  g_return_if_fail (TF_IS_LOADING_PAGE (self));

  self->waiting = !!waiting;
  tf_status_page_set_description (self->status_page, waiting ? message : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), self->waiting);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

static void
tf_loading_page_dispose (GObject *object)
{
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_LOADING_PAGE);

  G_OBJECT_CLASS (tf_loading_page_parent_class)->dispose (object);
}

static void
tf_loading_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TfLoadingPage *self = TF_LOADING_PAGE (object);

  switch (prop_id)
    {
    case PROP_WAITING:
      g_value_set_boolean (value, self->waiting);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, tf_loading_page_get_message (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_loading_page_class_init (TfLoadingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_loading_page_dispose;
  object_class->get_property = tf_loading_page_get_property;

  properties[PROP_WAITING] =
    g_param_spec_boolean ("waiting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-loading-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfLoadingPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TfLoadingPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TfLoadingPage, cancel_button);
}

static void
tf_loading_page_init (TfLoadingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tf_ui_spin_while_mapped (self->spinner);
}
