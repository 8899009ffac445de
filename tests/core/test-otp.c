/* test-otp.c */
#include "tf-core.h"
#include "tf-otp.h"

#include <string.h>

/* RFC 4226 Appendix D and RFC 6238 Appendix B use the ASCII digits as key,
 * repeated to the digest length of each algorithm.
 */
#define SEED_SHA1 "12345678901234567890"
#define SEED_SHA256 "12345678901234567890123456789012"
#define SEED_SHA512 "1234567890123456789012345678901234567890123456789012345678901234"

typedef struct {
  guint64 counter;
  guint32 truncated;   /* Truncate (HMAC-SHA1), before the modulo */
  const char *hotp;
} HotpVector;

/* RFC 4226 Appendix D. */
static const HotpVector rfc4226_vectors[] = {
  { 0, 1284755224, "755224" },
  { 1, 1094287082, "287082" },
  { 2, 137359152, "359152" },
  { 3, 1726969429, "969429" },
  { 4, 1640338314, "338314" },
  { 5, 868254676, "254676" },
  { 6, 1918287922, "287922" },
  { 7, 82162583, "162583" },
  { 8, 673399871, "399871" },
  { 9, 645520489, "520489" },
};

typedef struct {
  gint64 time;
  TfOtpAlgorithm algorithm;
  const char *totp;
} TotpVector;

/* RFC 6238 Appendix B, 8 digits, period 30 s. */
static const TotpVector rfc6238_vectors[] = {
  { 59, TF_OTP_SHA1, "94287082" },
  { 59, TF_OTP_SHA256, "46119246" },
  { 59, TF_OTP_SHA512, "90693936" },
  { 1111111109, TF_OTP_SHA1, "07081804" },
  { 1111111109, TF_OTP_SHA256, "68084774" },
  { 1111111109, TF_OTP_SHA512, "25091201" },
  { 1111111111, TF_OTP_SHA1, "14050471" },
  { 1111111111, TF_OTP_SHA256, "67062674" },
  { 1111111111, TF_OTP_SHA512, "99943326" },
  { 1234567890, TF_OTP_SHA1, "89005924" },
  { 1234567890, TF_OTP_SHA256, "91819424" },
  { 1234567890, TF_OTP_SHA512, "93441116" },
  { 2000000000, TF_OTP_SHA1, "69279037" },
  { 2000000000, TF_OTP_SHA256, "90698825" },
  { 2000000000, TF_OTP_SHA512, "38618901" },
  { G_GINT64_CONSTANT (20000000000), TF_OTP_SHA1, "65353130" },
  { G_GINT64_CONSTANT (20000000000), TF_OTP_SHA256, "77737706" },
  { G_GINT64_CONSTANT (20000000000), TF_OTP_SHA512, "47863826" },
};

static const char *
seed_for (TfOtpAlgorithm algorithm)
{
  switch (algorithm)
    {
    case TF_OTP_SHA1:
      return SEED_SHA1;
    case TF_OTP_SHA256:
      return SEED_SHA256;
    case TF_OTP_SHA512:
      return SEED_SHA512;
    default:
      g_assert_not_reached ();
    }

  return NULL;
}

static void
test_rfc4226 (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rfc4226_vectors); i++)
    {
      const HotpVector *v = &rfc4226_vectors[i];
      char code[TF_OTP_CODE_SIZE];
      char expected[16];

      g_assert_true (tf_hotp ((const guint8 *) SEED_SHA1, strlen (SEED_SHA1), TF_OTP_SHA1,
                              v->counter, 6, code));
      g_assert_cmpstr (code, ==, v->hotp);

      /* 7 and 8 digits keep more of the same truncated value. */
      g_snprintf (expected, sizeof expected, "%07u", v->truncated % 10000000);
      g_assert_true (tf_hotp ((const guint8 *) SEED_SHA1, strlen (SEED_SHA1), TF_OTP_SHA1,
                              v->counter, 7, code));
      g_assert_cmpstr (code, ==, expected);

      g_snprintf (expected, sizeof expected, "%08u", v->truncated % 100000000);
      g_assert_true (tf_hotp ((const guint8 *) SEED_SHA1, strlen (SEED_SHA1), TF_OTP_SHA1,
                              v->counter, 8, code));
      g_assert_cmpstr (code, ==, expected);
    }
}

