/* tf-change-password-page.c */
#define G_LOG_DOMAIN "tf-change-password-page"

#include "config.h"

#include "tf-change-password-page.h"
#include "tf-status-page.h"

#include <glib/gi18n.h>

#include "tf-field.h"
#include "tf-problem-page.h"
#include "tf-strength-hint.h"
#include "tf-submit-button.h"
#include "tf-ui-util.h"

struct _TfChangePasswordPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkWidget *form;
  TfField *current_field;
  TfField *code_field;
  TfField *new_field;
  TfField *confirm_field;
  TfStrengthHint *strength_hint;
  GtkLabel *error_label;
  TfSubmitButton *submit_button;

  /* Owned */
  TfAuth *auth;
  GCancellable *cancellable;
  gint64 user_id;
  char *username;
  char *first_name;
  char *last_name;
  char *email;
};

G_DEFINE_FINAL_TYPE (TfChangePasswordPage, tf_change_password_page, ADW_TYPE_BIN)

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
tf_change_password_page_set_auth (TfChangePasswordPage *self,
                                  TfAuth               *auth)
{
  g_return_if_fail (TF_IS_CHANGE_PASSWORD_PAGE (self));
  g_return_if_fail (auth == NULL || TF_IS_AUTH (auth));

  g_set_object (&self->auth, auth);
}

void
tf_change_password_page_set_user (TfChangePasswordPage *self,
                                  const TfUser         *user)
{
  g_return_if_fail (TF_IS_CHANGE_PASSWORD_PAGE (self));

  self->user_id = user != NULL ? user->id : 0;
  g_free (self->username);
  g_free (self->first_name);
  g_free (self->last_name);
  g_free (self->email);
  self->username = user != NULL ? g_strdup (user->username) : NULL;
  self->first_name = user != NULL ? g_strdup (user->first_name) : NULL;
  self->last_name = user != NULL ? g_strdup (user->last_name) : NULL;
  self->email = user != NULL ? g_strdup (user->email) : NULL;
}

gboolean
tf_change_password_page_get_busy (TfChangePasswordPage *self)
{
  g_return_val_if_fail (TF_IS_CHANGE_PASSWORD_PAGE (self), FALSE);

  return tf_submit_button_get_busy (self->submit_button);
}

const char *
tf_change_password_page_get_field_error (TfChangePasswordPage *self,
                                         const char           *field)
{
  g_return_val_if_fail (TF_IS_CHANGE_PASSWORD_PAGE (self), NULL);

  if (g_strcmp0 (field, "current-password") == 0)
    return tf_field_get_error (self->current_field);
  if (g_strcmp0 (field, "code") == 0)
    return tf_field_get_error (self->code_field);
  if (g_strcmp0 (field, "new-password") == 0)
    return tf_field_get_error (self->new_field);
  if (g_strcmp0 (field, "confirm-password") == 0)
    return tf_field_get_error (self->confirm_field);

  g_return_val_if_reached (NULL);
}

const char *
tf_change_password_page_get_error_message (TfChangePasswordPage *self)
{
  g_return_val_if_fail (TF_IS_CHANGE_PASSWORD_PAGE (self), NULL);

  return tf_ui_get_error_label (self->error_label);
}

static void
set_error_message (TfChangePasswordPage *self,
                   const char           *message)
{
  tf_ui_set_error_label (self->error_label, message);
}

