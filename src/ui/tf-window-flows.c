/* tf-window-flows.c — how the window opens the store, what it does with
 * what each page reports, and its actions. */
#define G_LOG_DOMAIN "tf-window"

#include "config.h"

#include "tf-window-private.h"

#include <glib/gi18n.h>

#include "tf-settings.h"

/* Opening the store and its key. */

static gboolean
on_waiting_timeout (gpointer user_data)
{
  TfWindow *self = user_data;
  g_autofree char *key_file = tf_settings_dup_key_file (self->settings);

  self->waiting_id = 0;
  tf_loading_page_set_waiting (self->loading_page, TRUE,
                               key_file == NULL ? _("Waiting for the keyring…")
                                                : _("This is taking longer than usual…"));

  return G_SOURCE_REMOVE;
}

static void
opened (TfWindow     *self,
        TfAuth       *auth,
        const GError *error)
{
  if (auth == NULL)
    {
      tf_window_show_problem (self, error);
      return;
    }

  tf_window_set_auth (self, auth);
  tf_window_show_page (self, "login");
}

static void
open_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TfWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TfAuth) auth = NULL;

  auth = tf_auth_open_finish (result, &error);

  /* A newer attempt (or the window's end) has taken over. */
  if (self->open_cancellable == NULL ||
      g_task_get_cancellable (G_TASK (result)) != self->open_cancellable)
    return;

  g_clear_object (&self->open_cancellable);
  g_clear_handle_id (&self->waiting_id, g_source_remove);
  tf_loading_page_set_waiting (self->loading_page, FALSE, NULL);
  opened (self, auth, error);
}

void
tf_window_open_store (TfWindow *self)
{
  g_autofree char *store_path = tf_settings_dup_store_path (self->settings);
  g_autofree char *key_file = tf_settings_dup_key_file (self->settings);
  g_autofree char *issuer = tf_settings_dup_issuer (self->settings);
  g_autoptr(TfAuth) auth = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  g_clear_handle_id (&self->waiting_id, g_source_remove);

  tf_window_end_session (self);
  tf_window_set_auth (self, NULL);

  /* Most starts: the store opened while GTK started (the application's
   * prefetch), and the Log In page is the first page, with no loading
   * page built, measured or drawn before it. */
  if (tf_auth_open_take_prefetch (store_path, key_file, issuer, NULL, TRUE,
                                  TF_WINDOW_OPEN_TIMEOUT_MS, &auth, &error))
    {
      opened (self, auth, error);
      return;
    }

  self->open_cancellable = g_cancellable_new ();
  tf_window_ensure_page (self, "loading");
  tf_loading_page_set_waiting (self->loading_page, FALSE, NULL);
  tf_window_show_page (self, "loading");

  self->waiting_id = g_timeout_add (1000, on_waiting_timeout, self);
  tf_auth_open_async (store_path, key_file, issuer, NULL, TRUE, TF_WINDOW_OPEN_TIMEOUT_MS,
                      self->open_cancellable, open_cb, g_object_ref (self));
}

/* What the pages report. */

void
tf_window_on_problem (TfWindow  *self,
                      GError    *error,
                      GtkWidget *page)
{
  tf_window_show_problem (self, error);
}

static void
on_logged_in (TfWindow    *self,
              TfLoginPage *page)
{
  g_autoptr(TfLoginResult) result = tf_login_page_take_result (page);

  g_return_if_fail (result != NULL);

  if (result->status == TF_LOGIN_ENROLMENT_NEEDED)
    {
      tf_enrol_page_load (TF_ENROL_PAGE (tf_window_ensure_page (self, "enrol")),
                          result->user->id);
      tf_window_show_page (self, "enrol");
      return;
    }

  g_clear_pointer (&self->session, tf_login_result_free);
  self->session = g_steal_pointer (&result);
  tf_login_page_clear (self->login_page);
  if (tf_window_kiosk_start_session (self))
    return;

  tf_home_page_show_session (TF_HOME_PAGE (tf_window_ensure_page (self, "home")),
                             self->session, tf_window_now (self));
  tf_window_show_page (self, "home");

  if (self->session->used_recovery_code)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "You used a recovery code. %u is left.",
                                              "You used a recovery code. %u are left.",
                                              self->session->recovery_codes_left),
                                 self->session->recovery_codes_left);
      tf_window_add_toast (self, message);
    }
}

