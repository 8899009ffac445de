/* tf-base32.c */
#define G_LOG_DOMAIN "tf-base32"

#include "config.h"

#include "tf-base32.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

G_DEFINE_QUARK (tf-base32-error-quark, tf_base32_error)

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* Padding an encoder writes after N data characters of the last 8-character
 * block; -1 marks the lengths (1, 3, 6) that no whole number of bytes gives.
 */
static const int padding_for_tail[8] = { 0, -1, 6, -1, 4, 3, -1, 1 };

/* Returns the 5-bit value of C, or -1 when C is not in the alphabet. */
static int
symbol_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a';
  if (c >= '2' && c <= '7')
    return c - '2' + 26;
  return -1;
}

TfSecureBuffer *
tf_base32_encode (const guint8 *data,
                  gsize         length)
{
  TfSecureBuffer *result;
  char *out;
  guint32 bits = 0;
  guint n_bits = 0;
  gsize o = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (length <= G_MAXSIZE / 8, NULL);

  result = tf_secure_buffer_new ((length * 8 + 4) / 5);
  out = (char *) tf_secure_buffer_get_data (result);

  for (gsize i = 0; i < length; i++)
    {
      bits = (bits << 8) | data[i];
      n_bits += 8;
      while (n_bits >= 5)
        {
          n_bits -= 5;
          out[o++] = alphabet[(bits >> n_bits) & 0x1f];
        }
      bits &= (1u << n_bits) - 1;
    }

  /* The last character carries the remaining bits, zero-filled on the right. */
  if (n_bits > 0)
    out[o++] = alphabet[(bits << (5 - n_bits)) & 0x1f];

  g_assert (o == tf_secure_buffer_get_length (result));
  sodium_memzero (&bits, sizeof bits);

  return result;
}

static void
set_bad_character_error (const char  *text,
                         gsize        length,
                         gsize        offset,
                         GError     **error)
{
  /* A byte outside ASCII that does not start a valid UTF-8 sequence means the
   * text as a whole is not text; say so rather than blame one "character".
   */
  if ((guchar) text[offset] >= 0x80 &&
      g_utf8_get_char_validated (text + offset, length - offset) >= (gunichar) -2)
    {
      g_set_error_literal (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID,
                           _("The base32 text is not valid UTF-8."));
      return;
    }

  /* Everything before the first bad byte is ASCII, so the byte offset is also
   * the character position a person sees.
   */
  g_set_error (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID,
               _("Character %lu of the base32 text is not allowed: only the letters "
                 "A to Z and the digits 2 to 7 are."),
               (gulong) offset + 1);
}

TfSecureBuffer *
tf_base32_decode (const char  *text,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(TfSecureBuffer) result = NULL;
  guint8 *out;
  guint32 bits = 0;
  guint n_bits = 0;
  gsize n_symbols = 0;
  gsize n_padding = 0;
  gsize o = 0;
  gboolean trailing_bits_set;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Every 8 characters carry 5 bytes, so this is always enough room. */
  result = tf_secure_buffer_new (length / 8 * 5 + 5);
  out = tf_secure_buffer_get_data (result);

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];
      int value;

      if (c == ' ')
        continue;

      if (c == '=')
        {
          n_padding++;
          continue;
        }

      value = symbol_value (c);
      if (value < 0)
        {
          set_bad_character_error (text, length, i, error);
          goto fail;
        }

      if (n_padding > 0)
        {
          g_set_error_literal (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID,
                               _("The base32 text has “=” padding before its end."));
          goto fail;
        }

      n_symbols++;
      bits = (bits << 5) | (guint32) value;
      n_bits += 5;
      if (n_bits >= 8)
        {
          n_bits -= 8;
          out[o++] = (guint8) (bits >> n_bits);
          bits &= (1u << n_bits) - 1;
        }
    }

  if (padding_for_tail[n_symbols % 8] < 0)
    {
      g_set_error_literal (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID,
                           _("The base32 text has a length no encoder produces: a "
                             "character is missing or one too many."));
      goto fail;
    }

  if (n_padding != 0 && n_padding != (gsize) padding_for_tail[n_symbols % 8])
    {
      g_set_error_literal (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID,
                           _("The base32 text has the wrong amount of “=” padding."));
      goto fail;
    }

  /* An encoder fills the unused low bits of the last character with zeros;
   * anything else means the text was cut short or altered.
   */
  trailing_bits_set = bits != 0;
  sodium_memzero (&bits, sizeof bits);
  if (trailing_bits_set)
    {
      g_set_error_literal (error, TF_BASE32_ERROR, TF_BASE32_ERROR_INVALID,
                           _("The last base32 character has bits that belong to no "
                             "byte; the text may have been cut short."));
      return NULL;
    }

  tf_secure_buffer_truncate (result, o);
  return g_steal_pointer (&result);

fail:
  sodium_memzero (&bits, sizeof bits);
  return NULL;
}
