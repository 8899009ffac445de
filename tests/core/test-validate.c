/* test-validate.c */
#include "tf-core.h"
#include "tf-validate.h"

#include <string.h>

static void
test_username_accepts (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "alice", "alice" },
    { "Alice", "alice" },
    { "ALICE.smith-2", "alice.smith-2" },
    { "ａｌｉｃｅ", "alice" },          /* full width → NFKC */
    { "ÉLODIE", "élodie" },
    { "E\xcc\x81lodie", "élodie" },      /* decomposed é */
    { "straße", "strasse" },            /* casefold */
    { "иван", "иван" },                 /* one script, Cyrillic */
    { "abc", "abc" },
    { "a234567890123456789012345678901b", "a234567890123456789012345678901b" },
    { "0day", "0day" },
    { "  Alice ", "alice" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = tf_validate_username (cases[i].in, -1, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_username_refuses (void)
{
  const char *cases[] = {
    "", "ab", "a23456789012345678901234567890123", ".alice", "-alice", "_alice",
    "al ice", "   ", "alice!", "al@ice", "alice\n", "alice\r", "ali\tce",
    "\xd0\xb0lice",          /* Cyrillic а + Latin lice: look-alike */
    "alice\xe2\x80\xae",     /* RIGHT-TO-LEFT OVERRIDE */
    "ali\xe2\x80\x8b" "ce",  /* ZERO WIDTH SPACE */
    "\xff\xfe" "alice",      /* invalid UTF-8 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = tf_validate_username (cases[i], -1, &error);

      g_assert_null (out);
      g_assert_error (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_USERNAME);
      g_assert_nonnull (error->message);
    }
}

static void
test_username_nul_and_huge (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = g_strnfill (1024 * 1024, 'a');
  g_autofree char *out = tf_validate_username ("ali\0ce", 6, &error);

  g_assert_null (out);
  g_assert_error (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_USERNAME);
  g_clear_error (&error);

  out = tf_validate_username (huge, -1, &error);
  g_assert_null (out);
  g_assert_error (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_USERNAME);
}

static void
test_names (void)
{
  const char *good[] = { "Ada", "Jean-Luc", "Zoë", "O’Brien", "李", "  Padded  " };
  const char *bad[] = { "", "   ", "Bad\nName", "<script>", "Bidi\xe2\x80\xae", "Ctl\x07",
                        "\xc3\x28" };
  g_autofree char *long_name = g_strnfill (65, 'x');
  g_autofree char *padded = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = tf_validate_name (good[i], -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (out);
    }

  padded = tf_validate_name ("  Padded  ", -1, NULL);
  g_assert_cmpstr (padded, ==, "Padded");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = tf_validate_name (bad[i], -1, &error);

      g_assert_null (out);
      g_assert_error (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_NAME);
    }

  g_assert_null (tf_validate_name (long_name, -1, NULL));
}

static void
test_email (void)
{
  const char *good[] = { "a@example.org", "first.last+tag@sub.example.co.uk",
                         "zoë@exämple.de", " spaced@example.org " };
  const char *bad[] = { "", "plain", "@example.org", "a@", "a@localhost", "a@@example.org",
                        "a b@example.org", "a@example..org", ".a@example.org", "a.@example.org",
                        "a@-example.org", "<a@example.org>", "a@example.org\r\nBcc: x@y.z",
                        "a@example.org\n", "a\"b@example.org", "a,b@example.org",
                        "a@exa_mple.org" };
  g_autofree char *long_local = g_strnfill (65, 'a');
  g_autofree char *too_long_local = g_strconcat (long_local, "@example.org", NULL);
  g_autofree char *long_domain = g_strnfill (250, 'b');
  g_autofree char *too_long = g_strconcat ("a@", long_domain, ".org", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = tf_validate_email (good[i], -1, &error);

      g_assert_no_error (error);
      g_assert_nonnull (out);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = tf_validate_email (bad[i], -1, &error);

      if (out != NULL)
        g_error ("accepted bad address %s", bad[i]);
      g_assert_error (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_EMAIL);
    }

  g_assert_null (tf_validate_email ("a\0b@example.org", 15, NULL));
  g_assert_null (tf_validate_email (too_long_local, -1, NULL));
  g_assert_null (tf_validate_email (too_long, -1, NULL));
}

static void
test_codes (void)
{
  struct { const char *in; TfCodeKind kind; const char *out; } cases[] = {
    { "", TF_CODE_NONE, NULL },
    { "   ", TF_CODE_NONE, NULL },
    { "123456", TF_CODE_TOTP, "123456" },
    { "123 456", TF_CODE_TOTP, "123456" },
    { "１２３４５６", TF_CODE_TOTP, "123456" },      /* full-width digits */
    { "abcde-fghjk", TF_CODE_RECOVERY, "ABCDEFGHJK" },
    { "ABCDE FGHJK", TF_CODE_RECOVERY, "ABCDEFGHJK" },
    { "oOiIl-23456", TF_CODE_RECOVERY, "0011123456" }, /* Crockford look-alikes */
    { "1234567890", TF_CODE_RECOVERY, "1234567890" },
  };
  const char *bad[] = { "12345", "1234567", "12345a", "abcde-fghju", "12345\n6",
                        "١٢٣٤٥٦x", "\xff" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      TfCodeKind kind = 99;
      g_autoptr(TfSecureBuffer) out = tf_validate_parse_code (cases[i].in, -1, &kind, &error);

      g_assert_no_error (error);
      g_assert_cmpint (kind, ==, cases[i].kind);
      if (cases[i].out == NULL)
        g_assert_null (out);
      else
        g_assert_cmpstr (tf_secure_buffer_get_string (out), ==, cases[i].out);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      TfCodeKind kind = 99;
      g_autoptr(TfSecureBuffer) out = tf_validate_parse_code (bad[i], -1, &kind, &error);

      g_assert_null (out);
      g_assert_cmpint (kind, ==, TF_CODE_NONE);
      g_assert_error (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_CODE);
    }
}

static void
test_recovery_codes (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(TfSecureBuffer) code = tf_recovery_code_generate ();
      g_autoptr(TfSecureBuffer) shown = tf_recovery_code_format (code);
      g_autoptr(TfSecureBuffer) parsed = NULL;
      TfCodeKind kind;

      g_assert_cmpuint (tf_secure_buffer_get_length (code), ==, TF_RECOVERY_CODE_LENGTH);
      g_assert_cmpuint (tf_secure_buffer_get_length (shown), ==, TF_RECOVERY_CODE_LENGTH + 1);
      g_assert_cmpint (tf_secure_buffer_get_string (shown)[5], ==, '-');

      /* What is shown parses back to the canonical code, in lower case too. */
      parsed = tf_validate_parse_code (tf_secure_buffer_get_string (shown), -1, &kind, NULL);
      g_assert_cmpint (kind, ==, TF_CODE_RECOVERY);
      g_assert_true (tf_secure_buffer_equal (parsed, code));
      g_assert_false (g_hash_table_contains (seen, tf_secure_buffer_get_string (code)));
      g_hash_table_add (seen, g_strdup (tf_secure_buffer_get_string (code)));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/validate/username-accepts", test_username_accepts);
  g_test_add_func ("/twofold/validate/username-refuses", test_username_refuses);
  g_test_add_func ("/twofold/validate/username-nul-and-huge", test_username_nul_and_huge);
  g_test_add_func ("/twofold/validate/names", test_names);
  g_test_add_func ("/twofold/validate/email", test_email);
  g_test_add_func ("/twofold/validate/codes", test_codes);
  g_test_add_func ("/twofold/validate/recovery-codes", test_recovery_codes);

  return g_test_run ();
}
