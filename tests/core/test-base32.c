/* test-base32.c */
#include "tf-base32.h"
#include "tf-core.h"

#include <string.h>

typedef struct {
  const char *data;
  const char *padded;
  const char *unpadded;
} Vector;

/* RFC 4648 section 10. */
static const Vector rfc4648_vectors[] = {
  { "", "", "" },
  { "f", "MY======", "MY" },
  { "fo", "MZXQ====", "MZXQ" },
  { "foo", "MZXW6===", "MZXW6" },
  { "foob", "MZXW6YQ=", "MZXW6YQ" },
  { "fooba", "MZXW6YTB", "MZXW6YTB" },
  { "foobar", "MZXW6YTBOI======", "MZXW6YTBOI" },
};

static void
assert_decodes_to (const char *text,
                   const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) decoded = tf_base32_decode (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (decoded);
  g_assert_cmpmem (tf_secure_buffer_get_data (decoded), tf_secure_buffer_get_length (decoded),
                   expected, strlen (expected));
}

static void
test_rfc4648_encode (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rfc4648_vectors); i++)
    {
      const Vector *v = &rfc4648_vectors[i];
      g_autoptr(TfSecureBuffer) encoded = tf_base32_encode ((const guint8 *) v->data,
                                                           strlen (v->data));

      /* The encoder writes no padding. */
      g_assert_cmpstr (tf_secure_buffer_get_string (encoded), ==, v->unpadded);
      g_assert_cmpuint (tf_secure_buffer_get_length (encoded), ==, strlen (v->unpadded));
    }
}

static void
test_rfc4648_decode (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (rfc4648_vectors); i++)
    {
      const Vector *v = &rfc4648_vectors[i];

      assert_decodes_to (v->padded, v->data);
      assert_decodes_to (v->unpadded, v->data);
    }
}

static void
test_lower_case (void)
{
  assert_decodes_to ("mzxw6ytboi", "foobar");
  assert_decodes_to ("mzxw6ytboi======", "foobar");
  assert_decodes_to ("MzXw6YtBoI", "foobar");
  assert_decodes_to ("jbswy3dpehpk3pxp", "Hello!\xde\xad\xbe\xef");
}

static void
test_spaces (void)
{
  /* Authenticator apps show secrets in groups of four. */
  assert_decodes_to ("JBSW Y3DP EHPK 3PXP", "Hello!\xde\xad\xbe\xef");
  assert_decodes_to ("jbsw y3dp ehpk 3pxp", "Hello!\xde\xad\xbe\xef");
  assert_decodes_to ("  MZXW6YTBOI  ", "foobar");
  assert_decodes_to ("M Z X W 6 Y T B O I = = = = = =", "foobar");
  assert_decodes_to ("MZXW6YTBOI ======", "foobar");
  assert_decodes_to ("   ", "");
}

static void
test_explicit_length (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) decoded = NULL;

  /* Only the given length is read: "MZXW6YTBOI" cut after "MZXW6". */
  decoded = tf_base32_decode ("MZXW6YTBOI", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tf_secure_buffer_get_string (decoded), ==, "foo");
}

typedef struct {
  const char *text;
  gsize length;     /* 0: use strlen () */
  const char *kind; /* a word of the expected (untranslated) message */
  const char *why;
} Malformed;

static const Malformed malformed[] = {
  { "MZXW6YT1", 0, "allowed", "digit 1 is not in the alphabet" },
  { "MZXW6YT0", 0, "allowed", "digit 0 is not in the alphabet" },
  { "MZXW6YT8", 0, "allowed", "digit 8 is not in the alphabet" },
  { "MZXW6YT9", 0, "allowed", "digit 9 is not in the alphabet" },
  { "MZXW6YT!", 0, "allowed", "punctuation" },
  { "MZXW-6YTB", 0, "allowed", "hyphen" },
  { "MZXW6YTB\n", 0, "allowed", "only spaces are ignored" },
  { "=MY", 0, "before", "padding first" },
  { "M=Y=====", 0, "before", "padding inside the data" },
  { "MY======MY======", 0, "before", "data after padding" },
  { "MY=====", 0, "amount", "too little padding" },
  { "MY=======", 0, "amount", "too much padding" },
  { "MZXQ=", 0, "amount", "too little padding" },
  { "MZXW6YQ==", 0, "amount", "too much padding" },
  { "MZXW6YTB========", 0, "amount", "padding after a whole block" },
  { "========", 0, "amount", "padding alone" },
  { "=", 0, "amount", "padding alone" },
  { "M", 0, "length", "1 character is no whole byte" },
  { "MZX", 0, "length", "3 characters are no whole byte" },
  { "MZXW6Y", 0, "length", "6 characters are no whole byte" },
  { "MZXW6YTBM", 0, "length", "9 characters are no whole byte" },
  { "M=======", 0, "length", "1 character, padded" },
  { "MZ", 0, "bits", "non-zero trailing bits after 1 byte" },
  { "MZXR", 0, "bits", "non-zero trailing bits after 2 bytes" },
  { "MZXW7", 0, "bits", "non-zero trailing bits after 3 bytes" },
  { "MZXW6YR", 0, "bits", "non-zero trailing bits after 4 bytes" },
  { "MZXW6YTBOJ", 0, "bits", "non-zero trailing bits after 6 bytes" },
  { "MZ======", 0, "bits", "non-zero trailing bits, padded" },
  { "\xff\xfe", 0, "UTF-8", "not UTF-8" },
  { "MZXW6Y\xc3", 0, "UTF-8", "truncated UTF-8 sequence" },
  { "MZXW6Y\xc3\xa9", 0, "allowed", "valid UTF-8 but not base32" },
  { "MZXW6\xe2\x80\x8b", 0, "allowed", "zero-width space" },
  { "MZ\0W6YTB", 8, "allowed", "embedded NUL" },
  { "MZXW6YTB\0", 9, "allowed", "trailing NUL" },
  { "\0", 1, "allowed", "NUL alone" },
};

