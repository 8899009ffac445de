/* test-mail-verify.c — e-mail verification, the notices that follow
 * account changes, the async API, the worker woken by the service, and no
 * secret in the debug output; against a real aiosmtpd on 127.0.0.1. */
#include "tf-auth.h"
#include "tf-outbox.h"
#include "tf-test-smtp.h"
#include "tf-test-util.h"

#include <string.h>

#define NEW_PASSWORD "a brand new passphrase 42"
#define SMTP_PASSWORD "smtp-Pa55-w0rd-7Qz"

static TfTestSmtp *plain;

static void
deliver (TfTestFixture  *fixture,
         TfMailerConfig *config)
{
  tf_test_mail_deliver (fixture, plain, config);
}

static gboolean
reset (TfTestFixture  *fixture,
       gint64          id,
       const char     *identifier,
       const char     *code,
       GError        **error)
{
  return tf_test_mail_reset (fixture, id, identifier, code, NEW_PASSWORD, error);
}

static void
test_verification (TfTestFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) mail = NULL;
  g_autoptr(TfUser) user = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  guint before = tf_test_smtp_count (plain);
  gint64 id;

  /* Registration mails a code at once. */
  id = tf_auth_register (fixture->auth, "Bob", "Builder", "bob", "bob@example.org",
                         TF_TEST_PASSWORD, TF_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  deliver (fixture, NULL);
  mail = tf_test_mail_find (plain, before, "Confirm your e-mail address for Twofold");
  g_assert_nonnull (mail);
  first = tf_test_mail_code (mail);
  g_assert_nonnull (first);

  /* Asking again revokes the first code. */
  before = tf_test_smtp_count (plain);
  g_assert_true (tf_auth_request_email_verification (fixture->auth, id, &error));
  g_assert_no_error (error);
  deliver (fixture, NULL);
  g_clear_pointer (&mail, g_key_file_unref);
  mail = tf_test_mail_find (plain, before, "Confirm your e-mail address");
  second = tf_test_mail_code (mail);
  g_assert_nonnull (second);
  g_assert_cmpstr (first, !=, second);

  g_assert_false (tf_auth_verify_email (fixture->auth, id, first, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_CODE);
  g_clear_error (&error);
  g_assert_true (tf_auth_verify_email (fixture->auth, id, second, &error));
  g_assert_no_error (error);

  user = tf_store_get_user (fixture->store, id, NULL);
  g_assert_cmpint (user->email_verified_at, ==, fixture->now);
  g_assert_false (tf_auth_verify_email (fixture->auth, id, second, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_assert_false (tf_auth_request_email_verification (fixture->auth, id, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE);
}

static void
test_verification_limits (TfTestFixture *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) mail = NULL;
  g_autofree char *code = NULL;
  guint before = tf_test_smtp_count (plain);
  gint64 id;

  id = tf_auth_register (fixture->auth, "Bob", "Builder", "bob", "bob@example.org",
                         TF_TEST_PASSWORD, TF_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  deliver (fixture, NULL);
  mail = tf_test_mail_find (plain, before, "Confirm your e-mail address");
  code = tf_test_mail_code (mail);

  /* Three mails an hour (registration's was the first). */
  g_assert_true (tf_auth_request_email_verification (fixture->auth, id, NULL));
  g_assert_true (tf_auth_request_email_verification (fixture->auth, id, NULL));
  g_assert_false (tf_auth_request_email_verification (fixture->auth, id, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED);
  g_clear_error (&error);

  /* Ten minutes later the newest code has expired too. */
  deliver (fixture, NULL);
  g_clear_pointer (&mail, g_key_file_unref);
  g_clear_pointer (&code, g_free);
  mail = tf_test_mail_find (plain, before, "Confirm your e-mail address");
  code = tf_test_mail_code (mail);
  fixture->now += TF_AUTH_MAIL_CODE_LIFETIME;
  g_assert_false (tf_auth_verify_email (fixture->auth, id, code, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_CODE);
  g_clear_error (&error);

  fixture->now += 60 * 60;
  g_assert_true (tf_auth_request_email_verification (fixture->auth, id, &error));
  g_assert_no_error (error);
}

static void
test_notices (TfTestFixture *fixture,
              gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(TfEnrolment) enrolment = NULL;
  g_autofree char *totp = NULL;
  guint before;

  /* The registration's verification mail first, out of the way. */
  deliver (fixture, NULL);
  before = tf_test_smtp_count (plain);
  totp = tf_test_code (fixture, id, fixture->now, FALSE);
  codes = tf_auth_regenerate_recovery_codes (fixture->auth, id, TF_TEST_PASSWORD, totp, &error);
  g_assert_no_error (error);
  fixture->now += 30;
  g_free (totp);
  totp = tf_test_code (fixture, id, fixture->now, FALSE);
  enrolment = tf_auth_begin_reenrolment (fixture->auth, id, TF_TEST_PASSWORD, totp, &error);
  g_assert_no_error (error);
  fixture->now += 30;
  g_free (totp);
  totp = tf_test_code (fixture, id, fixture->now, TRUE);
  g_assert_true (tf_auth_confirm_reenrolment (fixture->auth, id, totp, &error));
  g_assert_no_error (error);
  fixture->now += 30;
  g_free (totp);
  totp = tf_test_code (fixture, id, fixture->now, FALSE);
  g_assert_true (tf_auth_change_password (fixture->auth, id, TF_TEST_PASSWORD, totp, NEW_PASSWORD,
                                          NEW_PASSWORD, &error));
  g_assert_no_error (error);

  deliver (fixture, NULL);
  g_assert_true (tf_test_mail_exists (plain, before, "New recovery codes for your Twofold account"));
  g_assert_true (tf_test_mail_exists (plain, before, "A new authenticator was set up"));
  g_assert_true (tf_test_mail_exists (plain, before, "Your Twofold password was changed"));
  g_assert_cmpuint (tf_test_smtp_count (plain), ==, before + 3);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async (TfTestFixture *fixture,
            gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) mail = NULL;
  g_autofree char *code = NULL;
  g_autofree char *totp = NULL;
  GAsyncResult *result = NULL;
  guint before = tf_test_smtp_count (plain);

  tf_auth_request_reset_async (fixture->auth, "alice", NULL, on_done, &result);
  g_assert_true (tf_auth_request_reset_finish (fixture->auth, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  deliver (fixture, NULL);
  mail = tf_test_mail_find (plain, before, "password reset code");
  code = tf_test_mail_code (mail);
  totp = tf_test_code (fixture, id, fixture->now, FALSE);
  tf_auth_reset_password_async (fixture->auth, "alice", code, NEW_PASSWORD, NEW_PASSWORD, totp,
                                NULL, on_done, &result);
  /* The arguments were copied: the caller may wipe them at once. */
  memset (code, '0', strlen (code));
  memset (totp, '0', strlen (totp));
  g_assert_true (tf_auth_reset_password_finish (fixture->auth, wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  tf_auth_verify_email_async (fixture->auth, id, "12345678", NULL, on_done, &result);
  g_assert_false (tf_auth_verify_email_finish (fixture->auth, wait_result (&result), &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE);
  g_clear_error (&error);
  g_clear_object (&result);

  tf_auth_request_email_verification_async (fixture->auth, id, NULL, on_done, &result);
  g_assert_false (tf_auth_request_email_verification_finish (fixture->auth, wait_result (&result),
                                                             &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_STATE);
  g_clear_object (&result);
}

static void
test_worker_wakes (TfTestFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfOutboxWorker) worker = tf_outbox_worker_new (fixture->store, config);
  guint before;
  gint64 deadline;

  tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  deliver (fixture, NULL);
  before = tf_test_smtp_count (plain);
  tf_outbox_worker_set_clock (worker, tf_test_clock, fixture);
  tf_outbox_worker_start (worker);
  /* Let the worker go to sleep first, for up to a minute. */
  while (tf_outbox_worker_get_rounds (worker) == 0)
    g_usleep (10000);
  tf_auth_set_outbox_worker (fixture->auth, worker);

  g_assert_true (tf_auth_request_reset (fixture->auth, "alice", NULL));
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (tf_test_smtp_count (plain) == before && g_get_monotonic_time () < deadline)
    g_usleep (20000);
  g_assert_true (tf_test_mail_exists (plain, before, "password reset code"));

  tf_outbox_worker_stop (worker);
}

/* With every debug message on, neither the code, the new password nor the
 * SMTP password (or its AUTH PLAIN form) shows in the output. */
static void
test_no_secrets_logged (TfTestFixture *fixture,
                        gconstpointer  data)
{
  g_autofree char *dir = g_strdup (g_getenv ("TF_TEST_SMTP_DIR"));
  g_autofree char *port = g_strdup (g_getenv ("TF_TEST_SMTP_PORT"));

  if (g_test_subprocess ())
    {
      g_autoptr(TfMailerConfig) config = tf_mailer_config_new ();
      g_autoptr(GError) error = NULL;
      TfTestSmtp server = { NULL, (guint16) g_ascii_strtoull (port, NULL, 10), dir };
      g_autoptr(GKeyFile) mail = NULL;
      g_autofree char *code = NULL;
      gint64 id;

      /* As G_MESSAGES_DEBUG=all would. */
      g_log_set_debug_enabled (TRUE);
      g_assert_false (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, "tf-auth"));
      id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
      config->host = g_strdup ("127.0.0.1");
      config->port = server.port;
      config->security = TF_SMTP_SECURITY_NONE;
      config->username = g_strdup ("twofold");
      config->password = tf_secure_buffer_new_from_string (SMTP_PASSWORD);
      g_assert_true (tf_mailer_config_set_from (config, "twofold@example.org", NULL));

      g_assert_true (tf_auth_request_reset (fixture->auth, "alice", &error));
      deliver (fixture, config);
      mail = tf_test_mail_find (&server, 0, "password reset code");
      code = tf_test_mail_code (mail);
      g_assert_true (reset (fixture, id, "alice", code, &error));
      g_assert_no_error (error);
      deliver (fixture, config);
      return;
    }

  {
    TfTestSmtp *server = tf_test_smtp_start (TF_TEST_SMTP_PLAIN, 0, "twofold:" SMTP_PASSWORD);
    g_autofree char *server_port = g_strdup_printf ("%u", server->port);
    g_autofree char *plain_auth = g_base64_encode ((const guchar *) "\0twofold\0" SMTP_PASSWORD,
                                                   strlen ("twofold") + strlen (SMTP_PASSWORD) + 2);
    g_autoptr(GKeyFile) mail = NULL;
    g_autofree char *code = NULL;
    g_autofree char *spaced = NULL;
    const char *secrets[4];

    g_setenv ("TF_TEST_SMTP_DIR", server->dir, TRUE);
    g_setenv ("TF_TEST_SMTP_PORT", server_port, TRUE);
    g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    /* The debug output is there at all... */
    g_test_trap_assert_stdout ("*Queued message*");

    mail = tf_test_mail_find (server, 0, "password reset code");
    g_assert_nonnull (mail);
    code = tf_test_mail_code (mail);
    spaced = g_strdup_printf ("%.4s %.4s", code, code + 4);
    secrets[0] = code;
    secrets[1] = spaced;
    secrets[2] = SMTP_PASSWORD;
    secrets[3] = plain_auth;
    for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
      {
        g_autofree char *pattern = g_strdup_printf ("*%s*", secrets[i]);

        g_test_trap_assert_stdout_unmatched (pattern);
        g_test_trap_assert_stderr_unmatched (pattern);
      }
    g_test_trap_assert_stdout_unmatched ("*" NEW_PASSWORD "*");
    g_test_trap_assert_stderr_unmatched ("*" NEW_PASSWORD "*");
    tf_test_smtp_free (server);
  }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tf_core_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/twofold/mail/" path, TfTestFixture, NULL, \
              tf_test_fixture_setup, func, tf_test_fixture_teardown)
  ADD ("verification", test_verification);
  ADD ("verification-limits", test_verification_limits);
  ADD ("notices", test_notices);
  ADD ("async", test_async);
  ADD ("worker-wakes", test_worker_wakes);
  ADD ("no-secrets-logged", test_no_secrets_logged);
#undef ADD

  /* The subprocess of no-secrets-logged talks to its parent's server. */
  if (!g_test_subprocess ())
    plain = tf_test_smtp_start (TF_TEST_SMTP_PLAIN, 0, NULL);
  status = g_test_run ();
  tf_test_smtp_free (plain);

  return status;
}
