/* tf-window.c — the window object and how pages are shown and left.
 * The flows between pages are in tf-window-flows.c. */
#define G_LOG_DOMAIN "tf-window"

#include "config.h"

#include "tf-window-private.h"
#include "tf-ui-util.h"

#include <glib/gi18n.h>

#include "tf-settings.h"


G_DEFINE_FINAL_TYPE (TfWindow, tf_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_AUTH,
  PROP_KIOSK,
  PROP_VISIBLE_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TfWindow *
tf_window_new (gpointer   application,
               GSettings *settings,
               TfAuth    *auth)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (auth == NULL || TF_IS_AUTH (auth), NULL);

  return g_object_new (TF_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       "auth", auth,
                       NULL);
}

TfAuth *
tf_window_get_auth (TfWindow *self)
{
  g_return_val_if_fail (TF_IS_WINDOW (self), NULL);

  return self->auth;
}

GSettings *
tf_window_get_settings (TfWindow *self)
{
  g_return_val_if_fail (TF_IS_WINDOW (self), NULL);

  return self->settings;
}

gboolean
tf_window_get_kiosk (TfWindow *self)
{
  g_return_val_if_fail (TF_IS_WINDOW (self), FALSE);

  return self->kiosk;
}

const char *
tf_window_get_visible_page (TfWindow *self)
{
  g_return_val_if_fail (TF_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
tf_window_get_page (TfWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (TF_IS_WINDOW (self), NULL);

  return tf_window_ensure_page (self, name);
}

const TfLoginResult *
tf_window_get_session (TfWindow *self)
{
  g_return_val_if_fail (TF_IS_WINDOW (self), NULL);

  return self->session;
}

void
tf_window_add_toast (TfWindow   *self,
                     const char *message)
{
  g_return_if_fail (TF_IS_WINDOW (self));

  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

const char *
tf_window_get_last_toast (TfWindow *self)
{
  g_return_val_if_fail (TF_IS_WINDOW (self), NULL);

  return self->last_toast;
}

gboolean
tf_window_allow_registration (TfWindow *self)
{
  return g_settings_get_boolean (self->settings, "allow-registration");
}

const char *
tf_window_back_target (TfWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "register") == 0)
    return "login";
  if (g_strcmp0 (page, "enrol") == 0)
    return tf_enrol_page_get_mode (self->enrol_page) == TF_ENROL_NEW ? "login" : "home";
  if (g_strcmp0 (page, "forgot") == 0)
    return "login";
  if (g_strcmp0 (page, "reset") == 0)
    return "forgot";
  if (g_strcmp0 (page, "change-password") == 0 || g_strcmp0 (page, "confirm") == 0 ||
      g_strcmp0 (page, "change-email") == 0)
    return "home";

  return NULL;
}

void
tf_window_update_actions (TfWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean session = self->session != NULL;
  gboolean can_go_back = tf_window_back_target (self) != NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->back_button), can_go_back);
  gtk_widget_action_set_enabled (widget, "win.back", can_go_back);
  gtk_widget_action_set_enabled (widget, "win.show-register",
                                 self->auth != NULL && tf_window_allow_registration (self));
  gtk_widget_action_set_enabled (widget, "win.log-out", session);
  gtk_widget_action_set_enabled (widget, "win.change-password", session);
  gtk_widget_action_set_enabled (widget, "win.change-email", session);
  gtk_widget_action_set_enabled (widget, "win.reenrol", session);
  gtk_widget_action_set_enabled (widget, "win.regenerate-codes", session);
  gtk_widget_action_set_enabled (widget, "win.cancel-open", self->open_cancellable != NULL);
  gtk_widget_action_set_enabled (widget, "win.about", !self->kiosk);
}

/* Whatever a page showed that is secret goes when the page is left (which
 * was built, being on show). */
