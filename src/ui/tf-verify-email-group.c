/* tf-verify-email-group.c */
#define G_LOG_DOMAIN "tf-verify-email-group"

#include "config.h"

#include "tf-verify-email-group.h"

#include <glib/gi18n.h>

#include "tf-ui-util.h"

struct _TfVerifyEmailGroup
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwPreferencesGroup *group;
  AdwEntryRow *code_row;
  GtkButton *verify_button;
  GtkButton *resend_button;
  GtkLabel *message_label;

  /* Owned */
  TfAuth *auth;
  GCancellable *cancellable;
  gint64 user_id;
};

G_DEFINE_FINAL_TYPE (TfVerifyEmailGroup, tf_verify_email_group, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

enum {
  VERIFIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

void
tf_verify_email_group_set_auth (TfVerifyEmailGroup *self,
                                TfAuth             *auth)
{
  g_return_if_fail (TF_IS_VERIFY_EMAIL_GROUP (self));
  g_return_if_fail (auth == NULL || TF_IS_AUTH (auth));

  g_set_object (&self->auth, auth);
}

gboolean
tf_verify_email_group_get_busy (TfVerifyEmailGroup *self)
{
  g_return_val_if_fail (TF_IS_VERIFY_EMAIL_GROUP (self), FALSE);

  return self->cancellable != NULL;
}

const char *
tf_verify_email_group_get_message (TfVerifyEmailGroup *self)
{
  g_return_val_if_fail (TF_IS_VERIFY_EMAIL_GROUP (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;

  return gtk_label_get_label (self->message_label);
}

static void
set_message (TfVerifyEmailGroup *self,
             const char         *message,
             gboolean            is_error)
{
  gboolean shown = message != NULL && *message != '\0';

  gtk_label_set_label (self->message_label, shown ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), shown);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static void
set_busy (TfVerifyEmailGroup *self,
          GCancellable       *cancellable)
{
  gboolean busy = cancellable != NULL;

  if (busy)
    self->cancellable = cancellable;
  else
    g_clear_object (&self->cancellable);

  tf_ui_set_form_sensitive (GTK_WIDGET (self->group), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verify.submit", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "verify.resend", !busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
tf_verify_email_group_clear (TfVerifyEmailGroup *self)
{
  g_return_if_fail (TF_IS_VERIFY_EMAIL_GROUP (self));

  g_cancellable_cancel (self->cancellable);
  set_busy (self, NULL);
  tf_ui_clear_editable (GTK_EDITABLE (self->code_row));
  set_message (self, NULL, FALSE);
  self->user_id = 0;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

void
tf_verify_email_group_set_user (TfVerifyEmailGroup *self,
                                const TfUser       *user)
{
  g_autofree char *description = NULL;

  g_return_if_fail (TF_IS_VERIFY_EMAIL_GROUP (self));

  tf_verify_email_group_clear (self);
  if (user == NULL || user->email == NULL || *user->email == '\0' || user->email_verified_at != 0)
    return;

  self->user_id = user->id;
  /* Translators: %s is the account's e-mail address. */
  description = g_strdup_printf (_("Enter the code sent to %s. Until then no password reset "
                                   "code can be mailed to you."), user->email);
  adw_preferences_group_set_description (self->group, description);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
verify_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TfVerifyEmailGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  tf_auth_verify_email_finish (TF_AUTH (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, NULL);

  if (error != NULL)
    {
      set_message (self, error->message, TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
      return;
    }

  tf_verify_email_group_clear (self);
  g_signal_emit (self, signals[VERIFIED], 0);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s",
                              _("E-mail address verified"));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TfVerifyEmailGroup *self = TF_VERIFY_EMAIL_GROUP (widget);
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_row));

  if (self->auth == NULL || self->user_id == 0 || self->cancellable != NULL)
    return;

  if (*code == '\0')
    {
      set_message (self, _("Enter the code from the email."), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
      return;
    }

  set_message (self, NULL, FALSE);
  set_busy (self, g_cancellable_new ());
  tf_auth_verify_email_async (self->auth, self->user_id, code, self->cancellable,
                              verify_cb, g_object_ref (self));
  tf_ui_clear_editable (GTK_EDITABLE (self->code_row));
}

static void
resend_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(TfVerifyEmailGroup) self = user_data;
  g_autoptr(GError) error = NULL;

  tf_auth_request_email_verification_finish (TF_AUTH (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, NULL);

  if (error != NULL)
    set_message (self, error->message, TRUE);
  else
    set_message (self, _("A new code is on its way. It expires in 10 minutes."), FALSE);
}

static void
resend_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TfVerifyEmailGroup *self = TF_VERIFY_EMAIL_GROUP (widget);

  if (self->auth == NULL || self->user_id == 0 || self->cancellable != NULL)
    return;

  set_message (self, NULL, FALSE);
  set_busy (self, g_cancellable_new ());
  tf_auth_request_email_verification_async (self->auth, self->user_id, self->cancellable,
                                            resend_cb, g_object_ref (self));
}

static void
on_code_activated (TfVerifyEmailGroup *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "verify.submit", NULL);
}

static void
tf_verify_email_group_dispose (GObject *object)
{
  TfVerifyEmailGroup *self = TF_VERIFY_EMAIL_GROUP (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->auth);
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_VERIFY_EMAIL_GROUP);

  G_OBJECT_CLASS (tf_verify_email_group_parent_class)->dispose (object);
}

static void
tf_verify_email_group_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TfVerifyEmailGroup *self = TF_VERIFY_EMAIL_GROUP (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, tf_verify_email_group_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_verify_email_group_class_init (TfVerifyEmailGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_verify_email_group_dispose;
  object_class->get_property = tf_verify_email_group_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[VERIFIED] =
    g_signal_new ("verified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "verify.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "verify.resend", NULL, resend_action);

  tf_ui_ensure_resources ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-verify-email-group.ui");
  gtk_widget_class_bind_template_child (widget_class, TfVerifyEmailGroup, group);
  gtk_widget_class_bind_template_child (widget_class, TfVerifyEmailGroup, code_row);
  gtk_widget_class_bind_template_child (widget_class, TfVerifyEmailGroup, verify_button);
  gtk_widget_class_bind_template_child (widget_class, TfVerifyEmailGroup, resend_button);
  gtk_widget_class_bind_template_child (widget_class, TfVerifyEmailGroup, message_label);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated);
}

static void
tf_verify_email_group_init (TfVerifyEmailGroup *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  tf_ui_label_entry_row (self->code_row);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
