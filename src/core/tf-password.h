/* tf-password.h
 *
 * Contract: the password rules of DESIGN.md and their hashing.
 * - tf_password_normalize () takes what the user typed (bytes + length, so
 *   an embedded NUL is seen and refused), refuses anything over
 *   TF_PASSWORD_MAX_INPUT_BYTES before looking further (a 1 MiB paste never
 *   reaches the normaliser or Argon2id), refuses invalid UTF-8, and returns
 *   the NFKC form in a secure buffer. Length is never truncated.
 * - tf_password_check_policy () checks a normalised password: 12–128
 *   characters, then libpwquality (dictionary words, repetition, similarity to
 *   the username, first and last name and e-mail). The error message is a
 *   translated sentence for the user; TF_PASSWORD_ERROR_WEAK carries the
 *   libpwquality reason in words.
 * - tf_password_hash () / tf_password_verify () / tf_password_needs_rehash ()
 *   use Argon2id through crypto_pwhash_str with the given limits
 *   (tf_password_limits_default () = libsodium INTERACTIVE). A stored hash
 *   that is not a valid Argon2id string fails closed with
 *   TF_PASSWORD_ERROR_CORRUPT_HASH — never "accepted".
 * These calls block (Argon2id takes tens of milliseconds and 64 MiB):
 * callers on a main loop run them in a worker thread.
 */
#pragma once

#include "tf-secure-buffer.h"

G_BEGIN_DECLS

#define TF_PASSWORD_ERROR (tf_password_error_quark ())

#define TF_PASSWORD_MIN_CHARS 12
#define TF_PASSWORD_MAX_CHARS 128
/* 128 characters of at most 4 bytes each in UTF-8, before NFKC. */
#define TF_PASSWORD_MAX_INPUT_BYTES 512

typedef enum {
  TF_PASSWORD_ERROR_INVALID,       /* NUL, invalid UTF-8 */
  TF_PASSWORD_ERROR_TOO_SHORT,
  TF_PASSWORD_ERROR_TOO_LONG,
  TF_PASSWORD_ERROR_WEAK,          /* libpwquality refused it */
  TF_PASSWORD_ERROR_MISMATCH,      /* confirmation differs */
  TF_PASSWORD_ERROR_CORRUPT_HASH,
  TF_PASSWORD_ERROR_FAILED,        /* out of memory in Argon2id */
} TfPasswordError;

typedef struct {
  guint64 opslimit;
  gsize   memlimit;
} TfPasswordLimits;

GQuark            tf_password_error_quark    (void);

TfPasswordLimits  tf_password_limits_default (void);

TfSecureBuffer   *tf_password_normalize      (const char              *input,
                                              gssize                   length,
                                              GError                 **error);

/* Every context string may be NULL. Returns FALSE with the reason. */
gboolean          tf_password_check_policy   (const TfSecureBuffer    *password,
                                              const char              *username,
                                              const char              *first_name,
                                              const char              *last_name,
                                              const char              *email,
                                              GError                 **error);

/* Both at once, for a hint that runs at every keystroke (libpwquality
 * and its dictionary once, not twice): the 0–100 score when the policy
 * allows the password, else -1 with the reason. */
int               tf_password_check_policy_score (const TfSecureBuffer  *password,
                                                  const char            *username,
                                                  const char            *first_name,
                                                  const char            *last_name,
                                                  const char            *email,
                                                  GError               **error);

/* A 0–100 score from libpwquality for a strength hint; -1 when refused. */
int               tf_password_strength       (const TfSecureBuffer    *password,
                                              const char              *username);

char             *tf_password_hash           (const TfSecureBuffer    *password,
                                              const TfPasswordLimits  *limits,
                                              GError                 **error);
/* TRUE = matches; FALSE without error = does not match; FALSE with error =
 * the stored hash is corrupt. */
gboolean          tf_password_verify         (const char              *hash,
                                              const TfSecureBuffer    *password,
                                              GError                 **error);
gboolean          tf_password_needs_rehash   (const char              *hash,
                                              const TfPasswordLimits  *limits);

G_END_DECLS
