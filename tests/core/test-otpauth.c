/* test-otpauth.c */
#include "tf-core.h"
#include "tf-otpauth.h"

#include <string.h>

/* "JBSWY3DPEHPK3PXP", the secret in Google's Key Uri Format examples. */
#define HELLO_KEY "Hello!\xde\xad\xbe\xef"
#define HELLO_BASE32 "JBSWY3DPEHPK3PXP"

static TfSecureBuffer *
hello_secret (void)
{
  return tf_secure_buffer_new_from_data (HELLO_KEY, strlen (HELLO_KEY));
}

static void
assert_secret (const TfOtpauth *otpauth,
               const char      *expected,
               gsize            length)
{
  g_assert_nonnull (otpauth->secret);
  g_assert_cmpmem (tf_secure_buffer_get_data (otpauth->secret),
                   tf_secure_buffer_get_length (otpauth->secret),
                   expected, length);
}

static void
test_new_defaults (void)
{
  g_autoptr(TfSecureBuffer) secret = hello_secret ();
  g_autoptr(TfOtpauth) otpauth = tf_otpauth_new ("Example", "alice", secret);
  g_autoptr(TfOtpauth) no_issuer = tf_otpauth_new ("", "bob", secret);

  g_assert_cmpstr (otpauth->issuer, ==, "Example");
  g_assert_cmpstr (otpauth->account, ==, "alice");
  g_assert_true (otpauth->secret == secret);
  g_assert_cmpint (otpauth->algorithm, ==, TF_OTP_SHA1);
  g_assert_cmpuint (otpauth->digits, ==, 6);
  g_assert_cmpuint (otpauth->period, ==, 30);
  /* An empty issuer is no issuer. */
  g_assert_null (no_issuer->issuer);
}

static void
test_build (void)
{
  g_autoptr(TfSecureBuffer) secret = hello_secret ();
  g_autoptr(TfOtpauth) otpauth = tf_otpauth_new ("Example", "alice@google.com", secret);
  g_autoptr(TfSecureBuffer) uri = tf_otpauth_to_uri (otpauth);

  g_assert_cmpstr (tf_secure_buffer_get_string (uri), ==,
                   "otpauth://totp/Example:alice%40google.com?secret=" HELLO_BASE32
                   "&issuer=Example&algorithm=SHA1&digits=6&period=30");
  g_assert_cmpuint (tf_secure_buffer_get_length (uri), ==,
                    strlen (tf_secure_buffer_get_string (uri)));
}

static void
test_build_options (void)
{
  g_autoptr(TfSecureBuffer) secret = hello_secret ();
  g_autoptr(TfOtpauth) otpauth = tf_otpauth_new (NULL, "ACME Co:bob", secret);
  g_autoptr(TfSecureBuffer) uri = NULL;

  otpauth->algorithm = TF_OTP_SHA512;
  otpauth->digits = 8;
  otpauth->period = 60;
  uri = tf_otpauth_to_uri (otpauth);

  /* Without an issuer there is no prefix, so the ':' is only text. */
  g_assert_cmpstr (tf_secure_buffer_get_string (uri), ==,
                   "otpauth://totp/ACME%20Co%3Abob?secret=" HELLO_BASE32
                   "&algorithm=SHA512&digits=8&period=60");
}

static void
test_build_escapes_colon (void)
{
  g_autoptr(TfSecureBuffer) secret = hello_secret ();
  g_autoptr(TfOtpauth) otpauth = tf_otpauth_new ("Is:suer", "alice:admin", secret);
  g_autoptr(TfSecureBuffer) uri = tf_otpauth_to_uri (otpauth);
  const char *text = tf_secure_buffer_get_string (uri);
  guint n_colons = 0;

  g_assert_nonnull (strstr (text, "/Is%3Asuer:alice%3Aadmin?"));
  g_assert_nonnull (strstr (text, "&issuer=Is%3Asuer&"));
  /* One ':' after the scheme, one between issuer and account: no others. */
  for (const char *p = text; *p != '\0'; p++)
    if (*p == ':')
      n_colons++;
  g_assert_cmpuint (n_colons, ==, 2);
}

