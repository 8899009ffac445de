/* tf-mailer-config.c — the mailer's configuration: settings, the SMTP
 * password (file or keyring), and the message struct. */
#define G_LOG_DOMAIN "tf-mailer"

#include "config.h"

#include "tf-mailer.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tf-keyring.h"
#include "tf-mail-header.h"

/* An SMTP password is short; a bigger file is not one. */
#define MAX_PASSWORD_FILE 4096

G_DEFINE_QUARK (tf-mailer-error-quark, tf_mailer_error)

TfMailerConfig *
tf_mailer_config_new (void)
{
  TfMailerConfig *config = g_new0 (TfMailerConfig, 1);

  config->port = TF_MAILER_DEFAULT_PORT;
  config->security = TF_SMTP_SECURITY_STARTTLS;
  config->connect_timeout_ms = TF_MAILER_CONNECT_TIMEOUT_MS;
  config->timeout_ms = TF_MAILER_TIMEOUT_MS;

  return config;
}

TfMailerConfig *
tf_mailer_config_copy (const TfMailerConfig *config)
{
  TfMailerConfig *copy;

  g_return_val_if_fail (config != NULL, NULL);

  copy = g_memdup2 (config, sizeof *config);
  copy->host = g_strdup (config->host);
  copy->username = g_strdup (config->username);
  copy->password = config->password != NULL ? tf_secure_buffer_ref (config->password) : NULL;
  copy->from_address = g_strdup (config->from_address);
  copy->from_name = g_strdup (config->from_name);
  copy->ca_file = g_strdup (config->ca_file);

  return copy;
}

void
tf_mailer_config_free (TfMailerConfig *config)
{
  if (config == NULL)
    return;

  g_free (config->host);
  g_free (config->username);
  g_clear_pointer (&config->password, tf_secure_buffer_unref);
  g_free (config->from_address);
  g_free (config->from_name);
  g_free (config->ca_file);
  g_free (config);
}

gboolean
tf_mailer_config_is_configured (const TfMailerConfig *config)
{
  return config != NULL && config->host != NULL && config->host[0] != '\0';
}

gboolean
tf_mailer_config_set_from (TfMailerConfig  *config,
                           const char      *mailbox,
                           GError         **error)
{
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (mailbox != NULL, FALSE);

  if (!tf_mail_header_parse_mailbox (mailbox, -1, &name, &address, &local_error))
    {
      g_set_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG,
                   _("The mail-from setting is not a valid sender: %s"), local_error->message);
      return FALSE;
    }

  g_free (config->from_name);
  config->from_name = g_steal_pointer (&name);
  g_free (config->from_address);
  config->from_address = g_steal_pointer (&address);
  return TRUE;
}

static void
set_password_file_error (GError     **error,
                         const char  *path,
                         const char  *problem)
{
  g_set_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG,
               _("The SMTP password file “%s” cannot be used: %s"), path, problem);
}

