/* fuzz-base32.c
 *
 * tf_base32_decode () on arbitrary bytes must either fail with a
 * TF_BASE32_ERROR or return bytes whose encoding is the input in canonical
 * form (upper case, spaces and padding dropped) and decodes back to the same
 * bytes. tf_base32_encode () of arbitrary bytes must decode back to them,
 * padded or not, upper or lower case.
 */
#include "tf-fuzz.h"

#include "tf-base32.h"

#include <string.h>

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static void
check_canonical (const TfSecureBuffer *encoded,
                 gsize                 n_bytes)
{
  const char *text = tf_secure_buffer_get_string (encoded);
  gsize length = tf_secure_buffer_get_length (encoded);

  tf_fuzz_check (length == (n_bytes * 8 + 4) / 5);
  tf_fuzz_check (strlen (text) == length);
  for (gsize i = 0; i < length; i++)
    tf_fuzz_check (memchr (alphabet, text[i], sizeof alphabet - 1) != NULL);
}

static TfSecureBuffer *
decode_or_abort (const char *text,
                 gsize       length)
{
  g_autoptr(GError) error = NULL;
  TfSecureBuffer *decoded = tf_base32_decode (text, length, &error);

  if (decoded == NULL)
    {
      fprintf (stderr, "decoding our own encoding failed: %s\n", error->message);
      abort ();
    }
  tf_fuzz_check (error == NULL);

  return decoded;
}

/* Arbitrary text in: a clean error, or a canonical round trip. */
static void
fuzz_decode (const uint8_t *data,
             size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) decoded = NULL;
  g_autoptr(TfSecureBuffer) encoded = NULL;
  g_autoptr(TfSecureBuffer) again = NULL;
  g_autoptr(GString) canonical = NULL;

  decoded = tf_base32_decode ((const char *) data, size, &error);
  if (decoded == NULL)
    {
      tf_fuzz_check (error != NULL);
      tf_fuzz_check (error->domain == TF_BASE32_ERROR);
      tf_fuzz_check (error->message != NULL && error->message[0] != '\0');
      return;
    }
  tf_fuzz_check (error == NULL);
  tf_fuzz_check (tf_secure_buffer_get_length (decoded) <= size * 5 / 8);

  encoded = tf_base32_encode (tf_secure_buffer_get_data (decoded),
                              tf_secure_buffer_get_length (decoded));
  check_canonical (encoded, tf_secure_buffer_get_length (decoded));

  /* Decoding accepts exactly one spelling per byte string, up to case,
   * spaces and padding: anything else would mean two texts for one secret.
   */
  canonical = g_string_new (NULL);
  for (size_t i = 0; i < size; i++)
    if (data[i] != ' ' && data[i] != '=')
      g_string_append_c (canonical, g_ascii_toupper ((char) data[i]));
  tf_fuzz_check (canonical->len == tf_secure_buffer_get_length (encoded));
  tf_fuzz_check (memcmp (canonical->str, tf_secure_buffer_get_string (encoded),
                         canonical->len) == 0);

  again = decode_or_abort (tf_secure_buffer_get_string (encoded),
                           tf_secure_buffer_get_length (encoded));
  tf_fuzz_check (tf_secure_buffer_equal (again, decoded));
}

/* Arbitrary bytes in: every spelling of their encoding decodes back. */
static void
fuzz_encode (const uint8_t *data,
             size_t         size)
{
  g_autoptr(TfSecureBuffer) original = tf_secure_buffer_new_from_data (data, size);
  g_autoptr(TfSecureBuffer) encoded = NULL;
  g_autoptr(TfSecureBuffer) decoded = NULL;
  g_autoptr(TfSecureBuffer) decoded_lower = NULL;
  g_autoptr(TfSecureBuffer) decoded_padded = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GString) padded = NULL;

  encoded = tf_base32_encode (data, size);
  tf_fuzz_check (encoded != NULL);
  check_canonical (encoded, size);

  decoded = decode_or_abort (tf_secure_buffer_get_string (encoded),
                             tf_secure_buffer_get_length (encoded));
  tf_fuzz_check (tf_secure_buffer_equal (decoded, original));

  lower = g_ascii_strdown (tf_secure_buffer_get_string (encoded),
                           tf_secure_buffer_get_length (encoded));
  decoded_lower = decode_or_abort (lower, strlen (lower));
  tf_fuzz_check (tf_secure_buffer_equal (decoded_lower, original));

  /* RFC 4648 padding to a whole 8-character block. */
  padded = g_string_new (tf_secure_buffer_get_string (encoded));
  while (padded->len % 8 != 0)
    g_string_append_c (padded, '=');
  decoded_padded = decode_or_abort (padded->str, padded->len);
  tf_fuzz_check (tf_secure_buffer_equal (decoded_padded, original));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_decode (data, size);
  fuzz_encode (data, size);

  return 0;
}
