/* test-mailer.c — one message through libcurl to a real aiosmtpd on
 * 127.0.0.1: headers and envelope as the server sees them, STARTTLS and TLS
 * with peer verification, AUTH, and every fault the outbox must survive. */
#include "tf-core.h"
#include "tf-mail-compose.h"
#include "tf-mail-header.h"
#include "tf-mailer.h"
#include "tf-settings.h"
#include "tf-test-smtp.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

/* Shared by the tests that need a plain server. */
static TfTestSmtp *plain;

static TfMailMessage *
make_message (const char *to)
{
  TfMailMessage *message = tf_mail_message_new ();

  message->to_address = g_strdup (to);
  message->to_name = g_strdup ("Zoë Ångström");
  message->subject = g_strdup ("Ваш код — your code ✓");
  message->text = tf_secure_buffer_new_from_string ("Hello,\r\n\r\nline two = café\r\n");
  message->html = tf_secure_buffer_new_from_string ("<p>Hello, caf&eacute;</p>\r\n");
  message->date = 1900000000;
  return message;
}

static void
test_defaults (void)
{
  g_autoptr(TfMailerConfig) config = tf_mailer_config_new ();
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(TfMailerConfig) from_settings = NULL;
  g_autoptr(GError) error = NULL;

  /* The limits: connect 10 s, total 30 s; STARTTLS on port 587. */
  g_assert_cmpuint (config->connect_timeout_ms, ==, 10000);
  g_assert_cmpuint (config->timeout_ms, ==, 30000);
  g_assert_cmpuint (config->port, ==, 587);
  g_assert_cmpint (config->security, ==, TF_SMTP_SECURITY_STARTTLS);
  g_assert_false (tf_mailer_config_is_configured (config));

  settings = tf_settings_new (&error);
  g_assert_no_error (error);
  from_settings = tf_mailer_config_new_from_settings (settings, 1000, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (tf_mailer_config_is_configured (from_settings));
  g_clear_pointer (&from_settings, tf_mailer_config_free);

  g_settings_set_string (settings, "smtp-host", "mail.example.org");
  g_settings_set_uint (settings, "smtp-port", 465);
  g_settings_set_enum (settings, "smtp-security", TF_SMTP_SECURITY_TLS);
  g_settings_set_string (settings, "mail-from", "Twofold Kiosk <kiosk@example.org>");
  from_settings = tf_mailer_config_new_from_settings (settings, 1000, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (tf_mailer_config_is_configured (from_settings));
  g_assert_cmpstr (from_settings->host, ==, "mail.example.org");
  g_assert_cmpuint (from_settings->port, ==, 465);
  g_assert_cmpint (from_settings->security, ==, TF_SMTP_SECURITY_TLS);
  g_assert_cmpstr (from_settings->from_name, ==, "Twofold Kiosk");
  g_assert_cmpstr (from_settings->from_address, ==, "kiosk@example.org");
  g_assert_null (from_settings->username);
  g_assert_cmpuint (from_settings->connect_timeout_ms, ==, 10000);
  g_assert_cmpuint (from_settings->timeout_ms, ==, 30000);
  g_clear_pointer (&from_settings, tf_mailer_config_free);

  /* A sender that would inject a header is refused with the setting named. */
  g_settings_set_string (settings, "mail-from", "Evil\nBcc: x@example.org <a@example.org>");
  g_assert_null (tf_mailer_config_new_from_settings (settings, 1000, NULL, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "mail-from"));
  g_clear_error (&error);
  g_settings_set_string (settings, "mail-from", "");
  g_assert_null (tf_mailer_config_new_from_settings (settings, 1000, NULL, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG);
}

static void
test_password_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("twofold-pw-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "smtp-password", NULL);
  g_autofree char *link = g_build_filename (dir, "link", NULL);
  g_autoptr(GSettings) settings = tf_settings_new (NULL);
  g_autoptr(TfSecureBuffer) password = NULL;
  g_autoptr(TfMailerConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "s3cret pass\n", -1, NULL));
  g_chmod (path, 0644);
  g_assert_null (tf_mailer_read_password_file (path, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "0600"));
  g_clear_error (&error);

  g_chmod (path, 0600);
  password = tf_mailer_read_password_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_secure_buffer_get_string (password), ==, "s3cret pass");

  g_assert_cmpint (symlink (path, link), ==, 0);
  g_assert_null (tf_mailer_read_password_file (link, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG);
  g_clear_error (&error);
  g_assert_null (tf_mailer_read_password_file (dir, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG);
  g_clear_error (&error);

  /* With smtp-username set, the file setting provides the password. */
  g_settings_set_string (settings, "smtp-host", "127.0.0.1");
  g_settings_set_string (settings, "mail-from", "a@example.org");
  g_settings_set_string (settings, "smtp-username", "twofold");
  g_settings_set_string (settings, "smtp-password-file", path);
  config = tf_mailer_config_new_from_settings (settings, 1000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_secure_buffer_get_string (config->password), ==, "s3cret pass");

  tf_test_remove_tree (dir);
}

static void
test_deliver (void)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfMailMessage) message = make_message ("zoe@example.org");
  g_autoptr(GKeyFile) received = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *value = NULL;
  guint before = tf_test_smtp_count (plain);

  g_assert_true (tf_mailer_send (config, message, NULL, &reply, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (reply, "250 "));

  received = tf_test_smtp_message (plain, before + 1, 5000);
  g_assert_nonnull (received);
#define CHECK(group, key, expected) \
  G_STMT_START { \
    g_free (value); \
    value = g_key_file_get_string (received, group, key, NULL); \
    g_assert_cmpstr (value, ==, expected); \
  } G_STMT_END
  CHECK ("envelope", "mail_from", "twofold@example.org");
  CHECK ("envelope", "rcpt_tos", "zoe@example.org");
  CHECK ("headers", "subject", "Ваш код — your code ✓");
  CHECK ("headers", "from_name", "Twofold Test");
  CHECK ("headers", "from_address", "twofold@example.org");
  CHECK ("headers", "to_name", "Zoë Ångström");
  CHECK ("headers", "to_address", "zoe@example.org");
  CHECK ("headers", "date", "Sun, 17 Mar 2030 17:46:40 +0000");
  CHECK ("headers", "date_valid", "true");
  CHECK ("headers", "mime_version", "1.0");
  CHECK ("headers", "content_type", "multipart/alternative");
  CHECK ("headers", "auto_submitted", "auto-generated");
  CHECK ("headers", "defects", "0");
  CHECK ("parts", "types", "multipart/alternative;text/plain;text/html");
  CHECK ("text", "body", "Hello,\r\n\r\nline two = café\r\n");
  CHECK ("html", "body", "<p>Hello, caf&eacute;</p>\r\n");
  CHECK ("checks", "crlf_only", "true");
  CHECK ("checks", "header_ascii", "true");
#undef CHECK
  g_assert_cmpint (g_key_file_get_integer (received, "checks", "max_folded_line", NULL), <=, 76);
  g_free (value);
  value = g_key_file_get_string (received, "headers", "message_id", NULL);
  g_assert_true (g_str_has_prefix (value, "<") && g_str_has_suffix (value, "@example.org>"));
  g_free (value);
  value = g_key_file_get_string (received, "checks", "raw_subject", NULL);
  g_assert_true (g_str_has_prefix (value, "Subject: =?UTF-8?B?"));
}

static void
test_compose_deliver (void)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfSecureBuffer) code = tf_secure_buffer_new_from_string ("12345678");
  TfMailFields fields = {
    .issuer = "Twofold <Lab> & \"Co\"", .username = "alice", .first_name = "Alice <b>",
    .last_name = "Liddell", .to_address = "alice@example.org", .code = code,
    .expires_minutes = 10, .now = 1900000000,
  };
  g_autoptr(TfMailMessage) message = NULL;
  g_autoptr(GKeyFile) received = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *found = NULL;
  guint before = tf_test_smtp_count (plain);

  /* The issuer holds angle brackets: the subject would carry them. */
  g_assert_null (tf_mail_compose (TF_MAIL_RESET_CODE, &fields, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID);
  g_clear_error (&error);
  fields.issuer = "Twofold & \"Co\"";
  fields.first_name = "Alice";
  message = tf_mail_compose (TF_MAIL_RESET_CODE, &fields, &error);
  g_assert_no_error (error);

  g_assert_true (tf_mailer_send (config, message, NULL, NULL, &error));
  g_assert_no_error (error);
  received = tf_test_smtp_message (plain, before + 1, 5000);
  g_assert_nonnull (received);
  text = g_key_file_get_string (received, "text", "body", NULL);
  html = g_key_file_get_string (received, "html", "body", NULL);
  found = tf_test_find_code (text);
  g_assert_cmpstr (found, ==, "12345678");
  g_assert_nonnull (strstr (text, "1234 5678"));
  g_assert_nonnull (strstr (text, "Hello Alice,"));
  g_assert_nonnull (strstr (html, "1234 5678"));
  /* Every inserted value is escaped in the HTML part. */
  g_assert_nonnull (strstr (html, "Twofold &amp; &quot;Co&quot;"));
  g_assert_null (strstr (html, "Twofold & \"Co\""));
  g_assert_cmpint (g_key_file_get_integer (received, "checks", "max_folded_line", NULL), <=, 76);
}

static void
test_starttls_required (void)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_STARTTLS);
  g_autoptr(TfMailMessage) message = make_message ("zoe@example.org");
  g_autoptr(GError) error = NULL;
  guint before = tf_test_smtp_count (plain);

  /* A plain server: libcurl refuses to go on without STARTTLS. */
  g_assert_false (tf_mailer_send (config, message, NULL, NULL, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "STARTTLS"));
  g_usleep (200000);
  g_assert_cmpuint (tf_test_smtp_count (plain), ==, before);
}

