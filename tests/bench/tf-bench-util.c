/* tf-bench-util.c */
#include "tf-bench-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tf-otp.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The 1-based rank k of the values that bound the median's 95 % interval,
 * [x(k), x(n + 1 - k)]: the largest k with P(Binomial(n, ½) < k) ≤ 0.025,
 * or 1 when there is none. */
static guint
median_interval_rank (guint n)
{
  double below = 0;  /* P(B < k) */
  guint k = 0;

  while (k < n / 2)
    {
      /* P(B = k), in logarithms so that a large n does not underflow. */
      double term = exp (lgamma (n + 1.0) - lgamma (k + 1.0) - lgamma (n - k + 1.0)
                         - n * G_LN2);

      if (below + term > 0.025)
        break;
      below += term;
      k++;
    }
  return MAX (k, 1);
}

TfBenchStats
tf_bench_stats (GArray *values)
{
  TfBenchStats stats = { 0 };
  g_autofree double *v = NULL;
  guint k;

  if (values->len == 0)
    return stats;
  /* A sorted copy: callers pair values of the same round by index. */
  v = g_memdup2 (values->data, values->len * sizeof (double));
  qsort (v, values->len, sizeof (double), compare_doubles);
  stats.n = values->len;
  stats.min = v[0];
  stats.max = v[values->len - 1];
  stats.median = values->len % 2 ? v[values->len / 2]
                                 : (v[values->len / 2 - 1] + v[values->len / 2]) / 2.0;
  k = median_interval_rank (values->len);
  stats.median_low = v[k - 1];
  stats.median_high = v[values->len - k];
  return stats;
}

void
tf_bench_print (const char *name,
                const char *unit,
                GArray     *values)
{
  TfBenchStats s = tf_bench_stats (values);

  printf ("  %-34s n=%-3u min %9.2f  median %9.2f  max %9.2f %s\n",
          name, s.n, s.min, s.median, s.max, unit);
  fflush (stdout);
}

char *
tf_bench_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("twofold-bench-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
tf_bench_rmtree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        tf_bench_rmtree (child);
      }
  g_remove (path);
}

void
tf_bench_code (TfAuth *auth,
               gint64  user_id,
               gint64  time,
               char    code[TF_OTP_CODE_SIZE])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfTotpRecord) totp = tf_store_get_totp (tf_auth_get_store (auth), user_id, &error);

  g_assert_no_error (error);
  g_assert_true (tf_totp (tf_secure_buffer_get_data (totp->secret),
                          tf_secure_buffer_get_length (totp->secret),
                          TF_OTP_SHA1, time, 30, 6, code));
}

static gint64
fill (const char *store_path,
      const char *key_path,
      guint       n_fillers)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfAuth) auth = NULL;
  g_autoptr(TfSecureBuffer) password = tf_secure_buffer_new_from_string (TF_BENCH_FILLER_PASSWORD);
  TfPasswordLimits min_limits = { crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN };
  TfStore *store;
  TfVault *vault;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autoptr(GPtrArray) codes = NULL;
  char code[TF_OTP_CODE_SIZE];
  gint64 id;

  /* A new store makes its key file. */
  auth = tf_auth_open (store_path, key_path, "Twofold", "bench", TRUE, 5000, NULL, &error);
  g_assert_no_error (error);
  store = tf_auth_get_store (auth);
  vault = tf_store_get_vault (store);

  for (guint i = 0; i < n_fillers; i++)
    {
      g_autofree char *username = g_strdup_printf ("user%06u", i);
      g_autofree char *email = g_strdup_printf ("user%06u@example.org", i);
      g_autofree char *hash = NULL;
      g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (TF_AUTH_TOTP_SECRET_BYTES);
      guint8 hashes[TF_AUTH_RECOVERY_CODES * TF_STORE_RECOVERY_HASH_SIZE];
      gint64 created = now - 86400 * 30 + i % 86400;
      gint64 user_id;

      hash = tf_password_hash (password, &min_limits, &error);
      g_assert_no_error (error);
      user_id = tf_store_create_user (store, username, "Filler", "Account", email, hash, secret,
                                      created, &error);
      g_assert_no_error (error);
      g_assert_true (tf_store_confirm_totp (store, user_id, created / 30, created, &error));
      for (guint c = 0; c < TF_AUTH_RECOVERY_CODES; c++)
        {
          guint8 raw[10];

          randombytes_buf (raw, sizeof raw);
          tf_vault_keyed_hash (vault, TF_VAULT_PURPOSE_RECOVERY_CODE, raw, sizeof raw,
                               hashes + c * TF_STORE_RECOVERY_HASH_SIZE);
        }
      g_assert_true (tf_store_replace_recovery_codes (store, user_id, hashes,
                                                      TF_AUTH_RECOVERY_CODES, &error));
      g_assert_true (tf_store_append_audit (store, created, username, "register", NULL, &error));
      g_assert_true (tf_store_append_audit (store, created, username, "enrolment.confirmed",
                                            NULL, &error));
      g_assert_no_error (error);
    }

  /* The account the benchmarks log in with, made as the application makes it. */
  id = tf_auth_register (auth, "Alice", "Liddell", TF_BENCH_USER, "alice@example.org",
                         TF_BENCH_PASSWORD, TF_BENCH_PASSWORD, &error);
  g_assert_no_error (error);
  tf_bench_code (auth, id, tf_auth_now (auth), code);
  codes = tf_auth_confirm_enrolment (auth, id, code, &error);
  g_assert_no_error (error);

  return id;
}

