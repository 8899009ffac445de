/* tf-register-page.c */
#define G_LOG_DOMAIN "tf-register-page"

#include "config.h"

#include "tf-register-page.h"
#include "tf-status-page.h"

#include <glib/gi18n.h>

#include "tf-field.h"
#include "tf-problem-page.h"
#include "tf-strength-hint.h"
#include "tf-submit-button.h"
#include "tf-ui-util.h"
#include "tf-validate.h"

struct _TfRegisterPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkWidget *form;
  TfField *first_name_field;
  TfField *last_name_field;
  TfField *username_field;
  TfField *email_field;
  TfField *password_field;
  TfField *confirm_field;
  TfStrengthHint *strength_hint;
  GtkLabel *error_label;
  TfSubmitButton *submit_button;

  /* Owned */
  TfAuth *auth;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TfRegisterPage, tf_register_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_AUTH,
  PROP_BUSY,
  N_PROPS
};

enum {
  REGISTERED,
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
tf_register_page_set_auth (TfRegisterPage *self,
                           TfAuth         *auth)
{
  g_return_if_fail (TF_IS_REGISTER_PAGE (self));
  g_return_if_fail (auth == NULL || TF_IS_AUTH (auth));

  if (g_set_object (&self->auth, auth))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

gboolean
tf_register_page_get_busy (TfRegisterPage *self)
{
  g_return_val_if_fail (TF_IS_REGISTER_PAGE (self), FALSE);

  return tf_submit_button_get_busy (self->submit_button);
}

static TfField *
field_by_name (TfRegisterPage *self,
               const char     *name)
{
  const struct { const char *name; TfField *field; } fields[] = {
    { "first-name", self->first_name_field },
    { "last-name", self->last_name_field },
    { "username", self->username_field },
    { "email", self->email_field },
    { "password", self->password_field },
    { "confirm-password", self->confirm_field },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].name, name) == 0)
      return fields[i].field;

  return NULL;
}

const char *
tf_register_page_get_field_error (TfRegisterPage *self,
                                  const char     *field)
{
  TfField *f;

  g_return_val_if_fail (TF_IS_REGISTER_PAGE (self), NULL);

  f = field_by_name (self, field);
  g_return_val_if_fail (f != NULL, NULL);

  return tf_field_get_error (f);
}

const char *
tf_register_page_get_error_message (TfRegisterPage *self)
{
  g_return_val_if_fail (TF_IS_REGISTER_PAGE (self), NULL);

  return tf_ui_get_error_label (self->error_label);
}

const char *
tf_register_page_get_strength_text (TfRegisterPage *self)
{
  g_return_val_if_fail (TF_IS_REGISTER_PAGE (self), NULL);

  return tf_strength_hint_get_text (self->strength_hint);
}

static void
set_error_message (TfRegisterPage *self,
                   const char     *message)
{
  tf_ui_set_error_label (self->error_label, message);
}

