/* tf-reset-page.c */
#define G_LOG_DOMAIN "tf-reset-page"

#include "config.h"

#include "tf-reset-page.h"
#include "tf-status-page.h"

#include <glib/gi18n.h>

#include "tf-field.h"
#include "tf-problem-page.h"
#include "tf-submit-button.h"
#include "tf-ui-util.h"

struct _TfResetPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkWidget *form;
  TfField *identifier_field;
  TfField *reset_code_field;
  TfField *password_field;
  TfField *confirm_field;
  TfField *code_field;
  GtkLabel *error_label;
  TfSubmitButton *submit_button;

  /* Owned */
  TfAuth *auth;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TfResetPage, tf_reset_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  PASSWORD_RESET,
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
tf_reset_page_set_auth (TfResetPage *self,
                        TfAuth      *auth)
{
  g_return_if_fail (TF_IS_RESET_PAGE (self));
  g_return_if_fail (auth == NULL || TF_IS_AUTH (auth));

  g_set_object (&self->auth, auth);
}

gboolean
tf_reset_page_get_busy (TfResetPage *self)
{
  g_return_val_if_fail (TF_IS_RESET_PAGE (self), FALSE);

  return tf_submit_button_get_busy (self->submit_button);
}

const char *
tf_reset_page_get_identifier (TfResetPage *self)
{
  g_return_val_if_fail (TF_IS_RESET_PAGE (self), NULL);

  return tf_field_get_text (self->identifier_field);
}

void
tf_reset_page_set_identifier (TfResetPage *self,
                              const char  *identifier)
{
  g_return_if_fail (TF_IS_RESET_PAGE (self));

  tf_field_set_text (self->identifier_field, identifier != NULL ? identifier : "");
}

const char *
tf_reset_page_get_error_message (TfResetPage *self)
{
  g_return_val_if_fail (TF_IS_RESET_PAGE (self), NULL);

  return tf_ui_get_error_label (self->error_label);
}

static TfField *
field_by_name (TfResetPage *self,
               const char  *name)
{
  const struct { const char *name; TfField *field; } fields[] = {
    { "identifier", self->identifier_field },
    { "reset-code", self->reset_code_field },
    { "password", self->password_field },
    { "confirm-password", self->confirm_field },
    { "code", self->code_field },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_strcmp0 (fields[i].name, name) == 0)
      return fields[i].field;

  return NULL;
}

const char *
tf_reset_page_get_field_error (TfResetPage *self,
                               const char  *field)
{
  TfField *f;

  g_return_val_if_fail (TF_IS_RESET_PAGE (self), NULL);

  f = field_by_name (self, field);
  g_return_val_if_fail (f != NULL, NULL);

  return tf_field_get_error (f);
}

static void
set_error_message (TfResetPage *self,
                   const char  *message)
{
  tf_ui_set_error_label (self->error_label, message);
}

