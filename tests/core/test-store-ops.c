/* test-store-ops.c — the account store's operations: users, TOTP,
 * recovery codes, throttling, the audit log, and threads sharing a store. */
#include "test-store-util.h"

#include <string.h>

static void
test_users (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfUser) user = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(TfSecureBuffer) hash = NULL;
  gint64 alice, bob;

  alice = tf_store_create_user (f->store, "Alice", "Alice", "Liddell", "Alice@Example.org",
                                HASH_A, NULL, NOW, &error);
  g_assert_no_error (error);
  g_assert_cmpint (alice, >, 0);
  bob = add_user (f->store, "bob");

  /* Stored normalised, found whatever the case or compatibility form. */
  user = tf_store_find_user (f->store, "ＡＬＩＣＥ", &error);
  g_assert_no_error (error);
  g_assert_nonnull (user);
  g_assert_cmpint (user->id, ==, alice);
  g_assert_cmpstr (user->username, ==, "alice");
  g_assert_cmpstr (user->first_name, ==, "Alice");
  g_assert_cmpstr (user->last_name, ==, "Liddell");
  g_assert_cmpstr (user->email, ==, "Alice@Example.org");
  g_assert_cmpint (user->state, ==, TF_USER_STATE_PENDING);
  g_assert_cmpint (user->created_at, ==, NOW);
  g_assert_cmpint (user->last_login_at, ==, 0);
  g_assert_cmpint (user->email_verified_at, ==, 0);
  g_clear_pointer (&user, tf_user_free);

  g_assert_cmpint (tf_store_create_user (f->store, "ALICE", NULL, NULL, NULL, HASH_B, NULL, NOW,
                                         &error), ==, 0);
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpuint (tf_store_count_users (f->store, &error), ==, 2);

  g_assert_null (tf_store_find_user (f->store, "carol", &error));
  g_assert_no_error (error);
  g_assert_null (tf_store_get_user (f->store, 99, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (tf_store_set_user_state (f->store, alice, TF_USER_STATE_DISABLED, &error));
  g_assert_true (tf_store_set_email_verified (f->store, alice, NOW + 5, &error));
  g_assert_true (tf_store_set_password_hash (f->store, alice, HASH_B, &error));
  g_assert_no_error (error);
  user = tf_store_get_user (f->store, alice, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user->state, ==, TF_USER_STATE_DISABLED);
  g_assert_cmpint (user->email_verified_at, ==, NOW + 5);
  hash = tf_store_get_password_hash (f->store, alice, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_secure_buffer_get_string (hash), ==, HASH_B);
  g_assert_false (tf_store_set_user_state (f->store, 99, TF_USER_STATE_ACTIVE, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  users = tf_store_list_users (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 2);
  g_assert_cmpstr (((TfUser *) users->pdata[0])->username, ==, "alice");
  g_assert_cmpstr (((TfUser *) users->pdata[1])->username, ==, "bob");

  /* Deleting cascades to the user's TOTP and recovery codes. */
  g_assert_true (tf_store_delete_user (f->store, bob, &error));
  g_assert_no_error (error);
  g_assert_null (tf_store_get_totp (f->store, bob, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpint (raw_int (f->path, "SELECT count(*) FROM totp"), ==, 0);
  g_assert_false (tf_store_delete_user (f->store, bob, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (tf_store_count_users (f->store, &error), ==, 1);
  g_assert_cmpstr (tf_user_state_to_string (TF_USER_STATE_ACTIVE), ==, "active");
}

static void
test_record_login (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 id = add_user (f->store, "alice");
  gint64 previous = -1;
  guint failed = 99;

  g_assert_true (tf_store_record_login (f->store, id, NOW + 10, &previous, &failed, &error));
  g_assert_no_error (error);
  g_assert_cmpint (previous, ==, 0);
  g_assert_cmpuint (failed, ==, 0);

  for (guint i = 0; i < 3; i++)
    g_assert_true (tf_store_record_user_failure (f->store, id, &error));
  g_assert_true (tf_store_record_login (f->store, id, NOW + 20, &previous, &failed, &error));
  g_assert_cmpint (previous, ==, NOW + 10);
  g_assert_cmpuint (failed, ==, 3);

  g_assert_true (tf_store_record_login (f->store, id, NOW + 30, &previous, &failed, &error));
  g_assert_cmpint (previous, ==, NOW + 20);
  g_assert_cmpuint (failed, ==, 0);
  g_assert_no_error (error);

  g_assert_false (tf_store_record_login (f->store, 99, NOW, NULL, NULL, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (tf_store_record_user_failure (f->store, 99, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
}

static void
test_expire_pending (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (20);
  gint64 old_pending, new_pending, active, reset;

  old_pending = tf_store_create_user (f->store, "old", NULL, NULL, NULL, HASH_A, secret, NOW - 90000, &error);
  new_pending = tf_store_create_user (f->store, "new", NULL, NULL, NULL, HASH_A, secret, NOW - 60, &error);
  active = tf_store_create_user (f->store, "active", NULL, NULL, NULL, HASH_A, secret, NOW - 90000, &error);
  reset = tf_store_create_user (f->store, "reset", NULL, NULL, NULL, HASH_A, secret, NOW - 90000, &error);
  g_assert_no_error (error);
  g_assert_true (tf_store_confirm_totp (f->store, active, 5, NOW - 80000, &error));
  g_assert_true (tf_store_confirm_totp (f->store, reset, 5, NOW - 80000, &error));
  g_assert_true (tf_store_record_login (f->store, reset, NOW - 70000, NULL, NULL, &error));
  g_assert_true (tf_store_reset_totp (f->store, reset, secret, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (tf_store_expire_pending (f->store, NOW - 86400, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_false (user_exists (f->store, old_pending));
  g_assert_true (user_exists (f->store, new_pending));
  g_assert_true (user_exists (f->store, active));
  /* Sent back to enrolment by an administrator, but not abandoned. */
  g_assert_true (user_exists (f->store, reset));
  g_assert_cmpuint (tf_store_expire_pending (f->store, NOW - 86400, &error), ==, 0);
}

static void
test_totp (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (20);
  g_autoptr(TfSecureBuffer) second = tf_secure_buffer_new_random (20);
  g_autoptr(TfSecureBuffer) third = tf_secure_buffer_new_random (20);
  g_autoptr(TfTotpRecord) record = NULL;
  g_autoptr(TfUser) user = NULL;
  gint64 id, bare;

  id = tf_store_create_user (f->store, "alice", NULL, NULL, NULL, HASH_A, secret, NOW, &error);
  bare = tf_store_create_user (f->store, "bare", NULL, NULL, NULL, HASH_A, NULL, NOW, &error);
  g_assert_no_error (error);

  record = tf_store_get_totp (f->store, id, &error);
  g_assert_no_error (error);
  g_assert_true (tf_secure_buffer_equal (record->secret, secret));
  g_assert_null (record->pending_secret);
  g_assert_cmpstr (record->algorithm, ==, "SHA1");
  g_assert_cmpuint (record->digits, ==, 6);
  g_assert_cmpuint (record->period, ==, 30);
  g_assert_cmpint (record->last_step, ==, -1);
  g_assert_cmpint (record->confirmed_at, ==, 0);
  g_clear_pointer (&record, tf_totp_record_free);

  /* Enrolment: the step is consumed, the account becomes active. */
  g_assert_true (tf_store_confirm_totp (f->store, id, 100, NOW, &error));
  g_assert_no_error (error);
  g_assert_false (tf_store_confirm_totp (f->store, id, 100, NOW, &error));
  g_assert_no_error (error);
  user = tf_store_get_user (f->store, id, &error);
  g_assert_cmpint (user->state, ==, TF_USER_STATE_ACTIVE);
  record = tf_store_get_totp (f->store, id, &error);
  g_assert_cmpint (record->confirmed_at, ==, NOW);
  g_assert_cmpint (record->last_step, ==, 100);
  g_clear_pointer (&record, tf_totp_record_free);

  /* The replay guard. */
  g_assert_false (tf_store_consume_totp_step (f->store, id, 100, 0, NOW, &error));
  g_assert_false (tf_store_consume_totp_step (f->store, id, 99, 0, NOW, &error));
  g_assert_no_error (error);
  g_assert_true (tf_store_consume_totp_step (f->store, id, 102, 1, NOW, &error));
  g_assert_false (tf_store_consume_totp_step (f->store, id, 101, 0, NOW, &error));
  g_assert_false (tf_store_consume_totp_step (f->store, id, 102, 1, NOW, &error));
  g_assert_no_error (error);
  record = tf_store_get_totp (f->store, id, &error);
  g_assert_cmpint (record->last_step, ==, 102);
  g_assert_cmpint (record->drift_steps, ==, 1);
  g_clear_pointer (&record, tf_totp_record_free);
  g_assert_false (tf_store_consume_totp_step (f->store, bare, 5, 0, NOW, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Re-enrolment: the pending secret replaces the active one when confirmed. */
  g_assert_false (tf_store_promote_pending_totp (f->store, id, 103, NOW, &error));
  g_assert_no_error (error);
  g_assert_true (tf_store_set_pending_totp (f->store, id, second, &error));
  record = tf_store_get_totp (f->store, id, &error);
  g_assert_true (tf_secure_buffer_equal (record->secret, secret));
  g_assert_true (tf_secure_buffer_equal (record->pending_secret, second));
  g_clear_pointer (&record, tf_totp_record_free);
  g_assert_true (tf_store_promote_pending_totp (f->store, id, 102, NOW + 60, &error));
  g_assert_no_error (error);
  g_assert_false (tf_store_promote_pending_totp (f->store, id, 103, NOW + 60, &error));
  g_assert_no_error (error);
  record = tf_store_get_totp (f->store, id, &error);
  g_assert_true (tf_secure_buffer_equal (record->secret, second));
  g_assert_null (record->pending_secret);
  g_assert_cmpint (record->last_step, ==, 102);
  g_assert_cmpint (record->confirmed_at, ==, NOW + 60);
  g_clear_pointer (&record, tf_totp_record_free);
  /* A re-enrolment can be abandoned. */
  g_assert_true (tf_store_set_pending_totp (f->store, id, third, &error));
  g_assert_true (tf_store_set_pending_totp (f->store, id, NULL, &error));
  record = tf_store_get_totp (f->store, id, &error);
  g_assert_null (record->pending_secret);
  g_clear_pointer (&record, tf_totp_record_free);

  /* Admin reset: new unconfirmed secret, no step used, back to pending. */
  g_assert_true (tf_store_reset_totp (f->store, id, third, &error));
  g_assert_true (tf_store_reset_totp (f->store, bare, third, &error));
  g_assert_no_error (error);
  record = tf_store_get_totp (f->store, id, &error);
  g_assert_true (tf_secure_buffer_equal (record->secret, third));
  g_assert_cmpint (record->last_step, ==, -1);
  g_assert_cmpint (record->drift_steps, ==, 0);
  g_assert_cmpint (record->confirmed_at, ==, 0);
  g_clear_pointer (&record, tf_totp_record_free);
  g_clear_pointer (&user, tf_user_free);
  user = tf_store_get_user (f->store, id, &error);
  g_assert_cmpint (user->state, ==, TF_USER_STATE_PENDING);
  g_assert_true (tf_store_consume_totp_step (f->store, id, 50, 0, NOW, &error));
  g_assert_false (tf_store_reset_totp (f->store, 99, third, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
}

static void
test_recovery_codes (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint8 hashes[10 * TF_STORE_RECOVERY_HASH_SIZE];
  guint8 wrong[TF_STORE_RECOVERY_HASH_SIZE];
  gint64 id = add_user (f->store, "alice");
  gint64 other = add_user (f->store, "bob");
  guint remaining = 0;

  for (gsize i = 0; i < sizeof hashes; i++)
    hashes[i] = (guint8) g_random_int ();
  memset (wrong, 0xab, sizeof wrong);

  g_assert_cmpuint (tf_store_count_recovery_codes (f->store, id, &error), ==, 0);
  g_assert_true (tf_store_replace_recovery_codes (f->store, id, hashes, 10, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tf_store_count_recovery_codes (f->store, id, &error), ==, 10);

  g_assert_true (tf_store_use_recovery_code (f->store, id, hashes + 3 * 32, NOW, &remaining, &error));
  g_assert_cmpuint (remaining, ==, 9);
  /* Single use. */
  g_assert_false (tf_store_use_recovery_code (f->store, id, hashes + 3 * 32, NOW, &remaining, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (remaining, ==, 9);
  g_assert_false (tf_store_use_recovery_code (f->store, id, wrong, NOW, NULL, &error));
  /* Another user's codes are not this user's. */
  g_assert_false (tf_store_use_recovery_code (f->store, other, hashes, NOW, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tf_store_use_recovery_code (f->store, id, hashes, 0, &remaining, &error));
  g_assert_cmpuint (remaining, ==, 8);
  g_assert_false (tf_store_use_recovery_code (f->store, id, hashes, 0, NULL, &error));
  g_assert_cmpuint (tf_store_count_recovery_codes (f->store, id, &error), ==, 8);

  /* Replacing revokes the old ones. */
  g_assert_true (tf_store_replace_recovery_codes (f->store, id, hashes + 5 * 32, 5, &error));
  g_assert_cmpuint (tf_store_count_recovery_codes (f->store, id, &error), ==, 5);
  g_assert_false (tf_store_use_recovery_code (f->store, id, hashes + 32, NOW, NULL, &error));
  g_assert_true (tf_store_use_recovery_code (f->store, id, hashes + 9 * 32, NOW, &remaining, &error));
  g_assert_cmpuint (remaining, ==, 4);
  g_assert_no_error (error);

  g_assert_false (tf_store_replace_recovery_codes (f->store, 99, hashes, 10, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND);
}

static gboolean
count_failure (TfThrottleState *state,
               gpointer         user_data)
{
  gint64 now = *(gint64 *) user_data;

  state->failures++;
  state->next_allowed_at = now + 30;
  if (state->window_start == 0)
    state->window_start = now;
  state->window_attempts++;
  return TRUE;
}

static gboolean
look_only (TfThrottleState *state,
           gpointer         user_data)
{
  *(guint *) user_data = state->failures;
  state->failures = 1000;
  return FALSE;
}

/* The listing forms agree with the one-account ones. */
static void
test_listing (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) codes = NULL;
  g_autoptr(GHashTable) throttles = NULL;
  g_autoptr(GPtrArray) users = NULL;
  guint8 hashes[10 * TF_STORE_RECOVERY_HASH_SIZE];
  gint64 alice = add_user (f->store, "alice");
  gint64 bob = add_user (f->store, "bob");
  gint64 carol = add_user (f->store, "carol");
  gint64 now = NOW;
  TfThrottleState *state;

  for (gsize i = 0; i < sizeof hashes; i++)
    hashes[i] = (guint8) g_random_int ();
  g_assert_true (tf_store_replace_recovery_codes (f->store, alice, hashes, 10, &error));
  g_assert_true (tf_store_replace_recovery_codes (f->store, bob, hashes, 3, &error));
  g_assert_true (tf_store_use_recovery_code (f->store, bob, hashes + 32, NOW, NULL, &error));
  g_assert_true (tf_store_update_throttle (f->store, "user:bob", count_failure, &now, &error));
  g_assert_true (tf_store_update_throttle (f->store, "seat:local", count_failure, &now, &error));
  g_assert_no_error (error);

  codes = tf_store_count_all_recovery_codes (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (codes), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (codes, &alice)), ==, 10);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (codes, &bob)), ==, 2);
  g_assert_false (g_hash_table_contains (codes, &carol));
  g_clear_pointer (&codes, g_hash_table_unref);

  /* Codes written later for a user already counted add up. */
  g_assert_true (tf_store_replace_recovery_codes (f->store, carol, hashes, 4, &error));
  g_assert_true (tf_store_replace_recovery_codes (f->store, alice, hashes, 6, &error));
  codes = tf_store_count_all_recovery_codes (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (codes), ==, 3);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (codes, &alice)), ==, 6);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (codes, &bob)), ==, 2);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (codes, &carol)), ==, 4);

  /* Listed by username whatever the order they were added in. */
  add_user (f->store, "aaron");
  add_user (f->store, "ämil");
  users = tf_store_list_users (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (users->len, ==, 5);
  for (guint i = 0; i < users->len; i++)
    g_assert_cmpstr (((TfUser *) users->pdata[i])->username, ==,
                     ((const char *[]) { "aaron", "alice", "bob", "carol", "ämil" })[i]);

  throttles = tf_store_list_throttles (f->store, "user:", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (throttles), ==, 1);
  state = g_hash_table_lookup (throttles, "user:bob");
  g_assert_nonnull (state);
  g_assert_cmpuint (state->failures, ==, 1);
  g_assert_cmpint (state->next_allowed_at, ==, NOW + 30);
}

static void
test_throttle (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TfThrottleState state;
  gint64 now = NOW;
  guint seen = 0;

  g_assert_true (tf_store_get_throttle (f->store, "user:alice", &state, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (state.failures, ==, 0);
  g_assert_cmpint (state.next_allowed_at, ==, 0);

  g_assert_true (tf_store_update_throttle (f->store, "user:alice", count_failure, &now, &error));
  now += 5;
  g_assert_true (tf_store_update_throttle (f->store, "user:alice", count_failure, &now, &error));
  g_assert_no_error (error);
  g_assert_true (tf_store_get_throttle (f->store, "user:alice", &state, &error));
  g_assert_cmpuint (state.failures, ==, 2);
  g_assert_cmpint (state.next_allowed_at, ==, NOW + 35);
  g_assert_cmpint (state.window_start, ==, NOW);
  g_assert_cmpuint (state.window_attempts, ==, 2);

  /* An update that returns FALSE writes nothing. */
  g_assert_true (tf_store_update_throttle (f->store, "user:alice", look_only, &seen, &error));
  g_assert_cmpuint (seen, ==, 2);
  g_assert_true (tf_store_get_throttle (f->store, "user:alice", &state, &error));
  g_assert_cmpuint (state.failures, ==, 2);
  g_assert_true (tf_store_get_throttle (f->store, "seat:kiosk", &state, &error));
  g_assert_cmpuint (state.failures, ==, 0);

  g_assert_true (tf_store_clear_throttle (f->store, "user:alice", &error));
  g_assert_true (tf_store_get_throttle (f->store, "user:alice", &state, &error));
  g_assert_cmpuint (state.failures, ==, 0);
  g_assert_cmpuint (state.window_attempts, ==, 0);
  g_assert_no_error (error);
}

static void
fill_audit (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_store_append_audit (f->store, NOW, "alice", "login.success", NULL, &error));
  g_assert_true (tf_store_append_audit (f->store, NOW + 1, NULL, "pending.expired", "2", &error));
  g_assert_true (tf_store_append_audit (f->store, NOW + 2, "bob", "login.failure", "", &error));
  g_assert_true (tf_store_append_audit (f->store, NOW + 3, "alice", "password.changed", NULL, &error));
  g_assert_true (tf_store_append_audit (f->store, NOW + 4, "carol", "admin.delete", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (tf_store_verify_audit (f->store, &error));
  g_assert_no_error (error);
}

static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(TfStore) store = NULL;
  TfAuditEntry *entry;

  g_assert_true (tf_store_verify_audit (f->store, &error));
  g_assert_no_error (error);
  fill_audit (f);

  entries = tf_store_list_audit (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 5);
  entry = entries->pdata[1];
  g_assert_cmpint (entry->id, ==, 2);
  g_assert_cmpint (entry->time, ==, NOW + 1);
  g_assert_null (entry->username);
  g_assert_cmpstr (entry->event, ==, "pending.expired");
  g_assert_cmpstr (entry->detail, ==, "2");
  entry = entries->pdata[2];
  g_assert_cmpstr (entry->username, ==, "bob");
  g_assert_cmpstr (entry->detail, ==, "");

  /* The chain survives closing, and only the right key verifies it. */
  g_clear_object (&f->store);
  store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tf_store_attach_vault (store, f->vault, &error));
  g_assert_true (tf_store_verify_audit (store, &error));
  g_assert_true (tf_store_append_audit (store, NOW + 5, "dave", "login.success", NULL, &error));
  g_assert_true (tf_store_verify_audit (store, &error));
  g_assert_no_error (error);
}

static void
test_audit_edited (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fill_audit (f);
  raw_exec (f->path, "UPDATE audit SET detail = '3' WHERE id = 2");
  g_assert_false (tf_store_verify_audit (f->store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "entry 2 "));
  g_clear_error (&error);

  /* NULL and "" are different details. */
  raw_exec (f->path, "UPDATE audit SET detail = '2' WHERE id = 2;"
                     "UPDATE audit SET detail = NULL WHERE id = 3");
  g_assert_false (tf_store_verify_audit (f->store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "entry 3 "));
  g_clear_error (&error);

  raw_exec (f->path, "UPDATE audit SET detail = '' WHERE id = 3;"
                     "UPDATE audit SET time = time + 1 WHERE id = 5");
  g_assert_false (tf_store_verify_audit (f->store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_clear_error (&error);

  raw_exec (f->path, "UPDATE audit SET time = time - 1 WHERE id = 5");
  g_assert_true (tf_store_verify_audit (f->store, &error));
  g_assert_no_error (error);
}

static void
test_audit_deleted_middle (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fill_audit (f);
  raw_exec (f->path, "DELETE FROM audit WHERE id = 3");
  g_assert_false (tf_store_verify_audit (f->store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "entry 4 "));
}

static void
test_audit_deleted_last (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fill_audit (f);
  /* Even with the count fixed, the head cannot be forged without the key. */
  raw_exec (f->path, "DELETE FROM audit WHERE id = 5;"
                     "UPDATE meta SET value = 4 WHERE key = 'audit_count'");
  g_assert_false (tf_store_verify_audit (f->store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_assert_nonnull (strstr (error->message, "after entry 4"));
  g_clear_error (&error);

  /* A new entry would hide the cut: it is refused. */
  g_assert_false (tf_store_append_audit (f->store, NOW + 9, "eve", "login.success", NULL, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_clear_error (&error);
  g_assert_false (tf_store_verify_audit (f->store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_clear_error (&error);

  /* Emptied entirely: detected too, even with the head removed. */
  raw_exec (f->path, "DELETE FROM audit");
  g_assert_false (tf_store_verify_audit (f->store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
  g_clear_error (&error);
  raw_exec (f->path, "DELETE FROM meta WHERE key IN ('audit_head', 'audit_count')");
  g_assert_false (tf_store_verify_audit (f->store, &error));
  g_assert_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED);
}

typedef struct {
  TfStore *store;
  guint    index;
} ThreadData;

static gpointer
thread_work (gpointer data)
{
  ThreadData *td = data;

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *name = g_strdup_printf ("t%u-%u", td->index, i);
      gint64 id = add_user (td->store, name);
      g_autoptr(GError) error = NULL;

      g_assert_true (tf_store_consume_totp_step (td->store, id, 7, 0, NOW, &error));
      g_assert_no_error (error);
      g_assert_true (tf_store_append_audit (td->store, NOW, name, "thread", NULL, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

static void
test_threads (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  ThreadData td[4];
  GThread *threads[4];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      td[i] = (ThreadData) { f->store, i };
      threads[i] = g_thread_new ("store-test", thread_work, &td[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (tf_store_count_users (f->store, &error), ==, 100);
  g_assert_true (tf_store_verify_audit (f->store, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

#define ADD(path, func) \
  g_test_add ("/twofold/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("users", test_users);
  ADD ("record-login", test_record_login);
  ADD ("expire-pending", test_expire_pending);
  ADD ("totp", test_totp);
  ADD ("recovery-codes", test_recovery_codes);
  ADD ("throttle", test_throttle);
  ADD ("listing", test_listing);
  ADD ("audit", test_audit);
  ADD ("audit-edited", test_audit_edited);
  ADD ("audit-deleted-middle", test_audit_deleted_middle);
  ADD ("audit-deleted-last", test_audit_deleted_last);
  ADD ("threads", test_threads);
#undef ADD

  return g_test_run ();
}
