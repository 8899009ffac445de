/* tf-slow-keyring.c — see tf-slow-keyring.h. */
#include "tf-slow-keyring.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define SECRETS_NAME "org.freedesktop.secrets"

struct _TfSlowKeyring {
  guint            delay_ms;
  char            *dir;
  GPid             bus_pid;
  GPid             keyring_pid;
  GThread         *thread;
  GMainContext    *context;
  GMainLoop       *loop;
  GDBusConnection *front;   /* the session bus: owns org.freedesktop.secrets */
  GDBusConnection *back;    /* the private bus of the real gnome-keyring */
  guint            forwarded;
};

typedef struct {
  TfSlowKeyring *keyring;
  GDBusMessage  *call;
  GDBusMessage  *reply;
} Forward;

static void
forward_free (Forward *forward)
{
  g_clear_object (&forward->call);
  g_clear_object (&forward->reply);
  g_free (forward);
}

static gboolean
send_reply (gpointer user_data)
{
  Forward *forward = user_data;
  GDBusMessage *reply = forward->reply;
  g_autoptr(GDBusMessage) answer = NULL;

  if (g_dbus_message_get_message_type (reply) == G_DBUS_MESSAGE_TYPE_ERROR)
    {
      GVariant *body = g_dbus_message_get_body (reply);
      const char *text = "";

      if (body != NULL && g_variant_is_of_type (body, G_VARIANT_TYPE ("(s)")))
        g_variant_get (body, "(&s)", &text);
      answer = g_dbus_message_new_method_error_literal (forward->call,
                                                        g_dbus_message_get_error_name (reply),
                                                        text);
    }
  else
    {
      answer = g_dbus_message_new_method_reply (forward->call);
      g_dbus_message_set_body (answer, g_dbus_message_get_body (reply));
    }
  g_dbus_connection_send_message (forward->keyring->front, answer,
                                  G_DBUS_SEND_MESSAGE_FLAGS_NONE, NULL, NULL);
  forward_free (forward);
  return G_SOURCE_REMOVE;
}

static void
on_back_reply (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Forward *forward = user_data;
  g_autoptr(GError) error = NULL;
  GSource *delay;

  forward->reply = g_dbus_connection_send_message_with_reply_finish (G_DBUS_CONNECTION (source),
                                                                     result, &error);
  if (forward->reply == NULL)
    {
      forward->reply = g_dbus_message_new_method_error_literal (forward->call,
                                                                "org.freedesktop.DBus.Error.Failed",
                                                                error->message);
      g_dbus_message_set_message_type (forward->reply, G_DBUS_MESSAGE_TYPE_ERROR);
    }

  /* The slowness: every answer waits this long before it goes back. */
  delay = g_timeout_source_new (forward->keyring->delay_ms);
  g_source_set_callback (delay, send_reply, forward, NULL);
  g_source_attach (delay, forward->keyring->context);
  g_source_unref (delay);
}

static gboolean
forward_call (gpointer user_data)
{
  Forward *forward = user_data;
  g_autoptr(GDBusMessage) copy = NULL;
  g_autoptr(GError) error = NULL;

  copy = g_dbus_message_new_method_call (SECRETS_NAME,
                                         g_dbus_message_get_path (forward->call),
                                         g_dbus_message_get_interface (forward->call),
                                         g_dbus_message_get_member (forward->call));
  g_dbus_message_set_body (copy, g_dbus_message_get_body (forward->call));
  forward->keyring->forwarded++;
  g_dbus_connection_send_message_with_reply (forward->keyring->back, copy,
                                             G_DBUS_SEND_MESSAGE_FLAGS_NONE, 60000, NULL,
                                             NULL, on_back_reply, forward);
  return G_SOURCE_REMOVE;
}

/* Runs in GDBus's worker thread: calls for the Secret Service go to the
 * proxy's own thread and are not dispatched here. */
