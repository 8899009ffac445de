/* store-writer.c — a second process for test-store-crash.c.
 *
 *   store-writer create  PATH KEYHEX PREFIX
 *       prints "ready", then creates users PREFIX-0, PREFIX-1, … forever,
 *       printing each id once tf_store_create_user () has returned;
 *   store-writer contend PATH KEYHEX USER_ID ROUNDS START_USEC
 *       from START_USEC (wall clock) on, ROUNDS times: a throttle
 *       increment, a TOTP step, a user failure,
 *       each a write transaction; prints "done START END" (wall clock, µs);
 *   store-writer race    PATH KEYHEX USER_ID ROUNDS START_USEC
 *       round r waits for START_USEC + r × 30 ms (wall clock), consumes
 *       step r + 1 and prints "r 1" or "r 0".
 * Any error is printed on stderr and exits 1.
 */
#include "tf-core.h"
#include "tf-store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RACE_SPACING_USEC (30 * 1000)

static TfVault *
vault_from_hex (const char *hex)
{
  g_autoptr(TfSecureBuffer) key = tf_secure_buffer_new (TF_VAULT_KEY_LENGTH);
  guint8 *data = tf_secure_buffer_get_data (key);

  if (strlen (hex) != 2 * TF_VAULT_KEY_LENGTH)
    return NULL;
  for (guint i = 0; i < TF_VAULT_KEY_LENGTH; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        return NULL;
      data[i] = (guint8) (hi << 4 | lo);
    }
  return tf_vault_new (key);
}

static int
fail (const char   *what,
      const GError *error)
{
  fprintf (stderr, "store-writer: %s: %s\n", what, error != NULL ? error->message : "failed");
  return 1;
}

static gboolean
increment (TfThrottleState *state,
           gpointer         user_data)
{
  state->failures++;
  return TRUE;
}

static int
run_create (TfStore    *store,
            const char *prefix)
{
  g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (20);

  printf ("ready\n");
  fflush (stdout);
  for (guint64 n = 0; ; n++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("%s-%" G_GUINT64_FORMAT, prefix, n);
      gint64 id = tf_store_create_user (store, name, "Crash", "Test", "crash@example.org",
                                        "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
                                        secret, 1700000000, &error);

      if (id <= 0)
        return fail ("create", error);
      printf ("%" G_GINT64_FORMAT "\n", id);
      fflush (stdout);
    }
}

static int
run_contend (TfStore *store,
             gint64   user_id,
             guint    rounds,
             gint64   start)
{
  if (start > g_get_real_time ())
    g_usleep (start - g_get_real_time ());
  start = g_get_real_time ();

  for (guint i = 0; i < rounds; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!tf_store_update_throttle (store, "shared", increment, NULL, &error))
        return fail ("throttle", error);
      tf_store_consume_totp_step (store, user_id, 1000 + i, 0, 1700000000, &error);
      if (error != NULL)
        return fail ("consume", error);
      if (!tf_store_record_user_failure (store, user_id, &error))
        return fail ("failure", error);
    }
  printf ("done %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n", start, g_get_real_time ());
  return 0;
}

static int
run_race (TfStore *store,
          gint64   user_id,
          guint    rounds,
          gint64   start)
{
  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(GError) error = NULL;
      gint64 wait = start + (gint64) r * RACE_SPACING_USEC - g_get_real_time ();
      gboolean won;

      if (wait > 0)
        g_usleep (wait);
      won = tf_store_consume_totp_step (store, user_id, r + 1, 0, 1700000000, &error);
      if (error != NULL)
        return fail ("consume", error);
      printf ("%u %d\n", r, won ? 1 : 0);
    }
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfStore) store = NULL;
  g_autoptr(TfVault) vault = NULL;

  tf_core_init ();
  if (argc < 5)
    {
      fprintf (stderr, "usage: store-writer create|contend|race PATH KEYHEX ARGS…\n");
      return 2;
    }

  vault = vault_from_hex (argv[3]);
  if (vault == NULL)
    return fail ("key", NULL);
  store = tf_store_open (argv[2], &error);
  if (store == NULL)
    return fail ("open", error);
  if (!tf_store_attach_vault (store, vault, &error))
    return fail ("attach", error);

  if (strcmp (argv[1], "create") == 0)
    return run_create (store, argv[4]);
  if (strcmp (argv[1], "contend") == 0 && argc == 7)
    return run_contend (store, g_ascii_strtoll (argv[4], NULL, 10),
                        (guint) g_ascii_strtoull (argv[5], NULL, 10),
                        g_ascii_strtoll (argv[6], NULL, 10));
  if (strcmp (argv[1], "race") == 0 && argc == 7)
    return run_race (store, g_ascii_strtoll (argv[4], NULL, 10),
                     (guint) g_ascii_strtoull (argv[5], NULL, 10),
                     g_ascii_strtoll (argv[6], NULL, 10));

  fprintf (stderr, "store-writer: bad arguments\n");
  return 2;
}
