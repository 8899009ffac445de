/* test-password.c */
#include "tf-core.h"
#include "tf-password.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* 128 characters from a random generator, cut to the lengths the tests need. */
#define RANDOM_128 \
  "twom?sjxvQ^u+#W8pzEp~1w@HHX1zlV9-ZhyuNc~vYD&LsPhZ1^X%MAj2!a7fRd00iXrzi8" \
  "054Xj&aY5u9+oJS1VAv+Oq~h+Fn9zz&SK!c9HTn1lHrtKtKqWGL!a+_Y7"

/* Argon2id at its cheapest: the tests exercise the logic, not the cost. */
static const TfPasswordLimits fast_limits = {
  crypto_pwhash_OPSLIMIT_MIN,
  crypto_pwhash_MEMLIMIT_MIN,
};

static TfSecureBuffer *
normalize (const char *input)
{
  g_autoptr(GError) error = NULL;
  TfSecureBuffer *buf = tf_password_normalize (input, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (buf);

  return buf;
}

static char *
random_prefix (gsize n_chars)
{
  g_assert_cmpuint (n_chars, <=, strlen (RANDOM_128));

  return g_strndup (RANDOM_128, n_chars);
}

static void
assert_policy_ok (const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) password = normalize (input);

  tf_password_check_policy (password, "alice", "Alice", "Liddell",
                            "alice@example.com", &error);
  g_assert_no_error (error);
}

/* Checks the error code, and that the sentence names the reason. */
static void
assert_policy_refused (const char *input,
                       const char *username,
                       const char *first_name,
                       const char *last_name,
                       const char *email,
                       int         code,
                       const char *reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) password = normalize (input);

  g_assert_false (tf_password_check_policy (password, username, first_name,
                                            last_name, email, &error));
  g_assert_error (error, TF_PASSWORD_ERROR, code);
  if (reason != NULL && strstr (error->message, reason) == NULL)
    g_error ("Expected \"%s\" in \"%s\"", reason, error->message);
}

/* A hash made from one spelling verifies the other. */
static void
assert_equivalent (const char *a,
                   const char *b)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) na = normalize (a);
  g_autoptr(TfSecureBuffer) nb = normalize (b);
  g_autofree char *hash = NULL;

  g_assert_cmpstr (a, !=, b);
  g_assert_cmpmem (tf_secure_buffer_get_data (na), tf_secure_buffer_get_length (na),
                   tf_secure_buffer_get_data (nb), tf_secure_buffer_get_length (nb));

  hash = tf_password_hash (na, &fast_limits, &error);
  g_assert_no_error (error);
  g_assert_true (tf_password_verify (hash, nb, &error));
  g_assert_no_error (error);
}

static void
test_equivalence_composed (void)
{
  /* U+00E9 against "e" + U+0301 COMBINING ACUTE ACCENT. */
  assert_equivalent ("caf\xc3\xa9-Xq7#mPz2!vLw", "cafe\xcc\x81-Xq7#mPz2!vLw");
}

static void
test_equivalence_ligature (void)
{
  /* U+FB01 LATIN SMALL LIGATURE FI against "fi". */
  assert_equivalent ("\xef\xac\x81nal-Xq7#mPz2!vLw", "final-Xq7#mPz2!vLw");
}

static void
test_equivalence_fullwidth (void)
{
  /* U+FF21..U+FF23 FULLWIDTH LATIN CAPITAL LETTER A..C against "ABC". */
  assert_equivalent ("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3-Xq7#mPz2!vLw", "ABC-Xq7#mPz2!vLw");
}

static void
test_normalize_keeps_everything (void)
{
  g_autoptr(TfSecureBuffer) password = normalize ("  spaces kept  ");

  /* Nothing is trimmed or truncated: whitespace is part of the password. */
  g_assert_cmpstr (tf_secure_buffer_get_string (password), ==, "  spaces kept  ");
}

static void
test_embedded_nul (void)
{
  static const char input[] = "abc\0defghijklmnop";
  g_autoptr(GError) error = NULL;
  TfSecureBuffer *password;

  password = tf_password_normalize (input, sizeof input - 1, &error);
  g_assert_null (password);
  g_assert_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_INVALID);
}

