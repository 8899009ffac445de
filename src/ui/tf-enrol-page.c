/* tf-enrol-page.c */
#define G_LOG_DOMAIN "tf-enrol-page"

#include "config.h"

#include "tf-enrol-page.h"
#include "tf-status-page.h"

#include <glib/gi18n.h>

#include "tf-problem-page.h"
#include "tf-qr-code.h"
#include "tf-submit-button.h"
#include "tf-ui-util.h"

struct _TfEnrolPage
{
  AdwBin parent_instance;

  /* Template widgets */
  TfStatusPage *status_page;
  GtkStack *content_stack;
  GtkSpinner *spinner;
  TfQrCode *qr_code;
  GtkLabel *secret_label;
  GtkWidget *form;
  AdwEntryRow *code_row;
  GtkLabel *error_label;
  TfSubmitButton *submit_button;

  /* Owned */
  TfAuth *auth;
  GCancellable *cancellable;
  TfEnrolment *enrolment;
  GPtrArray *recovery_codes;
  gint64 user_id;
  TfEnrolMode mode;
};

G_DEFINE_FINAL_TYPE (TfEnrolPage, tf_enrol_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_AUTH,
  PROP_READY,
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
tf_enrol_page_set_auth (TfEnrolPage *self,
                        TfAuth      *auth)
{
  g_return_if_fail (TF_IS_ENROL_PAGE (self));
  g_return_if_fail (auth == NULL || TF_IS_AUTH (auth));

  if (g_set_object (&self->auth, auth))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

TfEnrolMode
tf_enrol_page_get_mode (TfEnrolPage *self)
{
  g_return_val_if_fail (TF_IS_ENROL_PAGE (self), TF_ENROL_NEW);

  return self->mode;
}

gboolean
tf_enrol_page_get_ready (TfEnrolPage *self)
{
  g_return_val_if_fail (TF_IS_ENROL_PAGE (self), FALSE);

  return self->enrolment != NULL;
}

gboolean
tf_enrol_page_get_busy (TfEnrolPage *self)
{
  g_return_val_if_fail (TF_IS_ENROL_PAGE (self), FALSE);

  return tf_submit_button_get_busy (self->submit_button);
}

const char *
tf_enrol_page_get_account (TfEnrolPage *self)
{
  g_return_val_if_fail (TF_IS_ENROL_PAGE (self), NULL);

  return self->enrolment != NULL ? self->enrolment->account : NULL;
}

const char *
tf_enrol_page_get_secret_text (TfEnrolPage *self)
{
  g_return_val_if_fail (TF_IS_ENROL_PAGE (self), NULL);

  return gtk_label_get_label (self->secret_label);
}

const char *
tf_enrol_page_get_error_message (TfEnrolPage *self)
{
  g_return_val_if_fail (TF_IS_ENROL_PAGE (self), NULL);

  return tf_ui_get_error_label (self->error_label);
}

GtkWidget *
tf_enrol_page_get_qr_code (TfEnrolPage *self)
{
  g_return_val_if_fail (TF_IS_ENROL_PAGE (self), NULL);

  return GTK_WIDGET (self->qr_code);
}

GPtrArray *
tf_enrol_page_take_recovery_codes (TfEnrolPage *self)
{
  g_return_val_if_fail (TF_IS_ENROL_PAGE (self), NULL);

  return g_steal_pointer (&self->recovery_codes);
}

static void
set_error_message (TfEnrolPage *self,
                   const char  *message)
{
  tf_ui_set_error_label (self->error_label, message);
}

static void
set_busy (TfEnrolPage *self,
          gboolean     busy)
{
  tf_submit_button_set_form_busy (self->submit_button, GTK_WIDGET (self), self->form,
                                  "enrol.confirm", busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
cancel_pending (TfEnrolPage *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (tf_submit_button_get_busy (self->submit_button))
    set_busy (self, FALSE);
}

void
tf_enrol_page_clear (TfEnrolPage *self)
{
  g_return_if_fail (TF_IS_ENROL_PAGE (self));

  cancel_pending (self);
  tf_qr_code_set_matrix (self->qr_code, NULL);
  gtk_label_set_label (self->secret_label, "");
  tf_ui_clear_editable (GTK_EDITABLE (self->code_row));
  set_error_message (self, NULL);
  g_clear_pointer (&self->enrolment, tf_enrolment_free);
  g_clear_pointer (&self->recovery_codes, g_ptr_array_unref);
  self->user_id = 0;
  gtk_stack_set_visible_child_name (self->content_stack, "loading");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "enrol.copy-secret", FALSE);
  tf_ui_forget_clipboard (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

gboolean
tf_enrol_page_lay_out_ahead (TfEnrolPage *self)
{
  GtkWidget *ready;
  int width;

  g_return_val_if_fail (TF_IS_ENROL_PAGE (self), FALSE);

  /* Once is enough: an enrolment shown lays it out too. */
  ready = gtk_stack_get_child_by_name (self->content_stack, "ready");
  if (self->enrolment != NULL || gtk_widget_get_width (ready) > 0)
    return FALSE;

  /* At the width the page's clamp gives the stack, its spinner's now. */
  width = gtk_widget_get_width (GTK_WIDGET (self->content_stack));
  return tf_ui_lay_out_hidden (ready, width, -1);
}

/* Groups of four characters, four groups a line: a 160-bit secret's 32
 * characters in two lines of 19, which fit a 360 px window. */
static char *
group_by_four (const char *secret)
{
  GString *out = g_string_new (NULL);

  for (gsize i = 0; secret[i] != '\0'; i++)
    {
      if (i > 0 && i % 16 == 0)
        g_string_append_c (out, '\n');
      else if (i > 0 && i % 4 == 0)
        g_string_append_c (out, ' ');
      g_string_append_c (out, secret[i]);
    }

  return g_string_free (out, FALSE);
}

static void
show (TfEnrolPage *self,
      TfEnrolment *enrolment)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *grouped = NULL;
  TfQrMatrix *matrix;

  g_clear_pointer (&self->enrolment, tf_enrolment_free);
  self->enrolment = enrolment;

  matrix = tf_qr_matrix_new (tf_secure_buffer_get_string (enrolment->uri), &error);
  if (matrix == NULL)
    g_warning ("Could not draw the enrolment QR code: %s", error->message);
  tf_qr_code_set_matrix (self->qr_code, matrix);

  grouped = group_by_four (tf_secure_buffer_get_string (enrolment->secret_base32));
  gtk_label_set_label (self->secret_label, grouped);

  if (self->mode == TF_ENROL_REPLACE)
    tf_status_page_set_title (self->status_page, _("Set Up Your New Authenticator"));
  else
    tf_status_page_set_title (self->status_page, _("Set Up Your Authenticator"));

  gtk_stack_set_visible_child_name (self->content_stack, "ready");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "enrol.copy-secret", TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READY]);
}

static void
get_enrolment_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TfEnrolPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TfEnrolment *enrolment;

  enrolment = tf_auth_get_enrolment_finish (TF_AUTH (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);

  if (enrolment == NULL)
    {
      if (tf_problem_page_handles (error))
        g_signal_emit (self, signals[PROBLEM], 0, error);
      else
        set_error_message (self, error->message);
      return;
    }

  show (self, enrolment);
}

void
tf_enrol_page_load (TfEnrolPage *self,
                    gint64       user_id)
{
  g_return_if_fail (TF_IS_ENROL_PAGE (self));
  g_return_if_fail (self->auth != NULL);

  tf_enrol_page_clear (self);
  self->mode = TF_ENROL_NEW;
  self->user_id = user_id;
  self->cancellable = g_cancellable_new ();
  tf_auth_get_enrolment_async (self->auth, user_id, self->cancellable,
                               get_enrolment_cb, g_object_ref (self));
}

void
tf_enrol_page_show_enrolment (TfEnrolPage *self,
                              gint64       user_id,
                              TfEnrolment *enrolment)
{
  g_return_if_fail (TF_IS_ENROL_PAGE (self));
  g_return_if_fail (enrolment != NULL);

  tf_enrol_page_clear (self);
  self->mode = TF_ENROL_REPLACE;
  self->user_id = user_id;
  show (self, enrolment);
}

static void
finish_attempt (TfEnrolPage  *self,
                const GError *error)
{
  if (tf_problem_page_handles (error))
    {
      g_signal_emit (self, signals[PROBLEM], 0, error);
      return;
    }

  set_error_message (self, error->message);
  gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

static void
confirm_enrolment_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(TfEnrolPage) self = user_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *codes;

  codes = tf_auth_confirm_enrolment_finish (TF_AUTH (object), result, &error);
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
confirm_reenrolment_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(TfEnrolPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!tf_auth_confirm_reenrolment_finish (TF_AUTH (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->cancellable);
      set_busy (self, FALSE);
      finish_attempt (self, error);
      return;
    }

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);
  g_signal_emit (self, signals[CONFIRMED], 0);
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TfEnrolPage *self = TF_ENROL_PAGE (widget);
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_row));

  if (self->auth == NULL || self->enrolment == NULL || self->cancellable != NULL)
    return;

  if (*code == '\0')
    {
      set_error_message (self, _("Type the 6-digit code your authenticator app shows."));
      gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
      return;
    }

  set_error_message (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  if (self->mode == TF_ENROL_NEW)
    tf_auth_confirm_enrolment_async (self->auth, self->user_id, code, self->cancellable,
                                     confirm_enrolment_cb, g_object_ref (self));
  else
    tf_auth_confirm_reenrolment_async (self->auth, self->user_id, code, self->cancellable,
                                       confirm_reenrolment_cb, g_object_ref (self));
  tf_ui_clear_editable (GTK_EDITABLE (self->code_row));
}

static void
copy_secret_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TfEnrolPage *self = TF_ENROL_PAGE (widget);

  if (self->enrolment == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          tf_secure_buffer_get_string (self->enrolment->secret_base32));
  gtk_widget_activate_action (widget, "win.toast", "s", _("Secret key copied"));
}

