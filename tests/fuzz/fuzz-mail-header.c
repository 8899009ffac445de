/* fuzz-mail-header.c
 *
 * The mail header code (tf-mail-header.h) on arbitrary bytes. The first
 * byte chooses: (byte & 0x03) picks tf_mail_header_check_text () with
 * tf_mail_header_encode (), tf_mail_header_check_address (), or
 * tf_mail_header_parse_mailbox () with tf_mail_header_format_mailbox ()
 * (3 = check_text/encode again); (byte >> 2) % 41 is the length of the
 * "Name: " prefix. The rest is the input, with its explicit length.
 *
 * Checked on every input, as the header's contract states it:
 * - check_text accepts exactly the valid UTF-8 of at most 512 bytes without
 *   NUL, C0, DEL, C1, U+2028/9, bidi controls, BOM and angle brackets;
 * - check_address accepts only an addr-spec within the limits, without any
 *   of those nor space, quotes, parentheses, brackets, backslash, comma,
 *   semicolon or colon;
 * - what encode and format_mailbox give is printable ASCII folded with
 *   CRLF SP only (but for the address, which goes in as it is: RFC 6532),
 *   encoded words are at most 75 characters and whole UTF-8 characters, no
 *   line (with the prefix) is longer than 76 characters but the one holding
 *   " <address>" alone, and decoding gives back the input:
 *   unfolded plain text, a quoted-string, or RFC 2047 "B" words, decoded here
 *   independently of the encoder.
 */
#include "tf-fuzz.h"

#include "tf-mail-header.h"

#include <string.h>

#define WORD_START "=?UTF-8?B?"
#define WORD_END "?="

/* The contract's refused characters, written out again from the header. */
static gboolean
refused_in_text (gunichar c)
{
  return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
         c == '<' || c == '>' || c == 0x061c || c == 0x200e || c == 0x200f ||
         (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) ||
         c == 0x2028 || c == 0x2029 || c == 0xfeff;
}

static gboolean
text_is_acceptable (const char *text,
                    gsize       length)
{
  if (length > TF_MAIL_HEADER_MAX_TEXT || !g_utf8_validate_len (text, length, NULL))
    return FALSE;
  for (const char *p = text; p < text + length; p = g_utf8_next_char (p))
    {
      if (refused_in_text (g_utf8_get_char (p)))
        return FALSE;
    }
  return TRUE;
}

static void
check_accepted_address (const char *address,
                        gsize       length)
{
  const char *at = memchr (address, '@', length);
  gsize local;

  tf_fuzz_check (length >= 3 && length <= TF_MAIL_HEADER_MAX_ADDRESS);
  tf_fuzz_check (text_is_acceptable (address, length));
  tf_fuzz_check (at != NULL && memchr (at + 1, '@', length - (gsize) (at - address) - 1) == NULL);
  local = (gsize) (at - address);
  tf_fuzz_check (local >= 1 && local <= TF_MAIL_HEADER_MAX_LOCAL);
  tf_fuzz_check (address[0] != '.' && address[local - 1] != '.');
  tf_fuzz_check (at[1] != '\0' && at[1] != '.' && address[length - 1] != '.');
  tf_fuzz_check (g_strstr_len (address, (gssize) length, "..") == NULL);
  for (gsize i = 0; i < length; i++)
    tf_fuzz_check (address[i] != '\0' && strchr (" \"(),:;[\\]", address[i]) == NULL);
}

/* Only printable ASCII and CRLF SP, every line within the limit, the first
 * one counting the prefix. Returns the unfolded value and the length of its
 * last line. */
static char *
check_folded (const char *value,
              gsize       prefix_length,
              gsize      *last_line_length)
{
  GString *unfolded = g_string_new (NULL);
  gsize line_length = prefix_length;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          /* A fold: CRLF and then the space that starts the next line. */
          tf_fuzz_check (p[1] == '\n' && p[2] == ' ');
          tf_fuzz_check (line_length <= TF_MAIL_HEADER_MAX_LINE);
          p++;
          line_length = 0;
          continue;
        }
      tf_fuzz_check (*p >= 0x20 && *p <= 0x7e);
      g_string_append_c (unfolded, *p);
      line_length++;
    }
  tf_fuzz_check (line_length <= TF_MAIL_HEADER_MAX_LINE);

  if (last_line_length != NULL)
    *last_line_length = line_length;
  return g_string_free (unfolded, FALSE);
}

