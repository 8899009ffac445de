/* tf-session-command.c */
#define G_LOG_DOMAIN "tf-session-command"

#include "config.h"

#include "tf-session-command.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <unistd.h>

struct _TfSessionCommand
{
  GObject parent_instance;

  /* Owned */
  char **argv;
  char *username;
  GSubprocess *subprocess;
  GCancellable *cancellable;
  pid_t pgid;
  gboolean running;
  gboolean stopping;
};

G_DEFINE_FINAL_TYPE (TfSessionCommand, tf_session_command, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_STOPPING,
  N_PROPS
};

enum {
  EXITED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

TfSessionCommand *
tf_session_command_new (const char *const *argv,
                        const char        *username)
{
  TfSessionCommand *self;

  g_return_val_if_fail (argv != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);

  self = g_object_new (TF_TYPE_SESSION_COMMAND, NULL);
  self->argv = g_strdupv ((char **) argv);
  self->username = g_strdup (username);

  return self;
}

const char *
tf_session_command_get_username (TfSessionCommand *self)
{
  g_return_val_if_fail (TF_IS_SESSION_COMMAND (self), NULL);

  return self->username;
}

gboolean
tf_session_command_get_running (TfSessionCommand *self)
{
  g_return_val_if_fail (TF_IS_SESSION_COMMAND (self), FALSE);

  return self->running;
}

gboolean
tf_session_command_get_stopping (TfSessionCommand *self)
{
  g_return_val_if_fail (TF_IS_SESSION_COMMAND (self), FALSE);

  return self->stopping;
}

/* Ending a process group. The group id outlives its leader as long as
 * anything is left in the group, so it stays the right target after the
 * command itself has exited and been reaped. */

static gboolean
kill_group_cb (gpointer user_data)
{
  pid_t pgid = GPOINTER_TO_INT (user_data);

  if (kill (-pgid, 0) == 0)
    {
      g_message ("Session command group %d ignored SIGTERM; sending SIGKILL", (int) pgid);
      kill (-pgid, SIGKILL);
    }

  return G_SOURCE_REMOVE;
}

static void
end_group (pid_t pgid)
{
  if (pgid <= 1)
    return;

  /* ESRCH: nothing is left in the group. */
  if (kill (-pgid, SIGTERM) != 0)
    return;

  /* Not tied to the object: a stopped session may be dropped at once. */
  g_timeout_add_seconds (TF_SESSION_COMMAND_GRACE_SECONDS, kill_group_cb, GINT_TO_POINTER (pgid));
}

/* Runs in the child between fork and exec: only async-signal-safe calls. */
static void
child_setup (gpointer user_data)
{
  setsid ();
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSessionCommand) self = NULL;

  /* Cancelled only by dispose: user_data is gone then. */
  if (!g_subprocess_wait_finish (subprocess, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = g_object_ref (TF_SESSION_COMMAND (user_data));

  if (g_subprocess_get_if_signaled (subprocess))
    g_debug ("Session command ended by signal %d", g_subprocess_get_term_sig (subprocess));
  else
    g_debug ("Session command exited with status %d", g_subprocess_get_exit_status (subprocess));

  /* Whatever it started goes with it. */
  end_group (self->pgid);

  self->running = FALSE;
  g_clear_object (&self->cancellable);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[EXITED], 0);
}

gboolean
tf_session_command_start (TfSessionCommand  *self,
                          GError           **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char *identifier;

  g_return_val_if_fail (TF_IS_SESSION_COMMAND (self), FALSE);
  g_return_val_if_fail (self->subprocess == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->argv[0] == NULL || self->argv[0][0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("No session command is set."));
      return FALSE;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "TWOFOLD_USER", self->username, TRUE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);

  self->subprocess = g_subprocess_launcher_spawnv (launcher, (const char *const *) self->argv,
                                                   error);
  if (self->subprocess == NULL)
    return FALSE;

  /* setsid () made the command the leader of a group with its own pid. */
  identifier = g_subprocess_get_identifier (self->subprocess);
  self->pgid = identifier != NULL ? (pid_t) g_ascii_strtoll (identifier, NULL, 10) : 0;
  self->running = TRUE;
  self->cancellable = g_cancellable_new ();
  g_subprocess_wait_async (self->subprocess, self->cancellable, wait_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  return TRUE;
}

void
tf_session_command_stop (TfSessionCommand *self)
{
  g_return_if_fail (TF_IS_SESSION_COMMAND (self));

  if (!self->running || self->stopping)
    return;

  self->stopping = TRUE;
  end_group (self->pgid);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STOPPING]);
}

static void
tf_session_command_dispose (GObject *object)
{
  TfSessionCommand *self = TF_SESSION_COMMAND (object);

  if (self->running && !self->stopping)
    end_group (self->pgid);
  self->running = FALSE;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->subprocess);

  G_OBJECT_CLASS (tf_session_command_parent_class)->dispose (object);
}

static void
tf_session_command_finalize (GObject *object)
{
  TfSessionCommand *self = TF_SESSION_COMMAND (object);

  g_strfreev (self->argv);
  g_free (self->username);

  G_OBJECT_CLASS (tf_session_command_parent_class)->finalize (object);
}

static void
tf_session_command_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TfSessionCommand *self = TF_SESSION_COMMAND (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_STOPPING:
      g_value_set_boolean (value, self->stopping);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_session_command_class_init (TfSessionCommandClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tf_session_command_dispose;
  object_class->finalize = tf_session_command_finalize;
  object_class->get_property = tf_session_command_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STOPPING] =
    g_param_spec_boolean ("stopping", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[EXITED] =
    g_signal_new ("exited",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
tf_session_command_init (TfSessionCommand *self)
{
}