void
tf_window_on_registered (TfWindow       *self,
                         gint64          user_id,
                         TfRegisterPage *page)
{
  tf_enrol_page_load (TF_ENROL_PAGE (tf_window_ensure_page (self, "enrol")), user_id);
  tf_window_show_page (self, "enrol");
}

void
tf_window_on_enrol_confirmed (TfWindow    *self,
                              TfEnrolPage *page)
{
  g_autoptr(GPtrArray) codes = NULL;

  if (tf_enrol_page_get_mode (page) == TF_ENROL_REPLACE)
    {
      tf_window_show_page (self, "home");
      tf_window_add_toast (self, _("Your new authenticator app is set up"));
      return;
    }

  codes = tf_enrol_page_take_recovery_codes (page);
  g_free (self->last_username);
  self->last_username = g_strdup (tf_enrol_page_get_account (page));
  self->after_recovery = "login";
  tf_recovery_codes_page_set_codes (TF_RECOVERY_CODES_PAGE (tf_window_ensure_page (self, "recovery")),
                                    g_steal_pointer (&codes), self->last_username);
  tf_window_show_page (self, "recovery");
}

void
tf_window_on_recovery_done (TfWindow            *self,
                            TfRecoveryCodesPage *page)
{
  if (g_strcmp0 (self->after_recovery, "home") == 0 && self->session != NULL)
    {
      self->session->recovery_codes_left = TF_AUTH_RECOVERY_CODES;
      tf_home_page_set_recovery_codes_left (TF_HOME_PAGE (tf_window_ensure_page (self, "home")),
                                            TF_AUTH_RECOVERY_CODES);
      tf_window_show_page (self, "home");
      tf_window_add_toast (self, _("Your old recovery codes no longer work"));
      return;
    }

  tf_login_page_set_username (self->login_page, self->last_username);
  tf_window_show_page (self, "login");
  tf_window_add_toast (self, _("Your account is ready. Log in with a code from your app."));
}

void
tf_window_on_password_changed (TfWindow             *self,
                               TfChangePasswordPage *page)
{
  tf_window_show_page (self, "home");
  tf_window_add_toast (self, _("Password changed"));
}

void
tf_window_on_email_changed (TfWindow          *self,
                            const char        *email,
                            TfChangeEmailPage *page)
{
  if (self->session == NULL)
    return;

  /* Home asks for the code again, now for the new address. */
  g_free (self->session->user->email);
  self->session->user->email = g_strdup (email);
  self->session->user->email_verified_at = 0;
  tf_home_page_show_session (TF_HOME_PAGE (tf_window_ensure_page (self, "home")),
                             self->session, tf_window_now (self));
  tf_window_show_page (self, "home");
  tf_window_add_toast (self, _("Email address changed"));
}

void
tf_window_on_confirmed (TfWindow      *self,
                        TfConfirmPage *page)
{
  if (self->session == NULL)
    return;

  if (tf_confirm_page_get_mode (page) == TF_CONFIRM_REENROL)
    {
      tf_enrol_page_show_enrolment (TF_ENROL_PAGE (tf_window_ensure_page (self, "enrol")),
                                    self->session->user->id,
                                    tf_confirm_page_take_enrolment (page));
      tf_window_show_page (self, "enrol");
      return;
    }

  self->after_recovery = "home";
  tf_recovery_codes_page_set_codes (TF_RECOVERY_CODES_PAGE (tf_window_ensure_page (self, "recovery")),
                                    tf_confirm_page_take_recovery_codes (page),
                                    self->session->user->username);
  tf_window_show_page (self, "recovery");
}

void
tf_window_allow_registration_changed (TfWindow *self)
{
  if (!tf_window_allow_registration (self) &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "register") == 0)
    tf_window_show_page (self, "login");

  tf_window_update_actions (self);
}

/* Actions. */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TfWindow *self = TF_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  const char *target = tf_window_back_target (self);

  if (target == NULL)
    return;

  tf_window_show_page (self, target);
  if (g_strcmp0 (page, "enrol") == 0 && g_strcmp0 (target, "login") == 0)
    tf_window_add_toast (self, _("Your account is saved. Log in with your password to finish "
                                 "setting it up."));
}

