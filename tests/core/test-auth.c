/* test-auth.c — the authentication service over a real store and vault. */
#include "tf-test-util.h"

#include <string.h>
#include <sys/wait.h>

#include "tf-otpauth.h"
#include "tf-throttle.h"

#define FIXTURE(path, func) \
  g_test_add (path, TfTestFixture, NULL, tf_test_fixture_setup, func, tf_test_fixture_teardown)

static TfLoginResult *
login (TfTestFixture *f,
       const char    *user,
       const char    *password,
       const char    *code,
       GError       **error)
{
  return tf_auth_login (f->auth, user, password, code, error);
}

static void
test_register_field_errors (TfTestFixture *f,
                            gconstpointer  data)
{
  struct {
    const char *first, *last, *user, *email, *pw, *confirm;
    TfAuthError code;
  } cases[] = {
    { "", "L", "bob", "b@example.org", TF_TEST_PASSWORD, TF_TEST_PASSWORD, TF_AUTH_ERROR_INVALID_FIRST_NAME },
    { "B", "\x07", "bob", "b@example.org", TF_TEST_PASSWORD, TF_TEST_PASSWORD, TF_AUTH_ERROR_INVALID_LAST_NAME },
    { "B", "L", "b", "b@example.org", TF_TEST_PASSWORD, TF_TEST_PASSWORD, TF_AUTH_ERROR_INVALID_USERNAME },
    { "B", "L", "bob", "b@example", TF_TEST_PASSWORD, TF_TEST_PASSWORD, TF_AUTH_ERROR_INVALID_EMAIL },
    { "B", "L", "bob", "b@example.org\r\nBcc: x@example.org", TF_TEST_PASSWORD, TF_TEST_PASSWORD, TF_AUTH_ERROR_INVALID_EMAIL },
    { "B", "L", "bob", "b@example.org", "short", "short", TF_AUTH_ERROR_INVALID_PASSWORD },
    { "B", "L", "bob", "b@example.org", "password1234", "password1234", TF_AUTH_ERROR_INVALID_PASSWORD },
    { "B", "L", "bob", "b@example.org", TF_TEST_PASSWORD, "correct horse battery stapler", TF_AUTH_ERROR_PASSWORD_MISMATCH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 id = tf_auth_register (f->auth, cases[i].first, cases[i].last, cases[i].user,
                                    cases[i].email, cases[i].pw, cases[i].confirm, &error);

      g_assert_cmpint (id, ==, 0);
      g_assert_error (error, TF_AUTH_ERROR, (gint) cases[i].code);
      g_assert_cmpstr (error->message, !=, "");
    }

  g_assert_cmpuint (tf_store_count_users (f->store, NULL), ==, 0);
}

static void
test_register_taken (TfTestFixture *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = tf_auth_register (f->auth, "A", "B", "Alice", "a@example.org",
                         TF_TEST_PASSWORD, TF_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  /* NFKC + casefold: the full-width capitals are the same name. */
  id = tf_auth_register (f->auth, "A", "B", "ＡＬＩＣＥ", "b@example.org",
                         TF_TEST_PASSWORD, TF_TEST_PASSWORD, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_USERNAME_TAKEN);
}

static void
test_enrolment (TfTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfEnrolment) enrolment = NULL;
  g_autoptr(TfEnrolment) again = NULL;
  g_autoptr(TfOtpauth) parsed = NULL;
  g_autoptr(TfUser) user = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(TfTotpRecord) totp = NULL;
  g_autofree char *code = NULL;
  gint64 id;

  id = tf_auth_register (f->auth, "Alice", "Liddell", "alice", "alice@example.org",
                         TF_TEST_PASSWORD, TF_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  user = tf_store_get_user (f->store, id, NULL);
  g_assert_cmpint (user->state, ==, TF_USER_STATE_PENDING);

  enrolment = tf_auth_get_enrolment (f->auth, id, &error);
  g_assert_no_error (error);
  parsed = tf_otpauth_parse (tf_secure_buffer_get_string (enrolment->uri), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (parsed->issuer, ==, "Twofold");
  g_assert_cmpstr (parsed->account, ==, "alice");
  g_assert_cmpuint (parsed->digits, ==, 6);
  g_assert_cmpuint (parsed->period, ==, 30);
  g_assert_cmpuint (tf_secure_buffer_get_length (parsed->secret), ==, 20);
  totp = tf_store_get_totp (f->store, id, NULL);
  g_assert_true (tf_secure_buffer_equal (parsed->secret, totp->secret));

  /* A wrong code says so and keeps the same secret. */
  codes = tf_auth_confirm_enrolment (f->auth, id, "000000", &error);
  g_assert_null (codes);
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_CODE);
  g_clear_error (&error);
  again = tf_auth_get_enrolment (f->auth, id, NULL);
  g_assert_true (tf_secure_buffer_equal (again->uri, enrolment->uri));

  code = tf_test_code (f, id, f->now, FALSE);
  codes = tf_auth_confirm_enrolment (f->auth, id, code, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, ==, TF_AUTH_RECOVERY_CODES);
  for (guint i = 0; i < codes->len; i++)
    g_assert_cmpuint (tf_secure_buffer_get_length (g_ptr_array_index (codes, i)), ==, 11);

  g_clear_pointer (&user, tf_user_free);
  user = tf_store_get_user (f->store, id, NULL);
  g_assert_cmpint (user->state, ==, TF_USER_STATE_ACTIVE);
  g_assert_cmpuint (tf_store_count_recovery_codes (f->store, id, NULL), ==, 10);
}

static void
test_login (TfTestFixture *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) first = NULL;
  g_autoptr(TfLoginResult) second = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code2 = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);
  gint64 first_time;

  code = tf_test_code (f, id, f->now, FALSE);
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, "000000", &error));
  g_clear_error (&error);

  /* Spaces around the username and its case do not matter. */
  first = login (f, "  ALICE ", TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);
  g_assert_cmpint (first->status, ==, TF_LOGIN_OK);
  g_assert_cmpstr (first->user->first_name, ==, "Alice");
  g_assert_cmpint (first->previous_login_at, ==, 0);
  g_assert_cmpuint (first->failed_since, ==, 1);
  g_assert_cmpuint (first->recovery_codes_left, ==, 10);
  g_assert_false (first->used_recovery_code);
  first_time = f->now;

  /* Two failures, then a login one step later reports them. */
  f->now += 30;
  g_assert_null (login (f, "alice", "wrong password here", "123456", NULL));
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, "123456", NULL));
  code2 = tf_test_code (f, id, f->now, FALSE);
  second = login (f, "alice", TF_TEST_PASSWORD, code2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (second->previous_login_at, ==, first_time);
  g_assert_cmpuint (second->failed_since, ==, 2);
}