static void
set_busy (TfResetPage *self,
          gboolean     busy)
{
  tf_submit_button_set_form_busy (self->submit_button, GTK_WIDGET (self), self->form,
                                  "reset.submit", busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
tf_reset_page_clear_secrets (TfResetPage *self)
{
  g_return_if_fail (TF_IS_RESET_PAGE (self));

  tf_ui_clear_editable (GTK_EDITABLE (tf_field_get_row (self->reset_code_field)));
  tf_ui_clear_editable (GTK_EDITABLE (tf_field_get_row (self->password_field)));
  tf_ui_clear_editable (GTK_EDITABLE (tf_field_get_row (self->confirm_field)));
  tf_ui_clear_editable (GTK_EDITABLE (tf_field_get_row (self->code_field)));
}

void
tf_reset_page_clear (TfResetPage *self)
{
  g_return_if_fail (TF_IS_RESET_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  tf_field_clear (self->identifier_field);
  tf_field_clear (self->reset_code_field);
  tf_field_clear (self->password_field);
  tf_field_clear (self->confirm_field);
  tf_field_clear (self->code_field);
  set_error_message (self, NULL);
}

static TfField *
field_for_error (TfResetPage  *self,
                 const GError *error)
{
  if (g_error_matches (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_PASSWORD))
    return self->password_field;
  if (g_error_matches (error, TF_AUTH_ERROR, TF_AUTH_ERROR_PASSWORD_MISMATCH))
    return self->confirm_field;

  return NULL;
}

static void
reset_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TfResetPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TfField *field;

  tf_auth_reset_password_finish (TF_AUTH (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (error == NULL)
    {
      g_signal_emit (self, signals[PASSWORD_RESET], 0);
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
      gtk_widget_grab_focus (GTK_WIDGET (self->password_field));
    }
  else
    {
      set_error_message (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->reset_code_field));
    }
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TfResetPage *self = TF_RESET_PAGE (widget);
  TfField *fields[] = {
    self->identifier_field, self->reset_code_field, self->password_field,
    self->confirm_field, self->code_field,
  };

  if (self->auth == NULL || self->cancellable != NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      tf_field_set_error (fields[i], NULL);
      if (*tf_field_get_text (fields[i]) == '\0')
        {
          set_error_message (self, _("Fill in every field."));
          gtk_widget_grab_focus (GTK_WIDGET (fields[i]));
          return;
        }
    }

  set_error_message (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  /* The service copies the secrets into secure memory before this returns,
   * so the fields can be emptied at once. */
  tf_auth_reset_password_async (self->auth,
                                tf_field_get_text (self->identifier_field),
                                tf_field_get_text (self->reset_code_field),
                                tf_field_get_text (self->password_field),
                                tf_field_get_text (self->confirm_field),
                                tf_field_get_text (self->code_field),
                                self->cancellable, reset_cb, g_object_ref (self));
  tf_reset_page_clear_secrets (self);
}

static void
on_field_activated (TfResetPage *self,
                    TfField     *field)
{
  TfField *order[] = {
    self->identifier_field, self->reset_code_field, self->password_field,
    self->confirm_field, self->code_field,
  };

  for (guint i = 0; i + 1 < G_N_ELEMENTS (order); i++)
    if (order[i] == field)
      {
        gtk_widget_grab_focus (GTK_WIDGET (order[i + 1]));
        return;
      }

  gtk_widget_activate_action (GTK_WIDGET (self), "reset.submit", NULL);
}

static gboolean
tf_reset_page_grab_focus (GtkWidget *widget)
{
  TfResetPage *self = TF_RESET_PAGE (widget);

  if (*tf_field_get_text (self->identifier_field) != '\0')
    return gtk_widget_grab_focus (GTK_WIDGET (self->reset_code_field));

  return gtk_widget_grab_focus (GTK_WIDGET (self->identifier_field));
}

static void
tf_reset_page_dispose (GObject *object)
{
  TfResetPage *self = TF_RESET_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->auth);
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_RESET_PAGE);

  G_OBJECT_CLASS (tf_reset_page_parent_class)->dispose (object);
}

static void
tf_reset_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TfResetPage *self = TF_RESET_PAGE (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, tf_reset_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_reset_page_class_init (TfResetPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_reset_page_dispose;
  object_class->get_property = tf_reset_page_get_property;
  widget_class->grab_focus = tf_reset_page_grab_focus;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PASSWORD_RESET] =
    g_signal_new ("password-reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "reset.submit", NULL, submit_action);

  g_type_ensure (TF_TYPE_FIELD);
  g_type_ensure (TF_TYPE_SUBMIT_BUTTON);
  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-reset-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfResetPage, form);
  gtk_widget_class_bind_template_child (widget_class, TfResetPage, identifier_field);
  gtk_widget_class_bind_template_child (widget_class, TfResetPage, reset_code_field);
  gtk_widget_class_bind_template_child (widget_class, TfResetPage, password_field);
  gtk_widget_class_bind_template_child (widget_class, TfResetPage, confirm_field);
  gtk_widget_class_bind_template_child (widget_class, TfResetPage, code_field);
  gtk_widget_class_bind_template_child (widget_class, TfResetPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TfResetPage, submit_button);
  gtk_widget_class_bind_template_callback (widget_class, on_field_activated);
}

static void
tf_reset_page_init (TfResetPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
