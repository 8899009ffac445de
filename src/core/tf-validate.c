/* tf-validate.c */
#define G_LOG_DOMAIN "tf-validate"

#include "config.h"

#include "tf-validate.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

G_DEFINE_QUARK (tf-validate-error-quark, tf_validate_error)

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Shared first gate: size, NUL, UTF-8. Returns the length in bytes or -1. */
static gssize
check_raw (const char      *input,
           gssize           length,
           TfValidateError  code,
           const char      *field_message,
           GError         **error)
{
  if (input == NULL)
    input = "";
  if (length < 0)
    length = strnlen (input, TF_VALIDATE_MAX_INPUT_BYTES + 1);

  if ((gsize) length > TF_VALIDATE_MAX_INPUT_BYTES ||
      memchr (input, '\0', length) != NULL ||
      !g_utf8_validate_len (input, length, NULL))
    {
      g_set_error_literal (error, TF_VALIDATE_ERROR, code, field_message);
      return -1;
    }

  return length;
}

static gboolean
is_forbidden_char (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:       /* bidi overrides, zero-width joiners */
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_CONNECT_PUNCTUATION:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
    case G_UNICODE_CURRENCY_SYMBOL:
    case G_UNICODE_MODIFIER_SYMBOL:
    case G_UNICODE_MATH_SYMBOL:
    case G_UNICODE_OTHER_SYMBOL:
    case G_UNICODE_SPACE_SEPARATOR:
    default:
      return FALSE;
    }
}

/* Trims spaces only: a CR, LF or tab anywhere is refused, never trimmed. */
static char *
strip_copy (const char *input,
            gssize      length)
{
  gsize start = 0;
  gsize end = (gsize) length;

  while (start < end && input[start] == ' ')
    start++;
  while (end > start && input[end - 1] == ' ')
    end--;

  return g_strndup (input + start, end - start);
}

/* NFKC, case-folded, then lower-cased letter by letter: GLib folds some
 * scripts (Cherokee) to upper case while lower-casing folds them back, so
 * folding alone has no fixed point. NFKC again, since both can denormalise. */
static char *
canonical_username (const char *text)
{
  g_autofree char *nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  g_autofree char *folded = g_utf8_casefold (nfkc, -1);
  g_autoptr(GString) lower = g_string_sized_new (strlen (folded));

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    g_string_append_unichar (lower, g_unichar_tolower (g_utf8_get_char (p)));

  return g_utf8_normalize (lower->str, -1, G_NORMALIZE_NFKC);
}

char *
tf_validate_username (const char  *input,
                      gssize       length,
                      GError     **error)
{
  const char *message = _("Usernames are 3 to 32 letters, digits, dots, hyphens or "
                          "underscores, and start with a letter or digit.");
  g_autofree char *trimmed = NULL;
  g_autofree char *result = NULL;
  GUnicodeScript script = G_UNICODE_SCRIPT_COMMON;
  glong n_chars;
  const char *p;

  length = check_raw (input, length, TF_VALIDATE_ERROR_USERNAME, message, error);
  if (length < 0)
    return NULL;

  trimmed = strip_copy (input, length);
  result = canonical_username (trimmed);
  /* The stored form must validate to itself, or one name could have two. */
  {
    g_autofree char *again = canonical_username (result);

    if (g_strcmp0 (again, result) != 0)
      {
        g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_USERNAME, message);
        return NULL;
      }
  }

  n_chars = g_utf8_strlen (result, -1);
  if (n_chars < TF_USERNAME_MIN_CHARS || n_chars > TF_USERNAME_MAX_CHARS)
    {
      g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_USERNAME, message);
      return NULL;
    }

  for (p = result; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean first = (p == result);

      if (c == '.' || c == '_' || c == '-')
        {
          if (first)
            {
              g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_USERNAME, message);
              return NULL;
            }
          continue;
        }

      if (c < 0x80 && g_ascii_isdigit (c))
        continue;

      if (g_unichar_isalpha (c) || g_unichar_ismark (c))
        {
          GUnicodeScript s = g_unichar_get_script (c);

          if (s == G_UNICODE_SCRIPT_INHERITED || s == G_UNICODE_SCRIPT_COMMON)
            continue;
          if (script == G_UNICODE_SCRIPT_COMMON)
            script = s;
          else if (s != script)
            {
              g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_USERNAME,
                                   _("Usernames cannot mix letters from different "
                                     "alphabets, since such names can imitate others."));
              return NULL;
            }
          continue;
        }

      g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_USERNAME, message);
      return NULL;
    }

  return g_steal_pointer (&result);
}

char *
tf_validate_name (const char  *input,
                  gssize       length,
                  GError     **error)
{
  const char *message = _("Names are 1 to 64 characters, without control characters "
                          "or angle brackets.");
  g_autofree char *name = NULL;
  glong n_chars;

  length = check_raw (input, length, TF_VALIDATE_ERROR_NAME, message, error);
  if (length < 0)
    return NULL;

  name = strip_copy (input, length);
  n_chars = g_utf8_strlen (name, -1);
  if (n_chars < 1 || n_chars > TF_NAME_MAX_CHARS)
    {
      g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_NAME, message);
      return NULL;
    }

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_forbidden_char (c) || c == '<' || c == '>')
        {
          g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_NAME, message);
          return NULL;
        }
    }

  return g_steal_pointer (&name);
}

