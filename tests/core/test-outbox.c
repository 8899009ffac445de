/* test-outbox.c — the outbox against a real aiosmtpd on 127.0.0.1: sealed
 * bodies, retries with backoff on the injected clock, giving up, permanent
 * refusals, mail not configured, and the worker thread. */
#include "tf-outbox.h"
#include "tf-test-smtp.h"
#include "tf-test-util.h"

#include <sqlite3.h>
#include <string.h>

#define SECRET_TEXT "Your code is 8765 4321.\r\n"

static TfTestSmtp *plain;

static TfMailMessage *
make_message (TfTestFixture *fixture,
              const char    *to)
{
  TfMailMessage *message = tf_mail_message_new ();

  message->to_address = g_strdup (to);
  message->to_name = g_strdup ("Alice Liddell");
  message->subject = g_strdup ("Outbox test");
  message->text = tf_secure_buffer_new_from_string (SECRET_TEXT);
  message->html = tf_secure_buffer_new_from_string ("<p>Your code is 8765 4321.</p>\r\n");
  message->date = fixture->now;
  return message;
}

static gint64
enqueue (TfTestFixture *fixture,
         const char    *to)
{
  g_autoptr(TfMailMessage) message = make_message (fixture, to);
  g_autoptr(GError) error = NULL;
  gint64 id = tf_outbox_enqueue (fixture->store, message, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static TfOutboxEntry *
find_entry (TfTestFixture *fixture,
            gint64         id)
{
  g_autoptr(GPtrArray) entries = tf_store_mail_list_outbox (fixture->store, NULL);

  g_assert_nonnull (entries);
  for (guint i = 0; i < entries->len; i++)
    {
      TfOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->id == id)
        return g_ptr_array_steal_index (entries, i);
    }
  g_assert_not_reached ();
}

static void
flush (TfTestFixture       *fixture,
       TfMailerConfig      *config,
       gboolean             all,
       TfOutboxFlushResult *result)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tf_outbox_flush (fixture->store, config, fixture->now, all, NULL, result, &error));
  g_assert_no_error (error);
}

static void
test_retry_delay (void)
{
  const gint64 expected[] = { 60, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (tf_outbox_retry_delay (i), ==, expected[i]);
  g_assert_cmpint (tf_outbox_retry_delay (G_MAXUINT), ==, 3600);
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  value = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
test_sealed (TfTestFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfOutboxEntry) entry = NULL;
  TfOutboxFlushResult result = { 0, };
  gint64 first = enqueue (fixture, "alice@example.org");
  gint64 second = enqueue (fixture, "alice@example.org");

  /* The body is not in the file in clear... */
  g_assert_cmpint (raw_int (fixture->path, "SELECT count(*) FROM outbox WHERE body IS NOT NULL"
                            " AND instr (body, '8765') = 0 AND instr (body, 'Alice') = 0"), ==, 2);
  /* ... and sealed for its row: copied onto another, it does not open. */
  g_assert_cmpint (raw_int (fixture->path, "UPDATE outbox SET body = (SELECT body FROM outbox"
                            " WHERE id = 1) WHERE id = 2 RETURNING 0"), ==, 0);
  g_assert_cmpint (first, ==, 1);

  flush (fixture, config, FALSE, &result);
  g_assert_cmpuint (result.sent, ==, 1);
  g_assert_cmpuint (result.failed, ==, 1);
  tf_outbox_flush_result_clear (&result);
  entry = find_entry (fixture, second);
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_FAILED);
  /* Once sent or failed, the body is gone. */
  g_assert_cmpint (raw_int (fixture->path, "SELECT count(*) FROM outbox WHERE body IS NULL"), ==, 2);
}

static void
test_not_configured (TfTestFixture *fixture,
                     gconstpointer  data)
{
  g_autoptr(TfOutboxEntry) entry = NULL;
  TfOutboxFlushResult result = { 0, };
  gint64 id = enqueue (fixture, "alice@example.org");

  flush (fixture, NULL, FALSE, &result);
  g_assert_cmpuint (result.deferred, ==, 1);
  g_assert_cmpstr (result.last_error, ==, "mail is not configured");
  tf_outbox_flush_result_clear (&result);
  entry = find_entry (fixture, id);
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_QUEUED);
  g_assert_cmpuint (entry->attempts, ==, 0);
  g_assert_cmpstr (entry->last_error, ==, "mail is not configured");
  g_clear_pointer (&entry, tf_outbox_entry_free);

  /* Still not configured a day later: given up. */
  fixture->now += TF_OUTBOX_GIVE_UP + 1;
  flush (fixture, NULL, FALSE, &result);
  tf_outbox_flush_result_clear (&result);
  entry = find_entry (fixture, id);
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_FAILED);
}

