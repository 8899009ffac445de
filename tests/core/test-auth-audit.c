/* test-auth-audit.c — an audited change and its audit entry land together.
 *
 * A trigger on the real store makes SQLite refuse every new audit row, as
 * a full disk would refuse the last write: each action must then fail with
 * the store's error and leave nothing of its change behind, the chain must
 * still verify, and once rows are accepted again the same action (the same
 * TOTP code, the same recovery code) works. */
#include "tf-test-util.h"
#include "test-store-util.h"

#define FIXTURE(path, func) \
  g_test_add (path, TfTestFixture, NULL, tf_test_fixture_setup, func, tf_test_fixture_teardown)

static void
refuse_audit (TfTestFixture *f)
{
  raw_exec (f->path, "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit"
                     " BEGIN SELECT RAISE (ABORT, 'audit refused'); END");
}

static void
allow_audit (TfTestFixture *f)
{
  raw_exec (f->path, "DROP TRIGGER refuse_audit");
}

static gint64
audit_rows (TfTestFixture *f)
{
  return raw_int (f->path, "SELECT count(*) FROM audit");
}

static const char *
last_event (TfTestFixture *f)
{
  static char event[64];
  g_autoptr(GPtrArray) entries = tf_store_list_audit (f->store, NULL);
  TfAuditEntry *entry;

  g_assert_nonnull (entries);
  g_assert_cmpuint (entries->len, >, 0);
  entry = g_ptr_array_index (entries, entries->len - 1);
  g_strlcpy (event, entry->event, sizeof event);
  return event;
}

static void
assert_chain_intact (TfTestFixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_store_verify_audit (f->store, &error));
  g_assert_no_error (error);
}

static TfUserState
state_of (TfTestFixture *f,
          gint64         id)
{
  g_autoptr(TfUser) user = tf_store_get_user (f->store, id, NULL);

  g_assert_nonnull (user);
  return user->state;
}

static guint
throttle_failures (TfTestFixture *f,
                   const char    *key)
{
  TfThrottleState state = { 0, };

  g_assert_true (tf_store_get_throttle (f->store, key, &state, NULL));
  return state.failures;
}

