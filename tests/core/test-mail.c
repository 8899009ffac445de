/* test-mail.c — password reset by e-mail end to end: the service queues,
 * the outbox sends to a real aiosmtpd on 127.0.0.1, and the code read back
 * from the received mail drives the next step. Expiry, attempts, single
 * use, revocation and the hourly limit run on the fixture's clock. */
#include "tf-auth.h"
#include "tf-outbox.h"
#include "tf-test-smtp.h"
#include "tf-test-util.h"

#include <string.h>

#define NEW_PASSWORD "a brand new passphrase 42"

static TfTestSmtp *plain;

static void
deliver (TfTestFixture  *fixture,
         TfMailerConfig *config)
{
  tf_test_mail_deliver (fixture, plain, config);
}

static char *
request_code (TfTestFixture *fixture,
              const char    *identifier)
{
  return tf_test_mail_request_code (fixture, plain, identifier);
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

static char *
audit_events (TfTestFixture *fixture)
{
  g_autoptr(GPtrArray) entries = tf_store_list_audit (fixture->store, NULL);
  GString *events = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    g_string_append_printf (events, "%s ", ((TfAuditEntry *) g_ptr_array_index (entries, i))->event);
  return g_string_free (events, FALSE);
}

static void
test_reset (TfTestFixture *fixture,
            gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) mail = NULL;
  g_autoptr(GKeyFile) notice = NULL;
  g_autoptr(TfLoginResult) login = NULL;
  g_autofree char *code = NULL;
  g_autofree char *totp = NULL;
  g_autofree char *value = NULL;
  g_autofree char *events = NULL;
  g_autofree char *notice_text = NULL;
  guint before = tf_test_smtp_count (plain);

  g_assert_true (tf_auth_request_reset (fixture->auth, "alice", &error));
  g_assert_no_error (error);
  deliver (fixture, NULL);
  mail = tf_test_mail_find (plain, before, "Your Twofold password reset code");
  g_assert_nonnull (mail);

  /* Envelope and headers as the server saw them. */
  value = g_key_file_get_string (mail, "envelope", "rcpt_tos", NULL);
  g_assert_cmpstr (value, ==, "alice@example.org");
  g_free (value);
  value = g_key_file_get_string (mail, "envelope", "mail_from", NULL);
  g_assert_cmpstr (value, ==, "twofold@example.org");
  g_free (value);
  value = g_key_file_get_string (mail, "headers", "to_name", NULL);
  g_assert_cmpstr (value, ==, "Alice Liddell");
  g_free (value);
  value = g_key_file_get_string (mail, "headers", "content_type", NULL);
  g_assert_cmpstr (value, ==, "multipart/alternative");
  g_free (value);
  value = g_key_file_get_string (mail, "checks", "crlf_only", NULL);
  g_assert_cmpstr (value, ==, "true");

  code = tf_test_mail_code (mail);
  g_assert_nonnull (code);
  g_assert_cmpuint (strlen (code), ==, 8);

  /* The code from the mail, typed as shown, with the authenticator's code. */
  {
    g_autofree char *typed = g_strdup_printf ("%.4s %.4s", code, code + 4);

    g_assert_true (reset (fixture, id, "alice", typed, &error));
    g_assert_no_error (error);
  }

  totp = tf_test_code (fixture, id, fixture->now, FALSE);
  g_assert_null (tf_auth_login (fixture->auth, "alice", TF_TEST_PASSWORD, totp, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);
  login = tf_auth_login (fixture->auth, "alice", NEW_PASSWORD, totp, &error);
  g_assert_no_error (error);
  g_assert_nonnull (login);

  /* The notice follows, with nothing secret in it. */
  deliver (fixture, NULL);
  notice = tf_test_mail_find (plain, before, "Your Twofold password was changed");
  g_assert_nonnull (notice);
  notice_text = g_key_file_to_data (notice, NULL, NULL);
  g_assert_null (strstr (notice_text, code));
  g_assert_null (strstr (notice_text, NEW_PASSWORD));
  g_assert_null (tf_test_mail_code (notice));

  events = audit_events (fixture);
  g_assert_nonnull (strstr (events, "reset.code-queued"));
  g_assert_nonnull (strstr (events, "reset.completed"));
}

static void
test_reset_by_email (TfTestFixture *fixture,
                     gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = request_code (fixture, "ALICE@Example.org");

  g_assert_nonnull (code);
  g_assert_true (reset (fixture, id, "Alice@example.ORG", code, &error));
  g_assert_no_error (error);
}

static void
test_unknown_user (TfTestFixture *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *events = NULL;
  guint before = tf_test_smtp_count (plain);

  /* The same answer, and no mail. */
  g_assert_true (tf_auth_request_reset (fixture->auth, "nobody", &error));
  g_assert_no_error (error);
  g_assert_true (tf_auth_request_reset (fixture->auth, "nobody@example.org", &error));
  g_assert_no_error (error);
  outbox = tf_store_mail_list_outbox (fixture->store, NULL);
  g_assert_cmpuint (outbox->len, ==, 0);
  deliver (fixture, NULL);
  g_assert_cmpuint (tf_test_smtp_count (plain), ==, before);

  /* A reset for nobody fails like a wrong code. */
  g_assert_false (tf_auth_reset_password (fixture->auth, "nobody", "12345678", NEW_PASSWORD,
                                          NEW_PASSWORD, "123456", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  /* Bad input is the only other answer. */
  g_assert_false (tf_auth_request_reset (fixture->auth, "", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_USERNAME);

  events = audit_events (fixture);
  g_assert_nonnull (strstr (events, "reset.requested"));
}

static void
test_request_throttle (TfTestFixture *fixture,
                       gconstpointer  data)
{
  const char *identifiers[] = { "alice", "nobody" };

  tf_test_mail_make_user (fixture, "alice", TRUE, NULL);

  /* Per identifier, known or not alike: 6 requests pass, then a wait. */
  for (guint k = 0; k < G_N_ELEMENTS (identifiers); k++)
    {
      g_autoptr(GError) error = NULL;

      for (guint i = 0; i < 6; i++)
        {
          g_assert_true (tf_auth_request_reset (fixture->auth, identifiers[k], &error));
          g_assert_no_error (error);
        }
      g_assert_false (tf_auth_request_reset (fixture->auth, identifiers[k], &error));
      g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED);
    }

  /* Other identifiers are not held back; the first ones are, later, free. */
  g_assert_true (tf_auth_request_reset (fixture->auth, "carol", NULL));
  fixture->now += 31;
  g_assert_true (tf_auth_request_reset (fixture->auth, "alice", NULL));
}

static void
test_unverified (TfTestFixture *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  tf_test_mail_make_user (fixture, "alice", FALSE, NULL);
  g_assert_null (request_code (fixture, "alice"));

  /* Nor to a disabled account. */
  g_assert_true (tf_auth_admin_set_state (fixture->auth, "alice", TF_USER_STATE_DISABLED, &error));
  g_assert_no_error (error);
  g_assert_null (request_code (fixture, "alice"));
}

static void
test_not_configured (TfTestFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) outbox = NULL;
  TfOutboxFlushResult result = { 0, };

  tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_assert_true (tf_auth_request_reset (fixture->auth, "alice", &error));
  g_assert_true (tf_outbox_flush (fixture->store, NULL, fixture->now, TRUE, NULL, &result, &error));
  g_assert_no_error (error);
  tf_outbox_flush_result_clear (&result);

  outbox = tf_store_mail_list_outbox (fixture->store, NULL);
  for (guint i = 0; i < outbox->len; i++)
    {
      TfOutboxEntry *entry = g_ptr_array_index (outbox, i);

      g_assert_cmpint (entry->state, ==, TF_OUTBOX_QUEUED);
      g_assert_cmpstr (entry->last_error, ==, "mail is not configured");
    }
  g_assert_cmpuint (outbox->len, >=, 1);
}

static void
test_rate_limit (TfTestFixture *fixture,
                 gconstpointer  data)
{
  g_autofree char *events = NULL;

  tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  for (guint i = 0; i < TF_AUTH_MAIL_PER_HOUR; i++)
    {
      g_autofree char *code = request_code (fixture, "alice");

      g_assert_nonnull (code);
      fixture->now += 60;
    }

  /* The fourth in the hour: the same answer, no mail. */
  g_assert_null (request_code (fixture, "alice"));
  events = audit_events (fixture);
  g_assert_nonnull (strstr (events, "reset.rate-limited"));

  fixture->now += 60 * 60;
  {
    g_autofree char *code = request_code (fixture, "alice");

    g_assert_nonnull (code);
  }
}

static void
test_expiry (TfTestFixture *fixture,
             gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *late = NULL;
  g_autofree char *in_time = NULL;

  late = request_code (fixture, "alice");
  fixture->now += TF_AUTH_MAIL_CODE_LIFETIME;
  g_assert_false (reset (fixture, id, "alice", late, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  in_time = request_code (fixture, "alice");
  fixture->now += TF_AUTH_MAIL_CODE_LIFETIME - 31;
  g_assert_true (reset (fixture, id, "alice", in_time, &error));
  g_assert_no_error (error);
}

static void
wrong_tries (TfTestFixture *fixture,
             gint64         id,
             const char    *code,
             guint          n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      /* A different wrong code each time. */
      g_autofree char *wrong = g_strdup_printf ("%08u", (guint) ((g_ascii_strtoull (code, NULL, 10) +
                                                                  1 + i) % 100000000));

      /* Five failures are free of throttling waits. */
      g_assert_false (reset (fixture, id, "alice", wrong, &error));
      g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
    }
}

static void
test_attempts (TfTestFixture *fixture,
               gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = request_code (fixture, "alice");
  g_autofree char *second = NULL;

  /* Five attempts in all: four wrong, then the right one still works... */
  wrong_tries (fixture, id, first, TF_AUTH_MAIL_CODE_ATTEMPTS - 1);
  g_assert_true (reset (fixture, id, "alice", first, &error));
  g_assert_no_error (error);

  /* ... but after five wrong ones the code is gone. */
  fixture->now += 60 * 60;
  second = request_code (fixture, "alice");
  g_assert_nonnull (second);
  wrong_tries (fixture, id, second, TF_AUTH_MAIL_CODE_ATTEMPTS);
  g_assert_false (reset (fixture, id, "alice", second, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
}

static void
test_single_use (TfTestFixture *fixture,
                 gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = request_code (fixture, "alice");

  g_assert_true (reset (fixture, id, "alice", code, &error));
  g_assert_no_error (error);
  g_assert_false (reset (fixture, id, "alice", code, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
}

static void
test_revocation (TfTestFixture *fixture,
                 gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *old = request_code (fixture, "alice");
  g_autofree char *new = request_code (fixture, "alice");

  g_assert_cmpstr (old, !=, new);
  g_assert_false (reset (fixture, id, "alice", old, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (reset (fixture, id, "alice", new, &error));
  g_assert_no_error (error);
}

static void
test_second_factor (TfTestFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) recovery = NULL;
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, &recovery);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) login = NULL;
  g_autofree char *code = request_code (fixture, "alice");
  g_autofree char *used = tf_test_code (fixture, id, fixture->now, FALSE);
  const char *recovery_code = tf_secure_buffer_get_string (g_ptr_array_index (recovery, 0));

  /* E-mail alone never takes the account over. */
  g_assert_false (tf_auth_reset_password (fixture->auth, "alice", code, NEW_PASSWORD,
                                          NEW_PASSWORD, "", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (tf_auth_reset_password (fixture->auth, "alice", code, NEW_PASSWORD,
                                          NEW_PASSWORD, "000000", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  /* A TOTP step already used (here by a login) is a replay. */
  login = tf_auth_login (fixture->auth, "alice", TF_TEST_PASSWORD, used, &error);
  g_assert_no_error (error);
  g_assert_false (tf_auth_reset_password (fixture->auth, "alice", code, NEW_PASSWORD,
                                          NEW_PASSWORD, used, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  /* A recovery code will do, once. */
  g_assert_true (tf_auth_reset_password (fixture->auth, "alice", code, NEW_PASSWORD,
                                         NEW_PASSWORD, recovery_code, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tf_store_count_recovery_codes (fixture->store, id, NULL), ==,
                    TF_AUTH_RECOVERY_CODES - 1);
}

static void
test_password_policy (TfTestFixture *fixture,
                      gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = request_code (fixture, "alice");
  g_autofree char *totp = tf_test_code (fixture, id, fixture->now, FALSE);

  g_assert_false (tf_auth_reset_password (fixture->auth, "alice", code, "short", "short", totp,
                                          &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_PASSWORD);
  g_clear_error (&error);
  g_assert_false (tf_auth_reset_password (fixture->auth, "alice", code, NEW_PASSWORD,
                                          NEW_PASSWORD "x", totp, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_PASSWORD_MISMATCH);
  g_clear_error (&error);

  /* Neither cost the code nor the TOTP step. */
  g_assert_true (tf_auth_reset_password (fixture->auth, "alice", code, NEW_PASSWORD, NEW_PASSWORD,
                                         totp, &error));
  g_assert_no_error (error);
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
  ADD ("reset", test_reset);
  ADD ("reset-by-email", test_reset_by_email);
  ADD ("unknown-user", test_unknown_user);
  ADD ("request-throttle", test_request_throttle);
  ADD ("unverified", test_unverified);
  ADD ("not-configured", test_not_configured);
  ADD ("rate-limit", test_rate_limit);
  ADD ("expiry", test_expiry);
  ADD ("attempts", test_attempts);
  ADD ("single-use", test_single_use);
  ADD ("revocation", test_revocation);
  ADD ("second-factor", test_second_factor);
  ADD ("password-policy", test_password_policy);
#undef ADD

  plain = tf_test_smtp_start (TF_TEST_SMTP_PLAIN, 0, NULL);
  status = g_test_run ();
  tf_test_smtp_free (plain);

  return status;
}
