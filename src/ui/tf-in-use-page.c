/* tf-in-use-page.c */
#define G_LOG_DOMAIN "tf-in-use-page"

#include "config.h"

#include "tf-in-use-page.h"
#include "tf-status-page.h"
#include "tf-ui-util.h"

#include <glib/gi18n.h>

struct _TfInUsePage
{
  AdwBin parent_instance;

  /* Template widgets */
  TfStatusPage *status_page;
  GtkSpinner *spinner;
  GtkButton *log_out_button;

  /* Owned */
  gboolean stopping;
};

G_DEFINE_FINAL_TYPE (TfInUsePage, tf_in_use_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_STOPPING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
tf_in_use_page_set_username (TfInUsePage *self,
                             const char  *username)
{
  g_autofree char *title = NULL;

  g_return_if_fail (TF_IS_IN_USE_PAGE (self));

  /* Translators: %s is the username of whoever is logged in at the kiosk. */
  if (username != NULL)
    title = g_strdup_printf (_("In use by %s"), username);

  tf_status_page_set_title (self->status_page, title != NULL ? title : "");
  tf_in_use_page_set_stopping (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
tf_in_use_page_get_title (TfInUsePage *self)
{
  g_return_val_if_fail (TF_IS_IN_USE_PAGE (self), NULL);

  return tf_status_page_get_title (self->status_page);
}

gboolean
tf_in_use_page_get_stopping (TfInUsePage *self)
{
  g_return_val_if_fail (TF_IS_IN_USE_PAGE (self), FALSE);

  return self->stopping;
}

void
tf_in_use_page_set_stopping (TfInUsePage *self,
                             gboolean     stopping)
{
  g_return_if_fail (TF_IS_IN_USE_PAGE (self));

  self->stopping = !!stopping;
  tf_status_page_set_description (self->status_page,
                                  self->stopping ? _("Ending the session…")
                                                 : _("Log out to end the session. Everything "
                                                     "opened in it will be closed."));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), self->stopping);
  gtk_widget_set_sensitive (GTK_WIDGET (self->log_out_button), !self->stopping);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPING]);
}

static void
tf_in_use_page_dispose (GObject *object)
{
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_IN_USE_PAGE);

  G_OBJECT_CLASS (tf_in_use_page_parent_class)->dispose (object);
}

static void
tf_in_use_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TfInUsePage *self = TF_IN_USE_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, tf_in_use_page_get_title (self));
      break;
    case PROP_STOPPING:
      g_value_set_boolean (value, self->stopping);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_in_use_page_class_init (TfInUsePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_in_use_page_dispose;
  object_class->get_property = tf_in_use_page_get_property;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STOPPING] =
    g_param_spec_boolean ("stopping", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-in-use-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfInUsePage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TfInUsePage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TfInUsePage, log_out_button);
}

static void
tf_in_use_page_init (TfInUsePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tf_ui_spin_while_mapped (self->spinner);
  tf_in_use_page_set_stopping (self, FALSE);
}