static gboolean
is_base64 (const char *text,
           gsize       length)
{
  if (length == 0 || length % 4 != 0)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '=')
        {
          /* Padding only at the end, at most two. */
          if (i < length - 2 || (i == length - 2 && text[length - 1] != '='))
            return FALSE;
        }
      else if (!g_ascii_isalnum (text[i]) && text[i] != '+' && text[i] != '/')
        {
          return FALSE;
        }
    }
  return TRUE;
}

/* RFC 2047: words separated by white space, which is not part of the text.
 * Each word must decode on its own into whole UTF-8 characters. */
static char *
decode_words (const char *unfolded)
{
  g_auto(GStrv) words = g_strsplit (unfolded, " ", -1);
  GString *text = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *word = words[i];
      gsize length = strlen (word);
      gsize b64_length;
      g_autofree char *b64 = NULL;
      g_autofree guchar *bytes = NULL;
      g_autofree char *again = NULL;
      gsize n_bytes;

      tf_fuzz_check (length <= TF_MAIL_HEADER_MAX_WORD);
      tf_fuzz_check (g_str_has_prefix (word, WORD_START) && g_str_has_suffix (word, WORD_END));
      b64_length = length - strlen (WORD_START) - strlen (WORD_END);
      b64 = g_strndup (word + strlen (WORD_START), b64_length);
      tf_fuzz_check (is_base64 (b64, b64_length));
      bytes = g_base64_decode (b64, &n_bytes);
      /* Canonical: the same bytes encode to the same word. */
      again = g_base64_encode (bytes, n_bytes);
      tf_fuzz_check (strcmp (again, b64) == 0);
      tf_fuzz_check (g_utf8_validate_len ((const char *) bytes, n_bytes, NULL));
      g_string_append_len (text, (const char *) bytes, (gssize) n_bytes);
    }

  return g_string_free (text, FALSE);
}

static void
fuzz_encode (const char *input,
             gsize       length,
             gsize       prefix_length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *unfolded = NULL;
  g_autofree char *decoded = NULL;
  gboolean accepted = tf_mail_header_check_text (input, (gssize) length, &error);

  tf_fuzz_check (accepted == text_is_acceptable (input, length));
  if (!accepted)
    {
      tf_fuzz_check (g_error_matches (error, TF_MAIL_HEADER_ERROR,
                                      TF_MAIL_HEADER_ERROR_INVALID_TEXT));
      /* encode () checks again and refuses what stops before a NUL too. */
      if (memchr (input, '\0', length) == NULL)
        {
          text = g_strndup (input, length);
          tf_fuzz_check (tf_mail_header_encode (text, prefix_length) == NULL);
        }
      return;
    }
  tf_fuzz_check (error == NULL);

  text = g_strndup (input, length);
  encoded = tf_mail_header_encode (text, prefix_length);
  tf_fuzz_check (encoded != NULL);
  unfolded = check_folded (encoded, prefix_length, NULL);

  /* Plain text never holds "=?", so that is what tells the two apart. */
  if (strstr (unfolded, "=?") == NULL)
    {
      tf_fuzz_check (strcmp (unfolded, text) == 0);
      return;
    }
  decoded = decode_words (unfolded);
  tf_fuzz_check (strcmp (decoded, text) == 0);
}

static void
fuzz_address (const char *input,
              gsize       length)
{
  g_autoptr(GError) error = NULL;

  if (!tf_mail_header_check_address (input, (gssize) length, &error))
    {
      tf_fuzz_check (g_error_matches (error, TF_MAIL_HEADER_ERROR,
                                      TF_MAIL_HEADER_ERROR_INVALID_ADDRESS));
      return;
    }
  tf_fuzz_check (error == NULL);
  check_accepted_address (input, length);
}

