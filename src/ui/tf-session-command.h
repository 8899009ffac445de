/* tf-session-command.h
 *
 * The kiosk session: the command (argv from the kiosk-session-command
 * setting) that runs after a successful log-in, with TWOFOLD_USER=<username>
 * added to its environment. It runs in a process group of its own (setsid)
 * so that ending the session reaches whatever it started too.
 *
 * tf_session_command_start () spawns it (g_spawn_async, not reaped until
 * its child watch fires, so the group id is known even if the command exits
 * at once) and watches it; "exited" is emitted once, when the command has
 * exited, whether by itself or because of tf_session_command_stop (), which
 * sends SIGTERM to the group and SIGKILL TF_SESSION_COMMAND_GRACE_SECONDS
 * later to whatever is still alive. What the command leaves behind when it
 * exits by itself is ended the same way. Disposing a running command stops
 * it without waiting.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TF_SESSION_COMMAND_GRACE_SECONDS 3

#define TF_TYPE_SESSION_COMMAND (tf_session_command_get_type ())

G_DECLARE_FINAL_TYPE (TfSessionCommand, tf_session_command, TF, SESSION_COMMAND, GObject)

TfSessionCommand  *tf_session_command_new          (const char *const *argv,
                                                    const char        *username);
const char        *tf_session_command_get_username (TfSessionCommand  *self);
/* Spawns the command; FALSE with error when it cannot start. */
gboolean           tf_session_command_start        (TfSessionCommand  *self,
                                                    GError           **error);
/* TRUE from a successful start until "exited". */
gboolean           tf_session_command_get_running  (TfSessionCommand  *self);
/* TRUE once tf_session_command_stop () was called on a running command. */
gboolean           tf_session_command_get_stopping (TfSessionCommand  *self);
void               tf_session_command_stop         (TfSessionCommand  *self);

G_END_DECLS
