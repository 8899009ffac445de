/* tf-otp.h
 *
 * Contract: HOTP (RFC 4226) and TOTP (RFC 6238) over GLib's GHmac with SHA1,
 * SHA256 or SHA512, 6 to 8 digits, any period from 1 s up, and 64-bit time
 * (steps beyond 2^32 work). Codes are written as decimal strings with
 * leading zeros into a caller buffer of TF_OTP_CODE_SIZE bytes. A step is
 * floor ((unix_time - t0) / period); times before t0 have no step.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TF_OTP_CODE_SIZE 9
#define TF_OTP_MIN_DIGITS 6
#define TF_OTP_MAX_DIGITS 8

typedef enum {
  TF_OTP_SHA1,
  TF_OTP_SHA256,
  TF_OTP_SHA512,
} TfOtpAlgorithm;

const char *tf_otp_algorithm_to_string   (TfOtpAlgorithm  algorithm);
gboolean    tf_otp_algorithm_from_string (const char     *name,
                                          TfOtpAlgorithm *algorithm);

/* Returns FALSE (code left empty) when digits is out of range or key is empty. */
gboolean    tf_hotp                      (const guint8   *key,
                                          gsize           key_length,
                                          TfOtpAlgorithm  algorithm,
                                          guint64         counter,
                                          guint           digits,
                                          char            code[TF_OTP_CODE_SIZE]);

/* Returns FALSE when period is 0 or unix_time < t0. */
gboolean    tf_totp_step                 (gint64          unix_time,
                                          gint64          t0,
                                          guint           period,
                                          guint64        *step);

gboolean    tf_totp                      (const guint8   *key,
                                          gsize           key_length,
                                          TfOtpAlgorithm  algorithm,
                                          gint64          unix_time,
                                          guint           period,
                                          guint           digits,
                                          char            code[TF_OTP_CODE_SIZE]);

G_END_DECLS