static void
test_generic_failure (TfTestFixture *f,
                      gconstpointer  data)
{
  g_autofree char *code = NULL;
  const char *message = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);
  struct { const char *user, *pw; gboolean good_code; } cases[] = {
    { "nobody", TF_TEST_PASSWORD, TRUE },
    { "alice", "not the password!", TRUE },
    { "alice", TF_TEST_PASSWORD, FALSE },
    { "a", TF_TEST_PASSWORD, TRUE },
    { "alice", "", TRUE },
  };

  code = tf_test_code (f, id, f->now, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TfLoginResult) result = login (f, cases[i].user, cases[i].pw,
                                               cases[i].good_code ? code : "999999", &error);

      g_assert_null (result);
      g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
      if (message == NULL)
        message = g_intern_string (error->message);
      g_assert_cmpstr (error->message, ==, message);
    }
}

static void
test_window_and_replay (TfTestFixture *f,
                        gconstpointer  data)
{
  gint64 id = tf_test_make_active_user (f, "alice", NULL);
  g_autofree char *previous = tf_test_code (f, id, f->now - 30, FALSE);
  g_autofree char *next = tf_test_code (f, id, f->now + 30, FALSE);
  g_autofree char *after_next = tf_test_code (f, id, f->now + 60, FALSE);
  g_autoptr(TfLoginResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* T-1 was the enrolment step: already used. */
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, previous, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  /* T+1 is inside the window. */
  result = login (f, "alice", TF_TEST_PASSWORD, next, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, tf_login_result_free);

  /* The same code again is a replay. */
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, next, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  /* The drift of +1 was learned: at T+1, T+3's neighbour T+2 is accepted. */
  f->now += 30;
  result = login (f, "alice", TF_TEST_PASSWORD, after_next, &error);
  g_assert_no_error (error);
}

static void
test_clock_skew_hint (TfTestFixture *f,
                      gconstpointer  data)
{
  gint64 id = tf_test_make_active_user (f, "alice", NULL);
  g_autofree char *ahead = tf_test_code (f, id, f->now + 5 * 60, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, ahead, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_CLOCK_SKEW);
  g_assert_nonnull (strstr (error->message, "5 minutes"));
  g_clear_error (&error);

  /* Computed without regard to the password: the hint does not tell it. */
  g_assert_null (login (f, "alice", "a wrong password!", ahead, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_CLOCK_SKEW);
}

static void
test_pending_resumes_enrolment (TfTestFixture *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  gint64 id;

  id = tf_auth_register (f->auth, "Alice", "Liddell", "alice", "alice@example.org",
                         TF_TEST_PASSWORD, TF_TEST_PASSWORD, &error);
  g_assert_no_error (error);

  result = login (f, "alice", TF_TEST_PASSWORD, "", &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, TF_LOGIN_ENROLMENT_NEEDED);
  g_assert_cmpint (result->user->id, ==, id);

  /* The wrong password still fails generically. */
  g_assert_null (login (f, "alice", "nope nope nope", "", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
}

static void
fail_times (TfTestFixture *f,
            const char    *user,
            guint          n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (login (f, user, "definitely wrong", "000000", &error));
      g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
    }
}

static void
test_throttle (TfTestFixture *f,
               gconstpointer  data)
{
  gint64 id = tf_test_make_active_user (f, "alice", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autofree char *code = NULL;

  fail_times (f, "alice", 6);

  /* Throttled: even the right credentials are refused, with the wait. */
  code = tf_test_code (f, id, f->now, FALSE);
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, code, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED);
  g_assert_nonnull (strstr (error->message, "30 seconds"));
  g_clear_error (&error);

  /* Survives a restart. */
  tf_test_fixture_reopen (f);
  f->now += 20;
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, code, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED);
  g_assert_nonnull (strstr (error->message, "10 seconds"));
  g_clear_error (&error);

  /* Setting the clock back does not shorten the wait. */
  f->now -= 3600;
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, code, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED);
  g_clear_error (&error);
  f->now += 3600;

  f->now += 10;
  g_clear_pointer (&code, g_free);
  code = tf_test_code (f, id, f->now, FALSE);
  result = login (f, "alice", TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->failed_since, ==, 6);
}

static void
test_throttle_doubles_and_caps (TfTestFixture *f,
                                gconstpointer  data)
{
  TfThrottleState state = { 0 };

  tf_test_make_active_user (f, "alice", NULL);
  fail_times (f, "alice", 6);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GError) error = NULL;

      tf_store_get_throttle (f->store, "user:alice", &state, NULL);
      f->now = state.next_allowed_at;
      g_assert_null (login (f, "alice", "definitely wrong", "000000", &error));
      g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
    }
  tf_store_get_throttle (f->store, "user:alice", &state, NULL);
  g_assert_cmpuint (state.failures, ==, 12);
  g_assert_cmpint (state.next_allowed_at - f->now, ==, 15 * 60);
}

