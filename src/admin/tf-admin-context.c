/* tf-admin-context.c — opening the store, reading input, exit statuses. */
#define G_LOG_DOMAIN "twofold-admin"

#include "config.h"

#include "tf-admin.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "tf-settings.h"

/* How long a keyring may take to answer before the CLI gives up. */
#define KEYRING_TIMEOUT_MS 25000
/* One line of secret input; longer is refused, not truncated. */
#define MAX_LINE 4096

int
tf_admin_fail (int         status,
               const char *format,
               ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* One line, whatever a path or argument in it holds: a CR or LF there
   * would forge a second line in a log reading this. */
  for (char *p = message; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = '?';

  g_printerr ("twofold-admin: %s\n", message);
  return status;
}

int
tf_admin_exit_status_for (const GError *error)
{
  if (error->domain == TF_AUTH_ERROR)
    {
      switch ((TfAuthError) error->code)
        {
        case TF_AUTH_ERROR_FAILED:
        case TF_AUTH_ERROR_CLOCK_SKEW:
        case TF_AUTH_ERROR_THROTTLED:
        case TF_AUTH_ERROR_WRONG_CODE:
        case TF_AUTH_ERROR_NO_SUCH_USER:
          return TF_EXIT_REFUSED;
        case TF_AUTH_ERROR_INVALID_USERNAME:
        case TF_AUTH_ERROR_INVALID_FIRST_NAME:
        case TF_AUTH_ERROR_INVALID_LAST_NAME:
        case TF_AUTH_ERROR_INVALID_EMAIL:
        case TF_AUTH_ERROR_INVALID_PASSWORD:
        case TF_AUTH_ERROR_PASSWORD_MISMATCH:
        case TF_AUTH_ERROR_USERNAME_TAKEN:
        case TF_AUTH_ERROR_WRONG_STATE:
        default:
          return TF_EXIT_USAGE;
        }
    }

  if (error->domain == TF_STORE_ERROR)
    {
      switch ((TfStoreError) error->code)
        {
        case TF_STORE_ERROR_EXISTS:
          return TF_EXIT_USAGE;
        case TF_STORE_ERROR_NOT_FOUND:
          return TF_EXIT_REFUSED;
        case TF_STORE_ERROR_DAMAGED:
        case TF_STORE_ERROR_NEWER:
        case TF_STORE_ERROR_PERMISSION:
        case TF_STORE_ERROR_IO:
        case TF_STORE_ERROR_BUSY:
        case TF_STORE_ERROR_LOCKED:
        default:
          return TF_EXIT_ENVIRONMENT;
        }
    }

  if (error->domain == G_OPTION_ERROR)
    return TF_EXIT_USAGE;

  /* Vault, settings, I/O: the environment. */
  return TF_EXIT_ENVIRONMENT;
}

int
tf_admin_fail_error (const GError *error)
{
  return tf_admin_fail (tf_admin_exit_status_for (error), "%s", error->message);
}

int
tf_admin_open (TfAdmin  *admin,
               gboolean  create)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer = NULL;

  if (admin->store_path == NULL)
    admin->store_path = tf_settings_dup_store_path (admin->settings);
  if (admin->key_file == NULL)
    admin->key_file = tf_settings_dup_key_file (admin->settings);
  issuer = tf_settings_dup_issuer (admin->settings);

  admin->auth = tf_auth_open (admin->store_path, admin->key_file, issuer,
                              g_getenv ("TWOFOLD_SEAT"), create, KEYRING_TIMEOUT_MS,
                              NULL, &error);
  if (admin->auth == NULL && error == NULL)
    return tf_admin_fail (TF_EXIT_ENVIRONMENT, _("The account store could not be opened."));
  if (admin->auth == NULL)
    return tf_admin_fail_error (error);

  admin->store = g_object_ref (tf_auth_get_store (admin->auth));
  return TF_EXIT_OK;
}

void
tf_admin_clear (TfAdmin *admin)
{
  g_clear_object (&admin->auth);
  g_clear_object (&admin->store);
  g_clear_object (&admin->settings);
  g_clear_pointer (&admin->store_path, g_free);
  g_clear_pointer (&admin->key_file, g_free);
}

static TfSecureBuffer *
read_line_fd (FILE     *in,
              GError  **error)
{
  g_autoptr(TfSecureBuffer) line = tf_secure_buffer_new (MAX_LINE + 2);
  guint8 *data = tf_secure_buffer_get_data (line);
  gsize n = 0;
  int c;

  while ((c = getc (in)) != EOF && c != '\n')
    {
      if (n > MAX_LINE)
        {
          /* Drain the rest of the line so nothing of it stays buffered. */
          while ((c = getc (in)) != EOF && c != '\n')
            ;
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The input line is too long."));
          return NULL;
        }
      data[n++] = (guint8) c;
    }

  if (c == EOF && n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Nothing was given on standard input."));
      return NULL;
    }

  if (n > 0 && data[n - 1] == '\r')
    n--;
  if (memchr (data, '\0', n) != NULL || memchr (data, '\r', n) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The input contains a control character."));
      return NULL;
    }

  tf_secure_buffer_truncate (line, n);
  return g_steal_pointer (&line);
}

TfSecureBuffer *
tf_admin_read_secret_line (const char  *prompt,
                           GError     **error)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  TfSecureBuffer *line;

  /* Secrets must not sit in stdio's heap buffer longer than needed. */
  setvbuf (stdin, NULL, _IONBF, 0);

  if (tty)
    {
      g_printerr ("%s", prompt);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }

  line = read_line_fd (stdin, error);

  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      g_printerr ("\n");
    }

  return line;
}

TfSecureBuffer *
tf_admin_read_all_stdin (gsize    max,
                         GError **error)
{
  g_autoptr(TfSecureBuffer) buffer = tf_secure_buffer_new (max + 1);
  guint8 *data = tf_secure_buffer_get_data (buffer);
  gsize n = 0;

  for (;;)
    {
      ssize_t r = read (STDIN_FILENO, data + n, max + 1 - n);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errno),
                       _("Could not read standard input: %s"), g_strerror (errno));
          return NULL;
        }
      if (r == 0)
        break;
      n += (gsize) r;
      if (n > max)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The input is too long."));
          return NULL;
        }
    }

  tf_secure_buffer_truncate (buffer, n);
  return g_steal_pointer (&buffer);
}

int
tf_admin_parse_options (const char   *command,
                        const char   *args,
                        const char   *summary,
                        GOptionEntry *entries,
                        int          *argc,
                        char       ***argv,
                        int           n_positional)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  /* args is marked with N_() in main.c; "" is the catalogue's header. */
  g_autofree char *parameter = g_strdup_printf ("%s%s%s", command,
                                                args[0] != '\0' ? " " : "",
                                                args[0] != '\0' ? _(args) : "");

  context = g_option_context_new (parameter);
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    return tf_admin_fail (TF_EXIT_USAGE, "%s", error->message);

  /* argv[0] is the command itself. */
  if (n_positional >= 0 && *argc - 1 != n_positional)
    return tf_admin_fail (TF_EXIT_USAGE, _("Usage: twofold-admin %s (see “twofold-admin %s --help”)"),
                          parameter, command);

  return -1;
}

void
tf_admin_json_string (GString    *out,
                      const char *value)
{
  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

char *
tf_admin_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time <= 0)
    return NULL;

  time = g_date_time_new_from_unix_utc (unix_time);
  return time != NULL ? g_date_time_format_iso8601 (time) : NULL;
}
