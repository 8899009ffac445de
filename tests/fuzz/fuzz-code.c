/* fuzz-code.c
 *
 * tf_validate_parse_code () on arbitrary bytes with an explicit length: a
 * TOTP code is exactly 6 ASCII digits, a recovery code exactly 10 characters
 * of the canonical Crockford alphabet, nothing typed is TF_CODE_NONE with no
 * error, anything else a TF_VALIDATE_ERROR_CODE; the canonical form (and a
 * recovery code's display form) parses again to the same kind and value.
 */
#include "tf-fuzz.h"

#include "tf-validate.h"

#include <string.h>

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static TfSecureBuffer *
parse_or_abort (const char *text,
                gsize       length,
                TfCodeKind *kind)
{
  g_autoptr(GError) error = NULL;
  TfSecureBuffer *code = tf_validate_parse_code (text, (gssize) length, kind, &error);

  if (code == NULL)
    {
      fprintf (stderr, "a canonical code does not parse: %s\n",
               error != NULL ? error->message : "(no error, kind none)");
      abort ();
    }

  return code;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfSecureBuffer) code = NULL;
  g_autoptr(TfSecureBuffer) again = NULL;
  TfCodeKind kind = (TfCodeKind) -1;
  TfCodeKind kind_again = (TfCodeKind) -1;
  const char *text;
  gsize length;

  code = tf_validate_parse_code ((const char *) data, (gssize) size, &kind, &error);
  if (code == NULL)
    {
      tf_fuzz_check (kind == TF_CODE_NONE);
      tf_fuzz_check (error == NULL ||
                     g_error_matches (error, TF_VALIDATE_ERROR, TF_VALIDATE_ERROR_CODE));
      return 0;
    }
  tf_fuzz_check (error == NULL);

  text = tf_secure_buffer_get_string (code);
  length = tf_secure_buffer_get_length (code);
  tf_fuzz_check (strlen (text) == length);

  switch (kind)
    {
    case TF_CODE_TOTP:
      tf_fuzz_check (length == 6);
      for (gsize i = 0; i < length; i++)
        tf_fuzz_check (text[i] >= '0' && text[i] <= '9');
      break;

    case TF_CODE_RECOVERY:
      {
        g_autoptr(TfSecureBuffer) display = NULL;
        g_autoptr(TfSecureBuffer) from_display = NULL;
        TfCodeKind display_kind;

        tf_fuzz_check (length == TF_RECOVERY_CODE_LENGTH);
        for (gsize i = 0; i < length; i++)
          tf_fuzz_check (text[i] != '\0' && strchr (crockford, text[i]) != NULL);

        /* What the user is shown ("ABCDE-FGHJK") must be accepted back. */
        display = tf_recovery_code_format (code);
        from_display = parse_or_abort (tf_secure_buffer_get_string (display),
                                       tf_secure_buffer_get_length (display),
                                       &display_kind);
        tf_fuzz_check (display_kind == TF_CODE_RECOVERY);
        tf_fuzz_check (tf_secure_buffer_equal (from_display, code));
        break;
      }

    case TF_CODE_NONE:
    default:
      fprintf (stderr, "a code was returned with kind %d\n", (int) kind);
      abort ();
    }

  again = parse_or_abort (text, length, &kind_again);
  tf_fuzz_check (kind_again == kind);
  tf_fuzz_check (tf_secure_buffer_equal (again, code));

  return 0;
}