/* Copies @from to @to and waits until the copy is on the disk, as a store
 * people use has long been. Left in the page cache, a copy of 100 MiB is
 * written back about 30 s later (vm.dirty_expire_centisecs), in the middle
 * of the start-up benchmark's rounds. */
static void
copy_file (const char *from,
           const char *to)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) target = g_file_new_for_path (to);
  g_autoptr(GError) error = NULL;
  int fd;

  g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (to, 0600), ==, 0);
  fd = g_open (to, O_RDONLY | O_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (fsync (fd), ==, 0);
  g_close (fd, NULL);
}

gint64
tf_bench_fill_store (const char *store_path,
                     const char *key_path,
                     guint       n_fillers)
{
  g_autofree char *work = NULL;
  g_autofree char *work_store = NULL;
  g_autofree char *store_dir = g_path_get_dirname (store_path);
  gint64 start = g_get_monotonic_time ();
  gint64 id;

  /* fsync is free on tmpfs: one transaction per operation costs nothing. */
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    work = g_mkdtemp_full (g_strdup ("/dev/shm/twofold-fill-XXXXXX"), 0700);
  else
    work = tf_bench_tmpdir ();
  g_assert_nonnull (work);
  work_store = g_build_filename (work, "twofold.db", NULL);

  id = fill (work_store, key_path, n_fillers);

  g_assert_cmpint (g_mkdir_with_parents (store_dir, 0700), ==, 0);
  /* Closing the store checkpointed its WAL into the main file. */
  copy_file (work_store, store_path);
  tf_bench_rmtree (work);

  {
    GStatBuf st;

    g_assert_cmpint (g_stat (store_path, &st), ==, 0);
    printf ("  generated %u + 1 accounts in %.1f s (%.1f MiB)\n", n_fillers,
            (g_get_monotonic_time () - start) / 1e6, st.st_size / 1048576.0);
    fflush (stdout);
  }
  return id;
}

gint64
tf_bench_copy_filled_store (const char *store_path,
                            const char *key_path,
                            guint       n_fillers)
{
  const char *root = g_getenv ("TF_BUILD_ROOT");
  g_autofree char *cache = NULL;
  g_autofree char *cached_store = NULL;
  g_autofree char *cached_key = NULL;
  g_autofree char *cached_id = NULL;
  g_autofree char *id_text = NULL;
  g_autofree char *store_dir = g_path_get_dirname (store_path);

  cache = g_build_filename (root != NULL ? root : g_get_tmp_dir (), "tests", "bench", "cache", NULL);
  g_assert_cmpint (g_mkdir_with_parents (cache, 0700), ==, 0);
  g_chmod (cache, 0700);
  cached_store = g_strdup_printf ("%s/store-%u.db", cache, n_fillers);
  cached_key = g_strdup_printf ("%s/store-%u.key", cache, n_fillers);
  cached_id = g_strdup_printf ("%s/store-%u.id", cache, n_fillers);

  if (!g_file_get_contents (cached_id, &id_text, NULL, NULL) ||
      !g_file_test (cached_store, G_FILE_TEST_EXISTS))
    {
      gint64 id;

      g_remove (cached_store);
      g_remove (cached_key);
      id = tf_bench_fill_store (cached_store, cached_key, n_fillers);
      id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_assert_true (g_file_set_contents (cached_id, id_text, -1, NULL));
    }
  else
    {
      printf ("  using the store of %u + 1 accounts generated earlier: %s\n", n_fillers,
              cached_store);
    }

  g_assert_cmpint (g_mkdir_with_parents (store_dir, 0700), ==, 0);
  copy_file (cached_store, store_path);
  copy_file (cached_key, key_path);
  return g_ascii_strtoll (id_text, NULL, 10);
}
