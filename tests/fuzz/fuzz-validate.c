/* fuzz-validate.c
 *
 * tf_validate_username (), tf_validate_name () and tf_validate_email () on
 * arbitrary bytes. The first byte chooses: (byte & 0x7f) % 3 picks username,
 * name or e-mail; with 0x80 set, the rest is passed NUL-terminated with
 * length -1 instead of with its explicit length. Whatever is accepted must be
 * valid UTF-8 without control or format characters, CR, LF, NUL or angle
 * brackets, within the documented limits, and accepted again unchanged.
 */
#include "tf-fuzz.h"

#include "tf-validate.h"

#include <string.h>

typedef char *(*ValidateFunc) (const char *input,
                               gssize      length,
                               GError    **error);

static void
check_safe_text (const char *text)
{
  tf_fuzz_check (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      tf_fuzz_check (c != '<' && c != '>' && c != '\r' && c != '\n');
      tf_fuzz_check (!g_unichar_iscntrl (c));
      tf_fuzz_check (g_unichar_type (c) != G_UNICODE_FORMAT);
      tf_fuzz_check (g_unichar_type (c) != G_UNICODE_LINE_SEPARATOR);
      tf_fuzz_check (g_unichar_type (c) != G_UNICODE_PARAGRAPH_SEPARATOR);
    }
}

static void
check_username (const char *name)
{
  glong n_chars = g_utf8_strlen (name, -1);

  tf_fuzz_check (n_chars >= TF_USERNAME_MIN_CHARS && n_chars <= TF_USERNAME_MAX_CHARS);
  tf_fuzz_check (name[0] != '.' && name[0] != '_' && name[0] != '-');
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      tf_fuzz_check (c == '.' || c == '_' || c == '-' || g_ascii_isdigit (c) ||
                     g_unichar_isalpha (c) || g_unichar_ismark (c));
    }
}

static void
check_name (const char *name)
{
  glong n_chars = g_utf8_strlen (name, -1);
  gsize length = strlen (name);

  tf_fuzz_check (n_chars >= 1 && n_chars <= TF_NAME_MAX_CHARS);
  tf_fuzz_check (name[0] != ' ' && name[length - 1] != ' ');
}

static void
check_email (const char *email)
{
  gsize length = strlen (email);
  const char *at = strchr (email, '@');

  tf_fuzz_check (length >= 3 && length <= TF_EMAIL_MAX_BYTES);
  tf_fuzz_check (at != NULL && at != email);
  tf_fuzz_check (strchr (at + 1, '@') == NULL);
  tf_fuzz_check ((gsize) (at - email) <= 64);
  tf_fuzz_check (strchr (at + 1, '.') != NULL);
  for (const char *p = email; *p != '\0'; p++)
    tf_fuzz_check (strchr (" \t\"',;", *p) == NULL);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const struct {
    ValidateFunc    validate;
    TfValidateError code;
    void          (*check) (const char *);
  } fields[] = {
    { tf_validate_username, TF_VALIDATE_ERROR_USERNAME, check_username },
    { tf_validate_name, TF_VALIDATE_ERROR_NAME, check_name },
    { tf_validate_email, TF_VALIDATE_ERROR_EMAIL, check_email },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error_again = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *out = NULL;
  g_autofree char *again = NULL;
  guint field;
  const char *input;
  gssize length;

  if (size == 0)
    return 0;

  field = (data[0] & 0x7f) % G_N_ELEMENTS (fields);
  if (data[0] & 0x80)
    {
      copy = g_malloc (size);
      memcpy (copy, data + 1, size - 1);
      copy[size - 1] = '\0';
      input = copy;
      length = -1;
    }
  else
    {
      input = (const char *) data + 1;
      length = (gssize) size - 1;
    }

  out = fields[field].validate (input, length, &error);
  if (out == NULL)
    {
      tf_fuzz_check (g_error_matches (error, TF_VALIDATE_ERROR, fields[field].code));
      tf_fuzz_check (error->message != NULL && error->message[0] != '\0');
      return 0;
    }
  tf_fuzz_check (error == NULL);

  check_safe_text (out);
  fields[field].check (out);

  /* The canonical form is a fixed point: what is stored validates to itself. */
  again = fields[field].validate (out, (gssize) strlen (out), &error_again);
  if (again == NULL)
    {
      fprintf (stderr, "the canonical form “%s” is refused: %s\n", out, error_again->message);
      abort ();
    }
  tf_fuzz_check (strcmp (again, out) == 0);

  return 0;
}
