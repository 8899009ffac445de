/* bench-enumeration.c — does a failed login's time tell whether the
 * username exists? Times tf_auth_login with DEFAULT Argon2id limits for an
 * unknown user, a wrong password and a wrong code, interleaved, and prints
 * min/median/max of each and the spread of the medians (target: within 10 %).
 *
 *   meson test --benchmark -C _build enumeration    (or run the binary; -n N)
 */
#include "tf-auth.h"
#include "tf-core.h"
#include "tf-otp.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#define PASSWORD "correct horse battery staple"

static int
compare (gconstpointer a,
         gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *store = NULL;
  g_autofree char *key = NULL;
  g_autoptr(TfAuth) auth = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(TfTotpRecord) totp = NULL;
  const char *names[] = { "unknown user", "wrong password", "wrong code" };
  GArray *times[3];
  double medians[3];
  char code[TF_OTP_CODE_SIZE];
  guint n = argc > 2 && g_str_equal (argv[1], "-n") ? (guint) atoi (argv[2]) : 30;
  gint64 id;

  tf_core_init ();
  dir = g_dir_make_tmp ("twofold-bench-XXXXXX", NULL);
  store = g_build_filename (dir, "twofold.db", NULL);
  key = g_build_filename (dir, "key", NULL);
  auth = tf_auth_open (store, key, NULL, "bench", TRUE, 1000, NULL, &error);
  g_assert_no_error (error);

  id = tf_auth_register (auth, "Alice", "Liddell", "alice", "alice@example.org",
                         PASSWORD, PASSWORD, &error);
  g_assert_no_error (error);
  totp = tf_store_get_totp (tf_auth_get_store (auth), id, &error);
  tf_totp (tf_secure_buffer_get_data (totp->secret), tf_secure_buffer_get_length (totp->secret),
           TF_OTP_SHA1, tf_auth_now (auth), 30, 6, code);
  codes = tf_auth_confirm_enrolment (auth, id, code, &error);
  g_assert_no_error (error);

  for (guint c = 0; c < 3; c++)
    times[c] = g_array_new (FALSE, FALSE, sizeof (double));

  /* One warm-up round, then n interleaved rounds. */
  for (guint round = 0; round <= n; round++)
    {
      for (guint c = 0; c < 3; c++)
        {
          const char *user = c == 0 ? "nobody" : "alice";
          const char *password = c == 1 ? "not the password at all" : PASSWORD;
          g_autoptr(GError) login_error = NULL;
          gint64 start, end;
          double ms;

          tf_store_clear_throttle (tf_auth_get_store (auth), c == 0 ? "user:nobody" : "user:alice", NULL);
          tf_store_clear_throttle (tf_auth_get_store (auth), "seat:bench", NULL);

          start = g_get_monotonic_time ();
          tf_login_result_free (tf_auth_login (auth, user, password, "000000", &login_error));
          end = g_get_monotonic_time ();
          g_assert_error (login_error, TF_AUTH_ERROR, TF_AUTH_ERROR_FAILED);

          ms = (end - start) / 1000.0;
          if (round > 0)
            g_array_append_val (times[c], ms);
        }
    }

  printf ("Failed-login time with default Argon2id limits, %u rounds:\n", n);
  for (guint c = 0; c < 3; c++)
    {
      double *v = (double *) times[c]->data;

      qsort (v, times[c]->len, sizeof (double), (int (*) (const void *, const void *)) compare);
      medians[c] = v[times[c]->len / 2];
      printf ("  %-15s min %7.2f ms  median %7.2f ms  max %7.2f ms\n", names[c],
              v[0], medians[c], v[times[c]->len - 1]);
      g_array_free (times[c], TRUE);
    }

  {
    double lo = MIN (medians[0], MIN (medians[1], medians[2]));
    double hi = MAX (medians[0], MAX (medians[1], medians[2]));

    printf ("  spread of medians: %.1f %% (target ≤ 10 %%)\n", (hi - lo) / lo * 100.0);
  }

  g_remove (store);
  return 0;
}