static void
set_busy (TfRegisterPage *self,
          gboolean        busy)
{
  tf_submit_button_set_form_busy (self->submit_button, GTK_WIDGET (self), self->form,
                                  "register.submit", busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
tf_register_page_clear (TfRegisterPage *self)
{
  g_return_if_fail (TF_IS_REGISTER_PAGE (self));

  tf_field_clear (self->first_name_field);
  tf_field_clear (self->last_name_field);
  tf_field_clear (self->username_field);
  tf_field_clear (self->email_field);
  tf_field_clear (self->password_field);
  tf_field_clear (self->confirm_field);
  set_error_message (self, NULL);
  tf_strength_hint_update (self->strength_hint, NULL, NULL, NULL, NULL, NULL);
}

/* Each check returns TRUE when the field is fine, and shows its error. */
static gboolean
check_field (TfRegisterPage *self,
             TfField        *field)
{
  g_autoptr(GError) error = NULL;
  const char *text = tf_field_get_text (field);

  if (field == self->first_name_field || field == self->last_name_field)
    {
      g_autofree char *name = tf_validate_name (text, -1, &error);
    }
  else if (field == self->username_field)
    {
      g_autofree char *username = tf_validate_username (text, -1, &error);
    }
  else if (field == self->email_field)
    {
      g_autofree char *email = tf_validate_email (text, -1, &error);
    }
  else if (field == self->password_field)
    {
      g_autoptr(TfSecureBuffer) password = tf_password_normalize (text, -1, &error);

      if (password != NULL)
        tf_password_check_policy (password,
                                  tf_field_get_text (self->username_field),
                                  tf_field_get_text (self->first_name_field),
                                  tf_field_get_text (self->last_name_field),
                                  tf_field_get_text (self->email_field),
                                  &error);
    }
  else if (field == self->confirm_field)
    {
      g_autoptr(TfSecureBuffer) a = tf_password_normalize (tf_field_get_text (self->password_field),
                                                           -1, NULL);
      g_autoptr(TfSecureBuffer) b = tf_password_normalize (text, -1, NULL);

      if (*text == '\0')
        error = g_error_new_literal (TF_AUTH_ERROR, TF_AUTH_ERROR_PASSWORD_MISMATCH,
                                     _("Type the password again."));
      else if (a == NULL || b == NULL || !tf_secure_buffer_equal (a, b))
        error = g_error_new_literal (TF_AUTH_ERROR, TF_AUTH_ERROR_PASSWORD_MISMATCH,
                                     _("The passwords do not match."));
    }

  tf_field_set_error (field, error != NULL ? error->message : NULL);

  return error == NULL;
}

static void
on_field_validate (TfRegisterPage *self,
                   TfField        *field)
{
  check_field (self, field);
}

static void
update_strength (TfRegisterPage *self)
{
  tf_strength_hint_update (self->strength_hint,
                           tf_field_get_text (self->password_field),
                           tf_field_get_text (self->username_field),
                           tf_field_get_text (self->first_name_field),
                           tf_field_get_text (self->last_name_field),
                           tf_field_get_text (self->email_field));
}

static void
on_password_changed (TfRegisterPage *self)
{
  update_strength (self);
  if (tf_field_get_error (self->confirm_field) != NULL)
    check_field (self, self->confirm_field);
}

static TfField *
field_for_error (TfRegisterPage *self,
                 const GError   *error)
{
  TfAuthError code;

  if (error->domain != TF_AUTH_ERROR)
    return NULL;

  code = error->code;
  switch (code)
    {
    case TF_AUTH_ERROR_INVALID_FIRST_NAME:
      return self->first_name_field;
    case TF_AUTH_ERROR_INVALID_LAST_NAME:
      return self->last_name_field;
    case TF_AUTH_ERROR_INVALID_USERNAME:
    case TF_AUTH_ERROR_USERNAME_TAKEN:
      return self->username_field;
    case TF_AUTH_ERROR_INVALID_EMAIL:
      return self->email_field;
    case TF_AUTH_ERROR_INVALID_PASSWORD:
      return self->password_field;
    case TF_AUTH_ERROR_PASSWORD_MISMATCH:
      return self->confirm_field;
    case TF_AUTH_ERROR_FAILED:
    case TF_AUTH_ERROR_CLOCK_SKEW:
    case TF_AUTH_ERROR_THROTTLED:
    case TF_AUTH_ERROR_WRONG_CODE:
    case TF_AUTH_ERROR_NO_SUCH_USER:
    case TF_AUTH_ERROR_WRONG_STATE:
    default:
      return NULL;
    }
}

static void
register_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(TfRegisterPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TfField *field;
  gint64 user_id;

  user_id = tf_auth_register_finish (TF_AUTH (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (user_id > 0)
    {
      g_signal_emit (self, signals[REGISTERED], 0, user_id);
      return;
    }

  if (tf_problem_page_handles (error))
    {
      g_signal_emit (self, signals[PROBLEM], 0, error);
      return;
    }

  field = field_for_error (self, error);
  if (field != NULL)
    {
      tf_field_set_error (field, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (field));
    }
  else
    {
      set_error_message (self, error->message);
    }
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TfRegisterPage *self = TF_REGISTER_PAGE (widget);
  TfField *fields[] = {
    self->first_name_field, self->last_name_field, self->username_field,
    self->email_field, self->password_field, self->confirm_field,
  };
  TfField *first_bad = NULL;

  if (self->auth == NULL || self->cancellable != NULL)
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
  tf_auth_register_async (self->auth,
                          tf_field_get_text (self->first_name_field),
                          tf_field_get_text (self->last_name_field),
                          tf_field_get_text (self->username_field),
                          tf_field_get_text (self->email_field),
                          tf_field_get_text (self->password_field),
                          tf_field_get_text (self->confirm_field),
                          self->cancellable, register_cb, g_object_ref (self));
  /* Copied into secure memory by the service already. */
  tf_field_clear (self->password_field);
  tf_field_clear (self->confirm_field);
  update_strength (self);
}

static void
on_field_activated (TfRegisterPage *self,
                    TfField        *field)
{
  TfField *order[] = {
    self->first_name_field, self->last_name_field, self->username_field,
    self->email_field, self->password_field, self->confirm_field,
  };

  /* Enter moves to the next field; in the last one it submits. */
  for (guint i = 0; i + 1 < G_N_ELEMENTS (order); i++)
    if (order[i] == field)
      {
        gtk_widget_grab_focus (GTK_WIDGET (order[i + 1]));
        return;
      }

  gtk_widget_activate_action (GTK_WIDGET (self), "register.submit", NULL);
}

static gboolean
tf_register_page_grab_focus (GtkWidget *widget)
{
  TfRegisterPage *self = TF_REGISTER_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->first_name_field));
}

static void
tf_register_page_dispose (GObject *object)
{
  TfRegisterPage *self = TF_REGISTER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->auth);
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_REGISTER_PAGE);

  G_OBJECT_CLASS (tf_register_page_parent_class)->dispose (object);
}