static void
test_rfc6238 (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rfc6238_vectors); i++)
    {
      const TotpVector *v = &rfc6238_vectors[i];
      const char *seed = seed_for (v->algorithm);
      char code[TF_OTP_CODE_SIZE];

      g_test_message ("%s at %" G_GINT64_FORMAT,
                      tf_otp_algorithm_to_string (v->algorithm), v->time);
      g_assert_true (tf_totp ((const guint8 *) seed, strlen (seed), v->algorithm,
                              v->time, 30, 8, code));
      g_assert_cmpstr (code, ==, v->totp);

      /* Fewer digits are the tail of the same number. */
      g_assert_true (tf_totp ((const guint8 *) seed, strlen (seed), v->algorithm,
                              v->time, 30, 6, code));
      g_assert_cmpstr (code, ==, v->totp + 2);
    }
}

static void
test_rfc6238_six_digits (void)
{
  /* Spelled out for SHA1, the case nearly every service uses. */
  static const struct {
    gint64 time;
    const char *code;
  } sha1[] = {
    { 59, "287082" },
    { 1111111109, "081804" },
    { 1111111111, "050471" },
    { 1234567890, "005924" },
    { 2000000000, "279037" },
    { G_GINT64_CONSTANT (20000000000), "353130" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (sha1); i++)
    {
      char code[TF_OTP_CODE_SIZE];

      g_assert_true (tf_totp ((const guint8 *) SEED_SHA1, strlen (SEED_SHA1), TF_OTP_SHA1,
                              sha1[i].time, 30, 6, code));
      g_assert_cmpstr (code, ==, sha1[i].code);
      g_assert_cmpuint (strlen (code), ==, 6);
    }
}

static void
test_step (void)
{
  guint64 step = 12345;

  g_assert_true (tf_totp_step (0, 0, 30, &step));
  g_assert_cmpuint (step, ==, 0);
  g_assert_true (tf_totp_step (29, 0, 30, &step));
  g_assert_cmpuint (step, ==, 0);
  g_assert_true (tf_totp_step (30, 0, 30, &step));
  g_assert_cmpuint (step, ==, 1);
  g_assert_true (tf_totp_step (59, 0, 30, &step));
  g_assert_cmpuint (step, ==, 1);
  g_assert_true (tf_totp_step (1111111109, 0, 30, &step));
  g_assert_cmpuint (step, ==, 0x23523ec);
  g_assert_true (tf_totp_step (G_GINT64_CONSTANT (20000000000), 0, 30, &step));
  g_assert_cmpuint (step, ==, 0x27bc86aa);
  g_assert_true (tf_totp_step (100, 40, 60, &step));
  g_assert_cmpuint (step, ==, 1);
  g_assert_true (tf_totp_step (-30, -90, 30, &step));
  g_assert_cmpuint (step, ==, 2);
  g_assert_true (tf_totp_step (1, 0, 1, &step));
  g_assert_cmpuint (step, ==, 1);
}

static void
test_step_edges (void)
{
  guint64 step = 12345;

  /* No step exists without a period or before t0. */
  g_assert_false (tf_totp_step (100, 0, 0, &step));
  g_assert_false (tf_totp_step (99, 100, 30, &step));
  g_assert_false (tf_totp_step (-1, 0, 30, &step));
  g_assert_false (tf_totp_step (G_MININT64, G_MAXINT64, 30, &step));
  g_assert_cmpuint (step, ==, 12345);

  /* Steps beyond 32 bits. */
  g_assert_true (tf_totp_step (G_GINT64_CONSTANT (0x100000000) * 30, 0, 30, &step));
  g_assert_cmpuint (step, ==, G_GUINT64_CONSTANT (0x100000000));
  g_assert_true (tf_totp_step (G_MAXINT64, 0, 1, &step));
  g_assert_cmpuint (step, ==, (guint64) G_MAXINT64);

  /* The whole 64-bit range between t0 and the time, without overflow. */
  g_assert_true (tf_totp_step (G_MAXINT64, G_MININT64, 1, &step));
  g_assert_cmpuint (step, ==, G_MAXUINT64);
  g_assert_true (tf_totp_step (G_MAXINT64, G_MININT64, 2, &step));
  g_assert_cmpuint (step, ==, G_MAXUINT64 / 2);
  g_assert_true (tf_totp_step (G_MAXINT64, G_MAXINT64, 30, &step));
  g_assert_cmpuint (step, ==, 0);
  g_assert_true (tf_totp_step (G_MAXINT64, 0, G_MAXUINT, &step));
  g_assert_cmpuint (step, ==, (guint64) G_MAXINT64 / G_MAXUINT);
}

static void
test_totp_matches_hotp (void)
{
  const gint64 time = G_GINT64_CONSTANT (0x100000000) * 30 + 29;
  char totp[TF_OTP_CODE_SIZE];
  char hotp[TF_OTP_CODE_SIZE];

  /* TOTP is HOTP of the step, including steps that need 64 bits. */
  g_assert_true (tf_totp ((const guint8 *) SEED_SHA1, strlen (SEED_SHA1), TF_OTP_SHA1,
                          time, 30, 6, totp));
  g_assert_true (tf_hotp ((const guint8 *) SEED_SHA1, strlen (SEED_SHA1), TF_OTP_SHA1,
                          G_GUINT64_CONSTANT (0x100000000), 6, hotp));
  g_assert_cmpstr (totp, ==, hotp);
  /* And not HOTP of the step cut to 32 bits. */
  g_assert_true (tf_hotp ((const guint8 *) SEED_SHA1, strlen (SEED_SHA1), TF_OTP_SHA1,
                          0, 6, hotp));
  g_assert_cmpstr (totp, !=, hotp);

  /* A period other than 30 s. */
  g_assert_true (tf_totp ((const guint8 *) SEED_SHA1, strlen (SEED_SHA1), TF_OTP_SHA1,
                          119, 60, 6, totp));
  g_assert_cmpstr (totp, ==, "287082");
}

static void
test_rejects (void)
{
  const guint8 *key = (const guint8 *) SEED_SHA1;
  char code[TF_OTP_CODE_SIZE];

  /* Every refusal leaves the code empty rather than stale. */
  memset (code, 'x', sizeof code);
  g_assert_false (tf_hotp (key, 20, TF_OTP_SHA1, 0, 5, code));
  g_assert_cmpstr (code, ==, "");

  memset (code, 'x', sizeof code);
  g_assert_false (tf_hotp (key, 20, TF_OTP_SHA1, 0, 9, code));
  g_assert_cmpstr (code, ==, "");

  memset (code, 'x', sizeof code);
  g_assert_false (tf_hotp (key, 20, TF_OTP_SHA1, 0, 0, code));
  g_assert_cmpstr (code, ==, "");

  memset (code, 'x', sizeof code);
  g_assert_false (tf_hotp (key, 0, TF_OTP_SHA1, 0, 6, code));
  g_assert_cmpstr (code, ==, "");

  memset (code, 'x', sizeof code);
  g_assert_false (tf_hotp (NULL, 0, TF_OTP_SHA256, 0, 6, code));
  g_assert_cmpstr (code, ==, "");

  memset (code, 'x', sizeof code);
  g_assert_false (tf_totp (key, 20, TF_OTP_SHA1, 59, 0, 6, code));
  g_assert_cmpstr (code, ==, "");

  memset (code, 'x', sizeof code);
  g_assert_false (tf_totp (key, 20, TF_OTP_SHA1, -1, 30, 6, code));
  g_assert_cmpstr (code, ==, "");

  memset (code, 'x', sizeof code);
  g_assert_false (tf_totp (key, 20, TF_OTP_SHA1, 59, 30, 10, code));
  g_assert_cmpstr (code, ==, "");
}

static void
test_leading_zeros (void)
{
  char code[TF_OTP_CODE_SIZE];

  /* RFC 6238 at 1234567890 is 89005924: six digits keep the zeros. */
  g_assert_true (tf_totp ((const guint8 *) SEED_SHA1, strlen (SEED_SHA1), TF_OTP_SHA1,
                          1234567890, 30, 6, code));
  g_assert_cmpstr (code, ==, "005924");
  g_assert_true (tf_totp ((const guint8 *) SEED_SHA1, strlen (SEED_SHA1), TF_OTP_SHA1,
                          1111111109, 30, 8, code));
  g_assert_cmpstr (code, ==, "07081804");
}

static void
test_algorithm_names (void)
{
  static const TfOtpAlgorithm all[] = { TF_OTP_SHA1, TF_OTP_SHA256, TF_OTP_SHA512 };
  TfOtpAlgorithm algorithm = TF_OTP_SHA1;

  for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
    {
      const char *name = tf_otp_algorithm_to_string (all[i]);

      g_assert_nonnull (name);
      g_assert_true (tf_otp_algorithm_from_string (name, &algorithm));
      g_assert_cmpint (algorithm, ==, all[i]);
    }

  g_assert_cmpstr (tf_otp_algorithm_to_string (TF_OTP_SHA1), ==, "SHA1");
  g_assert_cmpstr (tf_otp_algorithm_to_string (TF_OTP_SHA256), ==, "SHA256");
  g_assert_cmpstr (tf_otp_algorithm_to_string (TF_OTP_SHA512), ==, "SHA512");

  g_assert_true (tf_otp_algorithm_from_string ("sha256", &algorithm));
  g_assert_cmpint (algorithm, ==, TF_OTP_SHA256);

  algorithm = TF_OTP_SHA512;
  g_assert_false (tf_otp_algorithm_from_string ("MD5", &algorithm));
  g_assert_false (tf_otp_algorithm_from_string ("", &algorithm));
  g_assert_false (tf_otp_algorithm_from_string ("SHA-1", &algorithm));
  g_assert_false (tf_otp_algorithm_from_string ("SHA1 ", &algorithm));
  g_assert_false (tf_otp_algorithm_from_string ("SHA384", &algorithm));
  g_assert_cmpint (algorithm, ==, TF_OTP_SHA512);
}

/* Runs oathtool (OATH Toolkit) for the codes at TIME and the step after it. */
static void
oathtool_codes (const char     *oathtool,
                const guint8   *key,
                gsize           key_length,
                TfOtpAlgorithm  algorithm,
                gint64          time,
                guint           period,
                guint           digits,
                char          **now,
                char          **next)
{
  g_autoptr(GString) hex = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *digits_arg = NULL;
  g_autofree char *period_arg = NULL;
  g_autofree char *now_arg = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;

  for (gsize i = 0; i < key_length; i++)
    g_string_append_printf (hex, "%02x", key[i]);

  /* "--totp=sha256": oathtool needs the '='. */
  name = g_ascii_strdown (tf_otp_algorithm_to_string (algorithm), -1);
  mode = g_strdup_printf ("--totp=%s", name);
  digits_arg = g_strdup_printf ("--digits=%u", digits);
  period_arg = g_strdup_printf ("--time-step-size=%us", period);
  now_arg = g_strdup_printf ("--now=@%" G_GINT64_FORMAT, time);

  {
    const char *argv[] = {
      oathtool, mode, digits_arg, period_arg, now_arg, "--window=1", hex->str, NULL,
    };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                  &out, &err, &wait_status, &error);
  }
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("oathtool failed: %s: %s", error->message, err);

  lines = g_strsplit (out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_cmpstr (lines[2], ==, "");
  *now = g_strdup (lines[0]);
  *next = g_strdup (lines[1]);
}

static void
test_oathtool (void)
{
  static const TfOtpAlgorithm algorithms[] = { TF_OTP_SHA1, TF_OTP_SHA256, TF_OTP_SHA512 };
  static const gint64 times[] = {
    0, 59, 1111111109, 1234567890, 2000000000, G_GINT64_CONSTANT (4102444799),
    G_GINT64_CONSTANT (20000000000),
    /* Step 2^32 (at 30 s) and beyond: counters that need all 64 bits. */
    G_GINT64_CONSTANT (128849018909), G_GINT64_CONSTANT (1000000000000000),
  };
  g_autofree char *oathtool = g_find_program_in_path ("oathtool");
  guint8 short_key[10];
  guint8 long_key[130];
  guint n_compared = 0;

  if (oathtool == NULL)
    {
      g_test_skip ("oathtool is not installed (Debian package oathtool)");
      return;
    }

  /* Keys shorter than a digest and longer than any hash block (which HMAC
   * hashes first) take other paths than the RFC seeds.
   */
  for (gsize i = 0; i < sizeof short_key; i++)
    short_key[i] = (guint8) (i * 73 + 5);
  for (gsize i = 0; i < sizeof long_key; i++)
    long_key[i] = (guint8) (i * 37 + 11);

  for (gsize a = 0; a < G_N_ELEMENTS (algorithms); a++)
    for (guint digits = TF_OTP_MIN_DIGITS; digits <= TF_OTP_MAX_DIGITS; digits++)
      for (gsize t = 0; t < G_N_ELEMENTS (times); t++)
        for (guint k = 0; k < 3; k++)
          {
            const char *seed = seed_for (algorithms[a]);
            const guint8 *key = k == 0 ? (const guint8 *) seed : k == 1 ? short_key : long_key;
            gsize key_length = k == 0 ? strlen (seed) : k == 1 ? sizeof short_key : sizeof long_key;
            guint period = k == 1 ? 60 : 30;
            g_autofree char *now = NULL;
            g_autofree char *next = NULL;
            char code[TF_OTP_CODE_SIZE];

            oathtool_codes (oathtool, key, key_length, algorithms[a], times[t], period,
                            digits, &now, &next);

            g_assert_true (tf_totp (key, key_length, algorithms[a], times[t], period,
                                    digits, code));
            g_assert_cmpstr (code, ==, now);
            g_assert_true (tf_totp (key, key_length, algorithms[a], times[t] + period, period,
                                    digits, code));
            g_assert_cmpstr (code, ==, next);
            n_compared += 2;
          }

  g_test_message ("%u codes agree with %s", n_compared, oathtool);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/otp/rfc4226", test_rfc4226);
  g_test_add_func ("/twofold/otp/rfc6238", test_rfc6238);
  g_test_add_func ("/twofold/otp/rfc6238-six-digits", test_rfc6238_six_digits);
  g_test_add_func ("/twofold/otp/step", test_step);
  g_test_add_func ("/twofold/otp/step-edges", test_step_edges);
  g_test_add_func ("/twofold/otp/totp-matches-hotp", test_totp_matches_hotp);
  g_test_add_func ("/twofold/otp/rejects", test_rejects);
  g_test_add_func ("/twofold/otp/leading-zeros", test_leading_zeros);
  g_test_add_func ("/twofold/otp/algorithm-names", test_algorithm_names);
  g_test_add_func ("/twofold/otp/oathtool", test_oathtool);

  return g_test_run ();
}
