/* tf-otpauth.h
 *
 * Contract: the otpauth:// key URI understood by authenticator apps
 * (Google Authenticator's "Key Uri Format"):
 *   otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
 * Building percent-encodes the label parts and every parameter value
 * (RFC 3986 unreserved characters stay as they are, so a ':' inside the
 * issuer or account is always %3A, never raw). Parsing accepts only type
 * "totp", requires a valid non-empty base32 secret, digits 6–8, period
 * 1–3600 s, a known algorithm, valid UTF-8 after decoding, and an issuer
 * parameter that agrees with the label prefix when both are present;
 * anything else is a TF_OTPAUTH_ERROR with a message saying what is wrong.
 * The URI carries the secret, so it lives in a secure buffer.
 */
#pragma once

#include "tf-otp.h"
#include "tf-secure-buffer.h"

G_BEGIN_DECLS

#define TF_OTPAUTH_ERROR (tf_otpauth_error_quark ())

typedef enum {
  TF_OTPAUTH_ERROR_INVALID,
  TF_OTPAUTH_ERROR_UNSUPPORTED,
} TfOtpauthError;

typedef struct {
  char           *issuer;       /* may be NULL */
  char           *account;      /* never NULL once parsed */
  TfSecureBuffer *secret;       /* raw key bytes */
  TfOtpAlgorithm  algorithm;
  guint           digits;
  guint           period;
} TfOtpauth;

GQuark          tf_otpauth_error_quark (void);

TfOtpauth      *tf_otpauth_new         (const char      *issuer,
                                        const char      *account,
                                        TfSecureBuffer  *secret);
void            tf_otpauth_free        (TfOtpauth       *self);
TfSecureBuffer *tf_otpauth_to_uri      (const TfOtpauth *self);
TfOtpauth      *tf_otpauth_parse       (const char      *uri,
                                        GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfOtpauth, tf_otpauth_free)

G_END_DECLS