static void
tf_register_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TfRegisterPage *self = TF_REGISTER_PAGE (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, tf_register_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_register_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TfRegisterPage *self = TF_REGISTER_PAGE (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      tf_register_page_set_auth (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_register_page_class_init (TfRegisterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_register_page_dispose;
  object_class->get_property = tf_register_page_get_property;
  object_class->set_property = tf_register_page_set_property;
  widget_class->grab_focus = tf_register_page_grab_focus;

  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, TF_TYPE_AUTH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[REGISTERED] =
    g_signal_new ("registered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "register.submit", NULL, submit_action);

  g_type_ensure (TF_TYPE_FIELD);
  g_type_ensure (TF_TYPE_STRENGTH_HINT);
  g_type_ensure (TF_TYPE_SUBMIT_BUTTON);
  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-register-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfRegisterPage, form);
  gtk_widget_class_bind_template_child (widget_class, TfRegisterPage, first_name_field);
  gtk_widget_class_bind_template_child (widget_class, TfRegisterPage, last_name_field);
  gtk_widget_class_bind_template_child (widget_class, TfRegisterPage, username_field);
  gtk_widget_class_bind_template_child (widget_class, TfRegisterPage, email_field);
  gtk_widget_class_bind_template_child (widget_class, TfRegisterPage, password_field);
  gtk_widget_class_bind_template_child (widget_class, TfRegisterPage, confirm_field);
  gtk_widget_class_bind_template_child (widget_class, TfRegisterPage, strength_hint);
  gtk_widget_class_bind_template_child (widget_class, TfRegisterPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TfRegisterPage, submit_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_validate);
  gtk_widget_class_bind_template_callback (widget_class, on_field_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_password_changed);
}

static void
tf_register_page_init (TfRegisterPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