static void
set_busy (TfChangePasswordPage *self,
          gboolean              busy)
{
  tf_submit_button_set_form_busy (self->submit_button, GTK_WIDGET (self), self->form,
                                  "change-password.submit", busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
update_strength (TfChangePasswordPage *self)
{
  tf_strength_hint_update (self->strength_hint, tf_field_get_text (self->new_field),
                           self->username, self->first_name, self->last_name, self->email);
}

void
tf_change_password_page_clear (TfChangePasswordPage *self)
{
  g_return_if_fail (TF_IS_CHANGE_PASSWORD_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  tf_field_clear (self->current_field);
  tf_field_clear (self->code_field);
  tf_field_clear (self->new_field);
  tf_field_clear (self->confirm_field);
  set_error_message (self, NULL);
  update_strength (self);
}

static gboolean
check_field (TfChangePasswordPage *self,
             TfField              *field)
{
  g_autoptr(GError) error = NULL;
  const char *text = tf_field_get_text (field);
  const char *message = NULL;

  if (field == self->current_field && *text == '\0')
    {
      message = _("Enter your current password.");
    }
  else if (field == self->code_field && *text == '\0')
    {
      message = _("Type the code from your authenticator app, or a recovery code.");
    }
  else if (field == self->new_field)
    {
      g_autoptr(TfSecureBuffer) password = tf_password_normalize (text, -1, &error);

      if (password != NULL)
        tf_password_check_policy (password, self->username, self->first_name,
                                  self->last_name, self->email, &error);
      if (error != NULL)
        message = error->message;
    }
  else if (field == self->confirm_field)
    {
      g_autoptr(TfSecureBuffer) a = tf_password_normalize (tf_field_get_text (self->new_field),
                                                           -1, NULL);
      g_autoptr(TfSecureBuffer) b = tf_password_normalize (text, -1, NULL);

      if (*text == '\0')
        message = _("Type the new password again.");
      else if (a == NULL || b == NULL || !tf_secure_buffer_equal (a, b))
        message = _("The passwords do not match.");
    }

  tf_field_set_error (field, message);

  return message == NULL;
}

static void
on_field_validate (TfChangePasswordPage *self,
                   TfField              *field)
{
  check_field (self, field);
}

static void
on_new_password_changed (TfChangePasswordPage *self)
{
  update_strength (self);
  if (tf_field_get_error (self->confirm_field) != NULL)
    check_field (self, self->confirm_field);
}

static void
clear_secrets (TfChangePasswordPage *self)
{
  tf_field_clear (self->current_field);
  tf_field_clear (self->code_field);
  tf_field_clear (self->new_field);
  tf_field_clear (self->confirm_field);
  update_strength (self);
}

static void
change_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(TfChangePasswordPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (tf_auth_change_password_finish (TF_AUTH (object), result, &error))
    {
      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);
      g_signal_emit (self, signals[DONE], 0);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (tf_problem_page_handles (error))
    g_signal_emit (self, signals[PROBLEM], 0, error);
  else if (g_error_matches (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_PASSWORD))
    tf_field_set_error (self->new_field, error->message);
  else if (g_error_matches (error, TF_AUTH_ERROR, TF_AUTH_ERROR_PASSWORD_MISMATCH))
    tf_field_set_error (self->confirm_field, error->message);
  else
    set_error_message (self, error->message);

  gtk_widget_grab_focus (GTK_WIDGET (self->current_field));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TfChangePasswordPage *self = TF_CHANGE_PASSWORD_PAGE (widget);
  TfField *fields[] = {
    self->current_field, self->code_field, self->new_field, self->confirm_field,
  };
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
  tf_auth_change_password_async (self->auth, self->user_id,
                                 tf_field_get_text (self->current_field),
                                 tf_field_get_text (self->code_field),
                                 tf_field_get_text (self->new_field),
                                 tf_field_get_text (self->confirm_field),
                                 self->cancellable, change_password_cb, g_object_ref (self));
  clear_secrets (self);
}

static void
on_field_activated (TfChangePasswordPage *self,
                    TfField              *field)
{
  TfField *order[] = {
    self->current_field, self->code_field, self->new_field, self->confirm_field,
  };

  for (guint i = 0; i + 1 < G_N_ELEMENTS (order); i++)
    if (order[i] == field)
      {
        gtk_widget_grab_focus (GTK_WIDGET (order[i + 1]));
        return;
      }

  gtk_widget_activate_action (GTK_WIDGET (self), "change-password.submit", NULL);
}

static gboolean
tf_change_password_page_grab_focus (GtkWidget *widget)
{
  TfChangePasswordPage *self = TF_CHANGE_PASSWORD_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->current_field));
}

static void
tf_change_password_page_dispose (GObject *object)
{
  TfChangePasswordPage *self = TF_CHANGE_PASSWORD_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->auth);
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_CHANGE_PASSWORD_PAGE);

  G_OBJECT_CLASS (tf_change_password_page_parent_class)->dispose (object);
}

static void
tf_change_password_page_finalize (GObject *object)
{
  TfChangePasswordPage *self = TF_CHANGE_PASSWORD_PAGE (object);

  g_free (self->username);
  g_free (self->first_name);
  g_free (self->last_name);
  g_free (self->email);

  G_OBJECT_CLASS (tf_change_password_page_parent_class)->finalize (object);
}

static void
tf_change_password_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  TfChangePasswordPage *self = TF_CHANGE_PASSWORD_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, tf_change_password_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_change_password_page_class_init (TfChangePasswordPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_change_password_page_dispose;
  object_class->get_property = tf_change_password_page_get_property;
  object_class->finalize = tf_change_password_page_finalize;
  widget_class->grab_focus = tf_change_password_page_grab_focus;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "change-password.submit", NULL, submit_action);

  g_type_ensure (TF_TYPE_FIELD);
  g_type_ensure (TF_TYPE_STRENGTH_HINT);
  g_type_ensure (TF_TYPE_SUBMIT_BUTTON);
  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-change-password-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfChangePasswordPage, form);
  gtk_widget_class_bind_template_child (widget_class, TfChangePasswordPage, current_field);
  gtk_widget_class_bind_template_child (widget_class, TfChangePasswordPage, code_field);
  gtk_widget_class_bind_template_child (widget_class, TfChangePasswordPage, new_field);
  gtk_widget_class_bind_template_child (widget_class, TfChangePasswordPage, confirm_field);
  gtk_widget_class_bind_template_child (widget_class, TfChangePasswordPage, strength_hint);
  gtk_widget_class_bind_template_child (widget_class, TfChangePasswordPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TfChangePasswordPage, submit_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_validate);
  gtk_widget_class_bind_template_callback (widget_class, on_field_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_new_password_changed);
}

static void
tf_change_password_page_init (TfChangePasswordPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
