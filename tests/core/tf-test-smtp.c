/* tf-test-smtp.c */
#include "tf-test-smtp.h"

#include "tf-outbox.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

static void
child_setup (gpointer user_data)
{
  /* Belt and braces: the server also exits when its stdin closes. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
make_certificate (const char *dir)
{
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) openssl = NULL;

  openssl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, "openssl", "req", "-x509", "-newkey", "ec",
                              "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                              "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                              "-keyout", key, "-out", cert, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (openssl, NULL, &error));
  g_assert_no_error (error);
}

TfTestSmtp *
tf_test_smtp_start (TfTestSmtpMode  mode,
                    guint16         port,
                    const char     *auth)
{
  TfTestSmtp *smtp = g_new0 (TfTestSmtp, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;

  smtp->dir = g_dir_make_tmp ("twofold-smtp-XXXXXX", &error);
  g_assert_no_error (error);
  cert = g_build_filename (smtp->dir, "cert.pem", NULL);
  key = g_build_filename (smtp->dir, "key.pem", NULL);

  g_ptr_array_add (argv, g_strdup (TF_PYTHON));
  g_ptr_array_add (argv, g_strdup (TF_SMTP_SERVER));
  g_ptr_array_add (argv, g_strdup ("--outdir"));
  g_ptr_array_add (argv, g_strdup (smtp->dir));
  g_ptr_array_add (argv, g_strdup ("--port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", port));
  if (mode == TF_TEST_SMTP_STARTTLS || mode == TF_TEST_SMTP_SMTPS)
    {
      make_certificate (smtp->dir);
      g_ptr_array_add (argv, g_strdup (mode == TF_TEST_SMTP_STARTTLS ? "--tls" : "--smtps"));
      g_ptr_array_add (argv, g_strdup (cert));
      g_ptr_array_add (argv, g_strdup (key));
    }
  if (mode == TF_TEST_SMTP_TARPIT)
    {
      g_ptr_array_add (argv, g_strdup ("--tarpit"));
      g_ptr_array_add (argv, g_strdup ("--lifetime"));
      g_ptr_array_add (argv, g_strdup ("60"));
    }
  if (auth != NULL)
    {
      g_ptr_array_add (argv, g_strdup ("--auth"));
      g_ptr_array_add (argv, g_strdup (auth));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  smtp->process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata,
                                                &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (smtp->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  smtp->port = (guint16) g_ascii_strtoull (line + 5, NULL, 10);
  g_assert_cmpuint (smtp->port, >, 0);

  return smtp;
}

void
tf_test_smtp_stop (TfTestSmtp *smtp)
{
  if (smtp->process == NULL)
    return;

  g_subprocess_send_signal (smtp->process, SIGTERM);
  g_subprocess_wait (smtp->process, NULL, NULL);
  g_clear_object (&smtp->process);
}

void
tf_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          tf_test_remove_tree (child);
        }
    }
  g_remove (path);
}

void
tf_test_smtp_free (TfTestSmtp *smtp)
{
  if (smtp == NULL)
    return;

  tf_test_smtp_stop (smtp);
  tf_test_remove_tree (smtp->dir);
  g_free (smtp->dir);
  g_free (smtp);
}

static char *
message_path (TfTestSmtp *smtp,
              guint       index,
              const char *extension)
{
  g_autofree char *name = g_strdup_printf ("%04u.%s", index, extension);

  return g_build_filename (smtp->dir, name, NULL);
}

guint
tf_test_smtp_count (TfTestSmtp *smtp)
{
  guint n = 0;

  for (;;)
    {
      g_autofree char *path = message_path (smtp, n + 1, "ini");

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return n;
      n++;
    }
}

GKeyFile *
tf_test_smtp_message (TfTestSmtp *smtp,
                      guint       index,
                      guint       timeout_ms)
{
  g_autofree char *path = message_path (smtp, index, "ini");
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + timeout_ms * (gint64) 1000;

  while (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_get_monotonic_time () > deadline)
        return NULL;
      g_usleep (10000);
    }

  g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&file);
}

gboolean
tf_test_smtp_received (TfTestSmtp *smtp,
                       guint       index,
                       guint       timeout_ms)
{
  g_autoptr(GKeyFile) message = tf_test_smtp_message (smtp, index, timeout_ms);

  return message != NULL;
}

char *
tf_test_smtp_ca_file (TfTestSmtp *smtp)
{
  return g_build_filename (smtp->dir, "cert.pem", NULL);
}

TfMailerConfig *
tf_test_smtp_config (TfTestSmtp     *smtp,
                     TfSmtpSecurity  security)
{
  TfMailerConfig *config = tf_mailer_config_new ();
  g_autoptr(GError) error = NULL;

  config->host = g_strdup ("127.0.0.1");
  config->port = smtp != NULL ? smtp->port : tf_test_free_port ();
  config->security = security;
  g_assert_true (tf_mailer_config_set_from (config, "Twofold Test <twofold@example.org>", &error));
  g_assert_no_error (error);
  if (smtp != NULL && security != TF_SMTP_SECURITY_NONE)
    config->ca_file = tf_test_smtp_ca_file (smtp);

  return config;
}

guint16
tf_test_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

char *
tf_test_find_code (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    {
      gboolean ok = TRUE;

      for (guint i = 0; i < 9 && ok; i++)
        ok = i == 4 ? p[i] == ' ' : g_ascii_isdigit (p[i]);
      if (ok && (p == text || !g_ascii_isdigit (p[-1])) && !g_ascii_isdigit (p[9]))
        return g_strdup_printf ("%.4s%.4s", p, p + 5);
    }
  return NULL;
}

void
tf_test_mail_deliver (TfTestFixture  *fixture,
                      TfTestSmtp     *server,
                      TfMailerConfig *config)
{
  g_autoptr(TfMailerConfig) own = config == NULL ? tf_test_smtp_config (server, TF_SMTP_SECURITY_NONE)
                                                 : NULL;
  g_autoptr(GError) error = NULL;
  TfOutboxFlushResult result = { 0, };

  g_assert_true (tf_outbox_flush (fixture->store, config != NULL ? config : own, fixture->now,
                                  TRUE, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.failed, ==, 0);
  tf_outbox_flush_result_clear (&result);
}

GKeyFile *
tf_test_mail_find (TfTestSmtp *server,
                   guint       after,
                   const char *subject)
{
  for (guint i = tf_test_smtp_count (server); i > after; i--)
    {
      g_autoptr(GKeyFile) mail = tf_test_smtp_message (server, i, 0);
      g_autofree char *value = g_key_file_get_string (mail, "headers", "subject", NULL);

      if (strstr (value, subject) != NULL)
        return g_steal_pointer (&mail);
    }
  return NULL;
}

gboolean
tf_test_mail_exists (TfTestSmtp *server,
                     guint       after,
                     const char *subject)
{
  g_autoptr(GKeyFile) mail = tf_test_mail_find (server, after, subject);

  return mail != NULL;
}

char *
tf_test_mail_code (GKeyFile *mail)
{
  g_autofree char *text = g_key_file_get_string (mail, "text", "body", NULL);

  return tf_test_find_code (text);
}

char *
tf_test_mail_request_code (TfTestFixture *fixture,
                           TfTestSmtp    *server,
                           const char    *identifier)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) mail = NULL;
  guint before = tf_test_smtp_count (server);

  g_assert_true (tf_auth_request_reset (fixture->auth, identifier, &error));
  g_assert_no_error (error);
  tf_test_mail_deliver (fixture, server, NULL);
  mail = tf_test_mail_find (server, before, "password reset code");
  return mail != NULL ? tf_test_mail_code (mail) : NULL;
}

gint64
tf_test_mail_make_user (TfTestFixture  *fixture,
                        const char     *username,
                        gboolean        verified,
                        GPtrArray     **codes)
{
  g_autoptr(GError) error = NULL;
  gint64 id = tf_test_make_active_user (fixture, username, codes);

  if (verified)
    g_assert_true (tf_store_set_email_verified (fixture->store, id, fixture->now, &error));
  g_assert_no_error (error);
  return id;
}

gboolean
tf_test_mail_reset (TfTestFixture  *fixture,
                    gint64          id,
                    const char     *identifier,
                    const char     *code,
                    const char     *new_password,
                    GError        **error)
{
  g_autofree char *totp = tf_test_code (fixture, id, fixture->now, FALSE);
  gboolean ok = tf_auth_reset_password (fixture->auth, identifier, code, new_password,
                                        new_password, totp, error);

  /* The TOTP step may be spent: the next try needs the next step. */
  fixture->now += 30;
  return ok;
}
