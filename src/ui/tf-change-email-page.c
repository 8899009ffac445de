/* tf-change-email-page.c */
#define G_LOG_DOMAIN "tf-change-email-page"

#include "config.h"

#include "tf-change-email-page.h"
#include "tf-status-page.h"

#include <glib/gi18n.h>

#include "tf-field.h"
#include "tf-problem-page.h"
#include "tf-submit-button.h"
#include "tf-ui-util.h"
#include "tf-validate.h"

struct _TfChangeEmailPage
{
  AdwBin parent_instance;

  /* Template widgets */
  TfStatusPage *status_page;
  GtkWidget *form;
  TfField *email_field;
  TfField *password_field;
  TfField *code_field;
  GtkLabel *error_label;
  TfSubmitButton *submit_button;

  /* Owned */
  TfAuth *auth;
  GCancellable *cancellable;
  gint64 user_id;
  char *new_email;
};

G_DEFINE_FINAL_TYPE (TfChangeEmailPage, tf_change_email_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  DONE,
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
tf_change_email_page_set_auth (TfChangeEmailPage *self,
                               TfAuth            *auth)
{
  g_return_if_fail (TF_IS_CHANGE_EMAIL_PAGE (self));
  g_return_if_fail (auth == NULL || TF_IS_AUTH (auth));

  g_set_object (&self->auth, auth);
}

void
tf_change_email_page_set_user (TfChangeEmailPage *self,
                               const TfUser      *user)
{
  g_autofree char *description = NULL;

  g_return_if_fail (TF_IS_CHANGE_EMAIL_PAGE (self));

  self->user_id = user != NULL ? user->id : 0;
  if (user != NULL && user->email != NULL && *user->email != '\0')
    /* Translators: %s is the account's current e-mail address. */
    description = g_strdup_printf (_("Your address now is %s. A code is mailed to the new "
                                     "address to confirm it. Until it is confirmed, no "
                                     "password reset code can be sent to you."), user->email);
  else
    description = g_strdup (_("A code is mailed to the new address to confirm it. Until it is "
                              "confirmed, no password reset code can be sent to you."));
  tf_status_page_set_description (self->status_page, description);
}

gboolean
tf_change_email_page_get_busy (TfChangeEmailPage *self)
{
  g_return_val_if_fail (TF_IS_CHANGE_EMAIL_PAGE (self), FALSE);

  return tf_submit_button_get_busy (self->submit_button);
}

const char *
tf_change_email_page_get_field_error (TfChangeEmailPage *self,
                                      const char        *field)
{
  g_return_val_if_fail (TF_IS_CHANGE_EMAIL_PAGE (self), NULL);

  if (g_strcmp0 (field, "email") == 0)
    return tf_field_get_error (self->email_field);
  if (g_strcmp0 (field, "password") == 0)
    return tf_field_get_error (self->password_field);
  if (g_strcmp0 (field, "code") == 0)
    return tf_field_get_error (self->code_field);

  g_return_val_if_reached (NULL);
}

const char *
tf_change_email_page_get_error_message (TfChangeEmailPage *self)
{
  g_return_val_if_fail (TF_IS_CHANGE_EMAIL_PAGE (self), NULL);

  return tf_ui_get_error_label (self->error_label);
}

static void
set_error_message (TfChangeEmailPage *self,
                   const char        *message)
{
  tf_ui_set_error_label (self->error_label, message);
}

static void
set_busy (TfChangeEmailPage *self,
          gboolean           busy)
{
  tf_submit_button_set_form_busy (self->submit_button, GTK_WIDGET (self), self->form,
                                  "change-email.submit", busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
tf_change_email_page_clear (TfChangeEmailPage *self)
{
  g_return_if_fail (TF_IS_CHANGE_EMAIL_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->new_email, g_free);
  set_busy (self, FALSE);
  tf_field_clear (self->email_field);
  tf_field_clear (self->password_field);
  tf_field_clear (self->code_field);
  set_error_message (self, NULL);
}

static gboolean
check_field (TfChangeEmailPage *self,
             TfField           *field)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  const char *text = tf_field_get_text (field);
  const char *message = NULL;

  if (field == self->email_field)
    {
      email = tf_validate_email (text, -1, &error);
      if (email == NULL)
        message = error->message;
    }
  else if (field == self->password_field && *text == '\0')
    {
      message = _("Enter your current password.");
    }
  else if (field == self->code_field && *text == '\0')
    {
      message = _("Type the code from your authenticator app, or a recovery code.");
    }

  tf_field_set_error (field, message);

  return message == NULL;
}

static void
on_field_validate (TfChangeEmailPage *self,
                   TfField           *field)
{
  check_field (self, field);
}

static void
change_email_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TfChangeEmailPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (tf_auth_change_email_finish (TF_AUTH (object), result, &error))
    {
      g_autofree char *email = g_steal_pointer (&self->new_email);

      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);
      g_signal_emit (self, signals[DONE], 0, email);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->new_email, g_free);
  set_busy (self, FALSE);

  if (tf_problem_page_handles (error))
    {
      g_signal_emit (self, signals[PROBLEM], 0, error);
    }
  else if (g_error_matches (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_EMAIL))
    {
      tf_field_set_error (self->email_field, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->email_field));
    }
  else
    {
      set_error_message (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_field));
    }
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TfChangeEmailPage *self = TF_CHANGE_EMAIL_PAGE (widget);
  TfField *fields[] = { self->email_field, self->password_field, self->code_field };
  TfField *first_bad = NULL;

  if (self->auth == NULL || self->user_id <= 0 || self->cancellable != NULL)
    return;

  set_error_message (self, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (!check_field (self, fields[i]) && first_bad == NULL)
      first_bad = fields[i];

  if (first_bad != NULL)
    {
      gtk_widget_grab_focus (GTK_WIDGET (first_bad));
      return;
    }

  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  self->new_email = tf_validate_email (tf_field_get_text (self->email_field), -1, NULL);
  tf_auth_change_email_async (self->auth, self->user_id,
                              tf_field_get_text (self->email_field),
                              tf_field_get_text (self->password_field),
                              tf_field_get_text (self->code_field),
                              self->cancellable, change_email_cb, g_object_ref (self));
  tf_field_clear (self->password_field);
  tf_field_clear (self->code_field);
}