static void
show_register_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  TfWindow *self = TF_WINDOW (widget);

  if (self->auth != NULL && tf_window_allow_registration (self))
    tf_window_show_page (self, "register");
}

static void
log_out_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TfWindow *self = TF_WINDOW (widget);

  /* The session command is ended first; its exit logs out. */
  if (tf_window_kiosk_stop_session (self))
    return;

  tf_window_end_session (self);
  tf_window_show_page (self, "login");
  tf_window_add_toast (self, _("Logged out"));
}

static void
change_password_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  TfWindow *self = TF_WINDOW (widget);
  TfChangePasswordPage *page;

  if (self->session == NULL)
    return;

  page = TF_CHANGE_PASSWORD_PAGE (tf_window_ensure_page (self, "change-password"));
  tf_change_password_page_clear (page);
  tf_change_password_page_set_user (page, self->session->user);
  tf_window_show_page (self, "change-password");
}

static void
change_email_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  TfWindow *self = TF_WINDOW (widget);
  TfChangeEmailPage *page;

  if (self->session == NULL)
    return;

  page = TF_CHANGE_EMAIL_PAGE (tf_window_ensure_page (self, "change-email"));
  tf_change_email_page_clear (page);
  tf_change_email_page_set_user (page, self->session->user);
  tf_window_show_page (self, "change-email");
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  TfWindow *self = TF_WINDOW (widget);
  TfConfirmMode mode = g_str_equal (action_name, "win.reenrol") ? TF_CONFIRM_REENROL
                                                                : TF_CONFIRM_REGENERATE_CODES;

  if (self->session == NULL)
    return;

  tf_confirm_page_start (TF_CONFIRM_PAGE (tf_window_ensure_page (self, "confirm")), mode,
                         self->session->user->id);
  tf_window_show_page (self, "confirm");
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  tf_window_open_store (TF_WINDOW (widget));
}

static void
cancel_open_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  TfWindow *self = TF_WINDOW (widget);

  g_cancellable_cancel (self->open_cancellable);
}

static void
about_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  static const char *developers[] = { "The Twofold developers", NULL };
  /* Translators: your names (and e-mail addresses if you like), one per
   * line, for the About window's credits. Do not translate it literally. */
  const char *translators = _("translator-credits");
  GtkWidget *about;

  /* Its links would open a browser outside the gate. */
  if (tf_window_get_kiosk (TF_WINDOW (widget)))
    return;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", widget,
                        "modal", TRUE,
                        "application-name", _("Twofold"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The Twofold developers"),
                        "developers", developers,
                        "comments", _("Keeps local accounts protected by a password and a "
                                      "code from an authenticator app."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  /* Untranslated, there is no one to credit. */
  if (g_strcmp0 (translators, "translator-credits") != 0)
    adw_about_window_set_translator_credits (ADW_ABOUT_WINDOW (about), translators);
  gtk_window_present (GTK_WINDOW (about));
}

static void
prepare_pages_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  tf_window_prepare_pages (TF_WINDOW (widget));
}

static void
toast_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  tf_window_add_toast (TF_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

void
tf_window_class_init_flows (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.show-register", NULL, show_register_action);
  gtk_widget_class_install_action (widget_class, "win.log-out", NULL, log_out_action);
  gtk_widget_class_install_action (widget_class, "win.change-password", NULL,
                                   change_password_action);
  gtk_widget_class_install_action (widget_class, "win.change-email", NULL, change_email_action);
  gtk_widget_class_install_action (widget_class, "win.reenrol", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "win.regenerate-codes", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-open", NULL, cancel_open_action);
  gtk_widget_class_install_action (widget_class, "win.about", NULL, about_action);
  gtk_widget_class_install_action (widget_class, "win.toast", "s", toast_action);
  gtk_widget_class_install_action (widget_class, "win.prepare-pages", NULL, prepare_pages_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.back", NULL);

  gtk_widget_class_bind_template_callback_full (widget_class, "on_problem",
                                                G_CALLBACK (tf_window_on_problem));
  gtk_widget_class_bind_template_callback (widget_class, on_logged_in);
}
