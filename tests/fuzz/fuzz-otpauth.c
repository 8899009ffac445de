/* fuzz-otpauth.c
 *
 * tf_otpauth_parse () on arbitrary text must either fail with a
 * TF_OTPAUTH_ERROR or give a key within the documented limits; the URI
 * built from that key must parse back to the same key, and building from
 * it again must give the same URI.
 */
#include "tf-fuzz.h"

#include "tf-otpauth.h"

#include <string.h>

static void
check_key (const TfOtpauth *key)
{
  tf_fuzz_check (key->account != NULL);
  tf_fuzz_check (key->account[0] != '\0');
  tf_fuzz_check (g_utf8_validate (key->account, -1, NULL));
  tf_fuzz_check (key->issuer == NULL || key->issuer[0] != '\0');
  tf_fuzz_check (key->issuer == NULL || g_utf8_validate (key->issuer, -1, NULL));
  tf_fuzz_check (key->secret != NULL);
  tf_fuzz_check (tf_secure_buffer_get_length (key->secret) > 0);
  tf_fuzz_check (tf_otp_algorithm_to_string (key->algorithm) != NULL);
  tf_fuzz_check (key->digits >= TF_OTP_MIN_DIGITS && key->digits <= TF_OTP_MAX_DIGITS);
  tf_fuzz_check (key->period >= 1 && key->period <= 3600);
}

static void
check_same_key (const TfOtpauth *a,
                const TfOtpauth *b)
{
  tf_fuzz_check (g_strcmp0 (a->issuer, b->issuer) == 0);
  tf_fuzz_check (strcmp (a->account, b->account) == 0);
  tf_fuzz_check (tf_secure_buffer_equal (a->secret, b->secret));
  tf_fuzz_check (a->algorithm == b->algorithm);
  tf_fuzz_check (a->digits == b->digits);
  tf_fuzz_check (a->period == b->period);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_malloc (size + 1);
  g_autoptr(TfOtpauth) key = NULL;
  g_autoptr(TfOtpauth) reparsed = NULL;
  g_autoptr(TfSecureBuffer) uri = NULL;
  g_autoptr(TfSecureBuffer) uri_again = NULL;

  memcpy (text, data, size);
  text[size] = '\0';

  key = tf_otpauth_parse (text, &error);
  if (key == NULL)
    {
      tf_fuzz_check (error != NULL);
      tf_fuzz_check (error->domain == TF_OTPAUTH_ERROR);
      tf_fuzz_check (error->message != NULL && error->message[0] != '\0');
      return 0;
    }
  tf_fuzz_check (error == NULL);
  check_key (key);

  uri = tf_otpauth_to_uri (key);
  tf_fuzz_check (uri != NULL);
  tf_fuzz_check (strlen (tf_secure_buffer_get_string (uri)) == tf_secure_buffer_get_length (uri));

  reparsed = tf_otpauth_parse (tf_secure_buffer_get_string (uri), &error);
  if (reparsed == NULL)
    {
      fprintf (stderr, "our own URI does not parse: %s\n", error->message);
      abort ();
    }
  check_key (reparsed);
  check_same_key (key, reparsed);

  uri_again = tf_otpauth_to_uri (reparsed);
  tf_fuzz_check (tf_secure_buffer_equal (uri, uri_again));

  return 0;
}