/* The display name part of format_mailbox ()'s value, decoded. */
static char *
decode_name (const char *unfolded)
{
  gsize length = strlen (unfolded);

  if (unfolded[0] == '"')
    {
      GString *name = g_string_new (NULL);

      tf_fuzz_check (length >= 2 && unfolded[length - 1] == '"');
      for (gsize i = 1; i < length - 1; i++)
        {
          if (unfolded[i] == '\\')
            {
              i++;
              tf_fuzz_check (i < length - 1);
            }
          else
            {
              tf_fuzz_check (unfolded[i] != '"');
            }
          g_string_append_c (name, unfolded[i]);
        }
      return g_string_free (name, FALSE);
    }
  if (strstr (unfolded, "=?") != NULL)
    return decode_words (unfolded);

  /* A phrase of atext and spaces. */
  for (gsize i = 0; i < length; i++)
    tf_fuzz_check (g_ascii_isalnum (unfolded[i]) || strchr ("!#$%&'*+-/=?^_`{|}~ ", unfolded[i]));
  return g_strdup (unfolded);
}

static void
fuzz_mailbox (const char *input,
              gsize       length,
              gsize       prefix_length)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *address = NULL;
  g_autofree char *formatted = NULL;
  g_autofree char *unfolded = NULL;
  g_autofree char *tail = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *name_again = NULL;
  g_autofree char *address_again = NULL;
  gsize formatted_length;
  gsize unfolded_length;
  gsize tail_length;
  gsize last_line_length;

  if (!tf_mail_header_parse_mailbox (input, (gssize) length, &name, &address, &error))
    {
      tf_fuzz_check (error != NULL && error->domain == TF_MAIL_HEADER_ERROR);
      tf_fuzz_check (name == NULL && address == NULL);
      return;
    }
  tf_fuzz_check (error == NULL && address != NULL);
  tf_fuzz_check (name == NULL || tf_mail_header_check_text (name, -1, NULL));
  check_accepted_address (address, strlen (address));

  formatted = tf_mail_header_format_mailbox (name, address, prefix_length);
  tf_fuzz_check (formatted != NULL);
  if (name == NULL || name[0] == '\0')
    {
      tf_fuzz_check (strcmp (formatted, address) == 0);
      return;
    }

  /* The address goes in as it is, UTF-8 included (RFC 6532), and alone on
   * its line when the line would be too long with it. */
  tail = g_strdup_printf ("<%s>", address);
  tail_length = strlen (tail);
  formatted_length = strlen (formatted);
  tf_fuzz_check (g_str_has_suffix (formatted, tail) && formatted_length > tail_length + 1);
  formatted[formatted_length - tail_length] = '\0';
  unfolded = check_folded (formatted, prefix_length, &last_line_length);
  unfolded_length = strlen (unfolded);
  tf_fuzz_check (unfolded_length >= 2 && unfolded[unfolded_length - 1] == ' ');
  tf_fuzz_check (last_line_length == 1 ||
                 last_line_length + tail_length <= TF_MAIL_HEADER_MAX_LINE);
  unfolded[unfolded_length - 1] = '\0';
  decoded = decode_name (unfolded);
  tf_fuzz_check (strcmp (decoded, name) == 0);

  /* Without encoded words the value is a setting that parses back the same. */
  if (strstr (unfolded, "=?") == NULL)
    {
      g_autofree char *setting = g_strdup_printf ("%s %s", unfolded, tail);

      tf_fuzz_check (tf_mail_header_parse_mailbox (setting, -1, &name_again, &address_again,
                                                   NULL));
      tf_fuzz_check (name_again != NULL && strcmp (name_again, name) == 0);
      tf_fuzz_check (strcmp (address_again, address) == 0);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *input;
  gsize length;
  gsize prefix_length;

  if (size == 0)
    return 0;

  prefix_length = (gsize) (data[0] >> 2) % 41;
  input = (const char *) data + 1;
  length = size - 1;

  switch (data[0] & 0x03)
    {
    case 1:
      fuzz_address (input, length);
      break;
    case 2:
      fuzz_mailbox (input, length, prefix_length);
      break;
    default:
      fuzz_encode (input, length, prefix_length);
      break;
    }

  return 0;
}