static void
test_throttle_unknown_user (TfTestFixture *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fail_times (f, "mallory", 6);
  g_assert_null (login (f, "MALLORY", "definitely wrong", "000000", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED);
}

static void
test_throttle_seat (TfTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autofree char *code = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);
  const char *names[] = { "u1", "u2", "u3", "u4", "u5", "u6" };

  /* Six failures spread over six usernames throttle the seat. */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    fail_times (f, names[i], 1);

  code = tf_test_code (f, id, f->now, FALSE);
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, code, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED);
  g_clear_error (&error);

  f->now += 30;
  g_clear_pointer (&code, g_free);
  code = tf_test_code (f, id, f->now, FALSE);
  result = login (f, "alice", TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);
}

static void
test_hourly_cap (TfTestFixture *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autofree char *code = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);
  gint64 start = f->now;
  guint evaluated = 0;

  /* Four failures and a success, over and over: a success ends the failure
   * streak, but no more than 100 attempts are evaluated in the hour. */
  for (;;)
    {
      g_autofree char *good = tf_test_code (f, id, f->now, FALSE);
      const char *codes[] = { "000000", "000000", "000000", "000000", good };

      for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
        {
          g_autoptr(GError) attempt_error = NULL;
          g_autoptr(TfLoginResult) attempt = NULL;

          attempt = login (f, "alice", TF_TEST_PASSWORD, codes[i], &attempt_error);
          if (g_error_matches (attempt_error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED))
            goto capped;
          evaluated++;
        }
      f->now += 30;
      g_assert_cmpint (f->now, <, start + 3600);
    }

