/* tf-login-page.c */
#define G_LOG_DOMAIN "tf-login-page"

#include "config.h"

#include "tf-login-page.h"
#include "tf-status-page.h"

#include <glib/gi18n.h>

#include "tf-problem-page.h"
#include "tf-submit-button.h"
#include "tf-ui-util.h"

struct _TfLoginPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkWidget *form;
  AdwEntryRow *username_row;
  AdwEntryRow *password_row;
  AdwEntryRow *code_row;
  GtkLabel *error_label;
  TfSubmitButton *submit_button;
  GtkButton *register_button;
  GtkButton *forgot_button;

  /* Owned */
  TfAuth *auth;
  GCancellable *cancellable;
  TfLoginResult *result;
  gboolean allow_registration;
  guint prepare_id;
};

G_DEFINE_FINAL_TYPE (TfLoginPage, tf_login_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_AUTH,
  PROP_ALLOW_REGISTRATION,
  PROP_BUSY,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

enum {
  LOGGED_IN,
  PROBLEM,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

TfAuth *
tf_login_page_get_auth (TfLoginPage *self)
{
  g_return_val_if_fail (TF_IS_LOGIN_PAGE (self), NULL);

  return self->auth;
}

void
tf_login_page_set_auth (TfLoginPage *self,
                        TfAuth      *auth)
{
  g_return_if_fail (TF_IS_LOGIN_PAGE (self));
  g_return_if_fail (auth == NULL || TF_IS_AUTH (auth));

  if (g_set_object (&self->auth, auth))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

gboolean
tf_login_page_get_busy (TfLoginPage *self)
{
  g_return_val_if_fail (TF_IS_LOGIN_PAGE (self), FALSE);

  return tf_submit_button_get_busy (self->submit_button);
}

const char *
tf_login_page_get_error_message (TfLoginPage *self)
{
  g_return_val_if_fail (TF_IS_LOGIN_PAGE (self), NULL);

  return tf_ui_get_error_label (self->error_label);
}

static void
set_error_message (TfLoginPage *self,
                   const char  *message)
{
  tf_ui_set_error_label (self->error_label, message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

static void
set_busy (TfLoginPage *self,
          gboolean     busy)
{
  tf_submit_button_set_form_busy (self->submit_button, GTK_WIDGET (self), self->form,
                                  "login.submit", busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

void
tf_login_page_clear_secrets (TfLoginPage *self)
{
  g_return_if_fail (TF_IS_LOGIN_PAGE (self));

  tf_ui_clear_editable (GTK_EDITABLE (self->password_row));
  tf_ui_clear_editable (GTK_EDITABLE (self->code_row));
}

void
tf_login_page_set_username (TfLoginPage *self,
                            const char  *username)
{
  g_return_if_fail (TF_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username != NULL ? username : "");
}

void
tf_login_page_clear (TfLoginPage *self)
{
  g_return_if_fail (TF_IS_LOGIN_PAGE (self));

  tf_ui_clear_editable (GTK_EDITABLE (self->username_row));
  tf_login_page_clear_secrets (self);
  set_error_message (self, NULL);
  g_clear_pointer (&self->result, tf_login_result_free);
}

TfLoginResult *
tf_login_page_take_result (TfLoginPage *self)
{
  g_return_val_if_fail (TF_IS_LOGIN_PAGE (self), NULL);

  return g_steal_pointer (&self->result);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TfLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  TfLoginResult *login;

  login = tf_auth_login_finish (TF_AUTH (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (login == NULL)
    {
      if (tf_problem_page_handles (error))
        {
          g_signal_emit (self, signals[PROBLEM], 0, error);
          return;
        }
      set_error_message (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  g_clear_pointer (&self->result, tf_login_result_free);
  self->result = login;
  set_error_message (self, NULL);
  g_signal_emit (self, signals[LOGGED_IN], 0);
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  TfLoginPage *self = TF_LOGIN_PAGE (widget);
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_row));

  if (self->auth == NULL || self->cancellable != NULL)
    return;

  if (*username == '\0' || *password == '\0')
    {
      set_error_message (self, _("Enter your username, password and code."));
      gtk_widget_grab_focus (GTK_WIDGET (*username == '\0' ? self->username_row
                                                            : self->password_row));
      return;
    }

  set_error_message (self, NULL);
  set_busy (self, TRUE);
  self->cancellable = g_cancellable_new ();
  /* The service copies password and code into secure memory before this
   * returns, so the fields can be emptied at once. */
  tf_auth_login_async (self->auth, username, password, code, self->cancellable,
                       login_cb, g_object_ref (self));
  tf_login_page_clear_secrets (self);
}

static void
on_username_activated (TfLoginPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_password_activated (TfLoginPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->code_row));
}

static void
on_code_activated (TfLoginPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "login.submit", NULL);
}

static gboolean
tf_login_page_grab_focus (GtkWidget *widget)
{
  TfLoginPage *self = TF_LOGIN_PAGE (widget);
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));

  if (*username != '\0')
    return gtk_widget_grab_focus (GTK_WIDGET (self->password_row));

  return gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
}

static gboolean
ask_to_prepare_pages (gpointer user_data)
{
  TfLoginPage *self = user_data;

  self->prepare_id = 0;
  /* The window, if it has such an action, gets the pages that follow
   * ready while nobody waits for them (tf-window-flows.c). */
  gtk_widget_activate_action (GTK_WIDGET (self), "win.prepare-pages", NULL);
  return G_SOURCE_REMOVE;
}

static void
tf_login_page_map (GtkWidget *widget)
{
  TfLoginPage *self = TF_LOGIN_PAGE (widget);
  static GQuark asked;

  GTK_WIDGET_CLASS (tf_login_page_parent_class)->map (widget);

  /* Once, after the frame that first shows this page. */
  if (asked == 0)
    asked = g_quark_from_static_string ("tf-login-page-prepared");
  if (self->prepare_id == 0 && g_object_get_qdata (G_OBJECT (self), asked) == NULL)
    {
      g_object_set_qdata (G_OBJECT (self), asked, GINT_TO_POINTER (1));
      self->prepare_id = g_idle_add_full (G_PRIORITY_LOW, ask_to_prepare_pages, self, NULL);
    }
}

static void
tf_login_page_dispose (GObject *object)
{
  TfLoginPage *self = TF_LOGIN_PAGE (object);

  g_clear_handle_id (&self->prepare_id, g_source_remove);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->result, tf_login_result_free);
  g_clear_object (&self->auth);
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_LOGIN_PAGE);

  G_OBJECT_CLASS (tf_login_page_parent_class)->dispose (object);
}

static void
tf_login_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TfLoginPage *self = TF_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;
    case PROP_ALLOW_REGISTRATION:
      g_value_set_boolean (value, self->allow_registration);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, tf_login_page_get_busy (self));
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, tf_login_page_get_error_message (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_login_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TfLoginPage *self = TF_LOGIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_AUTH:
      tf_login_page_set_auth (self, g_value_get_object (value));
      break;
    case PROP_ALLOW_REGISTRATION:
      self->allow_registration = g_value_get_boolean (value);
      gtk_widget_set_visible (GTK_WIDGET (self->register_button), self->allow_registration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_login_page_class_init (TfLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_login_page_dispose;
  object_class->get_property = tf_login_page_get_property;
  object_class->set_property = tf_login_page_set_property;
  widget_class->grab_focus = tf_login_page_grab_focus;
  widget_class->map = tf_login_page_map;

  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, TF_TYPE_AUTH,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_REGISTRATION] =
    g_param_spec_boolean ("allow-registration", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LOGGED_IN] =
    g_signal_new ("logged-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);

  gtk_widget_class_install_action (widget_class, "login.submit", NULL, submit_action);

  g_type_ensure (TF_TYPE_SUBMIT_BUTTON);
  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfLoginPage, form);
  gtk_widget_class_bind_template_child (widget_class, TfLoginPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, TfLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, TfLoginPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, TfLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TfLoginPage, submit_button);
  gtk_widget_class_bind_template_child (widget_class, TfLoginPage, register_button);
  gtk_widget_class_bind_template_child (widget_class, TfLoginPage, forgot_button);
  gtk_widget_class_bind_template_callback (widget_class, on_username_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_code_activated);
}

static void
tf_login_page_init (TfLoginPage *self)
{
  self->allow_registration = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  tf_ui_label_entry_row (self->username_row);
  tf_ui_label_entry_row (self->password_row);
  tf_ui_label_entry_row (self->code_row);
}
