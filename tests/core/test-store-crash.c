/* test-store-crash.c — the store shared by several processes: a writer
 * killed at random points loses nothing it acknowledged, two writers wait
 * for each other instead of failing, and a TOTP step raced by two
 * processes is accepted exactly once. The second process is store-writer. */
#include "tf-core.h"
#include "tf-store.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#define KILLS 100
#define CONTEND_ROUNDS 1000
#define RACE_ROUNDS 50

typedef struct {
  char           *path;
  char           *key_hex;
  TfSecureBuffer *key;
  TfVault        *vault;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;
  GString *hex = g_string_new (NULL);

  f->path = g_build_filename (g_get_user_data_dir (), "twofold", "store.db", NULL);
  f->key = tf_secure_buffer_new_random (TF_VAULT_KEY_LENGTH);
  f->vault = tf_vault_new (f->key);
  for (guint i = 0; i < TF_VAULT_KEY_LENGTH; i++)
    g_string_append_printf (hex, "%02x", tf_secure_buffer_get_data (f->key)[i]);
  f->key_hex = g_string_free (hex, FALSE);

  store = tf_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tf_store_attach_vault (store, f->vault, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->vault);
  g_clear_pointer (&f->key, tf_secure_buffer_unref);
  g_free (f->key_hex);
  g_free (f->path);
}

static TfStore *
open_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = tf_store_open (f->path, &error);

  g_assert_no_error (error);
  g_assert_true (tf_store_check_integrity (store, &error));
  g_assert_no_error (error);
  g_assert_true (tf_store_attach_vault (store, f->vault, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&store);
}

static gint64
add_user (Fixture *f)
{
  g_autoptr(TfStore) store = open_store (f);
  g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (20);
  g_autoptr(GError) error = NULL;
  gint64 id = tf_store_create_user (store, "shared", NULL, NULL, NULL, "$argon2id$placeholder",
                                    secret, 1700000000, &error);

  g_assert_no_error (error);
  return id;
}

/* Every complete line of @bytes; a line cut by the kill is dropped. */
static GPtrArray *
complete_lines (GByteArray *bytes)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  const char *start;
  const char *end;
  const char *newline;

  /* Nothing read yet: data may be NULL, and memchr (NULL, …, 0) is
   * undefined behaviour (UBSan reports it). */
  if (bytes->len == 0)
    return lines;

  start = (const char *) bytes->data;
  end = start + bytes->len;
  while ((newline = memchr (start, '\n', end - start)) != NULL)
    {
      g_ptr_array_add (lines, g_strndup (start, newline - start));
      start = newline + 1;
    }
  return lines;
}

static void
read_to_end (GInputStream *stream,
             GByteArray   *into)
{
  guint8 buffer[4096];
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, NULL)) > 0)
    g_byte_array_append (into, buffer, n);
}

static void
test_killed_writer (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GArray) all_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(TfStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint total_acked = 0;

  for (guint round = 0; round < KILLS; round++)
    {
      g_autofree char *prefix = g_strdup_printf ("w%03u", round);
      g_autoptr(GSubprocess) writer = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(GByteArray) rest = g_byte_array_new ();
      g_autoptr(GPtrArray) lines = NULL;
      g_autofree char *ready = NULL;

      writer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                 TF_STORE_WRITER, "create", f->path, f->key_hex, prefix, NULL);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (writer));
      ready = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (ready, ==, "ready");

      g_usleep (g_random_int_range (5, 101) * 1000);
      g_subprocess_send_signal (writer, SIGKILL);
      read_to_end (G_INPUT_STREAM (out), rest);
      g_assert_true (g_subprocess_wait (writer, NULL, &error));
      g_assert_true (g_subprocess_get_if_signaled (writer));
      g_assert_cmpint (g_subprocess_get_term_sig (writer), ==, SIGKILL);

      /* Every user acknowledged before the kill is there, whole. */
      store = open_store (f);
      lines = complete_lines (rest);
      for (guint i = 0; i < lines->len; i++)
        {
          gint64 id = g_ascii_strtoll (lines->pdata[i], NULL, 10);
          g_autoptr(TfUser) user = tf_store_get_user (store, id, &error);
          g_autoptr(TfSecureBuffer) hash = NULL;

          g_assert_no_error (error);
          g_assert_true (g_str_has_prefix (user->username, prefix));
          hash = tf_store_get_password_hash (store, id, &error);
          g_assert_no_error (error);
          g_array_append_val (all_ids, id);
        }
      total_acked += lines->len;
      g_clear_object (&store);
    }

  /* And nothing acknowledged earlier went missing later. */
  store = open_store (f);
  g_assert_cmpuint (tf_store_count_users (store, &error), >=, total_acked);
  for (guint i = 0; i < all_ids->len; i++)
    {
      g_autoptr(TfUser) user = tf_store_get_user (store, g_array_index (all_ids, gint64, i), &error);

      g_assert_no_error (error);
    }
  g_test_message ("%u users acknowledged over %u kills", total_acked, KILLS);
  g_assert_cmpuint (total_acked, >, 0);
}