static void
tf_window_leave_page (TfWindow   *self,
            const char *name)
{
  if (g_strcmp0 (name, "login") == 0)
    tf_login_page_clear_secrets (self->login_page);
  else if (g_strcmp0 (name, "register") == 0)
    tf_register_page_clear (self->register_page);
  else if (g_strcmp0 (name, "enrol") == 0)
    tf_enrol_page_clear (self->enrol_page);
  else if (g_strcmp0 (name, "recovery") == 0)
    tf_recovery_codes_page_clear (self->recovery_page);
  else if (g_strcmp0 (name, "change-password") == 0)
    tf_change_password_page_clear (self->change_password_page);
  else if (g_strcmp0 (name, "change-email") == 0)
    tf_change_email_page_clear (self->change_email_page);
  else if (g_strcmp0 (name, "confirm") == 0)
    tf_confirm_page_clear (self->confirm_page);
  else if (g_strcmp0 (name, "reset") == 0)
    tf_reset_page_clear_secrets (self->reset_page);
}

void
tf_window_show_page (TfWindow   *self,
           const char *name)
{
  const char *old = gtk_stack_get_visible_child_name (self->stack);
  GtkWidget *page = tf_window_ensure_page (self, name);

  g_return_if_fail (page != NULL);

  if (g_strcmp0 (old, name) != 0)
    tf_window_leave_page (self, old);

  /* Pages join the stack's layout when first shown (tf_window_init (),
   * tf-window-pages.c), and none fades in over the spinner: the first page
   * that can be used appears at once. */
  gtk_widget_set_visible (page, TRUE);
  if (old == NULL || g_strcmp0 (old, "loading") == 0)
    gtk_stack_set_visible_child_full (self->stack, name, GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_visible_child (self->stack, page);
  tf_window_update_actions (self);
  tf_window_kiosk_reset_idle (self);

  /* Forms focus their first field; pages to read start with no focus. */
  if (!gtk_widget_grab_focus (page))
    gtk_window_set_focus (GTK_WINDOW (self), NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
}

/* The verdict of the store's quick_check, which the service opened for the
 * window runs after the Log In page is up (tf_auth_open_async ()). The
 * window holds no reference for this call; dispose and a newer service
 * cancel it, and a cancelled wait reports so at once. */
static void
store_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  TfWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (tf_store_check_finish (TF_STORE (object), result, &error))
    {
      /* The outbox worker reads the store from its first round: started
       * before the verdict, it ran the check itself, at its own priority
       * rather than the check thread's, while the window drew its first
       * frame (on a store of 100 000 accounts, ~200 ms of a processor). */
      tf_window_reset_set_auth (self, self->auth);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Every store call failed the same way meanwhile, so no log-in or any
   * other flow got through; the window now says why and lets go. */
  tf_window_set_auth (self, NULL);
  tf_window_show_problem (self, error);
}

/* Low priority: after the frame that shows the page, as the store's check
 * (change 14 in BENCHMARKS.md) waits to be asked, so that it reads the
 * whole file after the window is up, not while GTK starts. */
static gboolean
ask_for_verdict (gpointer user_data)
{
  TfWindow *self = user_data;

  self->verdict_id = 0;
  self->check_cancellable = g_cancellable_new ();
  tf_store_check_async (tf_auth_get_store (self->auth), self->check_cancellable,
                        store_checked_cb, self);
  return G_SOURCE_REMOVE;
}

void
tf_window_set_auth (TfWindow *self,
          TfAuth   *auth)
{
  if (!g_set_object (&self->auth, auth))
    return;

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_handle_id (&self->verdict_id, g_source_remove);
  if (auth != NULL)
    self->verdict_id = g_idle_add_full (G_PRIORITY_LOW, ask_for_verdict, self, NULL);

  tf_login_page_set_auth (self->login_page, auth);
  tf_window_pages_set_auth (self, auth);
  /* The outbox worker starts for @auth once its store has passed its
   * check (store_checked_cb ()). */
  tf_window_reset_set_auth (self, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTH]);
}

gint64
tf_window_now (TfWindow *self)
{
  if (self->auth != NULL)
    return tf_auth_now (self->auth);

  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Forgets the session and everything typed or shown in any page (a page
 * not built yet holds nothing). */
void
tf_window_end_session (TfWindow *self)
{
  tf_window_kiosk_end_command (self);
  g_clear_pointer (&self->session, tf_login_result_free);
  g_clear_pointer (&self->last_username, g_free);
  tf_login_page_clear (self->login_page);
  if (self->register_page != NULL)
    tf_register_page_clear (self->register_page);
  if (self->enrol_page != NULL)
    tf_enrol_page_clear (self->enrol_page);
  if (self->recovery_page != NULL)
    tf_recovery_codes_page_clear (self->recovery_page);
  if (self->home_page != NULL)
    tf_home_page_clear (self->home_page);
  if (self->change_password_page != NULL)
    {
      tf_change_password_page_clear (self->change_password_page);
      tf_change_password_page_set_user (self->change_password_page, NULL);
    }
  if (self->change_email_page != NULL)
    {
      tf_change_email_page_clear (self->change_email_page);
      tf_change_email_page_set_user (self->change_email_page, NULL);
    }
  if (self->confirm_page != NULL)
    tf_confirm_page_clear (self->confirm_page);
  if (self->forgot_page != NULL)
    tf_forgot_page_clear (self->forgot_page);
  if (self->reset_page != NULL)
    tf_reset_page_clear (self->reset_page);
}

void
tf_window_show_problem (TfWindow     *self,
              const GError *error)
{
  g_autofree char *store_path = NULL;

  if (self->auth != NULL)
    store_path = g_strdup (tf_store_get_path (tf_auth_get_store (self->auth)));
  else
    store_path = tf_settings_dup_store_path (self->settings);

  tf_window_end_session (self);
  tf_problem_page_set_error (TF_PROBLEM_PAGE (tf_window_ensure_page (self, "problem")), error,
                             store_path);
  tf_window_show_page (self, "problem");
}

/* The shortcuts window: built the first time it is asked for (~4 ms that
 * the first frame no longer waits for), then handed to GtkApplicationWindow,
 * whose own win.show-help-overlay takes over from this one (it adds its
 * own only where the name is free). */
static void
tf_window_show_help_overlay (TfWindow *self)
{
  g_autoptr(GtkBuilder) builder = NULL;

  if (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)) == NULL)
    {
      g_action_map_remove_action (G_ACTION_MAP (self), "show-help-overlay");
      builder = gtk_builder_new_from_resource (RESOURCE_PREFIX "/gtk/help-overlay.ui");
      gtk_application_window_set_help_overlay (
        GTK_APPLICATION_WINDOW (self),
        GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay")));
    }

  g_action_group_activate_action (G_ACTION_GROUP (self), "show-help-overlay", NULL);
}

/* GObject. */

static void
tf_window_constructed (GObject *object)
{
  TfWindow *self = TF_WINDOW (object);

  G_OBJECT_CLASS (tf_window_parent_class)->constructed (object);

  self->kiosk = self->kiosk || g_settings_get_boolean (self->settings, "kiosk");

  /* The application has no resource base path (tf_application_constructed ()),
   * so GtkApplication leaves the shortcuts window to the window; it is
   * built when first asked for. */
  if (!self->kiosk &&
      gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (self)) == NULL)
    {
      self->help_action = g_simple_action_new ("show-help-overlay", NULL);
      g_signal_connect_object (self->help_action, "activate",
                               G_CALLBACK (tf_window_show_help_overlay), self, G_CONNECT_SWAPPED);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->help_action));
    }

  g_settings_bind (self->settings, "allow-registration",
                   self->login_page, "allow-registration", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->settings, "changed::allow-registration",
                           G_CALLBACK (tf_window_allow_registration_changed), self,
                           G_CONNECT_SWAPPED);
  tf_window_kiosk_setup (self);

  if (self->auth != NULL)
    {
      g_autoptr(TfAuth) auth = g_steal_pointer (&self->auth);

      tf_window_set_auth (self, auth);
      tf_window_show_page (self, "login");
    }
  else
    {
      tf_window_open_store (self);
    }
}