capped:
  /* The enrolment confirmation was the window's first evaluated attempt. */
  g_assert_cmpuint (evaluated + 1, ==, TF_THROTTLE_WINDOW_ATTEMPTS);
  f->now = start + 3600;
  code = tf_test_code (f, id, f->now, FALSE);
  result = login (f, "alice", TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);
}

static void
test_recovery_codes (TfTestFixture *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lower = NULL;
  g_autofree char *totp = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", &codes);
  const char *first = tf_secure_buffer_get_string (g_ptr_array_index (codes, 0));

  lower = g_ascii_strdown (first, -1);
  result = login (f, "alice", TF_TEST_PASSWORD, lower, &error);
  g_assert_no_error (error);
  g_assert_true (result->used_recovery_code);
  g_assert_cmpuint (result->recovery_codes_left, ==, 9);
  g_clear_pointer (&result, tf_login_result_free);

  /* Single use. */
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, first, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  /* Regenerating needs password + code and voids the old codes. */
  g_assert_null (tf_auth_regenerate_recovery_codes (f->auth, id, TF_TEST_PASSWORD, "000000", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);
  totp = tf_test_code (f, id, f->now, FALSE);
  fresh = tf_auth_regenerate_recovery_codes (f->auth, id, TF_TEST_PASSWORD, totp, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fresh->len, ==, 10);
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD,
                        tf_secure_buffer_get_string (g_ptr_array_index (codes, 1)), &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);
  result = login (f, "alice", TF_TEST_PASSWORD,
                  tf_secure_buffer_get_string (g_ptr_array_index (fresh, 3)), &error);
  g_assert_no_error (error);
}

static void
test_change_password (TfTestFixture *f,
                      gconstpointer  data)
{
  const char *new_password = "another fine passphrase 77";
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code2 = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);

  code = tf_test_code (f, id, f->now, FALSE);
  g_assert_false (tf_auth_change_password (f->auth, id, "wrong wrong wrong", code,
                                           new_password, new_password, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (tf_auth_change_password (f->auth, id, TF_TEST_PASSWORD, code,
                                           new_password, "mismatch mismatch", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_PASSWORD_MISMATCH);
  g_clear_error (&error);
  g_assert_true (tf_auth_change_password (f->auth, id, TF_TEST_PASSWORD, code,
                                          new_password, new_password, &error));
  g_assert_no_error (error);

  f->now += 30;
  code2 = tf_test_code (f, id, f->now, FALSE);
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, code2, &error));
  g_clear_error (&error);
  result = login (f, "alice", new_password, code2, &error);
  g_assert_no_error (error);
}

static void
test_reenrolment (TfTestFixture *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfEnrolment) enrolment = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autofree char *code = NULL;
  g_autofree char *old_code = NULL;
  g_autofree char *new_code = NULL;
  g_autofree char *old_later = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);

  code = tf_test_code (f, id, f->now, FALSE);
  enrolment = tf_auth_begin_reenrolment (f->auth, id, TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);
  g_assert_nonnull (enrolment->uri);

  /* The old secret stays active until the new one is confirmed. */
  f->now += 30;
  old_code = tf_test_code (f, id, f->now, FALSE);
  result = login (f, "alice", TF_TEST_PASSWORD, old_code, &error);
  g_assert_no_error (error);
  g_clear_pointer (&result, tf_login_result_free);

  f->now += 30;
  g_assert_false (tf_auth_confirm_reenrolment (f->auth, id, "000000", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_WRONG_CODE);
  g_clear_error (&error);
  new_code = tf_test_code (f, id, f->now, TRUE);
  g_assert_true (tf_auth_confirm_reenrolment (f->auth, id, new_code, &error));
  g_assert_no_error (error);

  f->now += 30;
  old_later = tf_test_code (f, id, f->now, FALSE);   /* now the new secret's code */
  result = login (f, "alice", TF_TEST_PASSWORD, old_later, &error);
  g_assert_no_error (error);
}