static void
test_down_then_up (TfTestFixture *fixture,
                   gconstpointer  data)
{
  guint16 port = tf_test_free_port ();
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (NULL, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfOutboxEntry) entry = NULL;
  TfOutboxFlushResult result = { 0, };
  TfTestSmtp *server;
  gint64 queued_at = fixture->now;
  gint64 id;

  config->port = port;
  id = enqueue (fixture, "alice@example.org");
  flush (fixture, config, FALSE, &result);
  g_assert_cmpuint (result.deferred, ==, 1);
  tf_outbox_flush_result_clear (&result);
  entry = find_entry (fixture, id);
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_QUEUED);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpint (entry->next_attempt_at, ==, queued_at + 60);
  g_assert_nonnull (strstr (entry->last_error, "connect"));
  g_clear_pointer (&entry, tf_outbox_entry_free);

  /* Not due yet: nothing is tried. */
  server = tf_test_smtp_start (TF_TEST_SMTP_PLAIN, port, NULL);
  fixture->now += 59;
  flush (fixture, config, FALSE, &result);
  g_assert_cmpuint (result.sent + result.deferred, ==, 0);
  tf_outbox_flush_result_clear (&result);

  fixture->now += 1;
  flush (fixture, config, FALSE, &result);
  g_assert_cmpuint (result.sent, ==, 1);
  tf_outbox_flush_result_clear (&result);
  entry = find_entry (fixture, id);
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_SENT);
  g_assert_cmpuint (entry->attempts, ==, 2);
  g_assert_null (entry->last_error);
  {
    g_autoptr(GKeyFile) received = tf_test_smtp_message (server, 1, 5000);
    g_autofree char *text = NULL;

    g_assert_nonnull (received);
    text = g_key_file_get_string (received, "text", "body", NULL);
    g_assert_cmpstr (text, ==, SECRET_TEXT);
  }

  tf_test_smtp_free (server);
}

static void
test_starttls_queued (TfTestFixture *fixture,
                      gconstpointer  data)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_STARTTLS);
  g_autoptr(TfOutboxEntry) entry = NULL;
  TfOutboxFlushResult result = { 0, };
  guint before = tf_test_smtp_count (plain);
  gint64 id = enqueue (fixture, "alice@example.org");

  flush (fixture, config, FALSE, &result);
  tf_outbox_flush_result_clear (&result);
  entry = find_entry (fixture, id);
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_QUEUED);
  g_assert_nonnull (strstr (entry->last_error, "STARTTLS"));
  g_assert_cmpuint (tf_test_smtp_count (plain), ==, before);
}

static void
test_rejected (TfTestFixture *fixture,
               gconstpointer  data)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfOutboxEntry) entry = NULL;
  TfOutboxFlushResult result = { 0, };
  gint64 id = enqueue (fixture, "nobody@example.org");

  flush (fixture, config, FALSE, &result);
  g_assert_cmpuint (result.failed, ==, 1);
  tf_outbox_flush_result_clear (&result);
  entry = find_entry (fixture, id);
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_FAILED);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_nonnull (strstr (entry->last_error, "550 5.1.1 no such user"));
}

static void
test_backoff_gives_up (TfTestFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  TfOutboxFlushResult result = { 0, };
  gint64 queued_at = fixture->now;
  gint64 id = enqueue (fixture, "busy@example.org");
  gint64 expected_delay = 60;
  guint attempts = 0;

  for (;;)
    {
      g_autoptr(TfOutboxEntry) entry = NULL;

      flush (fixture, config, FALSE, &result);
      tf_outbox_flush_result_clear (&result);
      attempts++;
      entry = find_entry (fixture, id);
      g_assert_cmpuint (entry->attempts, ==, attempts);
      g_assert_nonnull (strstr (entry->last_error, "451 4.3.0 try again later"));
      if (entry->state == TF_OUTBOX_FAILED)
        break;

      g_assert_cmpint (entry->state, ==, TF_OUTBOX_QUEUED);
      /* 1 min doubling to 1 h, the last try when the 24 hours are up. */
      g_assert_cmpint (entry->next_attempt_at, ==,
                       MIN (fixture->now + expected_delay, queued_at + TF_OUTBOX_GIVE_UP));
      fixture->now = entry->next_attempt_at;
      expected_delay = MIN (expected_delay * 2, 3600);
      g_assert_cmpuint (attempts, <, 60);
    }

  g_assert_cmpint (fixture->now, ==, queued_at + TF_OUTBOX_GIVE_UP);
  /* 6 tries in the first 63 minutes, then one an hour, the last at 24 h. */
  g_assert_cmpuint (attempts, ==, 6 + 23 + 1);
}