static void
test_malformed (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      const Malformed *m = &malformed[i];
      gsize length = m->length != 0 ? m->length : strlen (m->text);
      g_autoptr(GError) error = NULL;
      g_autoptr(TfSecureBuffer) decoded = NULL;

      g_test_message ("malformed[%" G_GSIZE_FORMAT "]: %s", i, m->why);
      decoded = tf_base32_decode (m->text, length, &error);
      g_assert_error (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID);
      g_assert_null (decoded);
      /* The message names the actual fault (the tests run untranslated). */
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, m->kind));
    }

  /* A NULL error is allowed: failure is then reported by NULL alone. */
  g_assert_null (tf_base32_decode ("MZ", 2, NULL));
}

static void
test_error_position (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) decoded = NULL;

  /* The position is given so a person can find a mistyped character. The
   * test environment runs untranslated (LC_ALL=C.UTF-8).
   */
  decoded = tf_base32_decode ("MZXW6Y1B", 8, &error);
  g_assert_error (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID);
  g_assert_null (decoded);
  g_assert_nonnull (strstr (error->message, "Character 7 "));
  g_clear_error (&error);

  /* A non-ASCII character is blamed the same way when it is valid UTF-8. */
  decoded = tf_base32_decode ("MZé", strlen ("MZé"), &error);
  g_assert_error (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Character 3 "));
  g_clear_error (&error);

  decoded = tf_base32_decode ("MZ\xff", 3, &error);
  g_assert_error (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_clear_error (&error);

  /* Spaces are characters the person typed, so they count too. */
  decoded = tf_base32_decode ("MZ 1", 4, &error);
  g_assert_error (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Character 4 "));
}

static void
test_round_trip (void)
{
  guint8 data[100];

  for (gsize length = 0; length <= sizeof data; length++)
    {
      g_autoptr(TfSecureBuffer) encoded = NULL;
      g_autoptr(TfSecureBuffer) decoded = NULL;
      g_autoptr(GError) error = NULL;
      const char *text;

      for (gsize i = 0; i < length; i++)
        data[i] = (guint8) g_test_rand_int_range (0, 256);

      encoded = tf_base32_encode (data, length);
      text = tf_secure_buffer_get_string (encoded);
      g_assert_cmpuint (tf_secure_buffer_get_length (encoded), ==, (length * 8 + 4) / 5);
      g_assert_cmpuint (strspn (text, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), ==,
                        tf_secure_buffer_get_length (encoded));

      decoded = tf_base32_decode (text, tf_secure_buffer_get_length (encoded), &error);
      g_assert_no_error (error);
      g_assert_cmpmem (tf_secure_buffer_get_data (decoded), tf_secure_buffer_get_length (decoded),
                       data, length);
    }
}

static void
test_all_bytes (void)
{
  guint8 data[256];
  g_autoptr(TfSecureBuffer) encoded = NULL;
  g_autoptr(TfSecureBuffer) decoded = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < sizeof data; i++)
    data[i] = (guint8) i;

  encoded = tf_base32_encode (data, sizeof data);
  decoded = tf_base32_decode (tf_secure_buffer_get_string (encoded),
                              tf_secure_buffer_get_length (encoded), &error);
  g_assert_no_error (error);
  g_assert_cmpmem (tf_secure_buffer_get_data (decoded), tf_secure_buffer_get_length (decoded),
                   data, sizeof data);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/base32/rfc4648-encode", test_rfc4648_encode);
  g_test_add_func ("/twofold/base32/rfc4648-decode", test_rfc4648_decode);
  g_test_add_func ("/twofold/base32/lower-case", test_lower_case);
  g_test_add_func ("/twofold/base32/spaces", test_spaces);
  g_test_add_func ("/twofold/base32/explicit-length", test_explicit_length);
  g_test_add_func ("/twofold/base32/malformed", test_malformed);
  g_test_add_func ("/twofold/base32/error-position", test_error_position);
  g_test_add_func ("/twofold/base32/round-trip", test_round_trip);
  g_test_add_func ("/twofold/base32/all-bytes", test_all_bytes);

  return g_test_run ();
}
