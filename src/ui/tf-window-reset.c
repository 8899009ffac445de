/* tf-window-reset.c — the window's part in password reset and e-mail
 * verification: the Forgot Password and Reset Password pages, and the
 * outbox worker that sends their mail while the window is open. */
#define G_LOG_DOMAIN "tf-window"

#include "config.h"

#include "tf-window-private.h"

#include <glib/gi18n.h>
#include <string.h>

/* How long reading the SMTP password may wait for the keyring. */
#define MAIL_KEYRING_TIMEOUT_MS 10000

/* The outbox worker. */

static void
stop_worker (TfWindow *self)
{
  g_cancellable_cancel (self->mail_cancellable);
  g_clear_object (&self->mail_cancellable);

  if (self->outbox_worker == NULL)
    return;

  if (self->auth != NULL)
    tf_auth_set_outbox_worker (self->auth, NULL);
  tf_outbox_worker_stop (self->outbox_worker);
  g_clear_object (&self->outbox_worker);
}

static void
mail_config_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TfWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TfMailerConfig) config = NULL;

  /* The window holds no reference for this call: a window kept alive past
   * its destruction trips GTK 4.8's shortcuts window. Dispose (or a newer
   * service) cancels it, and a cancelled GTask always reports so, so self
   * is only touched while it is alive. */
  config = tf_mailer_config_new_from_settings_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->mail_cancellable);

  /* Without a usable configuration mail stays queued, to be sent once the
   * administrator has fixed it; the worker still notes why. */
  if (config == NULL && error != NULL)
    g_message ("Mail is not sent: %s", error->message);

  self->outbox_worker = tf_outbox_worker_new (tf_auth_get_store (self->auth), config);
  tf_auth_set_outbox_worker (self->auth, self->outbox_worker);
  tf_outbox_worker_start (self->outbox_worker);
}

void
tf_window_reset_set_auth (TfWindow *self,
                          TfAuth   *auth)
{
  stop_worker (self);

  if (auth == NULL)
    return;

  self->mail_cancellable = g_cancellable_new ();
  tf_mailer_config_new_from_settings_async (self->settings, MAIL_KEYRING_TIMEOUT_MS,
                                            self->mail_cancellable, mail_config_cb, self);
}

void
tf_window_reset_dispose (TfWindow *self)
{
  stop_worker (self);
}

/* The pages. */

void
tf_window_on_forgot_continue (TfWindow     *self,
                              TfForgotPage *page)
{
  TfResetPage *reset_page = TF_RESET_PAGE (tf_window_ensure_page (self, "reset"));

  tf_reset_page_clear (reset_page);
  tf_reset_page_set_identifier (reset_page, tf_forgot_page_get_identifier (page));
  tf_window_show_page (self, "reset");
}

void
tf_window_on_password_reset (TfWindow    *self,
                             TfResetPage *page)
{
  g_autofree char *identifier = g_strdup (tf_reset_page_get_identifier (page));

  tf_forgot_page_clear (TF_FORGOT_PAGE (tf_window_ensure_page (self, "forgot")));
  tf_reset_page_clear (page);
  tf_login_page_clear (self->login_page);
  /* Prefill a username, not an e-mail address the login form would refuse. */
  if (strchr (identifier, '@') == NULL)
    tf_login_page_set_username (self->login_page, identifier);
  tf_window_show_page (self, "login");
  tf_window_add_toast (self, _("Your password was changed. Log in with the new one."));
}

static void
forgot_password_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TfWindow *self = TF_WINDOW (widget);

  if (self->auth == NULL || self->session != NULL)
    return;

  tf_forgot_page_clear (TF_FORGOT_PAGE (tf_window_ensure_page (self, "forgot")));
  tf_window_show_page (self, "forgot");
}

void
tf_window_class_init_reset (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.forgot-password", NULL,
                                   forgot_password_action);
}