static void
test_invalid_utf8 (void)
{
  static const char *inputs[] = {
    "\xff\xfe-not-text-at-all",
    "valid start \xc3",              /* truncated sequence */
    "overlong \xc0\xaf slash here",  /* overlong "/" */
    "surrogate \xed\xa0\x80 here",   /* U+D800 */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      TfSecureBuffer *password = tf_password_normalize (inputs[i], -1, &error);

      g_assert_null (password);
      g_assert_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_INVALID);
    }
}

static void
test_huge_paste (void)
{
  gsize size = 1024 * 1024;
  g_autofree char *paste = g_malloc (size + 1);
  g_autoptr(GError) error = NULL;
  TfSecureBuffer *password;

  memset (paste, 'a', size);
  paste[size] = '\0';

  password = tf_password_normalize (paste, size, &error);
  g_assert_null (password);
  g_assert_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* Refused on size alone, before validation: invalid UTF-8 gets the same. */
  paste[size - 1] = '\xff';
  password = tf_password_normalize (paste, -1, &error);
  g_assert_null (password);
  g_assert_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_TOO_LONG);
}

static void
test_input_byte_limit (void)
{
  g_autofree char *input = g_strnfill (TF_PASSWORD_MAX_INPUT_BYTES + 1, 'x');
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) at_limit = NULL;
  TfSecureBuffer *over_limit;

  at_limit = tf_password_normalize (input, TF_PASSWORD_MAX_INPUT_BYTES, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tf_secure_buffer_get_length (at_limit), ==, TF_PASSWORD_MAX_INPUT_BYTES);

  over_limit = tf_password_normalize (input, -1, &error);
  g_assert_null (over_limit);
  g_assert_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_TOO_LONG);
}

static void
test_length (void)
{
  g_autofree char *chars_11 = random_prefix (11);
  g_autofree char *chars_12 = random_prefix (12);
  g_autofree char *chars_129 = g_strconcat (RANDOM_128, "x", NULL);

  g_assert_cmpuint (strlen (RANDOM_128), ==, 128);

  assert_policy_refused (chars_11, NULL, NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_TOO_SHORT, "12");
  assert_policy_ok (chars_12);
  assert_policy_ok (RANDOM_128);
  assert_policy_refused (chars_129, NULL, NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_TOO_LONG, "128");
}

static void
test_length_counts_characters (void)
{
  /* 12 characters but 24 bytes: "é" (U+00E9) is two bytes in UTF-8. */
  assert_policy_ok ("\xc3\xa9t\xc3\xa9-Xq7#mPz2!v");
  /* 10 characters typed, 12 after NFKC: "ﬃ" (U+FB03) becomes "ffi". */
  assert_policy_ok ("Zq7#\xef\xac\x83!k2Wp");
  /* 11 after NFKC, although 13 bytes were typed. */
  assert_policy_refused ("Zq7#\xef\xac\x83!k2W", NULL, NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_TOO_SHORT, NULL);
}

static void
test_length_after_nfkc (void)
{
  g_autofree char *prefix = random_prefix (120);
  /* U+FDFA ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: one character and
   * three bytes as typed, eighteen characters after NFKC. */
  g_autofree char *input = g_strconcat (prefix, "\xef\xb7\xba", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) password = normalize (input);

  g_assert_cmpint (g_utf8_strlen (input, -1), ==, 121);
  g_assert_cmpint (g_utf8_strlen (tf_secure_buffer_get_string (password), -1), ==, 138);
  g_assert_false (tf_password_check_policy (password, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_TOO_LONG);
}

static void
test_dictionary (void)
{
  assert_policy_refused ("password1234", "alice", NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_WEAK, "dictionary word");
  assert_policy_refused ("Sunshine2024!", NULL, NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_WEAK, "dictionary word");
  assert_policy_refused ("qwerty123456", NULL, NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_WEAK, NULL);
}

static void
test_repetition (void)
{
  assert_policy_refused ("Xq7#mPz2!vLwwww", NULL, NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_WEAK, "repeated characters");
  /* A short string said twice is still a short string. */
  assert_policy_refused ("dragondragon", NULL, NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_WEAK, "repeats");
  assert_policy_refused ("Xq7#mPz2Xq7#mPz2", NULL, NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_WEAK, "repeats");
  assert_policy_refused ("dragondragon42", NULL, NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_WEAK, "repeats");
}

static void
test_username (void)
{
  assert_policy_refused ("xq7!Marguerite#2kz", "marguerite", NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_WEAK, "username");
  /* Compared after NFKC and casefolding on both sides. */
  assert_policy_refused ("xq7!\xef\xbd\x8d\xef\xbd\x81\xef\xbd\x92\xef\xbd\x87#2kzWpq",
                         "MARG", NULL, NULL, NULL,
                         TF_PASSWORD_ERROR_WEAK, "username");
  /* Without the context the same password is fine. */
  assert_policy_ok ("xq7!Marguerite#2kz");
}

static void
test_names (void)
{
  assert_policy_refused ("xX-bartholomew-77!", "b.k", "Bartholomew", "Kingsley", NULL,
                         TF_PASSWORD_ERROR_WEAK, "first name");
  assert_policy_refused ("Zq7#KINGSLEY!wp2", "b.k", "Bartholomew", "Kingsley", NULL,
                         TF_PASSWORD_ERROR_WEAK, "last name");
  /* Each longer word of a name counts: "Anna Maria" also refuses "maria". */
  assert_policy_refused ("Zq7#maria!wp2Lk", NULL, "Anna Maria", NULL, NULL,
                         TF_PASSWORD_ERROR_WEAK, "first name");
  /* Names shorter than three characters are not looked for. */
  assert_policy_ok ("Zq7#al!wp2LkVv");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TfSecureBuffer) password = normalize ("Zq7#al!wp2LkVv");

    g_assert_true (tf_password_check_policy (password, "al", "Al", "Al", "al@example.com",
                                             &error));
    g_assert_no_error (error);
  }
}