static void
test_round_trip (void)
{
  static const struct {
    const char *issuer;
    const char *account;
  } cases[] = {
    { "ACME Co", "john.doe@email.com" },
    { "Example", "alice:admin" },
    { "Is:suer", "bob" },
    { "A&B", "x?y=z&w" },
    { "Path/To", "50% off" },
    { "Plus+Sign", "a+b c" },
    { "~tilde_.-", "under_score" },
    { "#hash", "semi;colon,comma" },
    { "Zoë", "zoë@example.org" },
    { "🔐 Vault", "👩‍💻 dev" },
    { "日本", "ユーザー" },
    { NULL, "alice@example.com" },
    { NULL, "Example:alice" },
    { "Trailing ", "inner  spaces " },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TfSecureBuffer) secret = tf_secure_buffer_new_random (1 + i * 7);
      g_autoptr(TfOtpauth) original = tf_otpauth_new (cases[i].issuer, cases[i].account, secret);
      g_autoptr(TfOtpauth) parsed = NULL;
      g_autoptr(TfSecureBuffer) uri = NULL;
      g_autoptr(GError) error = NULL;

      original->algorithm = (TfOtpAlgorithm) (i % 3);
      original->digits = 6 + i % 3;
      original->period = i % 2 == 0 ? 30 : 1 + (guint) i * 250;
      uri = tf_otpauth_to_uri (original);
      g_test_message ("round trip %" G_GSIZE_FORMAT ": %s", i, tf_secure_buffer_get_string (uri));

      parsed = tf_otpauth_parse (tf_secure_buffer_get_string (uri), &error);
      g_assert_no_error (error);
      g_assert_cmpstr (parsed->issuer, ==, original->issuer);
      g_assert_cmpstr (parsed->account, ==, original->account);
      g_assert_true (tf_secure_buffer_equal (parsed->secret, original->secret));
      g_assert_cmpint (parsed->algorithm, ==, original->algorithm);
      g_assert_cmpuint (parsed->digits, ==, original->digits);
      g_assert_cmpuint (parsed->period, ==, original->period);
    }
}

typedef struct {
  const char *uri;
  const char *issuer;
  const char *account;
  TfOtpAlgorithm algorithm;
  guint digits;
  guint period;
} Parsed;