static void
test_tls (gconstpointer data)
{
  TfTestSmtpMode mode = GPOINTER_TO_INT (data);
  TfSmtpSecurity security = mode == TF_TEST_SMTP_STARTTLS ? TF_SMTP_SECURITY_STARTTLS
                                                          : TF_SMTP_SECURITY_TLS;
  TfTestSmtp *server = tf_test_smtp_start (mode, 0, NULL);
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (server, security);
  g_autoptr(TfMailMessage) message = make_message ("zoe@example.org");
  g_autoptr(GKeyFile) received = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_mailer_send (config, message, NULL, NULL, &error));
  g_assert_no_error (error);
  received = tf_test_smtp_message (server, 1, 5000);
  g_assert_nonnull (received);

  /* Without the test CA the certificate is not trusted: peer verification
   * is on, whatever the security mode. libcurl then reads the system's CA
   * bundle, ~150 certificates: under AddressSanitizer with full stacks for
   * every allocation (tests/meson.build) that alone took 7 s on an idle
   * machine and over the 10 s connect timeout in a loaded CI run. The
   * limit is not what this checks. */
  g_clear_pointer (&config->ca_file, g_free);
  config->connect_timeout_ms = 120000;
  config->timeout_ms = 120000;
  g_assert_false (tf_mailer_send (config, message, NULL, NULL, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_TLS);
  g_assert_cmpuint (tf_test_smtp_count (server), ==, 1);

  tf_test_smtp_free (server);
}