/* Waits for a contending writer; returns when it worked, as wall-clock
 * microseconds. */
static void
wait_done (GSubprocess *process,
           gint64      *start,
           gint64      *end)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpint (sscanf (out, "done %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", start, end), ==, 2);
}

static void
test_contention (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;
  g_autoptr(TfUser) user = NULL;
  g_autoptr(TfTotpRecord) totp = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *rounds = g_strdup_printf ("%d", CONTEND_ROUNDS);
  g_autofree char *start_text = NULL;
  GSubprocess *writers[2];
  gint64 start[2], end[2];
  TfThrottleState state;
  gint64 id = add_user (f);

  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  /* Both start together, once both have opened the store. */
  start_text = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () + 800 * 1000);
  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    {
      writers[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, TF_STORE_WRITER,
                                     "contend", f->path, f->key_hex, id_text, rounds, start_text,
                                     NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (writers); i++)
    {
      wait_done (writers[i], &start[i], &end[i]);
      g_object_unref (writers[i]);
    }
  g_test_message ("%d write transactions in %.2f s, %.2f s of them together",
                  3 * 2 * CONTEND_ROUNDS, (MAX (end[0], end[1]) - MIN (start[0], start[1])) / 1e6,
                  (MIN (end[0], end[1]) - MAX (start[0], start[1])) / 1e6);
  /* They did run at the same time, or the test proves nothing. */
  g_assert_cmpint (MAX (start[0], start[1]), <, MIN (end[0], end[1]));

  /* No update was lost to the other process. */
  store = open_store (f);
  g_assert_true (tf_store_get_throttle (store, "shared", &state, &error));
  g_assert_cmpuint (state.failures, ==, 2 * CONTEND_ROUNDS);
  user = tf_store_get_user (store, id, &error);
  g_assert_cmpuint (user->failed_since_login, ==, 2 * CONTEND_ROUNDS);
  totp = tf_store_get_totp (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (totp->last_step, ==, 1000 + CONTEND_ROUNDS - 1);
}

static void
test_step_race (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *rounds = g_strdup_printf ("%d", RACE_ROUNDS);
  g_autofree char *start = NULL;
  GSubprocess *racers[2];
  guint wins[RACE_ROUNDS] = { 0, };
  gint64 id = add_user (f);

  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  /* Time for both to start and open the store; then they move together. */
  start = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () + 800 * 1000);
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    {
      racers[i] = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, TF_STORE_WRITER,
                                    "race", f->path, f->key_hex, id_text, rounds, start, NULL);
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (racers); i++)
    {
      g_autofree char *out = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_true (g_subprocess_communicate_utf8 (racers[i], NULL, NULL, &out, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (racers[i]), ==, 0);
      g_object_unref (racers[i]);

      lines = g_strsplit (out, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, RACE_ROUNDS + 1);
      for (guint r = 0; r < RACE_ROUNDS; r++)
        {
          guint round, won;

          g_assert_cmpint (sscanf (lines[r], "%u %u", &round, &won), ==, 2);
          g_assert_cmpuint (round, ==, r);
          wins[r] += won;
        }
    }

  /* Each step went to exactly one process. */
  for (guint r = 0; r < RACE_ROUNDS; r++)
    g_assert_cmpuint (wins[r], ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

#define ADD(path, func) \
  g_test_add ("/twofold/store/processes/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("killed-writer", test_killed_writer);
  ADD ("contention", test_contention);
  ADD ("step-race", test_step_race);
#undef ADD

  return g_test_run ();
}