TfSecureBuffer *
tf_mailer_read_password_file (const char  *path,
                              GError     **error)
{
  g_autoptr(TfSecureBuffer) buffer = NULL;
  struct stat st;
  gsize length = 0;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  /* The key file's rules (tf-key-file.c): no symbolic link, no FIFO that
   * would block, a regular file of ours that nobody else can read. */
  fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      int saved_errno = errno;

      set_password_file_error (error, path,
                               saved_errno == ELOOP ? _("it is a symbolic link")
                                                    : g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    set_password_file_error (error, path, _("it is not a regular file"));
  else if (st.st_uid != geteuid ())
    set_password_file_error (error, path, _("it belongs to another user"));
  else if ((st.st_mode & 077) != 0)
    set_password_file_error (error, path, _("other users can read it; give it mode 0600"));
  else
    buffer = tf_secure_buffer_new (MAX_PASSWORD_FILE + 1);

  while (buffer != NULL && length <= MAX_PASSWORD_FILE)
    {
      gssize n = read (fd, tf_secure_buffer_get_data (buffer) + length,
                       MAX_PASSWORD_FILE + 1 - length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_password_file_error (error, path, g_strerror (errno));
          g_clear_pointer (&buffer, tf_secure_buffer_unref);
          break;
        }
      if (n == 0)
        break;
      length += (gsize) n;
    }
  close (fd);

  if (buffer == NULL)
    return NULL;
  if (length > MAX_PASSWORD_FILE)
    {
      set_password_file_error (error, path, _("it is too long"));
      return NULL;
    }

  /* One trailing newline, as editors leave it, is not part of the password. */
  if (length > 0 && tf_secure_buffer_get_data (buffer)[length - 1] == '\n')
    length--;
  if (length > 0 && tf_secure_buffer_get_data (buffer)[length - 1] == '\r')
    length--;
  if (length == 0 || memchr (tf_secure_buffer_get_data (buffer), '\0', length) != NULL)
    {
      set_password_file_error (error, path, _("it is empty or holds a NUL byte"));
      return NULL;
    }

  tf_secure_buffer_truncate (buffer, length);
  return g_steal_pointer (&buffer);
}

static char *
dup_setting (GSettings  *settings,
             const char *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_strstrip (value);
  return value[0] != '\0' ? g_steal_pointer (&value) : NULL;
}

/* Reads the settings (in the caller's thread: GSettings belongs to it);
 * the password, which may need the keyring, comes later. */
static TfMailerConfig *
read_settings (GSettings  *settings,
               char      **password_file,
               GError    **error)
{
  g_autoptr(TfMailerConfig) config = tf_mailer_config_new ();
  g_autofree char *from = NULL;

  config->host = dup_setting (settings, "smtp-host");
  config->port = g_settings_get_uint (settings, "smtp-port");
  config->security = tf_settings_get_smtp_security (settings);
  config->username = dup_setting (settings, "smtp-username");
  from = dup_setting (settings, "mail-from");
  *password_file = dup_setting (settings, "smtp-password-file");

  if (!tf_mailer_config_is_configured (config))
    return g_steal_pointer (&config);

  if (from == NULL)
    {
      g_set_error_literal (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG,
                           _("The mail-from setting is empty: set the address mail is sent from."));
      return NULL;
    }
  if (!tf_mailer_config_set_from (config, from, error))
    return NULL;

  return g_steal_pointer (&config);
}

static gboolean
load_password (TfMailerConfig  *config,
               const char      *password_file,
               guint            keyring_timeout_ms,
               GCancellable    *cancellable,
               GError         **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!tf_mailer_config_is_configured (config) || config->username == NULL)
    return TRUE;

  if (password_file != NULL)
    {
      config->password = tf_mailer_read_password_file (password_file, error);
      return config->password != NULL;
    }

  config->password = tf_keyring_lookup_smtp_password (config->host, config->username,
                                                      keyring_timeout_ms, cancellable,
                                                      &local_error);
  if (config->password == NULL && local_error != NULL)
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                _("The SMTP password could not be read: "));
  else if (config->password == NULL)
    g_set_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG,
                 /* Translators: the first %s is the SMTP user name, the second the mail server's
                  * host name. */
                 _("No SMTP password for %s on %s is in the keyring. Store it with "
                   "“twofold-admin smtp-password”."), config->username, config->host);

  return config->password != NULL;
}

TfMailerConfig *
tf_mailer_config_new_from_settings (GSettings     *settings,
                                    guint          keyring_timeout_ms,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  g_autoptr(TfMailerConfig) config = NULL;
  g_autofree char *password_file = NULL;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (keyring_timeout_ms > 0, NULL);

  config = read_settings (settings, &password_file, error);
  if (config == NULL ||
      !load_password (config, password_file, keyring_timeout_ms, cancellable, error))
    return NULL;

  return g_steal_pointer (&config);
}

typedef struct {
  TfMailerConfig *config;
  char           *password_file;
  guint           timeout_ms;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_pointer (&data->config, tf_mailer_config_free);
  g_free (data->password_file);
  g_free (data);
}

static void
load_password_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;

  if (load_password (data->config, data->password_file, data->timeout_ms, cancellable, &error))
    g_task_return_pointer (task, g_steal_pointer (&data->config),
                           (GDestroyNotify) tf_mailer_config_free);
  else
    g_task_return_error (task, error);
}

void
tf_mailer_config_new_from_settings_async (GSettings           *settings,
                                          guint                keyring_timeout_ms,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  LoadData *data;

  g_return_if_fail (G_IS_SETTINGS (settings));
  g_return_if_fail (keyring_timeout_ms > 0);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_mailer_config_new_from_settings_async);

  data = g_new0 (LoadData, 1);
  data->timeout_ms = keyring_timeout_ms;
  data->config = read_settings (settings, &data->password_file, &error);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  if (data->config == NULL)
    g_task_return_error (task, error);
  else
    g_task_run_in_thread (task, load_password_thread);
}

TfMailerConfig *
tf_mailer_config_new_from_settings_finish (GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        tf_mailer_config_new_from_settings_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

TfMailMessage *
tf_mail_message_new (void)
{
  return g_new0 (TfMailMessage, 1);
}

void
tf_mail_message_free (TfMailMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->to_address);
  g_free (message->to_name);
  g_free (message->subject);
  g_clear_pointer (&message->text, tf_secure_buffer_unref);
  g_clear_pointer (&message->html, tf_secure_buffer_unref);
  g_free (message->message_id);
  g_free (message);
}
