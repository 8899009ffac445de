/* tf-forgot-page.c */
#define G_LOG_DOMAIN "tf-forgot-page"

#include "config.h"

#include "tf-forgot-page.h"
#include "tf-status-page.h"

#include <glib/gi18n.h>

#include "tf-problem-page.h"
#include "tf-submit-button.h"
#include "tf-ui-util.h"

struct _TfForgotPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkWidget *form;
  AdwEntryRow *identifier_row;
  GtkLabel *error_label;
  TfSubmitButton *submit_button;
  GtkWidget *answer_box;
  GtkLabel *answer_label;
  GtkButton *continue_button;

  /* Owned */
  TfAuth *auth;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TfForgotPage, tf_forgot_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  CONTINUE,
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
tf_forgot_page_set_auth (TfForgotPage *self,
                         TfAuth       *auth)
{
  g_return_if_fail (TF_IS_FORGOT_PAGE (self));
  g_return_if_fail (auth == NULL || TF_IS_AUTH (auth));

  g_set_object (&self->auth, auth);
}

gboolean
tf_forgot_page_get_busy (TfForgotPage *self)
{
  g_return_val_if_fail (TF_IS_FORGOT_PAGE (self), FALSE);

  return tf_submit_button_get_busy (self->submit_button);
}

const char *
tf_forgot_page_get_answer (TfForgotPage *self)
{
  g_return_val_if_fail (TF_IS_FORGOT_PAGE (self), NULL);

  if (!gtk_widget_get_visible (self->answer_box))
    return NULL;

  return gtk_label_get_label (self->answer_label);
}

const char *
tf_forgot_page_get_error_message (TfForgotPage *self)
{
  g_return_val_if_fail (TF_IS_FORGOT_PAGE (self), NULL);

  return tf_ui_get_error_label (self->error_label);
}

const char *
tf_forgot_page_get_identifier (TfForgotPage *self)
{
  g_return_val_if_fail (TF_IS_FORGOT_PAGE (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->identifier_row));
}

void
tf_forgot_page_set_identifier (TfForgotPage *self,
                               const char   *identifier)
{
  g_return_if_fail (TF_IS_FORGOT_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->identifier_row),
                         identifier != NULL ? identifier : "");
}

static void
set_error_message (TfForgotPage *self,
                   const char   *message)
{
  tf_ui_set_error_label (self->error_label, message);
}

static void
set_busy (TfForgotPage *self,
          gboolean      busy)
{
  tf_submit_button_set_form_busy (self->submit_button, GTK_WIDGET (self), self->form,
                                  "forgot.submit", busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_answer (TfForgotPage *self,
             gboolean      shown)
{
  gtk_widget_set_visible (self->answer_box, shown);
  gtk_widget_set_visible (self->form, !shown);
  gtk_widget_set_visible (GTK_WIDGET (self->submit_button), !shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "forgot.continue", shown);
}

void
tf_forgot_page_clear (TfForgotPage *self)
{
  g_return_if_fail (TF_IS_FORGOT_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  tf_ui_clear_editable (GTK_EDITABLE (self->identifier_row));
  set_error_message (self, NULL);
  show_answer (self, FALSE);
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(TfForgotPage) self = user_data;
  g_autoptr(GError) error = NULL;

  tf_auth_request_reset_finish (TF_AUTH (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (error != NULL)
    {
      if (tf_problem_page_handles (error))
        {
          g_signal_emit (self, signals[PROBLEM], 0, error);
          return;
        }
      set_error_message (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->identifier_row));
      return;
    }

  set_error_message (self, NULL);
  show_answer (self, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TfForgotPage *self = TF_FORGOT_PAGE (widget);
  const char *identifier = gtk_editable_get_text (GTK_EDITABLE (self->identifier_row));

  if (self->auth == NULL || self->cancellable != NULL)
    return;

  if (*identifier == '\0')
    {
      set_error_message (self, _("Enter your username or email address."));
      gtk_widget_grab_focus (GTK_WIDGET (self->identifier_row));
      return;
    }

  set_error_message (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  tf_auth_request_reset_async (self->auth, identifier, self->cancellable,
                               request_cb, g_object_ref (self));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[CONTINUE], 0);
}

static void
on_identifier_activated (TfForgotPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "forgot.submit", NULL);
}

static gboolean
tf_forgot_page_grab_focus (GtkWidget *widget)
{
  TfForgotPage *self = TF_FORGOT_PAGE (widget);

  if (gtk_widget_get_visible (self->answer_box))
    return gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));

  return gtk_widget_grab_focus (GTK_WIDGET (self->identifier_row));
}

static void
tf_forgot_page_dispose (GObject *object)
{
  TfForgotPage *self = TF_FORGOT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->auth);
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_FORGOT_PAGE);

  G_OBJECT_CLASS (tf_forgot_page_parent_class)->dispose (object);
}

static void
tf_forgot_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TfForgotPage *self = TF_FORGOT_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, tf_forgot_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_forgot_page_class_init (TfForgotPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_forgot_page_dispose;
  object_class->get_property = tf_forgot_page_get_property;
  widget_class->grab_focus = tf_forgot_page_grab_focus;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONTINUE] =
    g_signal_new ("continue", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "forgot.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "forgot.continue", NULL, continue_action);

  g_type_ensure (TF_TYPE_SUBMIT_BUTTON);
  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-forgot-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfForgotPage, form);
  gtk_widget_class_bind_template_child (widget_class, TfForgotPage, identifier_row);
  gtk_widget_class_bind_template_child (widget_class, TfForgotPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TfForgotPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, TfForgotPage, answer_box);
  gtk_widget_class_bind_template_child (widget_class, TfForgotPage, answer_label);
  gtk_widget_class_bind_template_child (widget_class, TfForgotPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, on_identifier_activated);
}

static void
tf_forgot_page_init (TfForgotPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  tf_ui_label_entry_row (self->identifier_row);
  show_answer (self, FALSE);
}
