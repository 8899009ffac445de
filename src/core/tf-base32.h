/* tf-base32.h
 *
 * Contract: RFC 4648 base32 (alphabet A–Z, 2–7). Encoding writes upper case
 * without padding. Decoding accepts upper and lower case, ignores spaces
 * (authenticator apps and people group the secret in fours), and accepts
 * correct '=' padding or none; anything else — a character outside the
 * alphabet, misplaced or excess padding, a length no encoder produces,
 * non-zero trailing bits, non-UTF-8 — is a TF_BASE32_ERROR, never a crash.
 * Both directions work in secure buffers because what they carry is usually
 * a TOTP secret.
 */
#pragma once

#include "tf-secure-buffer.h"

G_BEGIN_DECLS

#define TF_BASE32_ERROR (tf_base32_error_quark ())

typedef enum {
  TF_BASE32_ERROR_INVALID,
} TfBase32Error;

GQuark          tf_base32_error_quark (void);

TfSecureBuffer *tf_base32_encode      (const guint8  *data,
                                       gsize          length);
TfSecureBuffer *tf_base32_decode      (const char    *text,
                                       gsize          length,
                                       GError       **error);

G_END_DECLS
