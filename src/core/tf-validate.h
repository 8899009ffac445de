/* tf-validate.h
 *
 * Contract: the checks every entry point (GUI forms through the service,
 * twofold-admin, PAM) applies to what a person typed. Each takes raw bytes
 * with an explicit length, so embedded NULs are seen; refuses oversized,
 * invalid UTF-8, control and bidi/format characters; and returns either the
 * canonical form or a TF_VALIDATE_ERROR whose message is a translated
 * sentence naming the field.
 *
 * - Username: spaces at both ends trimmed, NFKC then case-folded (then NFKC again, as casefolding can
 *   denormalise), 3–32 characters of letters, digits, '.', '_' and '-',
 *   starting with a letter or digit. All letters must come from one script,
 *   so a look-alike such as Cyrillic "а" inside a Latin name is refused.
 * - Names: 1–64 characters after trimming spaces at both ends, no control
 *   or format characters, no angle brackets.
 * - E-mail: local@domain, at most 254 bytes, no spaces, CR, LF, NUL, control
 *   characters, angle brackets, quotes, commas or semicolons; a non-empty
 *   local part of at most 64 bytes; a domain of dot-separated labels with at
 *   least one dot. Kept as typed (after trimming).
 * - Codes: tf_validate_parse_code () classifies what was typed in a "Code"
 *   field after NFKC (full-width digits become ASCII) and removing spaces and
 *   hyphens: 6 ASCII digits → a TOTP code, 10 Crockford base32 characters →
 *   a recovery code (canonical upper case, I/L → 1, O → 0), empty → none;
 *   anything else → invalid.
 */
#pragma once

#include "tf-secure-buffer.h"

G_BEGIN_DECLS

#define TF_VALIDATE_ERROR (tf_validate_error_quark ())

#define TF_USERNAME_MIN_CHARS 3
#define TF_USERNAME_MAX_CHARS 32
#define TF_NAME_MAX_CHARS 64
#define TF_EMAIL_MAX_BYTES 254
#define TF_RECOVERY_CODE_LENGTH 10
/* Nothing a person types into one field is longer; checked before anything else. */
#define TF_VALIDATE_MAX_INPUT_BYTES 1024

typedef enum {
  TF_VALIDATE_ERROR_USERNAME,
  TF_VALIDATE_ERROR_NAME,
  TF_VALIDATE_ERROR_EMAIL,
  TF_VALIDATE_ERROR_CODE,
} TfValidateError;

typedef enum {
  TF_CODE_NONE,
  TF_CODE_TOTP,
  TF_CODE_RECOVERY,
} TfCodeKind;

GQuark          tf_validate_error_quark  (void);

char           *tf_validate_username     (const char  *input,
                                          gssize       length,
                                          GError     **error);
char           *tf_validate_name         (const char  *input,
                                          gssize       length,
                                          GError     **error);
char           *tf_validate_email        (const char  *input,
                                          gssize       length,
                                          GError     **error);
/* On success *kind is set and the canonical code is returned (NULL for
 * TF_CODE_NONE); it is a secret, hence the secure buffer. */
TfSecureBuffer *tf_validate_parse_code   (const char  *input,
                                          gssize       length,
                                          TfCodeKind  *kind,
                                          GError     **error);

/* A fresh recovery code: TF_RECOVERY_CODE_LENGTH random Crockford base32
 * characters, canonical form (no hyphen). */
TfSecureBuffer *tf_recovery_code_generate (void);
/* "ABCDE-FGHJK" for display. */
TfSecureBuffer *tf_recovery_code_format  (const TfSecureBuffer *code);

G_END_DECLS