static void
test_auth (void)
{
  TfTestSmtp *server = tf_test_smtp_start (TF_TEST_SMTP_STARTTLS, 0, "twofold:pa55 word");
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (server, TF_SMTP_SECURITY_STARTTLS);
  g_autoptr(TfMailMessage) message = make_message ("zoe@example.org");
  g_autoptr(GError) error = NULL;

  /* No credentials: the server wants AUTH. */
  g_assert_false (tf_mailer_send (config, message, NULL, NULL, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_REJECTED);
  g_clear_error (&error);

  config->username = g_strdup ("twofold");
  config->password = tf_secure_buffer_new_from_string ("wrong");
  g_assert_false (tf_mailer_send (config, message, NULL, NULL, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_AUTH);
  g_clear_error (&error);

  g_clear_pointer (&config->password, tf_secure_buffer_unref);
  config->password = tf_secure_buffer_new_from_string ("pa55 word");
  g_assert_true (tf_mailer_send (config, message, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tf_test_smtp_received (server, 1, 5000));

  tf_test_smtp_free (server);
}

static void
test_tarpit (void)
{
  TfTestSmtp *tarpit = tf_test_smtp_start (TF_TEST_SMTP_TARPIT, 0, NULL);
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (tarpit, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfMailMessage) message = make_message ("zoe@example.org");
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed_ms;

  config->connect_timeout_ms = 1500;
  config->timeout_ms = 4000;
  start = g_get_monotonic_time ();
  g_assert_false (tf_mailer_send (config, message, NULL, NULL, &error));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_TIMEOUT);
  /* The greeting belongs to the connect phase: its limit applies. */
  g_assert_cmpint (elapsed_ms, >=, 1400);
  g_assert_cmpint (elapsed_ms, <, 3000);

  tf_test_smtp_free (tarpit);
}

static void
test_stall_after_data (void)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfMailMessage) message = make_message ("slow@example.org");
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 elapsed_ms;

  config->timeout_ms = 2000;
  start = g_get_monotonic_time ();
  g_assert_false (tf_mailer_send (config, message, NULL, NULL, &error));
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("after %" G_GINT64_FORMAT " ms: %s", elapsed_ms, error->message);
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_TIMEOUT);
  /* The total limit holds to within a second (libcurl's progress calls). */
  g_assert_cmpint (elapsed_ms, >=, 1000);
  g_assert_cmpint (elapsed_ms, <, 2600);
}