/* What authenticator apps and services actually produce. */
static const Parsed common[] = {
  { "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    "Example", "alice@google.com", TF_OTP_SHA1, 6, 30 },
  /* No issuer parameter: the label prefix is the issuer. */
  { "otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP",
    "Example", "alice@google.com", TF_OTP_SHA1, 6, 30 },
  /* No prefix: the issuer parameter is the issuer. */
  { "otpauth://totp/alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example",
    "Example", "alice@google.com", TF_OTP_SHA1, 6, 30 },
  /* Neither. */
  { "otpauth://totp/alice@google.com?secret=JBSWY3DPEHPK3PXP",
    NULL, "alice@google.com", TF_OTP_SHA1, 6, 30 },
  /* Lower case secret, grouped with spaces. */
  { "otpauth://totp/Example:alice?secret=jbsw%20y3dp%20ehpk%203pxp",
    "Example", "alice", TF_OTP_SHA1, 6, 30 },
  { "otpauth://totp/Example:alice?secret=jbsw+y3dp+ehpk+3pxp",
    "Example", "alice", TF_OTP_SHA1, 6, 30 },
  /* Google account export: the separator itself escaped. */
  { "otpauth://totp/Google%3Aalice%40gmail.com?secret=JBSWY3DPEHPK3PXP&issuer=Google",
    "Google", "alice@gmail.com", TF_OTP_SHA1, 6, 30 },
  /* The Key Uri Format example, with a space before the account. */
  { "otpauth://totp/ACME%20Co:%20john.doe@email.com?secret=JBSWY3DPEHPK3PXP"
    "&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30",
    "ACME Co", "john.doe@email.com", TF_OTP_SHA1, 6, 30 },
  /* Form encoding: '+' for a space in a parameter. */
  { "otpauth://totp/bob?secret=JBSWY3DPEHPK3PXP&issuer=ACME+Co",
    "ACME Co", "bob", TF_OTP_SHA1, 6, 30 },
  { "otpauth://totp/GitLab:bob?secret=JBSWY3DPEHPK3PXP&issuer=GitLab"
    "&algorithm=SHA256&digits=8&period=60",
    "GitLab", "bob", TF_OTP_SHA256, 8, 60 },
  { "OTPAUTH://TOTP/Ex:bob?SECRET=JBSWY3DPEHPK3PXP&Algorithm=sha512&Digits=7&Period=3600",
    "Ex", "bob", TF_OTP_SHA512, 7, 3600 },
  /* Parameters apps add, a counter TOTP ignores, a fragment. */
  { "otpauth://totp/Ex:bob?secret=JBSWY3DPEHPK3PXP&image=https%3A%2F%2Fex.com%2Fa.png"
    "&color=ff0000&counter=7&&#ignored",
    "Ex", "bob", TF_OTP_SHA1, 6, 30 },
  /* Raw UTF-8, as some generators write it. */
  { "otpauth://totp/Zoë:zoë?secret=JBSWY3DPEHPK3PXP&issuer=Zoë",
    "Zoë", "zoë", TF_OTP_SHA1, 6, 30 },
  { "otpauth://totp/:bob?secret=JBSWY3DPEHPK3PXP",
    NULL, "bob", TF_OTP_SHA1, 6, 30 },
  /* Spaces before the account go, prefix or not, as the format allows. */
  { "otpauth://totp/%20%20bob%20?secret=JBSWY3DPEHPK3PXP",
    NULL, "bob ", TF_OTP_SHA1, 6, 30 },
  { "otpauth://totp/Ex%3A%20bob?secret=JBSWY3DPEHPK3PXP&issuer=Ex",
    "Ex", "bob", TF_OTP_SHA1, 6, 30 },
};

static void
test_parse_common (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (common); i++)
    {
      const Parsed *c = &common[i];
      g_autoptr(TfOtpauth) otpauth = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("common[%" G_GSIZE_FORMAT "]: %s", i, c->uri);
      otpauth = tf_otpauth_parse (c->uri, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (otpauth->issuer, ==, c->issuer);
      g_assert_cmpstr (otpauth->account, ==, c->account);
      assert_secret (otpauth, HELLO_KEY, strlen (HELLO_KEY));
      g_assert_cmpint (otpauth->algorithm, ==, c->algorithm);
      g_assert_cmpuint (otpauth->digits, ==, c->digits);
      g_assert_cmpuint (otpauth->period, ==, c->period);
    }
}

static void
test_parse_padding (void)
{
  static const char *const uris[] = {
    "otpauth://totp/Ex:bob?secret=mfrgg===",
    "otpauth://totp/Ex:bob?secret=MFRGG%3D%3D%3D",
    "otpauth://totp/Ex:bob?secret=MFRGG",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(TfOtpauth) otpauth = NULL;
      g_autoptr(GError) error = NULL;

      otpauth = tf_otpauth_parse (uris[i], &error);
      g_assert_no_error (error);
      assert_secret (otpauth, "abc", 3);
    }
}

typedef struct {
  const char *uri;
  TfOtpauthError code;
  const char *kind;   /* a phrase of the expected (untranslated) message */
} Malformed;

#define S "secret=JBSWY3DPEHPK3PXP"

static const Malformed malformed[] = {
  { "", TF_OTPAUTH_ERROR_INVALID, "otpauth://" },
  { "http://totp/Ex:bob?" S, TF_OTPAUTH_ERROR_INVALID, "otpauth://" },
  { "otpauth:/totp/Ex:bob?" S, TF_OTPAUTH_ERROR_INVALID, "otpauth://" },
  { "JBSWY3DPEHPK3PXP", TF_OTPAUTH_ERROR_INVALID, "otpauth://" },
  { "otpauth://hotp/Ex:bob?" S "&counter=0", TF_OTPAUTH_ERROR_UNSUPPORTED, "HOTP" },
  { "otpauth://steam/Ex:bob?" S, TF_OTPAUTH_ERROR_UNSUPPORTED, "not supported" },
  { "otpauth:///Ex:bob?" S, TF_OTPAUTH_ERROR_INVALID, "which kind" },
  { "otpauth://totp/Ex:bob", TF_OTPAUTH_ERROR_INVALID, "no secret" },
  { "otpauth://totp/Ex:bob?issuer=Ex", TF_OTPAUTH_ERROR_INVALID, "no secret" },
  { "otpauth://totp/Ex:bob?secrets=JBSWY3DPEHPK3PXP", TF_OTPAUTH_ERROR_INVALID, "no secret" },
  { "otpauth://totp/Ex:bob?secret=JBSWY3DPEHPK3PX1", TF_OTPAUTH_ERROR_INVALID, "base32" },
  { "otpauth://totp/Ex:bob?secret=JBSWY3DPEHPK3PX", TF_OTPAUTH_ERROR_INVALID, "base32" },
  { "otpauth://totp/Ex:bob?secret=JBSWY3DPEHPK3PXP=", TF_OTPAUTH_ERROR_INVALID, "base32" },
  { "otpauth://totp/Ex:bob?secret=MFRGG====", TF_OTPAUTH_ERROR_INVALID, "base32" },
  { "otpauth://totp/Ex:bob?secret=", TF_OTPAUTH_ERROR_INVALID, "empty" },
  { "otpauth://totp/Ex:bob?secret", TF_OTPAUTH_ERROR_INVALID, "empty" },
  { "otpauth://totp/Ex:bob?secret=%20%20", TF_OTPAUTH_ERROR_INVALID, "empty" },
  { "otpauth://totp/Ex:bob?" S "&digits=5", TF_OTPAUTH_ERROR_INVALID, "digits" },
  { "otpauth://totp/Ex:bob?" S "&digits=9", TF_OTPAUTH_ERROR_INVALID, "digits" },
  { "otpauth://totp/Ex:bob?" S "&digits=abc", TF_OTPAUTH_ERROR_INVALID, "digits" },
  { "otpauth://totp/Ex:bob?" S "&digits=", TF_OTPAUTH_ERROR_INVALID, "digits" },
  { "otpauth://totp/Ex:bob?" S "&digits=-6", TF_OTPAUTH_ERROR_INVALID, "digits" },
  { "otpauth://totp/Ex:bob?" S "&digits=6.0", TF_OTPAUTH_ERROR_INVALID, "digits" },
  { "otpauth://totp/Ex:bob?" S "&digits=4294967302", TF_OTPAUTH_ERROR_INVALID, "digits" },
  { "otpauth://totp/Ex:bob?" S "&period=0", TF_OTPAUTH_ERROR_INVALID, "period" },
  { "otpauth://totp/Ex:bob?" S "&period=-1", TF_OTPAUTH_ERROR_INVALID, "period" },
  { "otpauth://totp/Ex:bob?" S "&period=99999", TF_OTPAUTH_ERROR_INVALID, "period" },
  { "otpauth://totp/Ex:bob?" S "&period=3601", TF_OTPAUTH_ERROR_INVALID, "period" },
  { "otpauth://totp/Ex:bob?" S "&period=x", TF_OTPAUTH_ERROR_INVALID, "period" },
  { "otpauth://totp/Ex:bob?" S "&period=30s", TF_OTPAUTH_ERROR_INVALID, "period" },
  { "otpauth://totp/Ex:bob?" S "&algorithm=MD5", TF_OTPAUTH_ERROR_INVALID, "algorithm" },
  { "otpauth://totp/Ex:bob?" S "&algorithm=", TF_OTPAUTH_ERROR_INVALID, "algorithm" },
  { "otpauth://totp/Ex:bob?" S "&issuer=Other", TF_OTPAUTH_ERROR_INVALID, "does not match" },
  { "otpauth://totp/Ex:bob?" S "&issuer=ex", TF_OTPAUTH_ERROR_INVALID, "does not match" },
  { "otpauth://totp/Ex:bob?" S "&" S, TF_OTPAUTH_ERROR_INVALID, "more than once" },
  { "otpauth://totp/Ex:bob?" S "&issuer=Ex&issuer=Ev", TF_OTPAUTH_ERROR_INVALID, "more than once" },
  { "otpauth://totp/Ex:b%G1ob?" S, TF_OTPAUTH_ERROR_INVALID, "percent-escape" },
  { "otpauth://totp/Ex:bob%4?" S, TF_OTPAUTH_ERROR_INVALID, "percent-escape" },
  { "otpauth://totp/Ex%:bob?" S, TF_OTPAUTH_ERROR_INVALID, "percent-escape" },
  { "otpauth://totp/Ex:bob?" S "&issuer=Ex%4", TF_OTPAUTH_ERROR_INVALID, "percent-escape" },
  { "otpauth://totp/Ex:bob?secret=JBSW%Y3DPEHPK3PXP", TF_OTPAUTH_ERROR_INVALID, "percent-escape" },
  { "otpauth://totp/Ex:%FF?" S, TF_OTPAUTH_ERROR_INVALID, "UTF-8" },
  { "otpauth://totp/Ex:bob%C3?" S, TF_OTPAUTH_ERROR_INVALID, "UTF-8" },
  { "otpauth://totp/Ex:bob?" S "&issuer=%C3%28", TF_OTPAUTH_ERROR_INVALID, "UTF-8" },
  { "otpauth://totp/Ex:b\xff" "ob?" S, TF_OTPAUTH_ERROR_INVALID, "UTF-8" },
  { "otpauth://totp/Ex:bob%00evil?" S, TF_OTPAUTH_ERROR_INVALID, "NUL" },
  { "otpauth://totp/Ex%00:bob?" S, TF_OTPAUTH_ERROR_INVALID, "NUL" },
  { "otpauth://totp/Ex:bob?" S "&issuer=Ex%00", TF_OTPAUTH_ERROR_INVALID, "NUL" },
  { "otpauth://totp/Ex:bob?secret=JBSWY3DP%00EHPK3PXP", TF_OTPAUTH_ERROR_INVALID, "NUL" },
  { "otpauth://totp/Ex:?" S, TF_OTPAUTH_ERROR_INVALID, "no account" },
  { "otpauth://totp/Ex:%20%20?" S, TF_OTPAUTH_ERROR_INVALID, "no account" },
  { "otpauth://totp/?" S, TF_OTPAUTH_ERROR_INVALID, "no account" },
  { "otpauth://totp?" S, TF_OTPAUTH_ERROR_INVALID, "no account" },
  { "otpauth://totp/" "?" S "&issuer=Ex", TF_OTPAUTH_ERROR_INVALID, "no account" },
  { "otpauth://totp/Ex%3A?" S "&issuer=Ex", TF_OTPAUTH_ERROR_INVALID, "no account" },
};

#undef S

static void
test_parse_malformed (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      const Malformed *m = &malformed[i];
      g_autoptr(TfOtpauth) otpauth = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("malformed[%" G_GSIZE_FORMAT "]: %s", i, m->uri);
      otpauth = tf_otpauth_parse (m->uri, &error);
      g_assert_error (error, TF_OTPAUTH_ERROR, (gint) m->code);
      g_assert_null (otpauth);
      /* The message says what is wrong (the tests run untranslated). */
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_nonnull (strstr (error->message, m->kind));
    }

  g_assert_null (tf_otpauth_parse ("otpauth://totp/Ex:bob", NULL));
}

