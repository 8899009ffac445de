/* test-mail-email.c — changing the e-mail address: what authorises it,
 * which addresses are refused, the unverified state after it, no reset
 * code until the new address is confirmed, and the mail to both addresses;
 * real store and key file, injected clock, a real aiosmtpd on 127.0.0.1. */
#include "tf-auth.h"
#include "tf-test-smtp.h"
#include "tf-test-util.h"
#include "tf-validate.h"

#include <string.h>

#define OLD_ADDRESS "alice@example.org"
#define NEW_ADDRESS "alice.liddell@example.net"
#define CHANGED_SUBJECT "The e-mail address of your Twofold account was changed"

static TfTestSmtp *plain;

static void
deliver (TfTestFixture *fixture)
{
  tf_test_mail_deliver (fixture, plain, NULL);
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

static char *
stored_email (TfTestFixture *fixture,
              gint64         id,
              gint64        *verified_at)
{
  g_autoptr(TfUser) user = tf_store_get_user (fixture->store, id, NULL);

  g_assert_nonnull (user);
  if (verified_at != NULL)
    *verified_at = user->email_verified_at;
  return g_strdup (user->email);
}

/* Changes the address with the current TOTP code, then moves to the next step. */
static gboolean
change (TfTestFixture  *fixture,
        gint64          id,
        const char     *email,
        const char     *password,
        GError        **error)
{
  g_autofree char *totp = tf_test_code (fixture, id, fixture->now, FALSE);
  gboolean ok = tf_auth_change_email (fixture->auth, id, email, password, totp, error);

  fixture->now += 30;
  return ok;
}

static void
test_refused (TfTestFixture *fixture,
              gconstpointer  data)
{
  const char *bad[] = {
    "",
    "alice",
    "alice@",
    "alice@example.org\r\nBcc: eve@example.org",
    "alice@example.org\n",
    "eve@example.org\rX-Injected: 1",
    "<eve@example.org>",
    "Eve <eve@example.org>",
    "eve@example.org>",
    "eve@exam<ple.org",
    "eve\x01@example.org",
    "two@at@example.org",
  };
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *totp = NULL;
  g_autofree char *email = NULL;
  g_autofree char *events = NULL;
  gint64 verified_at;
  guint before;

  deliver (fixture);
  before = tf_test_smtp_count (plain);

  /* A bad address is refused before any code is looked at. */
  totp = tf_test_code (fixture, id, fixture->now, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (tf_auth_change_email (fixture->auth, id, bad[i], TF_TEST_PASSWORD, totp,
                                            &error));
      g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_EMAIL);
      g_clear_error (&error);
    }
  /* A NUL cannot reach the call inside a C string; the rule under it refuses it. */
  g_assert_null (tf_validate_email ("eve@example.org\0.net", 20, &error));
  g_assert_error (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_EMAIL);
  g_clear_error (&error);
  /* The address the account has already (in any case) is no change. */
  g_assert_false (tf_auth_change_email (fixture->auth, id, "Alice@Example.ORG", TF_TEST_PASSWORD,
                                        totp, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_EMAIL);
  g_clear_error (&error);

  /* None of those spent the TOTP step: it still authorises the change. */
  g_assert_true (tf_auth_change_email (fixture->auth, id, NEW_ADDRESS, TF_TEST_PASSWORD, totp,
                                       &error));
  g_assert_no_error (error);
  email = stored_email (fixture, id, &verified_at);
  g_assert_cmpstr (email, ==, NEW_ADDRESS);
  g_assert_cmpint (verified_at, ==, 0);

  /* Only the change's own mail went out. */
  deliver (fixture);
  g_assert_cmpuint (tf_test_smtp_count (plain), ==, before + 2);
  events = audit_events (fixture);
  g_assert_nonnull (strstr (events, "email.changed"));
  g_assert_null (strstr (events, "authorise.failure"));
}

static void
test_authorisation (TfTestFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GPtrArray) spent = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *totp = NULL;
  g_autofree char *email = NULL;
  g_autofree char *events = NULL;
  gint64 verified_at;
  guint before;
  gint64 id;

  id = tf_test_mail_make_user (fixture, "alice", TRUE, &codes);
  deliver (fixture);
  before = tf_test_smtp_count (plain);

  /* Wrong password with the right code. */
  g_assert_false (change (fixture, id, NEW_ADDRESS, "not the password at all", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  /* Right password, wrong code; a recovery code that is not one of hers. */
  totp = tf_test_code (fixture, id, fixture->now, FALSE);
  totp[0] = (char) ('0' + (totp[0] - '0' + 1) % 10);
  g_assert_false (tf_auth_change_email (fixture->auth, id, NEW_ADDRESS, TF_TEST_PASSWORD,
                                        totp, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (tf_auth_change_email (fixture->auth, id, NEW_ADDRESS, TF_TEST_PASSWORD,
                                        "ABCDE-FGHJK", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  /* A TOTP code already used does not pass twice. */
  g_free (totp);
  totp = tf_test_code (fixture, id, fixture->now, FALSE);
  spent = tf_auth_regenerate_recovery_codes (fixture->auth, id, TF_TEST_PASSWORD, totp, &error);
  g_assert_no_error (error);
  g_assert_nonnull (spent);
  g_assert_false (tf_auth_change_email (fixture->auth, id, NEW_ADDRESS, TF_TEST_PASSWORD, totp,
                                        &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  email = stored_email (fixture, id, &verified_at);
  g_assert_cmpstr (email, ==, OLD_ADDRESS);
  g_assert_cmpint (verified_at, !=, 0);
  deliver (fixture);
  g_assert_false (tf_test_mail_exists (plain, before, CHANGED_SUBJECT));
  events = audit_events (fixture);
  g_assert_nonnull (strstr (events, "authorise.failure"));
  g_assert_null (strstr (events, "email.changed"));
}

static void
test_recovery_code (TfTestFixture *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  const char *recovery;
  gint64 id;

  id = tf_test_mail_make_user (fixture, "alice", TRUE, &codes);
  recovery = tf_secure_buffer_get_string (g_ptr_array_index (codes, 0));
  g_assert_true (tf_auth_change_email (fixture->auth, id, NEW_ADDRESS, TF_TEST_PASSWORD, recovery,
                                       &error));
  g_assert_no_error (error);
  email = stored_email (fixture, id, NULL);
  g_assert_cmpstr (email, ==, NEW_ADDRESS);

  /* Used once, it is gone. */
  fixture->now += 30;
  g_assert_false (tf_auth_change_email (fixture->auth, id, OLD_ADDRESS, TF_TEST_PASSWORD, recovery,
                                        &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
}

static void
test_mail_and_reset (TfTestFixture *fixture,
                     gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) notice = NULL;
  g_autoptr(GKeyFile) verify = NULL;
  g_autofree char *old_reset_code = NULL;
  g_autofree char *reset_code = NULL;
  g_autofree char *verify_code = NULL;
  g_autofree char *value = NULL;
  g_autofree char *text = NULL;
  g_autofree char *html = NULL;
  g_autofree char *totp = NULL;
  gint64 verified_at;
  guint before;

  deliver (fixture);
  /* A reset code asked for before the change... */
  old_reset_code = tf_test_mail_request_code (fixture, plain, "alice");
  g_assert_nonnull (old_reset_code);

  before = tf_test_smtp_count (plain);
  g_assert_true (change (fixture, id, "  " NEW_ADDRESS " ", TF_TEST_PASSWORD, &error));
  g_assert_no_error (error);
  g_free (stored_email (fixture, id, &verified_at));
  g_assert_cmpint (verified_at, ==, 0);

  /* ...no longer works after it. */
  g_assert_false (tf_test_mail_reset (fixture, id, "alice", old_reset_code,
                                      "a brand new passphrase 42", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  deliver (fixture);
  g_assert_cmpuint (tf_test_smtp_count (plain), ==, before + 2);

  /* The old address: a notice, with no code and not the new address. */
  notice = tf_test_mail_find (plain, before, CHANGED_SUBJECT);
  g_assert_nonnull (notice);
  value = g_key_file_get_string (notice, "envelope", "rcpt_tos", NULL);
  g_assert_cmpstr (value, ==, OLD_ADDRESS);
  g_free (value);
  value = g_key_file_get_string (notice, "headers", "to_address", NULL);
  g_assert_cmpstr (value, ==, OLD_ADDRESS);
  text = g_key_file_get_string (notice, "text", "body", NULL);
  html = g_key_file_get_string (notice, "html", "body", NULL);
  g_assert_nonnull (strstr (text, "“alice”"));
  g_assert_null (tf_test_find_code (text));
  g_assert_null (strstr (text, NEW_ADDRESS));
  g_assert_null (strstr (html, NEW_ADDRESS));

  /* The new address: a verification code. */
  verify = tf_test_mail_find (plain, before, "Confirm your e-mail address for Twofold");
  g_assert_nonnull (verify);
  g_free (value);
  value = g_key_file_get_string (verify, "envelope", "rcpt_tos", NULL);
  g_assert_cmpstr (value, ==, NEW_ADDRESS);
  verify_code = tf_test_mail_code (verify);
  g_assert_nonnull (verify_code);

  /* Until it is entered, no reset code goes anywhere, by username or
   * either address. */
  before = tf_test_smtp_count (plain);
  g_assert_true (tf_auth_request_reset (fixture->auth, "alice", &error));
  g_assert_true (tf_auth_request_reset (fixture->auth, NEW_ADDRESS, &error));
  g_assert_true (tf_auth_request_reset (fixture->auth, OLD_ADDRESS, &error));
  g_assert_no_error (error);
  deliver (fixture);
  g_assert_cmpuint (tf_test_smtp_count (plain), ==, before);

  g_assert_true (tf_auth_verify_email (fixture->auth, id, verify_code, &error));
  g_assert_no_error (error);
  g_free (stored_email (fixture, id, &verified_at));
  g_assert_cmpint (verified_at, ==, fixture->now);

  /* Then the reset works again, through the new address. */
  fixture->now += 60;
  before = tf_test_smtp_count (plain);
  reset_code = tf_test_mail_request_code (fixture, plain, NEW_ADDRESS);
  g_assert_nonnull (reset_code);
  g_clear_pointer (&verify, g_key_file_unref);
  verify = tf_test_mail_find (plain, before, "password reset code");
  g_free (value);
  value = g_key_file_get_string (verify, "envelope", "rcpt_tos", NULL);
  g_assert_cmpstr (value, ==, NEW_ADDRESS);
  g_assert_true (tf_test_mail_reset (fixture, id, NEW_ADDRESS, reset_code,
                                     "a brand new passphrase 42", &error));
  g_assert_no_error (error);
}

/* An old address nobody confirmed gets no notice: it may be a stranger's. */
static void
test_unverified_old_address (TfTestFixture *fixture,
                             gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", FALSE, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) verify = NULL;
  g_autofree char *value = NULL;
  guint before;

  deliver (fixture);
  before = tf_test_smtp_count (plain);
  g_assert_true (change (fixture, id, NEW_ADDRESS, TF_TEST_PASSWORD, &error));
  g_assert_no_error (error);
  deliver (fixture);
  g_assert_cmpuint (tf_test_smtp_count (plain), ==, before + 1);
  verify = tf_test_mail_find (plain, before, "Confirm your e-mail address");
  value = g_key_file_get_string (verify, "envelope", "rcpt_tos", NULL);
  g_assert_cmpstr (value, ==, NEW_ADDRESS);
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_async (TfTestFixture *fixture,
            gconstpointer  data)
{
  gint64 id = tf_test_mail_make_user (fixture, "alice", TRUE, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *totp = tf_test_code (fixture, id, fixture->now, FALSE);
  g_autofree char *password = g_strdup (TF_TEST_PASSWORD);
  g_autofree char *email = NULL;
  GAsyncResult *result = NULL;

  tf_auth_change_email_async (fixture->auth, id, NEW_ADDRESS, password, totp, NULL, on_done,
                              &result);
  /* The arguments were copied: the caller may wipe them at once. */
  memset (totp, '0', strlen (totp));
  memset (password, 'x', strlen (password));
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (tf_auth_change_email_finish (fixture->auth, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  email = stored_email (fixture, id, NULL);
  g_assert_cmpstr (email, ==, NEW_ADDRESS);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tf_core_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/twofold/mail/change-email/" path, TfTestFixture, NULL, \
              tf_test_fixture_setup, func, tf_test_fixture_teardown)
  ADD ("refused", test_refused);
  ADD ("authorisation", test_authorisation);
  ADD ("recovery-code", test_recovery_code);
  ADD ("mail-and-reset", test_mail_and_reset);
  ADD ("unverified-old-address", test_unverified_old_address);
  ADD ("async", test_async);
#undef ADD

  plain = tf_test_smtp_start (TF_TEST_SMTP_PLAIN, 0, NULL);
  status = g_test_run ();
  tf_test_smtp_free (plain);

  return status;
}