static void
test_admin (TfTestFixture *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autoptr(TfEnrolment) enrolment = NULL;
  g_autoptr(TfUser) user = NULL;
  g_autofree char *code = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);

  g_assert_true (tf_auth_admin_set_state (f->auth, "alice", TF_USER_STATE_DISABLED, &error));
  code = tf_test_code (f, id, f->now, FALSE);
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, code, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_clear_error (&error);

  g_assert_true (tf_auth_admin_set_state (f->auth, "alice", TF_USER_STATE_ACTIVE, &error));
  result = login (f, "alice", TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);

  fail_times (f, "alice", 6);
  g_assert_null (login (f, "alice", TF_TEST_PASSWORD, code, &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_THROTTLED);
  g_clear_error (&error);
  g_assert_true (tf_auth_admin_unlock (f->auth, "alice", &error));
  tf_store_clear_throttle (f->store, "seat:test-seat", NULL);
  f->now += 30;
  g_clear_pointer (&code, g_free);
  g_clear_pointer (&result, tf_login_result_free);
  code = tf_test_code (f, id, f->now, FALSE);
  result = login (f, "alice", TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);

  enrolment = tf_auth_admin_reset_2fa (f->auth, "alice", &error);
  g_assert_no_error (error);
  user = tf_store_get_user (f->store, id, NULL);
  g_assert_cmpint (user->state, ==, TF_USER_STATE_PENDING);

  g_assert_false (tf_auth_admin_delete (f->auth, "nobody", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_NO_SUCH_USER);
  g_clear_error (&error);
  g_assert_true (tf_auth_admin_delete (f->auth, "alice", &error));
  g_assert_cmpuint (tf_store_count_users (f->store, NULL), ==, 0);
}

static void
test_pending_expires (TfTestFixture *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  tf_test_make_active_user (f, "active", NULL);
  tf_auth_register (f->auth, "P", "Q", "pending", "p@example.org",
                    TF_TEST_PASSWORD, TF_TEST_PASSWORD, &error);
  g_assert_no_error (error);

  f->now += TF_AUTH_PENDING_LIFETIME - 60;
  g_assert_cmpuint (tf_auth_expire_pending (f->auth, NULL), ==, 0);
  f->now += 120;
  g_assert_cmpuint (tf_auth_expire_pending (f->auth, NULL), ==, 1);
  g_assert_cmpuint (tf_store_count_users (f->store, NULL), ==, 1);
}

static void
test_rehash (TfTestFixture *f,
             gconstpointer  data)
{
  TfPasswordLimits stronger = { crypto_pwhash_OPSLIMIT_MIN + 1, crypto_pwhash_MEMLIMIT_MIN * 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autoptr(TfLoginResult) again = NULL;
  g_autoptr(TfSecureBuffer) hash = NULL;
  g_autofree char *code = NULL;
  g_autofree char *code2 = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);

  tf_auth_set_password_limits (f->auth, &stronger);
  code = tf_test_code (f, id, f->now, FALSE);
  result = login (f, "alice", TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);
  g_assert_true (result->password_rehashed);
  hash = tf_store_get_password_hash (f->store, id, NULL);
  g_assert_false (tf_password_needs_rehash (tf_secure_buffer_get_string (hash), &stronger));

  f->now += 30;
  code2 = tf_test_code (f, id, f->now, FALSE);
  again = login (f, "alice", TF_TEST_PASSWORD, code2, &error);
  g_assert_no_error (error);
  g_assert_false (again->password_rehashed);
}

static void
test_audit (TfTestFixture *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) events = g_string_new (NULL);
  g_autofree char *code = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);

  fail_times (f, "alice", 1);
  code = tf_test_code (f, id, f->now, FALSE);
  tf_login_result_free (login (f, "alice", TF_TEST_PASSWORD, code, NULL));
  tf_auth_admin_set_state (f->auth, "alice", TF_USER_STATE_DISABLED, NULL);

  entries = tf_store_list_audit (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < entries->len; i++)
    {
      TfAuditEntry *entry = g_ptr_array_index (entries, i);

      g_string_append_printf (events, "%s ", entry->event);
    }
  g_assert_cmpstr (events->str, ==,
                   "register enrolment.confirmed login.failure login.success admin.disable ");
  g_assert_true (tf_store_verify_audit (f->store, &error));
  g_assert_no_error (error);
}