static void
tf_window_dispose (GObject *object)
{
  TfWindow *self = TF_WINDOW (object);

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_handle_id (&self->verdict_id, g_source_remove);
  g_clear_handle_id (&self->waiting_id, g_source_remove);
  tf_window_pages_stop (self);
  tf_window_kiosk_dispose (self);
  tf_window_reset_dispose (self);
  g_clear_pointer (&self->session, tf_login_result_free);

  /* A focused text that is disposed with its cursor blinking warns. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  /* The window unparents its content itself; the template must not do it first. */
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_WINDOW);
  tf_window_pages_dispose (self);

  g_clear_object (&self->auth);
  g_clear_object (&self->settings);
  g_clear_object (&self->help_action);

  G_OBJECT_CLASS (tf_window_parent_class)->dispose (object);
}

static void
tf_window_finalize (GObject *object)
{
  TfWindow *self = TF_WINDOW (object);

  g_free (self->last_username);
  g_free (self->last_toast);

  G_OBJECT_CLASS (tf_window_parent_class)->finalize (object);
}

static void
tf_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TfWindow *self = TF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;
    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;
    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, tf_window_get_visible_page (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TfWindow *self = TF_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_AUTH:
      /* Taken over by tf_window_set_auth () in constructed (). */
      self->auth = g_value_dup_object (value);
      break;
    case PROP_KIOSK:
      /* Or-ed with the kiosk setting in constructed (). */
      self->kiosk = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A kiosk's gate cannot be closed, whoever asks (Alt+F4, the compositor). */
static gboolean
tf_window_close_request (GtkWindow *window)
{
  if (TF_WINDOW (window)->kiosk)
    return TRUE;

  return GTK_WINDOW_CLASS (tf_window_parent_class)->close_request (window);
}

/* Ctrl+Shift+I or D would open the GTK Inspector, which edits any widget. */
static gboolean
tf_window_enable_debugging (GtkWindow *window,
                            gboolean   toggle)
{
  if (TF_WINDOW (window)->kiosk)
    return FALSE;

  return GTK_WINDOW_CLASS (tf_window_parent_class)->enable_debugging (window, toggle);
}

static void
tf_window_class_init (TfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = tf_window_constructed;
  object_class->dispose = tf_window_dispose;
  object_class->finalize = tf_window_finalize;
  object_class->get_property = tf_window_get_property;
  object_class->set_property = tf_window_set_property;
  window_class->close_request = tf_window_close_request;
  window_class->enable_debugging = tf_window_enable_debugging;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, TF_TYPE_AUTH,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TF_TYPE_LOGIN_PAGE);

  tf_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tf-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TfWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TfWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, TfWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, TfWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, TfWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, TfWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TfWindow, login_page);
  tf_window_class_init_flows (widget_class);
  tf_window_class_init_reset (widget_class);
}

/* GtkMenuButton makes its popover as soon as it is given a menu (~0.5 ms
 * of the main thread before the first frame); given this instead, it
 * asks each time the menu opens, by pointer, keyboard or F10, and the
 * menu is made the first time. */
static void
tf_window_create_primary_menu (GtkMenuButton *button,
                               gpointer       user_data)
{
  TfWindow *self = TF_WINDOW (user_data);

  if (gtk_menu_button_get_menu_model (button) == NULL)
    gtk_menu_button_set_menu_model (button, self->primary_menu);
}

static void
tf_window_init (TfWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_menu_button_set_create_popup_func (self->menu_button, tf_window_create_primary_menu,
                                         self, NULL);

  /* A hidden page is neither styled nor measured: only the page the
   * window first shows (Log In, or the loading page while the store
   * opens) is before it appears, which is most of what start-up costs
   * beyond a bare window (BENCHMARKS.md). */
  gtk_widget_set_visible (GTK_WIDGET (self->login_page), FALSE);
}