static void
test_rejected (void)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfMailMessage) message = make_message ("nobody@example.org");
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  g_assert_false (tf_mailer_send (config, message, NULL, &reply, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_REJECTED);
  g_assert_nonnull (strstr (error->message, "550 5.1.1 no such user"));
  g_assert_cmpstr (reply, ==, "550 5.1.1 no such user");
  g_clear_error (&error);

  g_free (message->to_address);
  message->to_address = g_strdup ("busy@example.org");
  g_assert_false (tf_mailer_send (config, message, NULL, NULL, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_TEMPORARY);
  g_assert_nonnull (strstr (error->message, "451 4.3.0 try again later"));
}

static void
test_server_down (void)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (NULL, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfMailMessage) message = make_message ("zoe@example.org");
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_false (tf_mailer_send (config, message, NULL, NULL, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONNECT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_clear_error (&error);

  g_clear_pointer (&config->host, g_free);
  g_assert_false (tf_mailer_send (config, message, NULL, NULL, &error));
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_NOT_CONFIGURED);
}

/* Every field with every injection: refused before libcurl, nothing sent. */
static void
test_injection (void)
{
  const char *attacks[] = { "\r", "\n", "\r\nBcc: victim@example.org", "<", ">",
                            "\xe2\x80\xae", "\x01", "\xff" };
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  guint before = tf_test_smtp_count (plain);

  for (guint a = 0; a < G_N_ELEMENTS (attacks); a++)
    {
      for (guint field = 0; field < 6; field++)
        {
          g_autoptr(TfMailerConfig) bad_config = tf_mailer_config_copy (config);
          g_autoptr(TfMailMessage) message = make_message ("zoe@example.org");
          g_autoptr(GError) error = NULL;
          char **target[] = { &message->to_address, &message->to_name, &message->subject,
                              &bad_config->from_address, &bad_config->from_name,
                              &message->message_id };
          char *old = *target[field];

          *target[field] = g_strconcat (old != NULL ? old : "<x@example.org", attacks[a],
                                        field == 5 ? ">" : "", NULL);
          g_free (old);
          g_assert_false (tf_mailer_send (bad_config, message, NULL, NULL, &error));
          g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID);
        }
    }

  /* A NUL byte cannot hide the rest of a field either. */
  {
    g_autoptr(TfMailMessage) message = make_message ("zoe@example.org");
    g_autoptr(GError) error = NULL;

    g_free (message->subject);
    message->subject = g_strdup ("");
    message->to_address[3] = '\0';
    g_assert_false (tf_mailer_send (config, message, NULL, NULL, &error));
    g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID);
  }

  g_usleep (200000);
  g_assert_cmpuint (tf_test_smtp_count (plain), ==, before);
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static gpointer
send_thread (gpointer data)
{
  gpointer *args = data;
  GError *error = NULL;

  tf_mailer_send (args[0], args[1], args[2], NULL, &error);
  return error;
}

static void
test_cancel (void)
{
  TfTestSmtp *tarpit = tf_test_smtp_start (TF_TEST_SMTP_TARPIT, 0, NULL);
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (tarpit, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfMailMessage) message = make_message ("zoe@example.org");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gpointer args[] = { config, message, cancellable };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GThread *thread;
  GError *error;
  gint64 start = g_get_monotonic_time ();

  thread = g_thread_new ("send", send_thread, args);
  g_timeout_add (300, cancel_later, cancellable);
  g_timeout_add (310, (GSourceFunc) g_main_loop_quit, loop);
  g_main_loop_run (loop);
  error = g_thread_join (thread);

  /* Well before the 10 s connect timeout. */
  g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  g_error_free (error);

  tf_test_smtp_free (tarpit);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tf_core_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/twofold/mailer/defaults", test_defaults);
  g_test_add_func ("/twofold/mailer/password-file", test_password_file);
  g_test_add_func ("/twofold/mailer/deliver", test_deliver);
  g_test_add_func ("/twofold/mailer/compose", test_compose_deliver);
  g_test_add_func ("/twofold/mailer/starttls-required", test_starttls_required);
  g_test_add_data_func ("/twofold/mailer/starttls", GINT_TO_POINTER (TF_TEST_SMTP_STARTTLS),
                        test_tls);
  g_test_add_data_func ("/twofold/mailer/smtps", GINT_TO_POINTER (TF_TEST_SMTP_SMTPS), test_tls);
  g_test_add_func ("/twofold/mailer/auth", test_auth);
  g_test_add_func ("/twofold/mailer/tarpit", test_tarpit);
  g_test_add_func ("/twofold/mailer/stall-after-data", test_stall_after_data);
  g_test_add_func ("/twofold/mailer/rejected", test_rejected);
  g_test_add_func ("/twofold/mailer/server-down", test_server_down);
  g_test_add_func ("/twofold/mailer/injection", test_injection);
  g_test_add_func ("/twofold/mailer/cancel", test_cancel);

  plain = tf_test_smtp_start (TF_TEST_SMTP_PLAIN, 0, NULL);
  status = g_test_run ();
  tf_test_smtp_free (plain);

  return status;
}