static void
on_field_activated (TfChangeEmailPage *self,
                    TfField           *field)
{
  if (field == self->email_field)
    gtk_widget_grab_focus (GTK_WIDGET (self->password_field));
  else if (field == self->password_field)
    gtk_widget_grab_focus (GTK_WIDGET (self->code_field));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "change-email.submit", NULL);
}

static gboolean
tf_change_email_page_grab_focus (GtkWidget *widget)
{
  TfChangeEmailPage *self = TF_CHANGE_EMAIL_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->email_field));
}

static void
tf_change_email_page_dispose (GObject *object)
{
  TfChangeEmailPage *self = TF_CHANGE_EMAIL_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->auth);
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CHANGE_EMAIL_PAGE);

  G_OBJECT_CLASS (tf_change_email_page_parent_class)->dispose (object);
}

static void
tf_change_email_page_finalize (GObject *object)
{
  TfChangeEmailPage *self = TF_CHANGE_EMAIL_PAGE (object);

  g_free (self->new_email);

  G_OBJECT_CLASS (tf_change_email_page_parent_class)->finalize (object);
}

static void
tf_change_email_page_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TfChangeEmailPage *self = TF_CHANGE_EMAIL_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, tf_change_email_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_change_email_page_class_init (TfChangeEmailPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_change_email_page_dispose;
  object_class->finalize = tf_change_email_page_finalize;
  object_class->get_property = tf_change_email_page_get_property;
  widget_class->grab_focus = tf_change_email_page_grab_focus;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* "done" carries the new address, in the form stored. */
  signals[DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "change-email.submit", NULL, submit_action);

  g_type_ensure (TF_TYPE_FIELD);
  g_type_ensure (TF_TYPE_SUBMIT_BUTTON);
  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-change-email-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfChangeEmailPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TfChangeEmailPage, form);
  gtk_widget_class_bind_template_child (widget_class, TfChangeEmailPage, email_field);
  gtk_widget_class_bind_template_child (widget_class, TfChangeEmailPage, password_field);
  gtk_widget_class_bind_template_child (widget_class, TfChangeEmailPage, code_field);
  gtk_widget_class_bind_template_child (widget_class, TfChangeEmailPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TfChangeEmailPage, submit_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_validate);
  gtk_widget_class_bind_template_callback (widget_class, on_field_activated);
}

static void
tf_change_email_page_init (TfChangeEmailPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
