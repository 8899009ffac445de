/* tf-confirm-page.c */
#define G_LOG_DOMAIN "tf-confirm-page"

#include "config.h"

#include "tf-confirm-page.h"
#include "tf-status-page.h"

#include <glib/gi18n.h>

#include "tf-problem-page.h"
#include "tf-submit-button.h"
#include "tf-ui-util.h"

struct _TfConfirmPage
{
  AdwBin parent_instance;

  /* Template widgets */
  TfStatusPage *status_page;
  GtkWidget *form;
  AdwEntryRow *password_row;
  AdwEntryRow *code_row;
  GtkLabel *error_label;
  TfSubmitButton *submit_button;

  /* Owned */
  TfAuth *auth;
  GCancellable *cancellable;
  GPtrArray *recovery_codes;
  TfEnrolment *enrolment;
  gint64 user_id;
  TfConfirmMode mode;
};

G_DEFINE_FINAL_TYPE (TfConfirmPage, tf_confirm_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  CONFIRMED,
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
tf_confirm_page_set_auth (TfConfirmPage *self,
                          TfAuth        *auth)
{
  g_return_if_fail (TF_IS_CONFIRM_PAGE (self));
  g_return_if_fail (auth == NULL || TF_IS_AUTH (auth));

  g_set_object (&self->auth, auth);
}

TfConfirmMode
tf_confirm_page_get_mode (TfConfirmPage *self)
{
  g_return_val_if_fail (TF_IS_CONFIRM_PAGE (self), TF_CONFIRM_REGENERATE_CODES);

  return self->mode;
}

gboolean
tf_confirm_page_get_busy (TfConfirmPage *self)
{
  g_return_val_if_fail (TF_IS_CONFIRM_PAGE (self), FALSE);

  return tf_submit_button_get_busy (self->submit_button);
}

const char *
tf_confirm_page_get_error_message (TfConfirmPage *self)
{
  g_return_val_if_fail (TF_IS_CONFIRM_PAGE (self), NULL);

  return tf_ui_get_error_label (self->error_label);
}

GPtrArray *
tf_confirm_page_take_recovery_codes (TfConfirmPage *self)
{
  g_return_val_if_fail (TF_IS_CONFIRM_PAGE (self), NULL);

  return g_steal_pointer (&self->recovery_codes);
}

TfEnrolment *
tf_confirm_page_take_enrolment (TfConfirmPage *self)
{
  g_return_val_if_fail (TF_IS_CONFIRM_PAGE (self), NULL);

  return g_steal_pointer (&self->enrolment);
}

static void
set_error_message (TfConfirmPage *self,
                   const char    *message)
{
  tf_ui_set_error_label (self->error_label, message);
}

static void
set_busy (TfConfirmPage *self,
          gboolean       busy)
{
  tf_submit_button_set_form_busy (self->submit_button, GTK_WIDGET (self), self->form,
                                  "confirm.submit", busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
clear_secrets (TfConfirmPage *self)
{
  tf_ui_clear_editable (GTK_EDITABLE (self->password_row));
  tf_ui_clear_editable (GTK_EDITABLE (self->code_row));
}

void
tf_confirm_page_clear (TfConfirmPage *self)
{
  g_return_if_fail (TF_IS_CONFIRM_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  clear_secrets (self);
  set_error_message (self, NULL);
  g_clear_pointer (&self->recovery_codes, g_ptr_array_unref);
  g_clear_pointer (&self->enrolment, tf_enrolment_free);
}

void
tf_confirm_page_start (TfConfirmPage *self,
                       TfConfirmMode  mode,
                       gint64         user_id)
{
  g_return_if_fail (TF_IS_CONFIRM_PAGE (self));

  tf_confirm_page_clear (self);
  self->mode = mode;
  self->user_id = user_id;

  if (mode == TF_CONFIRM_REENROL)
    {
      tf_status_page_set_icon_name (self->status_page, "phone-symbolic");
      tf_status_page_set_title (self->status_page, _("Re-enrol Authenticator"));
      tf_status_page_set_description (self->status_page,
                                      _("Confirm it is you with your password and a code from "
                                        "your current authenticator app or a recovery code. "
                                        "Your current app keeps working until the new one is "
                                        "set up."));
      tf_submit_button_set_text (self->submit_button, _("C_ontinue"));
    }
  else
    {
      tf_status_page_set_icon_name (self->status_page, "security-high-symbolic");
      tf_status_page_set_title (self->status_page, _("New Recovery Codes"));
      tf_status_page_set_description (self->status_page,
                                      _("Confirm it is you with your password and a code. Your "
                                        "current recovery codes will stop working."));
      tf_submit_button_set_text (self->submit_button, _("_Generate Codes"));
    }
}

static void
finish_attempt (TfConfirmPage *self,
                const GError  *error)
{
  if (tf_problem_page_handles (error))
    {
      g_signal_emit (self, signals[PROBLEM], 0, error);
      return;
    }

  set_error_message (self, error->message);
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
regenerate_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(TfConfirmPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *codes;

  codes = tf_auth_regenerate_recovery_codes_finish (TF_AUTH (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (codes == NULL)
    {
      finish_attempt (self, error);
      return;
    }

  g_clear_pointer (&self->recovery_codes, g_ptr_array_unref);
  self->recovery_codes = codes;
  g_signal_emit (self, signals[CONFIRMED], 0);
}

static void
begin_reenrolment_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TfConfirmPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TfEnrolment *enrolment;

  enrolment = tf_auth_begin_reenrolment_finish (TF_AUTH (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (enrolment == NULL)
    {
      finish_attempt (self, error);
      return;
    }

  g_clear_pointer (&self->enrolment, tf_enrolment_free);
  self->enrolment = enrolment;
  g_signal_emit (self, signals[CONFIRMED], 0);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TfConfirmPage *self = TF_CONFIRM_PAGE (widget);
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_row));

  if (self->auth == NULL || self->user_id <= 0 || self->cancellable != NULL)
    return;

  if (*password == '\0' || *code == '\0')
    {
      set_error_message (self, _("Enter your password and a code."));
      gtk_widget_grab_focus (GTK_WIDGET (*password == '\0' ? self->password_row
                                                            : self->code_row));
      return;
    }

  set_error_message (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  if (self->mode == TF_CONFIRM_REENROL)
    tf_auth_begin_reenrolment_async (self->auth, self->user_id, password, code,
                                     self->cancellable, begin_reenrolment_cb,
                                     g_object_ref (self));
  else
    tf_auth_regenerate_recovery_codes_async (self->auth, self->user_id, password, code,
                                             self->cancellable, regenerate_cb,
                                             g_object_ref (self));
  clear_secrets (self);
}

static void
on_password_activated (TfConfirmPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

static void
on_code_activated (TfConfirmPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "confirm.submit", NULL);
}

static gboolean
tf_confirm_page_grab_focus (GtkWidget *widget)
{
  TfConfirmPage *self = TF_CONFIRM_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
tf_confirm_page_dispose (GObject *object)
{
  TfConfirmPage *self = TF_CONFIRM_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->recovery_codes, g_ptr_array_unref);
  g_clear_pointer (&self->enrolment, tf_enrolment_free);
  g_clear_object (&self->auth);
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CONFIRM_PAGE);

  G_OBJECT_CLASS (tf_confirm_page_parent_class)->dispose (object);
}

static void
tf_confirm_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TfConfirmPage *self = TF_CONFIRM_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, tf_confirm_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_confirm_page_class_init (TfConfirmPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_confirm_page_dispose;
  object_class->get_property = tf_confirm_page_get_property;
  widget_class->grab_focus = tf_confirm_page_grab_focus;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONFIRMED] =
    g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "confirm.submit", NULL, submit_action);

  g_type_ensure (TF_TYPE_SUBMIT_BUTTON);
  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-confirm-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfConfirmPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TfConfirmPage, form);
  gtk_widget_class_bind_template_child (widget_class, TfConfirmPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TfConfirmPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, TfConfirmPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TfConfirmPage, submit_button);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated);
}

static void
tf_confirm_page_init (TfConfirmPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tf_ui_label_entry_row (self->password_row);
  tf_ui_label_entry_row (self->code_row);
  tf_confirm_page_start (self, TF_CONFIRM_REGENERATE_CODES, 0);
}