static void
test_admin_actions (TfTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfEnrolment) enrolment = NULL;
  g_autoptr(TfUser) user = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);
  gint64 rows;

  for (guint i = 0; i < 6; i++)
    tf_login_result_free (tf_auth_login (f->auth, "alice", "wrong password", "000000", NULL));
  g_assert_cmpuint (throttle_failures (f, "user:alice"), ==, 6);
  rows = audit_rows (f);

  refuse_audit (f);
  g_assert_false (tf_auth_admin_set_state (f->auth, "alice", TF_USER_STATE_DISABLED, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpint (state_of (f, id), ==, TF_USER_STATE_ACTIVE);

  enrolment = tf_auth_admin_reset_2fa (f->auth, "alice", &error);
  g_assert_null (enrolment);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpint (state_of (f, id), ==, TF_USER_STATE_ACTIVE);

  g_assert_false (tf_auth_admin_unlock (f->auth, "alice", &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpuint (throttle_failures (f, "user:alice"), ==, 6);

  g_assert_false (tf_auth_admin_delete (f->auth, "alice", &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);
  user = tf_store_get_user (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);

  g_assert_cmpint (audit_rows (f), ==, rows);
  assert_chain_intact (f);

  allow_audit (f);
  g_assert_true (tf_auth_admin_set_state (f->auth, "alice", TF_USER_STATE_DISABLED, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (last_event (f), ==, "admin.disable");
  g_assert_true (tf_auth_admin_unlock (f->auth, "alice", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (last_event (f), ==, "admin.unlock");
  g_assert_cmpuint (throttle_failures (f, "user:alice"), ==, 0);
  g_assert_cmpint (audit_rows (f), ==, rows + 2);
  assert_chain_intact (f);
}

static void
test_login_success (TfTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autoptr(TfUser) user = NULL;
  g_autofree char *code = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);
  gint64 rows = audit_rows (f);

  code = tf_test_code (f, id, f->now, FALSE);
  refuse_audit (f);
  result = tf_auth_login (f->auth, "alice", TF_TEST_PASSWORD, code, &error);
  g_assert_null (result);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);
  user = tf_store_get_user (f->store, id, NULL);
  g_assert_cmpint (user->last_login_at, ==, 0);
  g_assert_cmpint (audit_rows (f), ==, rows);
  assert_chain_intact (f);

  /* The step was given back with the rest: the same code still works. */
  allow_audit (f);
  result = tf_auth_login (f->auth, "alice", TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->status, ==, TF_LOGIN_OK);
  g_assert_cmpstr (last_event (f), ==, "login.success");
  assert_chain_intact (f);
}

static void
test_login_failure (TfTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfUser) user = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);
  gint64 rows = audit_rows (f);

  refuse_audit (f);
  /* Refused either way; but the failure is not counted unaudited, and the
   * answer says the store is the problem. */
  g_assert_null (tf_auth_login (f->auth, "alice", "wrong password", "000000", &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_null (tf_auth_login (f->auth, "nobody", "wrong password", "000000", &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);

  user = tf_store_get_user (f->store, id, NULL);
  g_assert_cmpuint (user->failed_since_login, ==, 0);
  g_assert_cmpuint (throttle_failures (f, "user:alice"), ==, 0);
  g_assert_cmpuint (throttle_failures (f, "user:nobody"), ==, 0);
  g_assert_cmpuint (throttle_failures (f, "seat:test-seat"), ==, 0);
  g_assert_cmpint (audit_rows (f), ==, rows);
  assert_chain_intact (f);

  allow_audit (f);
  g_assert_null (tf_auth_login (f->auth, "alice", "wrong password", "000000", &error));
  g_assert_error (error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);
  g_assert_cmpstr (last_event (f), ==, "login.failure");
  g_assert_cmpuint (throttle_failures (f, "user:alice"), ==, 1);
}

static void
test_recovery_code (TfTestFixture *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", &codes);
  const char *code = tf_secure_buffer_get_string (g_ptr_array_index (codes, 0));

  refuse_audit (f);
  g_assert_null (tf_auth_login (f->auth, "alice", TF_TEST_PASSWORD, code, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpuint (tf_store_count_recovery_codes (f->store, id, NULL), ==, 10);

  allow_audit (f);
  result = tf_auth_login (f->auth, "alice", TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);
  g_assert_true (result->used_recovery_code);
  g_assert_cmpuint (result->recovery_codes_left, ==, 9);
  g_assert_cmpstr (last_event (f), ==, "login.recovery-code");
}

static void
test_enrolment (TfTestFixture *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *code = NULL;
  gint64 id;

  id = tf_auth_register (f->auth, "Bob", "B", "bob", "bob@example.org",
                         TF_TEST_PASSWORD, TF_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  code = tf_test_code (f, id, f->now, FALSE);

  refuse_audit (f);
  codes = tf_auth_confirm_enrolment (f->auth, id, code, &error);
  g_assert_null (codes);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpint (state_of (f, id), ==, TF_USER_STATE_PENDING);
  g_assert_cmpuint (tf_store_count_recovery_codes (f->store, id, NULL), ==, 0);

  /* A refused registration leaves no account either. */
  g_assert_cmpint (tf_auth_register (f->auth, "Carol", "C", "carol", "carol@example.org",
                                     TF_TEST_PASSWORD, TF_TEST_PASSWORD, &error), ==, 0);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_cmpuint (tf_store_count_users (f->store, NULL), ==, 1);

  allow_audit (f);
  codes = tf_auth_confirm_enrolment (f->auth, id, code, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (codes->len, ==, 10);
  g_assert_cmpint (state_of (f, id), ==, TF_USER_STATE_ACTIVE);
  g_assert_cmpstr (last_event (f), ==, "enrolment.confirmed");
  assert_chain_intact (f);
}

static void
test_change_password (TfTestFixture *f,
                      gconstpointer  data)
{
  const char *new_password = "a different horse battery staple";
  g_autoptr(GError) error = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autofree char *code = NULL;
  g_autofree char *later = NULL;
  gint64 id = tf_test_make_active_user (f, "alice", NULL);

  code = tf_test_code (f, id, f->now, FALSE);
  refuse_audit (f);
  g_assert_false (tf_auth_change_password (f->auth, id, TF_TEST_PASSWORD, code, new_password,
                                           new_password, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);

  /* The old password still holds, and the code was not used up. */
  allow_audit (f);
  result = tf_auth_login (f->auth, "alice", TF_TEST_PASSWORD, code, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  f->now += 30;
  later = tf_test_code (f, id, f->now, FALSE);
  g_assert_true (tf_auth_change_password (f->auth, id, TF_TEST_PASSWORD, later, new_password,
                                          new_password, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (last_event (f), ==, "password.changed");
  assert_chain_intact (f);
}

/* The store's side: a change abandoned, or one with a failed write inside,
 * leaves nothing; the chain's head and count stay in step with the rows. */
static void
test_store_change (TfTestFixture *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStoreAudit) change = NULL;
  gint64 rows = audit_rows (f);
  gint64 id;

  change = tf_store_audit_begin (f->store, &error);
  g_assert_no_error (error);
  id = tf_store_create_user (f->store, "dave", NULL, NULL, NULL, "hash", NULL, f->now, &error);
  g_assert_no_error (error);
  g_clear_pointer (&change, tf_store_audit_abandon);
  g_assert_null (tf_store_find_user (f->store, "dave", NULL));

  /* A write that failed inside, even with its error ignored, stops the
   * commit: the entry would claim more than happened. */
  change = tf_store_audit_begin (f->store, &error);
  id = tf_store_create_user (f->store, "erin", NULL, NULL, NULL, "hash", NULL, f->now, &error);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (tf_store_create_user (f->store, "ERIN", NULL, NULL, NULL, "hash", NULL,
                                         f->now, NULL), ==, 0);
  g_assert_false (tf_store_audit_commit (g_steal_pointer (&change), f->now, "erin", "test",
                                         NULL, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (tf_store_find_user (f->store, "erin", NULL));

  refuse_audit (f);
  change = tf_store_audit_begin (f->store, &error);
  g_assert_no_error (error);
  id = tf_store_create_user (f->store, "fred", NULL, NULL, NULL, "hash", NULL, f->now, &error);
  g_assert_cmpint (id, >, 0);
  g_assert_false (tf_store_audit_commit (g_steal_pointer (&change), f->now, "fred", "test",
                                         NULL, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO);
  g_clear_error (&error);
  g_assert_null (tf_store_find_user (f->store, "fred", NULL));
  g_assert_cmpint (audit_rows (f), ==, rows);
  assert_chain_intact (f);

  /* The store is usable as before, and its chain extends. */
  allow_audit (f);
  change = tf_store_audit_begin (f->store, &error);
  id = tf_store_create_user (f->store, "fred", NULL, NULL, NULL, "hash", NULL, f->now, &error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (tf_store_audit_commit (g_steal_pointer (&change), f->now, "fred", "test",
                                        NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tf_store_append_audit (f->store, f->now, NULL, "after", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (audit_rows (f), ==, rows + 2);
  assert_chain_intact (f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  FIXTURE ("/twofold/auth-audit/admin-actions", test_admin_actions);
  FIXTURE ("/twofold/auth-audit/login-success", test_login_success);
  FIXTURE ("/twofold/auth-audit/login-failure", test_login_failure);
  FIXTURE ("/twofold/auth-audit/recovery-code", test_recovery_code);
  FIXTURE ("/twofold/auth-audit/enrolment", test_enrolment);
  FIXTURE ("/twofold/auth-audit/change-password", test_change_password);
  FIXTURE ("/twofold/auth-audit/store-change", test_store_change);

  return g_test_run ();
}