static void
test_retry_all (TfTestFixture *fixture,
                gconstpointer  data)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfMailerConfig) down = tf_test_smtp_config (NULL, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfOutboxEntry) entry = NULL;
  TfOutboxFlushResult result = { 0, };
  gint64 id = enqueue (fixture, "alice@example.org");

  flush (fixture, down, FALSE, &result);
  tf_outbox_flush_result_clear (&result);

  /* Not due, but `outbox --retry` sends it anyway. */
  flush (fixture, config, FALSE, &result);
  g_assert_cmpuint (result.sent, ==, 0);
  tf_outbox_flush_result_clear (&result);
  flush (fixture, config, TRUE, &result);
  g_assert_cmpuint (result.sent, ==, 1);
  tf_outbox_flush_result_clear (&result);
  entry = find_entry (fixture, id);
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_SENT);
}

static void
test_tarpit (TfTestFixture *fixture,
             gconstpointer  data)
{
  TfTestSmtp *tarpit = tf_test_smtp_start (TF_TEST_SMTP_TARPIT, 0, NULL);
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (tarpit, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfOutboxEntry) entry = NULL;
  TfOutboxFlushResult result = { 0, };
  gint64 id = enqueue (fixture, "alice@example.org");
  gint64 start = g_get_monotonic_time ();

  config->connect_timeout_ms = 1000;
  flush (fixture, config, FALSE, &result);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  tf_outbox_flush_result_clear (&result);
  entry = find_entry (fixture, id);
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_QUEUED);
  g_assert_nonnull (strstr (entry->last_error, "in time"));

  tf_test_smtp_free (tarpit);
}

static void
test_lease (TfTestFixture *fixture,
            gconstpointer  data)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfOutboxEntry) claimed = NULL;
  g_autoptr(TfSecureBuffer) body = NULL;
  g_autoptr(GError) error = NULL;
  TfOutboxFlushResult result = { 0, };
  gint64 failed_id = 0;

  enqueue (fixture, "alice@example.org");
  /* Another process took it and died mid-send. */
  claimed = tf_store_mail_claim (fixture->store, fixture->now, fixture->now + TF_OUTBOX_LEASE, 0,
                                 FALSE, &body, &failed_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claimed);
  g_assert_cmpint (claimed->state, ==, TF_OUTBOX_SENDING);
  g_assert_nonnull (body);

  flush (fixture, config, TRUE, &result);
  g_assert_cmpuint (result.sent, ==, 0);
  tf_outbox_flush_result_clear (&result);

  fixture->now += TF_OUTBOX_LEASE;
  flush (fixture, config, FALSE, &result);
  g_assert_cmpuint (result.sent, ==, 1);
  tf_outbox_flush_result_clear (&result);
}

static void
test_injection (TfTestFixture *fixture,
                gconstpointer  data)
{
  const char *attacks[] = { "\r", "\n", "\r\nBcc: victim@example.org", "<", ">", "\xe2\x80\xae" };
  g_autoptr(GPtrArray) entries = NULL;

  for (guint a = 0; a < G_N_ELEMENTS (attacks); a++)
    {
      for (guint field = 0; field < 3; field++)
        {
          g_autoptr(TfMailMessage) message = make_message (fixture, "alice@example.org");
          g_autoptr(GError) error = NULL;
          char **target[] = { &message->to_address, &message->to_name, &message->subject };
          char *old = *target[field];

          *target[field] = g_strconcat (old, attacks[a], NULL);
          g_free (old);
          g_assert_cmpint (tf_outbox_enqueue (fixture->store, message, NULL, &error), ==, 0);
          g_assert_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID);
        }
    }

  entries = tf_store_mail_list_outbox (fixture->store, NULL);
  g_assert_cmpuint (entries->len, ==, 0);
}