static void
test_email (void)
{
  assert_policy_refused ("9#Zorblax.Quim-kp", NULL, NULL, NULL, "zorblax.quim@example.com",
                         TF_PASSWORD_ERROR_WEAK, "e-mail");
  /* Part of a dotted local part is enough. */
  assert_policy_refused ("9#quimZZ-kp2Wvx", NULL, NULL, NULL, "zorblax.quim@example.com",
                         TF_PASSWORD_ERROR_WEAK, "e-mail");
  /* The domain is not personal. */
  assert_policy_ok ("9#example-kp2WvxT");
}

static void
test_passphrase (void)
{
  assert_policy_ok ("correct horse battery staple");
}

static void
test_random (void)
{
  g_autofree char *chars_16 = random_prefix (16);

  assert_policy_ok (chars_16);
  assert_policy_ok ("k8#Lr2!pZq9@wT4x");
}

static void
test_strength (void)
{
  g_autoptr(TfSecureBuffer) weak = normalize ("password1234");
  g_autoptr(TfSecureBuffer) short_one = normalize ("Xq7#mPz2!vL");
  g_autoptr(TfSecureBuffer) medium = normalize ("Xq7#mPz2!vLw");
  g_autoptr(TfSecureBuffer) strong = normalize ("correct horse battery staple");
  g_autoptr(TfSecureBuffer) mine = normalize ("xq7!Marguerite#2kz");
  int medium_score;
  int strong_score;

  g_assert_cmpint (tf_password_strength (weak, NULL), ==, -1);
  g_assert_cmpint (tf_password_strength (short_one, NULL), ==, -1);
  g_assert_cmpint (tf_password_strength (mine, "marguerite"), ==, -1);
  g_assert_cmpint (tf_password_strength (mine, NULL), >=, 0);

  medium_score = tf_password_strength (medium, NULL);
  strong_score = tf_password_strength (strong, NULL);
  g_assert_cmpint (medium_score, >=, 0);
  g_assert_cmpint (strong_score, <=, 100);
  g_assert_cmpint (medium_score, <, strong_score);

  /* Policy and score in one call: the same verdict and the same score. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_cmpint (tf_password_check_policy_score (strong, "alice", "Alice", "Liddell",
                                                     "alice@example.org", &error),
                     ==, strong_score);
    g_assert_no_error (error);
    g_assert_cmpint (tf_password_check_policy_score (weak, NULL, NULL, NULL, NULL, &error), ==, -1);
    g_assert_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_WEAK);
    g_clear_error (&error);
    g_assert_cmpint (tf_password_check_policy_score (mine, NULL, "Marguerite", NULL, NULL, &error),
                     ==, -1);
    g_assert_nonnull (error);
    g_clear_error (&error);
    g_assert_cmpint (tf_password_check_policy_score (short_one, NULL, NULL, NULL, NULL, &error),
                     ==, -1);
    g_assert_nonnull (error);
  }
}

static void
test_hash_verify (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) right = normalize ("correct horse battery staple");
  g_autoptr(TfSecureBuffer) wrong = normalize ("correct horse battery stapler");
  g_autofree char *hash = NULL;
  g_autofree char *again = NULL;

  hash = tf_password_hash (right, &fast_limits, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=8,t=1,p=1$"));

  g_assert_true (tf_password_verify (hash, right, &error));
  g_assert_no_error (error);
  g_assert_false (tf_password_verify (hash, wrong, &error));
  g_assert_no_error (error);

  /* A fresh salt every time. */
  again = tf_password_hash (right, &fast_limits, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash, !=, again);
  g_assert_true (tf_password_verify (again, right, &error));
  g_assert_no_error (error);
}

