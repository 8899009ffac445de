/* tf-bench-util.h — what the benchmarks share: figures (min/median/max),
 * temporary directories, and the generator that fills a store with many
 * accounts through the store API. Benchmarks print figures; they never
 * assert on time. */
#pragma once

#include <gio/gio.h>

#include "tf-auth.h"
#include "tf-otp.h"

G_BEGIN_DECLS

#define TF_BENCH_PASSWORD "correct horse battery staple"
#define TF_BENCH_USER "alice"
/* The password of every filler account (user000000, user000001, …),
 * hashed with the minimum Argon2id limits. */
#define TF_BENCH_FILLER_PASSWORD "filler password 0"

typedef struct {
  guint  n;
  double min;
  double median;
  double max;
  /* A 95 % confidence interval for the median, from the order statistics
   * (no assumption about the distribution); min and max below 6 values. */
  double median_low;
  double median_high;
} TfBenchStats;

/* @values are doubles; they are left in their order. */
TfBenchStats tf_bench_stats        (GArray      *values);
void         tf_bench_print        (const char  *name,
                                    const char  *unit,
                                    GArray      *values);
/* A new private temporary directory (removed by tf_bench_rmtree). */
char        *tf_bench_tmpdir       (void);
void         tf_bench_rmtree       (const char  *path);

/* Fills a new store at @store_path (key file @key_path, made 0600) with
 * @n_fillers active accounts "user000000"… (minimal Argon2id limits, sealed
 * password hash and TOTP secret, 10 recovery codes, two audit entries each)
 * and one active account TF_BENCH_USER / TF_BENCH_PASSWORD hashed with the
 * default limits. Everything goes through the store API, so every sealed
 * column is sealed as the application would seal it; it is built in
 * tmpfs when there is one (no fsync per transaction) and copied into place.
 * Prints how long it took. Returns the id of TF_BENCH_USER. */
gint64       tf_bench_fill_store   (const char  *store_path,
                                    const char  *key_path,
                                    guint        n_fillers);
/* A copy of a store filled once per build tree and @n_fillers (cached under
 * $TF_BUILD_ROOT/tests/bench/cache, or the temporary directory), put at
 * @store_path with its key at @key_path. */
gint64       tf_bench_copy_filled_store (const char *store_path,
                                    const char  *key_path,
                                    guint        n_fillers);

/* The current TOTP code of @user_id at @time. */
void         tf_bench_code         (TfAuth      *auth,
                                    gint64       user_id,
                                    gint64       time,
                                    char         code[TF_OTP_CODE_SIZE]);

G_END_DECLS