static gboolean
wait_for_state (TfTestFixture *fixture,
                gint64         id,
                TfOutboxState  state)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(TfOutboxEntry) entry = find_entry (fixture, id);

      if (entry->state == state)
        return TRUE;
      g_usleep (20000);
    }
  return FALSE;
}

static void
test_worker (TfTestFixture *fixture,
             gconstpointer  data)
{
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (plain, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfOutboxWorker) worker = tf_outbox_worker_new (fixture->store, NULL);
  g_autoptr(TfOutboxEntry) entry = NULL;
  guint before = tf_test_smtp_count (plain);
  gint64 id;

  tf_outbox_worker_set_clock (worker, tf_test_clock, fixture);
  tf_outbox_worker_start (worker);
  g_assert_true (tf_outbox_worker_is_running (worker));

  /* Not configured: the message waits, saying why. */
  id = enqueue (fixture, "alice@example.org");
  tf_outbox_worker_wake (worker);
  for (guint i = 0; i < 500 && (entry == NULL || entry->last_error == NULL); i++)
    {
      g_clear_pointer (&entry, tf_outbox_entry_free);
      g_usleep (20000);
      entry = find_entry (fixture, id);
    }
  g_assert_cmpstr (entry->last_error, ==, "mail is not configured");
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_QUEUED);

  /* Configured: sent at once, and so is the next one queued. */
  tf_outbox_worker_set_config (worker, config);
  g_assert_true (wait_for_state (fixture, id, TF_OUTBOX_SENT));
  id = enqueue (fixture, "alice@example.org");
  tf_outbox_worker_wake (worker);
  g_assert_true (wait_for_state (fixture, id, TF_OUTBOX_SENT));
  g_assert_true (tf_test_smtp_received (plain, before + 2, 5000));

  tf_outbox_worker_stop (worker);
  g_assert_false (tf_outbox_worker_is_running (worker));
}

static void
test_worker_stop (TfTestFixture *fixture,
                  gconstpointer  data)
{
  TfTestSmtp *tarpit = tf_test_smtp_start (TF_TEST_SMTP_TARPIT, 0, NULL);
  g_autoptr(TfMailerConfig) config = tf_test_smtp_config (tarpit, TF_SMTP_SECURITY_NONE);
  g_autoptr(TfOutboxWorker) worker = tf_outbox_worker_new (fixture->store, config);
  g_autoptr(TfOutboxEntry) entry = NULL;
  gint64 id = enqueue (fixture, "alice@example.org");
  gint64 start;

  /* The default limits (10 s, 30 s): stopping must not wait for them. */
  tf_outbox_worker_set_clock (worker, tf_test_clock, fixture);
  tf_outbox_worker_start (worker);
  g_assert_true (wait_for_state (fixture, id, TF_OUTBOX_SENDING));
  g_usleep (300000);

  start = g_get_monotonic_time ();
  tf_outbox_worker_stop (worker);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  /* Back in the queue, to be sent first thing next time. */
  entry = find_entry (fixture, id);
  g_assert_cmpint (entry->state, ==, TF_OUTBOX_QUEUED);
  g_assert_cmpint (entry->next_attempt_at, ==, fixture->now);
  g_assert_nonnull (strstr (entry->last_error, "cancelled"));

  g_clear_object (&worker);
  tf_test_smtp_free (tarpit);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  tf_core_init ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) \
  g_test_add ("/twofold/outbox/" path, TfTestFixture, NULL, \
              tf_test_fixture_setup, func, tf_test_fixture_teardown)
  g_test_add_func ("/twofold/outbox/retry-delay", test_retry_delay);
  ADD ("sealed", test_sealed);
  ADD ("not-configured", test_not_configured);
  ADD ("down-then-up", test_down_then_up);
  ADD ("starttls-stays-queued", test_starttls_queued);
  ADD ("rejected", test_rejected);
  ADD ("backoff-gives-up", test_backoff_gives_up);
  ADD ("retry-all", test_retry_all);
  ADD ("tarpit", test_tarpit);
  ADD ("lease", test_lease);
  ADD ("injection", test_injection);
  ADD ("worker", test_worker);
  ADD ("worker-stop", test_worker_stop);
#undef ADD

  plain = tf_test_smtp_start (TF_TEST_SMTP_PLAIN, 0, NULL);
  status = g_test_run ();
  tf_test_smtp_free (plain);

  return status;
}