static void
login_ready (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TfLoginResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tf_auth_login_finish (TF_AUTH (object), result, &error);
  g_assert_no_error (error);
}

static void
test_async (TfTestFixture *f,
            gconstpointer  data)
{
  g_autofree char *code = NULL;
  g_autofree char *password = g_strdup (TF_TEST_PASSWORD);
  TfLoginResult *result = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);

  code = tf_test_code (f, id, f->now, FALSE);
  tf_auth_login_async (f->auth, "alice", password, code, NULL, login_ready, &result);
  /* The arguments were copied: the caller may wipe its buffer at once. */
  memset (password, 'x', strlen (password));
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (result->status, ==, TF_LOGIN_OK);
  tf_login_result_free (result);
}

/* The replay race: two processes submit the same fresh code at once. */
static const char *self_path;

static int
race_child (int    argc,
            char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(TfAuth) auth = NULL;
  g_autoptr(TfSecureBuffer) key = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  TfPasswordLimits fast = { crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN };
  TfTestFixture clock = { 0 };

  tf_core_init ();
  key = tf_secure_buffer_new (32);
  sodium_hex2bin (tf_secure_buffer_get_data (key), 32, argv[3], 64, NULL, NULL, NULL);
  store = tf_store_open (argv[2], &error);
  vault = tf_vault_new (key);
  if (store == NULL || !tf_store_attach_vault (store, vault, &error))
    return 3;
  auth = tf_auth_new (store, NULL, argv[6]);
  tf_auth_set_password_limits (auth, &fast);
  clock.now = g_ascii_strtoll (argv[4], NULL, 10);
  tf_auth_set_clock (auth, tf_test_clock, &clock);

  result = tf_auth_login (auth, "alice", TF_TEST_PASSWORD, argv[5], &error);
  return result != NULL ? 0 : 1;
}

static void
test_replay_race (TfTestFixture *f,
                  gconstpointer  data)
{
  char hex[65];
  gint64 id = tf_test_make_active_user (f, "alice", NULL);

  sodium_bin2hex (hex, sizeof hex, tf_secure_buffer_get_data (f->key), 32);

  for (guint round = 0; round < 50; round++)
    {
      g_autofree char *code = tf_test_code (f, id, f->now, FALSE);
      g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, f->now);
      GPid pids[2];
      guint wins = 0;

      for (guint i = 0; i < 2; i++)
        {
          /* Seats of their own each round: a seat that lost seven rounds
           * in a row would be throttled and no longer race at all. */
          g_autofree char *seat = g_strdup_printf ("seat-%u-%c", round, i == 0 ? 'a' : 'b');
          const char *argv[] = { self_path,
                                 "--race-child", f->path, hex, now, code, seat, NULL };
          g_autoptr(GError) error = NULL;

          g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                         NULL, NULL, &pids[i], &error);
          g_assert_no_error (error);
        }

      for (guint i = 0; i < 2; i++)
        {
          int status;

          g_assert_cmpint (waitpid (pids[i], &status, 0), ==, pids[i]);
          g_assert_true (WIFEXITED (status));
          g_assert_cmpint (WEXITSTATUS (status), <=, 1);
          wins += WEXITSTATUS (status) == 0;
        }
      g_assert_cmpuint (wins, ==, 1);
      /* Three time steps a round: the account's hundred attempts an hour
       * (two a round) are not reached within one hour's rounds. */
      f->now += 90;
    }
}

typedef struct {
  TfAuth *auth;
  GError *error;
  gboolean done;
} OpenResult;