static void
on_code_activated (TfEnrolPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "enrol.confirm", NULL);
}

static gboolean
tf_enrol_page_grab_focus (GtkWidget *widget)
{
  TfEnrolPage *self = TF_ENROL_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

static void
tf_enrol_page_dispose (GObject *object)
{
  TfEnrolPage *self = TF_ENROL_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->enrolment, tf_enrolment_free);
  g_clear_pointer (&self->recovery_codes, g_ptr_array_unref);
  g_clear_object (&self->auth);
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_ENROL_PAGE);

  G_OBJECT_CLASS (tf_enrol_page_parent_class)->dispose (object);
}

static void
tf_enrol_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TfEnrolPage *self = TF_ENROL_PAGE (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;
    case PROP_READY:
      g_value_set_boolean (value, tf_enrol_page_get_ready (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, tf_enrol_page_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_enrol_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TfEnrolPage *self = TF_ENROL_PAGE (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      tf_enrol_page_set_auth (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_enrol_page_class_init (TfEnrolPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_enrol_page_dispose;
  object_class->get_property = tf_enrol_page_get_property;
  object_class->set_property = tf_enrol_page_set_property;
  widget_class->grab_focus = tf_enrol_page_grab_focus;

  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, TF_TYPE_AUTH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READY] =
    g_param_spec_boolean ("ready", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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

  gtk_widget_class_install_action (widget_class, "enrol.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "enrol.copy-secret", NULL, copy_secret_action);

  g_type_ensure (TF_TYPE_QR_CODE);
  g_type_ensure (TF_TYPE_SUBMIT_BUTTON);
  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-enrol-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfEnrolPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TfEnrolPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, TfEnrolPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TfEnrolPage, qr_code);
  gtk_widget_class_bind_template_child (widget_class, TfEnrolPage, secret_label);
  gtk_widget_class_bind_template_child (widget_class, TfEnrolPage, form);
  gtk_widget_class_bind_template_child (widget_class, TfEnrolPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, TfEnrolPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TfEnrolPage, submit_button);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated);
}

static void
tf_enrol_page_init (TfEnrolPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tf_ui_spin_while_mapped (self->spinner);
  tf_ui_label_entry_row (self->code_row);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "enrol.copy-secret", FALSE);
}