static void
test_default_limits (void)
{
  TfPasswordLimits limits = tf_password_limits_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) password = normalize ("k8#Lr2!pZq9@wT4x");
  g_autoptr(TfSecureBuffer) other = normalize ("k8#Lr2!pZq9@wT4y");
  g_autofree char *hash = NULL;

  /* DESIGN.md: libsodium INTERACTIVE, 64 MiB and t=2. */
  g_assert_cmpuint (limits.opslimit, ==, 2);
  g_assert_cmpuint (limits.memlimit, ==, 64 * 1024 * 1024);

  hash = tf_password_hash (password, &limits, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=65536,t=2,p=1$"));
  g_assert_true (tf_password_verify (hash, password, &error));
  g_assert_no_error (error);
  g_assert_false (tf_password_verify (hash, other, &error));
  g_assert_no_error (error);
  g_assert_false (tf_password_needs_rehash (hash, &limits));
}

static void
test_no_truncation (void)
{
  g_autofree char *other = g_strdup (RANDOM_128);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) a = normalize (RANDOM_128);
  g_autoptr(TfSecureBuffer) b = NULL;
  g_autofree char *hash_a = NULL;
  g_autofree char *hash_b = NULL;

  other[127] = 'Z';
  g_assert_cmpint (RANDOM_128[127], !=, 'Z');
  b = normalize (other);
  g_assert_cmpuint (tf_secure_buffer_get_length (b), ==, 128);

  hash_a = tf_password_hash (a, &fast_limits, &error);
  g_assert_no_error (error);
  hash_b = tf_password_hash (b, &fast_limits, &error);
  g_assert_no_error (error);

  g_assert_false (tf_password_verify (hash_a, b, &error));
  g_assert_no_error (error);
  g_assert_false (tf_password_verify (hash_b, a, &error));
  g_assert_no_error (error);
  g_assert_true (tf_password_verify (hash_a, a, &error));
  g_assert_no_error (error);
}

static char *
replace_once (const char *string,
              const char *from,
              const char *to)
{
  const char *at = strstr (string, from);

  g_assert_nonnull (at);

  return g_strdup_printf ("%.*s%s%s", (int) (at - string), string, to, at + strlen (from));
}

static void
test_corrupt_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) password = normalize ("correct horse battery staple");
  g_autofree char *hash = tf_password_hash (password, &fast_limits, &error);
  g_autofree char *truncated = NULL;
  g_autofree char *argon2i = NULL;
  g_autofree char *bad_memory = NULL;
  g_autofree char *zero_time = NULL;
  g_autofree char *version = NULL;
  g_autofree char *longer = NULL;
  g_autofree char *tampered = NULL;
  const char *corrupt[8];

  g_assert_no_error (error);

  truncated = g_strndup (hash, strlen (hash) - 5);
  argon2i = replace_once (hash, "$argon2id$", "$argon2i$");
  bad_memory = replace_once (hash, "m=8,", "m=x,");
  zero_time = replace_once (hash, "t=1,", "t=0,");
  version = replace_once (hash, "v=19", "v=16");
  longer = g_strconcat (hash, "AAAA", NULL);

  corrupt[0] = "";
  corrupt[1] = "garbage";
  corrupt[2] = truncated;
  corrupt[3] = argon2i;
  corrupt[4] = bad_memory;
  corrupt[5] = zero_time;
  corrupt[6] = version;
  corrupt[7] = "$2y$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

  for (gsize i = 0; i < G_N_ELEMENTS (corrupt); i++)
    {
      g_test_message ("corrupt hash %" G_GSIZE_FORMAT, i);
      g_assert_false (tf_password_verify (corrupt[i], password, &error));
      g_assert_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_CORRUPT_HASH);
      g_clear_error (&error);
      g_assert_true (tf_password_needs_rehash (corrupt[i], &fast_limits));
    }

  g_assert_false (tf_password_verify (longer, password, &error));
  g_assert_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_CORRUPT_HASH);
  g_clear_error (&error);

  /* Well formed but not this password's: a plain mismatch, not damage. */
  tampered = g_strdup (hash);
  tampered[strlen (tampered) - 2] = tampered[strlen (tampered) - 2] == 'A' ? 'B' : 'A';
  g_assert_false (tf_password_verify (tampered, password, &error));
  g_assert_no_error (error);
}