static GDBusMessage *
filter (GDBusConnection *connection,
        GDBusMessage    *message,
        gboolean         incoming,
        gpointer         user_data)
{
  TfSlowKeyring *keyring = user_data;
  Forward *forward;

  if (!incoming || g_dbus_message_get_message_type (message) != G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    return message;
  if (g_strcmp0 (g_dbus_message_get_interface (message), "org.freedesktop.DBus.Peer") == 0)
    return message;

  forward = g_new0 (Forward, 1);
  forward->keyring = keyring;
  forward->call = g_object_ref (message);
  g_main_context_invoke (keyring->context, forward_call, forward);
  g_object_unref (message);
  return NULL;
}

static gpointer
proxy_thread (gpointer user_data)
{
  TfSlowKeyring *keyring = user_data;

  g_main_context_push_thread_default (keyring->context);
  g_main_loop_run (keyring->loop);
  g_main_context_pop_thread_default (keyring->context);
  return NULL;
}

static char *
start_bus (TfSlowKeyring *keyring)
{
  g_autofree char *config = g_build_filename (keyring->dir, "bus.conf", NULL);
  g_autofree char *services = g_build_filename (keyring->dir, "services", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "dbus-daemon", NULL, "--nofork", "--print-address=1", NULL };
  g_autofree char *config_arg = NULL;
  char line[1024];
  int out = -1;
  FILE *stream;

  g_mkdir (services, 0700);
  contents = g_strdup_printf ("<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus "
                              "Configuration 1.0//EN\" "
                              "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
                              "<busconfig><type>session</type><keep_umask/>"
                              "<listen>unix:dir=%s</listen><servicedir>%s</servicedir>"
                              "<policy context=\"default\">"
                              "<allow send_destination=\"*\" eavesdrop=\"true\"/>"
                              "<allow eavesdrop=\"true\"/><allow own=\"*\"/>"
                              "</policy></busconfig>\n",
                              keyring->dir, services);
  g_file_set_contents (config, contents, -1, &error);
  g_assert_no_error (error);
  config_arg = g_strconcat ("--config-file=", config, NULL);
  argv[1] = config_arg;
  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                            &keyring->bus_pid, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  stream = fdopen (out, "r");
  g_assert_nonnull (fgets (line, sizeof line, stream));
  fclose (stream);
  g_strchomp (line);
  return g_strdup (line);
}

static void
start_keyring (TfSlowKeyring *keyring,
               const char    *address)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  const char *argv[] = { "gnome-keyring-daemon", "--foreground", "--unlock",
                         "--components=secrets", NULL };
  int in = -1;

  env = g_environ_setenv (env, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  /* gnome-keyring 42 warns when an item is replaced (TESTING.md). */
  env = g_environ_unsetenv (env, "G_DEBUG");
  g_spawn_async_with_pipes (NULL, (char **) argv, env,
                            G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                            G_SPAWN_STDERR_TO_DEV_NULL,
                            NULL, NULL, &keyring->keyring_pid, &in, NULL, NULL, &error);
  g_assert_no_error (error);
  /* The password must not be empty. */
  g_assert_cmpint (write (in, "bench-password", 14), ==, 14);
  close (in);
}

static void
wait_for_name (GDBusConnection *connection,
               const char      *name)
{
  for (guint i = 0; i < 500; i++)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean owned = FALSE;

      reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                           "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                           "NameHasOwner", g_variant_new ("(s)", name),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE,
                                           -1, NULL, NULL);
      if (reply != NULL)
        g_variant_get (reply, "(b)", &owned);
      if (owned)
        return;
      g_usleep (20000);
    }
  g_error ("%s did not appear on the keyring's bus", name);
}

TfSlowKeyring *
tf_slow_keyring_new (guint delay_ms)
{
  TfSlowKeyring *keyring = g_new0 (TfSlowKeyring, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *back_address = NULL;
  g_autofree char *front_address = NULL;
  g_autoptr(GVariant) reply = NULL;

  keyring->delay_ms = delay_ms;
  keyring->dir = g_dir_make_tmp ("twofold-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  back_address = start_bus (keyring);
  start_keyring (keyring, back_address);

  keyring->context = g_main_context_new ();
  keyring->loop = g_main_loop_new (keyring->context, FALSE);
  g_main_context_push_thread_default (keyring->context);

  keyring->back = g_dbus_connection_new_for_address_sync (back_address,
                                                          G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                          G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                          NULL, NULL, &error);
  g_assert_no_error (error);
  wait_for_name (keyring->back, SECRETS_NAME);

  front_address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  keyring->front = g_dbus_connection_new_for_address_sync (front_address,
                                                           G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                           G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                           NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_add_filter (keyring->front, filter, keyring, NULL);
  reply = g_dbus_connection_call_sync (keyring->front, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName", g_variant_new ("(su)", SECRETS_NAME, 4),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  g_main_context_pop_thread_default (keyring->context);

  keyring->thread = g_thread_new ("slow-keyring", proxy_thread, keyring);
  return keyring;
}

guint
tf_slow_keyring_get_forwarded (TfSlowKeyring *keyring)
{
  return keyring->forwarded;
}

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
tf_slow_keyring_free (TfSlowKeyring *keyring)
{
  g_main_context_invoke (keyring->context, quit_loop, keyring->loop);
  g_thread_join (keyring->thread);
  g_dbus_connection_close_sync (keyring->front, NULL, NULL);
  g_dbus_connection_close_sync (keyring->back, NULL, NULL);
  g_clear_object (&keyring->front);
  g_clear_object (&keyring->back);
  g_main_loop_unref (keyring->loop);
  g_main_context_unref (keyring->context);
  kill (keyring->keyring_pid, SIGTERM);
  kill (keyring->bus_pid, SIGTERM);
  g_spawn_close_pid (keyring->keyring_pid);
  g_spawn_close_pid (keyring->bus_pid);
  g_free (keyring->dir);
  g_free (keyring);
}