static gboolean
valid_domain (const char *domain)
{
  g_auto(GStrv) labels = NULL;
  guint n;

  if (strchr (domain, '.') == NULL)
    return FALSE;

  labels = g_strsplit (domain, ".", -1);
  n = g_strv_length (labels);
  for (guint i = 0; i < n; i++)
    {
      const char *label = labels[i];
      gsize len = strlen (label);

      if (len == 0 || len > 63 || label[0] == '-' || label[len - 1] == '-')
        return FALSE;

      for (const char *p = label; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          /* Internationalised domains are fine; punctuation is not. */
          if (c != '-' && !g_unichar_isalnum (c) && !g_unichar_ismark (c))
            return FALSE;
        }
    }

  return TRUE;
}

char *
tf_validate_email (const char  *input,
                   gssize       length,
                   GError     **error)
{
  const char *message = _("Enter an e-mail address such as name@example.org.");
  g_autofree char *email = NULL;
  const char *at;
  gsize len;

  length = check_raw (input, length, TF_VALIDATE_ERROR_EMAIL, message, error);
  if (length < 0)
    return NULL;

  email = strip_copy (input, length);
  len = strlen (email);
  at = strrchr (email, '@');

  if (len == 0 || len > TF_EMAIL_MAX_BYTES || at == NULL ||
      at == email || (gsize) (at - email) > 64 ||
      strchr (email, '@') != at || !valid_domain (at + 1))
    {
      g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_EMAIL, message);
      return NULL;
    }

  for (const char *p = email; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_forbidden_char (c) || g_unichar_isspace (c) ||
          (c < 0x80 && strchr ("<>\"',;()[]\\", (int) c) != NULL))
        {
          g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_EMAIL, message);
          return NULL;
        }
    }

  if (email[0] == '.' || at[-1] == '.' || strstr (email, "..") != NULL)
    {
      g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_EMAIL, message);
      return NULL;
    }

  return g_steal_pointer (&email);
}

static int
crockford_value (char c)
{
  c = g_ascii_toupper (c);
  if (c == 'I' || c == 'L')
    c = '1';
  else if (c == 'O')
    c = '0';

  for (int i = 0; crockford[i] != '\0'; i++)
    if (crockford[i] == c)
      return i;

  return -1;
}

TfSecureBuffer *
tf_validate_parse_code (const char  *input,
                        gssize       length,
                        TfCodeKind  *kind,
                        GError     **error)
{
  const char *message = _("Enter the 6-digit code from your authenticator app, or one "
                          "of your recovery codes.");
  g_autoptr(TfSecureBuffer) compact = NULL;
  char *nfkc;
  gsize n = 0;
  gboolean all_digits = TRUE;
  guint8 *out;

  g_return_val_if_fail (kind != NULL, NULL);
  *kind = TF_CODE_NONE;

  length = check_raw (input, length, TF_VALIDATE_ERROR_CODE, message, error);
  if (length < 0)
    return NULL;

  nfkc = g_utf8_normalize (input != NULL ? input : "", length, G_NORMALIZE_NFKC);
  compact = tf_secure_buffer_new (strlen (nfkc));
  out = tf_secure_buffer_get_data (compact);

  for (const char *p = nfkc; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '-' || *p == '\t')
        continue;
      if (!g_ascii_isalnum (*p))
        {
          n = G_MAXSIZE;
          break;
        }
      all_digits = all_digits && g_ascii_isdigit (*p);
      out[n++] = *p;
    }
  sodium_memzero (nfkc, strlen (nfkc));
  g_free (nfkc);

  if (n == 0)
    return NULL;

  if (n == 6 && all_digits)
    {
      tf_secure_buffer_truncate (compact, n);
      *kind = TF_CODE_TOTP;
      return g_steal_pointer (&compact);
    }

  if (n == TF_RECOVERY_CODE_LENGTH)
    {
      gboolean ok = TRUE;

      for (gsize i = 0; i < n; i++)
        {
          int v = crockford_value ((char) out[i]);

          ok = ok && v >= 0;
          out[i] = v >= 0 ? (guint8) crockford[v] : '?';
        }

      if (ok)
        {
          tf_secure_buffer_truncate (compact, n);
          *kind = TF_CODE_RECOVERY;
          return g_steal_pointer (&compact);
        }
    }

  g_set_error_literal (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_CODE, message);
  return NULL;
}

TfSecureBuffer *
tf_recovery_code_generate (void)
{
  TfSecureBuffer *code = tf_secure_buffer_new (TF_RECOVERY_CODE_LENGTH);
  guint8 *data = tf_secure_buffer_get_data (code);

  for (guint i = 0; i < TF_RECOVERY_CODE_LENGTH; i++)
    data[i] = (guint8) crockford[randombytes_uniform (32)];

  return code;
}

TfSecureBuffer *
tf_recovery_code_format (const TfSecureBuffer *code)
{
  TfSecureBuffer *out;
  const guint8 *in;
  guint8 *data;
  gsize half;

  g_return_val_if_fail (code != NULL, NULL);

  in = (const guint8 *) tf_secure_buffer_get_string (code);
  half = tf_secure_buffer_get_length (code) / 2;
  out = tf_secure_buffer_new (tf_secure_buffer_get_length (code) + 1);
  data = tf_secure_buffer_get_data (out);
  memcpy (data, in, half);
  data[half] = '-';
  memcpy (data + half + 1, in + half, tf_secure_buffer_get_length (code) - half);

  return out;
}
