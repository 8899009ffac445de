/* tf-session-command.c */
#define G_LOG_DOMAIN "tf-session-command"

#include "config.h"

#include "tf-session-command.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

struct _TfSessionCommand
{
  GObject parent_instance;

  /* Owned */
  char **argv;
  char *username;
  /* The command's pid, which setsid () also made its group's id. */
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

/* What the child watch holds: not the command itself, which may be disposed
 * while its process runs (the process is still reaped then). */
typedef struct
{
  GWeakRef command;
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_weak_ref_clear (&watch->command);
  g_free (watch);
}

static void
exited_cb (GPid     pid,
           int      status,
           gpointer user_data)
{
  Watch *watch = user_data;
  g_autoptr(TfSessionCommand) self = g_weak_ref_get (&watch->command);

  g_spawn_close_pid (pid);
  if (self == NULL)
    return;

  if (WIFSIGNALED (status))
    g_debug ("Session command ended by signal %d", WTERMSIG (status));
  else
    g_debug ("Session command exited with status %d", WEXITSTATUS (status));

  /* Whatever it started goes with it. */
  end_group (self->pgid);

  self->running = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[EXITED], 0);
}

gboolean
tf_session_command_start (TfSessionCommand  *self,
                          GError           **error)
{
  g_auto(GStrv) envp = NULL;
  Watch *watch;
  GPid pid;

  g_return_val_if_fail (TF_IS_SESSION_COMMAND (self), FALSE);
  g_return_val_if_fail (!self->running && self->pgid == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->argv[0] == NULL || self->argv[0][0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("No session command is set."));
      return FALSE;
    }

  envp = g_environ_setenv (g_get_environ (), "TWOFOLD_USER", self->username, TRUE);
  /* Not GSubprocess: it reaps the command in a thread of its own and forgets
   * the pid then, so a command that exits at once (leaving a child behind)
   * could be gone before its pid, the group to end, was read. Here the pid
   * comes back from the spawn and stays valid until exited_cb reaps it. */
  if (!g_spawn_async (NULL, self->argv, envp,
                      G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
                      child_setup, NULL, &pid, error))
    return FALSE;

  /* setsid () made the command the leader of a group with its own pid. */
  self->pgid = pid;
  self->running = TRUE;
  watch = g_new0 (Watch, 1);
  g_weak_ref_init (&watch->command, self);
  g_child_watch_add_full (G_PRIORITY_DEFAULT, pid, exited_cb, watch, watch_free);
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
