/* tf-window-kiosk.c — the window as the gate of a locked workstation: full
 * screen with no way out of it, the session command run after a log-in,
 * and the idle timeout. */
#define G_LOG_DOMAIN "tf-window"

#include "config.h"

#include "tf-window-private.h"

#include <glib/gi18n.h>

/* The shortcuts window. GtkApplication sets it up again on windows it is
 * given after construction, so this runs then too. */
static void
drop_help_overlay (TfWindow *self)
{
  GAction *action;

  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), NULL);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-help-overlay");
  if (G_IS_SIMPLE_ACTION (action))
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), FALSE);
}

static void
on_application_changed (GObject    *object,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  drop_help_overlay (TF_WINDOW (object));
}

/* The idle timeout. */

static gboolean
idle_applies (TfWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (!self->kiosk || self->idle_timeout == 0)
    return FALSE;

  /* The session command's page is the session's own business; loading and
   * problem pages hold nothing anyone typed. Everything else — Home and the
   * pages reached from it, and the forms of the gate — is reset. */
  return g_strcmp0 (page, "in-use") != 0 &&
         g_strcmp0 (page, "loading") != 0 &&
         g_strcmp0 (page, "problem") != 0;
}

static gboolean
on_idle_timeout (gpointer user_data)
{
  TfWindow *self = user_data;
  gboolean had_session = self->session != NULL;

  self->idle_id = 0;

  /* A log-in the service is still checking decides for itself. */
  if (tf_login_page_get_busy (self->login_page))
    {
      tf_window_kiosk_reset_idle (self);
      return G_SOURCE_REMOVE;
    }

  g_debug ("No input for %u s: back to the log-in page", self->idle_timeout);
  tf_window_end_session (self);
  tf_window_show_page (self, "login");
  /* Nothing left to reset until someone touches the window again. */
  g_clear_handle_id (&self->idle_id, g_source_remove);

  if (had_session)
    tf_window_add_toast (self, _("Logged out after a time without activity"));

  return G_SOURCE_REMOVE;
}

void
tf_window_kiosk_reset_idle (TfWindow *self)
{
  g_clear_handle_id (&self->idle_id, g_source_remove);

  if (idle_applies (self))
    self->idle_id = g_timeout_add_seconds (self->idle_timeout, on_idle_timeout, self);
}

static void
on_idle_timeout_changed (TfWindow *self)
{
  self->idle_timeout = g_settings_get_uint (self->settings, "idle-timeout");
  tf_window_kiosk_reset_idle (self);
}

/* Any key, pointer motion, click or scroll on the window counts as use. The
 * controllers run in the capture phase and never stop the event. */

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TfWindow              *self)
{
  tf_window_kiosk_reset_idle (self);
  return GDK_EVENT_PROPAGATE;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           TfWindow                 *self)
{
  tf_window_kiosk_reset_idle (self);
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            TfWindow        *self)
{
  tf_window_kiosk_reset_idle (self);
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           TfWindow                 *self)
{
  tf_window_kiosk_reset_idle (self);
  return GDK_EVENT_PROPAGATE;
}

static void
watch_input (TfWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkEventController *controller;

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (controller, "tf-kiosk-idle-key");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  gtk_event_controller_set_name (controller, "tf-kiosk-idle-motion");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (widget, controller);

  /* Never claims its sequences, so buttons under it still get their clicks. */
  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_event_controller_set_name (controller, "tf-kiosk-idle-click");
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), 0);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  gtk_event_controller_set_name (controller, "tf-kiosk-idle-scroll");
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (widget, controller);
}

void
tf_window_kiosk_setup (TfWindow *self)
{
  if (!self->kiosk)
    return;

  /* No window controls, no frame, and nothing that leads out of the gate:
   * the menu holds only the shortcuts window and About. */
  gtk_window_set_decorated (GTK_WINDOW (self), FALSE);
  gtk_window_set_deletable (GTK_WINDOW (self), FALSE);
  adw_header_bar_set_show_start_title_buttons (self->header_bar, FALSE);
  adw_header_bar_set_show_end_title_buttons (self->header_bar, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->menu_button), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.close", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.minimize", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.toggle-maximized", FALSE);
  drop_help_overlay (self);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_changed), NULL);
  gtk_window_fullscreen (GTK_WINDOW (self));

  watch_input (self);
  self->idle_timeout = g_settings_get_uint (self->settings, "idle-timeout");
  g_signal_connect_object (self->settings, "changed::idle-timeout",
                           G_CALLBACK (on_idle_timeout_changed), self, G_CONNECT_SWAPPED);
}

void
tf_window_kiosk_dispose (TfWindow *self)
{
  g_clear_handle_id (&self->idle_id, g_source_remove);
  tf_window_kiosk_end_command (self);
}

/* The session command. */

static void
on_session_exited (TfWindow         *self,
                   TfSessionCommand *command)
{
  if (command != self->session_command)
    return;

  tf_window_end_session (self);
  tf_window_show_page (self, "login");
  tf_window_add_toast (self, _("Logged out"));
  /* The session's own windows are gone; the gate comes back on top. */
  gtk_window_present (GTK_WINDOW (self));
}

gboolean
tf_window_kiosk_start_session (TfWindow *self)
{
  g_auto(GStrv) argv = NULL;
  g_autoptr(TfSessionCommand) command = NULL;
  g_autoptr(GError) error = NULL;

  if (!self->kiosk || self->session == NULL)
    return FALSE;

  argv = g_settings_get_strv (self->settings, "kiosk-session-command");
  if (argv[0] == NULL)
    return FALSE;

  command = tf_session_command_new ((const char *const *) argv, self->session->user->username);
  if (!tf_session_command_start (command, &error))
    {
      g_autofree char *message = NULL;

      g_message ("Could not start the kiosk session command %s: %s", argv[0], error->message);
      message = g_strdup_printf (_("The session could not start: %s"), error->message);
      tf_window_end_session (self);
      tf_window_show_page (self, "login");
      tf_window_add_toast (self, message);
      return TRUE;
    }

  g_signal_connect_object (command, "exited", G_CALLBACK (on_session_exited), self,
                           G_CONNECT_SWAPPED);
  self->session_command = g_steal_pointer (&command);
  tf_in_use_page_set_username (TF_IN_USE_PAGE (tf_window_ensure_page (self, "in-use")),
                               self->session->user->username);
  tf_window_show_page (self, "in-use");

  return TRUE;
}

gboolean
tf_window_kiosk_stop_session (TfWindow *self)
{
  if (self->session_command == NULL || !tf_session_command_get_running (self->session_command))
    return FALSE;

  tf_in_use_page_set_stopping (TF_IN_USE_PAGE (tf_window_ensure_page (self, "in-use")), TRUE);
  tf_session_command_stop (self->session_command);

  return TRUE;
}

void
tf_window_kiosk_end_command (TfWindow *self)
{
  if (self->session_command != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session_command, self);
      tf_session_command_stop (self->session_command);
      g_clear_object (&self->session_command);
    }

  if (self->in_use_page != NULL)
    tf_in_use_page_set_username (self->in_use_page, NULL);
}