static void
test_error_leaks_no_secret (void)
{
  g_autoptr(TfOtpauth) otpauth = NULL;
  g_autoptr(GError) error = NULL;

  /* Error messages may be shown or logged; they must not echo the secret. */
  otpauth = tf_otpauth_parse ("otpauth://totp/Ex:bob?secret=JBSWY3DPEHPK3PX1", &error);
  g_assert_error (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID);
  g_assert_null (strstr (error->message, "JBSW"));
  g_assert_null (strstr (error->message, "PX1"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/otpauth/new-defaults", test_new_defaults);
  g_test_add_func ("/twofold/otpauth/build", test_build);
  g_test_add_func ("/twofold/otpauth/build-options", test_build_options);
  g_test_add_func ("/twofold/otpauth/build-escapes-colon", test_build_escapes_colon);
  g_test_add_func ("/twofold/otpauth/round-trip", test_round_trip);
  g_test_add_func ("/twofold/otpauth/parse-common", test_parse_common);
  g_test_add_func ("/twofold/otpauth/parse-padding", test_parse_padding);
  g_test_add_func ("/twofold/otpauth/parse-malformed", test_parse_malformed);
  g_test_add_func ("/twofold/otpauth/error-leaks-no-secret", test_error_leaks_no_secret);

  return g_test_run ();
}