static void
test_needs_rehash (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) password = normalize ("correct horse battery staple");
  g_autofree char *hash = tf_password_hash (password, &fast_limits, &error);
  TfPasswordLimits more_time = fast_limits;
  TfPasswordLimits more_memory = fast_limits;

  g_assert_no_error (error);
  more_time.opslimit++;
  more_memory.memlimit *= 2;

  g_assert_false (tf_password_needs_rehash (hash, &fast_limits));
  g_assert_true (tf_password_needs_rehash (hash, &more_time));
  g_assert_true (tf_password_needs_rehash (hash, &more_memory));
}

/* Argon2id fills its memory while it holds the address-space lock
 * (tf-core.c): a block the size of a full-screen frame must come from the
 * heap, not a mapping of its own, and the heap must keep it once freed, so
 * that the main loop needs no brk or mmap while a log-in is checked. */
static void
test_heap_serves_frames (void)
{
#ifdef __GLIBC__
  const gsize frame = 1920 * 1080 * 4;
  struct mallinfo2 before, during, after;
  char *block;

  before = mallinfo2 ();
  block = malloc (frame);
  g_assert_nonnull (block);
  memset (block, 0xa5, frame);
  during = mallinfo2 ();
  free (block);
  after = mallinfo2 ();

  /* Under valgrind or AddressSanitizer another allocator serves malloc ()
   * and glibc's counts stay at zero: nothing here to check. */
  if (during.arena == 0 && during.hblkhd == 0)
    {
      g_test_skip ("malloc () is not glibc's here (valgrind, AddressSanitizer)");
      return;
    }
  g_assert_cmpuint (during.hblkhd, ==, before.hblkhd);
  g_assert_cmpuint (during.arena, >=, frame);
  g_assert_cmpuint (after.arena, ==, during.arena);
#else
  g_test_skip ("The allocator is tuned for glibc only");
#endif
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/password/equivalence-composed", test_equivalence_composed);
  g_test_add_func ("/twofold/password/equivalence-ligature", test_equivalence_ligature);
  g_test_add_func ("/twofold/password/equivalence-fullwidth", test_equivalence_fullwidth);
  g_test_add_func ("/twofold/password/normalize-keeps-everything", test_normalize_keeps_everything);
  g_test_add_func ("/twofold/password/embedded-nul", test_embedded_nul);
  g_test_add_func ("/twofold/password/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/twofold/password/huge-paste", test_huge_paste);
  g_test_add_func ("/twofold/password/input-byte-limit", test_input_byte_limit);
  g_test_add_func ("/twofold/password/length", test_length);
  g_test_add_func ("/twofold/password/length-counts-characters", test_length_counts_characters);
  g_test_add_func ("/twofold/password/length-after-nfkc", test_length_after_nfkc);
  g_test_add_func ("/twofold/password/dictionary", test_dictionary);
  g_test_add_func ("/twofold/password/repetition", test_repetition);
  g_test_add_func ("/twofold/password/username", test_username);
  g_test_add_func ("/twofold/password/names", test_names);
  g_test_add_func ("/twofold/password/email", test_email);
  g_test_add_func ("/twofold/password/passphrase", test_passphrase);
  g_test_add_func ("/twofold/password/random", test_random);
  g_test_add_func ("/twofold/password/strength", test_strength);
  g_test_add_func ("/twofold/password/hash-verify", test_hash_verify);
  g_test_add_func ("/twofold/password/default-limits", test_default_limits);
  g_test_add_func ("/twofold/password/no-truncation", test_no_truncation);
  g_test_add_func ("/twofold/password/corrupt-hash", test_corrupt_hash);
  g_test_add_func ("/twofold/password/needs-rehash", test_needs_rehash);
  g_test_add_func ("/twofold/password/heap-serves-frames", test_heap_serves_frames);

  return g_test_run ();
}
