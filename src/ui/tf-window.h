/* tf-window.h
 *
 * The main window: a stack of pages (loading, problem, log in, create
 * account, enrol, recovery codes, home, change password, confirm) under a
 * header bar with a back button and the primary menu, and a toast overlay.
 *
 * Services arrive as construct-only properties so tests can build a window
 * over a temporary store: "settings" (required) and "auth" (optional). With
 * no auth the window opens the store named by the settings itself, with
 * tf_auth_open_async (), showing the loading page meanwhile and a problem
 * page when that fails. Navigation and account actions are window actions
 * (win.back, win.show-register, win.log-out, win.change-password,
 * win.reenrol, win.regenerate-codes, win.retry, win.cancel-open, win.about,
 * win.toast); Escape is win.back.
 *
 * Kiosk mode ("kiosk" construct property, or the kiosk setting): full
 * screen, no window controls, no menu, shortcuts window or About, and
 * close requests are refused. After a log-in the kiosk-session-command runs
 * (see TfSessionCommand) under an "in use" page; when it exits, or on Log
 * Out, the user is logged out. With no command Home is shown as usual. After
 * idle-timeout seconds without input on any page but "in use", loading and
 * problem, the window logs out and empties every field.
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

#define TF_TYPE_WINDOW (tf_window_get_type ())

/* How long the keyring may take before the window gives up on it. */
#define TF_WINDOW_OPEN_TIMEOUT_MS 60000

G_DECLARE_FINAL_TYPE (TfWindow, tf_window, TF, WINDOW, AdwApplicationWindow)

TfWindow   *tf_window_new              (gpointer    application,
                                        GSettings  *settings,
                                        TfAuth     *auth);
TfAuth     *tf_window_get_auth         (TfWindow   *self);
GSettings  *tf_window_get_settings     (TfWindow   *self);
gboolean    tf_window_get_kiosk        (TfWindow   *self);
/* The name of the page on show: "loading", "problem", "login", "register",
 * "enrol", "recovery", "home", "in-use", "change-password" or "confirm". */
const char *tf_window_get_visible_page (TfWindow   *self);
GtkWidget  *tf_window_get_page         (TfWindow   *self,
                                        const char *name);
/* The user logged in, or NULL. */
const TfLoginResult *tf_window_get_session (TfWindow *self);
void        tf_window_add_toast        (TfWindow   *self,
                                        const char *message);
/* The text of the last toast shown, for tests. */
const char *tf_window_get_last_toast   (TfWindow   *self);

G_END_DECLS