static void
open_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpenResult *open = user_data;

  open->auth = tf_auth_open_finish (result, &open->error);
  open->done = TRUE;
}

static void
wait_open (OpenResult *open)
{
  while (!open->done)
    g_main_context_iteration (NULL, TRUE);
}

/* tf_auth_open_prefetch (): the open with the same arguments takes its
 * result over; other arguments or a cancelled open do not. */
static void
test_open_prefetch (void)
{
  g_autofree char *dir = g_dir_make_tmp ("twofold-prefetch-XXXXXX", NULL);
  g_autofree char *store = g_build_filename (dir, "store", "twofold.db", NULL);
  g_autofree char *other = g_build_filename (dir, "other", "twofold.db", NULL);
  g_autofree char *key = g_build_filename (dir, "master.key", NULL);
  g_autofree char *other_key = g_build_filename (dir, "other.key", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", "twofold.db", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  OpenResult first = { 0 }, second = { 0 }, third = { 0 }, fourth = { 0 };

  /* Taken over: the store exists by then, made by the prefetch. */
  tf_auth_open_prefetch (store, key, "Twofold", NULL, TRUE, 5000);
  tf_auth_open_async (store, key, "Twofold", NULL, TRUE, 5000, NULL, open_done, &first);
  wait_open (&first);
  g_assert_no_error (first.error);
  g_assert_true (TF_IS_AUTH (first.auth));
  g_assert_cmpstr (tf_store_get_path (tf_auth_get_store (first.auth)), ==, store);
  g_assert_true (g_file_test (key, G_FILE_TEST_EXISTS));

  /* Other arguments: dropped, and the open is done as asked. */
  tf_auth_open_prefetch (store, key, "Twofold", NULL, TRUE, 5000);
  tf_auth_open_async (other, other_key, "Twofold", NULL, TRUE, 5000, NULL, open_done, &second);
  wait_open (&second);
  g_assert_no_error (second.error);
  g_assert_cmpstr (tf_store_get_path (tf_auth_get_store (second.auth)), ==, other);

  /* A failure is handed over too: no store to create, none there. */
  tf_auth_open_prefetch (missing, other_key, "Twofold", NULL, FALSE, 5000);
  tf_auth_open_async (missing, other_key, "Twofold", NULL, FALSE, 5000, NULL, open_done, &third);
  wait_open (&third);
  g_assert_error (third.error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  /* Cancelled while it waits: it says so. */
  tf_auth_open_prefetch (store, key, "Twofold", NULL, TRUE, 5000);
  tf_auth_open_async (store, key, "Twofold", NULL, TRUE, 5000, cancellable, open_done, &fourth);
  g_cancellable_cancel (cancellable);
  wait_open (&fourth);
  if (fourth.auth == NULL)
    g_assert_error (fourth.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_object (&first.auth);
  g_clear_object (&second.auth);
  g_clear_object (&fourth.auth);
  g_clear_error (&third.error);
  g_clear_error (&fourth.error);
  /* Let the dropped prefetches end before the directory goes. */
  for (guint i = 0; i < 50; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (10000);
    }
}

/* tf_auth_open_take_prefetch (): an ended prefetch is handed over at once,
 * without the main loop, once, and only for its own arguments. */
static void
test_open_take_prefetch (void)
{
  g_autofree char *dir = g_dir_make_tmp ("twofold-take-XXXXXX", NULL);
  g_autofree char *store = g_build_filename (dir, "store", "twofold.db", NULL);
  g_autofree char *key = g_build_filename (dir, "master.key", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing", "twofold.db", NULL);
  g_autoptr(GError) error = NULL;
  TfAuth *auth = NULL;
  OpenResult taken_over = { 0 };

  /* None started. */
  g_assert_false (tf_auth_open_prefetch_wait (0));
  g_assert_false (tf_auth_open_take_prefetch (store, key, "Twofold", NULL, TRUE, 5000,
                                              &auth, &error));

  /* Ended: taken, then gone. */
  tf_auth_open_prefetch (store, key, "Twofold", NULL, TRUE, 5000);
  g_assert_true (tf_auth_open_prefetch_wait (30000));
  g_assert_true (tf_auth_open_take_prefetch (store, key, "Twofold", NULL, TRUE, 5000,
                                             &auth, &error));
  g_assert_no_error (error);
  g_assert_true (TF_IS_AUTH (auth));
  g_assert_cmpstr (tf_store_get_path (tf_auth_get_store (auth)), ==, store);
  g_clear_object (&auth);
  g_assert_false (tf_auth_open_take_prefetch (store, key, "Twofold", NULL, TRUE, 5000,
                                              &auth, &error));

  /* A failure is handed over the same way. */
  tf_auth_open_prefetch (missing, key, "Twofold", NULL, FALSE, 5000);
  g_assert_true (tf_auth_open_prefetch_wait (30000));
  g_assert_true (tf_auth_open_take_prefetch (missing, key, "Twofold", NULL, FALSE, 5000,
                                             &auth, &error));
  g_assert_null (auth);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Other arguments: not handed over, and dropped. */
  tf_auth_open_prefetch (store, key, "Twofold", NULL, TRUE, 5000);
  g_assert_true (tf_auth_open_prefetch_wait (30000));
  g_assert_false (tf_auth_open_take_prefetch (store, key, "Other", NULL, TRUE, 5000,
                                              &auth, &error));
  g_assert_false (tf_auth_open_take_prefetch (store, key, "Twofold", NULL, TRUE, 5000,
                                              &auth, &error));

  /* Promised to an open already: that open gets it. */
  tf_auth_open_prefetch (store, key, "Twofold", NULL, TRUE, 5000);
  tf_auth_open_async (store, key, "Twofold", NULL, TRUE, 5000, NULL, open_done, &taken_over);
  g_assert_true (tf_auth_open_prefetch_wait (30000));
  g_assert_false (tf_auth_open_take_prefetch (store, key, "Twofold", NULL, TRUE, 5000,
                                              &auth, &error));
  wait_open (&taken_over);
  g_assert_no_error (taken_over.error);
  g_assert_true (TF_IS_AUTH (taken_over.auth));
  g_clear_object (&taken_over.auth);
  g_assert_null (auth);
  g_assert_no_error (error);

  /* The tasks' callbacks, and the prefetch they free. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 7 && g_str_equal (argv[1], "--race-child"))
    return race_child (argc, argv);

  self_path = argv[0];
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  FIXTURE ("/twofold/auth/register-field-errors", test_register_field_errors);
  FIXTURE ("/twofold/auth/register-taken", test_register_taken);
  FIXTURE ("/twofold/auth/enrolment", test_enrolment);
  FIXTURE ("/twofold/auth/login", test_login);
  FIXTURE ("/twofold/auth/generic-failure", test_generic_failure);
  FIXTURE ("/twofold/auth/window-and-replay", test_window_and_replay);
  FIXTURE ("/twofold/auth/clock-skew-hint", test_clock_skew_hint);
  FIXTURE ("/twofold/auth/pending-resumes-enrolment", test_pending_resumes_enrolment);
  FIXTURE ("/twofold/auth/throttle", test_throttle);
  FIXTURE ("/twofold/auth/throttle-doubles-and-caps", test_throttle_doubles_and_caps);
  FIXTURE ("/twofold/auth/throttle-unknown-user", test_throttle_unknown_user);
  FIXTURE ("/twofold/auth/throttle-seat", test_throttle_seat);
  FIXTURE ("/twofold/auth/hourly-cap", test_hourly_cap);
  FIXTURE ("/twofold/auth/recovery-codes", test_recovery_codes);
  FIXTURE ("/twofold/auth/change-password", test_change_password);
  FIXTURE ("/twofold/auth/reenrolment", test_reenrolment);
  FIXTURE ("/twofold/auth/admin", test_admin);
  FIXTURE ("/twofold/auth/pending-expires", test_pending_expires);
  FIXTURE ("/twofold/auth/rehash", test_rehash);
  FIXTURE ("/twofold/auth/audit", test_audit);
  FIXTURE ("/twofold/auth/async", test_async);
  FIXTURE ("/twofold/auth/replay-race", test_replay_race);
  g_test_add_func ("/twofold/auth/open-prefetch", test_open_prefetch);
  g_test_add_func ("/twofold/auth/open-take-prefetch", test_open_take_prefetch);

  return g_test_run ();
}
