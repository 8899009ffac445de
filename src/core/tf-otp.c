/* tf-otp.c */
#define G_LOG_DOMAIN "tf-otp"

#include "config.h"

#include "tf-otp.h"

#include <sodium.h>

/* Large enough for the longest digest, SHA512's. */
#define MAX_DIGEST_SIZE 64

static const guint32 powers_of_ten[TF_OTP_MAX_DIGITS + 1] = {
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
};

const char *
tf_otp_algorithm_to_string (TfOtpAlgorithm algorithm)
{
  switch (algorithm)
    {
    case TF_OTP_SHA1:
      return "SHA1";
    case TF_OTP_SHA256:
      return "SHA256";
    case TF_OTP_SHA512:
      return "SHA512";
    default:
      g_return_val_if_reached (NULL);
    }
}

gboolean
tf_otp_algorithm_from_string (const char     *name,
                              TfOtpAlgorithm *algorithm)
{
  TfOtpAlgorithm found;

  g_return_val_if_fail (name != NULL, FALSE);

  /* The key URI format spells them in upper case; accept any case. */
  if (g_ascii_strcasecmp (name, "SHA1") == 0)
    found = TF_OTP_SHA1;
  else if (g_ascii_strcasecmp (name, "SHA256") == 0)
    found = TF_OTP_SHA256;
  else if (g_ascii_strcasecmp (name, "SHA512") == 0)
    found = TF_OTP_SHA512;
  else
    return FALSE;

  if (algorithm != NULL)
    *algorithm = found;

  return TRUE;
}

static gboolean
algorithm_to_checksum_type (TfOtpAlgorithm  algorithm,
                            GChecksumType  *type)
{
  switch (algorithm)
    {
    case TF_OTP_SHA1:
      *type = G_CHECKSUM_SHA1;
      return TRUE;
    case TF_OTP_SHA256:
      *type = G_CHECKSUM_SHA256;
      return TRUE;
    case TF_OTP_SHA512:
      *type = G_CHECKSUM_SHA512;
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
tf_hotp (const guint8   *key,
         gsize           key_length,
         TfOtpAlgorithm  algorithm,
         guint64         counter,
         guint           digits,
         char            code[TF_OTP_CODE_SIZE])
{
  g_autoptr(GHmac) hmac = NULL;
  GChecksumType checksum_type;
  guint8 message[8];
  guint8 digest[MAX_DIGEST_SIZE];
  gsize digest_length = sizeof digest;
  guint offset;
  guint32 value;

  g_return_val_if_fail (code != NULL, FALSE);
  code[0] = '\0';
  g_return_val_if_fail (key != NULL || key_length == 0, FALSE);

  if (!algorithm_to_checksum_type (algorithm, &checksum_type))
    g_return_val_if_reached (FALSE);

  if (digits < TF_OTP_MIN_DIGITS || digits > TF_OTP_MAX_DIGITS || key_length == 0)
    return FALSE;

  /* RFC 4226 §5.2: the counter is hashed as 8 bytes, most significant first. */
  for (guint i = 0; i < 8; i++)
    message[i] = (guint8) (counter >> (56 - 8 * i));

  /* GHmac copies what it needs of the key into its own hash state; it offers
   * no way to wipe that, which is the price of having HMAC-SHA1 at all.
   */
  hmac = g_hmac_new (checksum_type, key, key_length);
  g_hmac_update (hmac, message, sizeof message);
  g_hmac_get_digest (hmac, digest, &digest_length);
  g_assert (digest_length >= 20 && digest_length <= sizeof digest);

  /* RFC 4226 §5.3 dynamic truncation: the low nibble of the last byte picks
   * four bytes, read big-endian with the sign bit masked off.
   */
  offset = digest[digest_length - 1] & 0x0f;
  value = ((guint32) (digest[offset] & 0x7f) << 24) |
          ((guint32) digest[offset + 1] << 16) |
          ((guint32) digest[offset + 2] << 8) |
          (guint32) digest[offset + 3];
  value %= powers_of_ten[digits];

  for (guint i = digits; i > 0; i--)
    {
      code[i - 1] = (char) ('0' + value % 10);
      value /= 10;
    }
  code[digits] = '\0';

  sodium_memzero (digest, sizeof digest);
  sodium_memzero (message, sizeof message);
  sodium_memzero (&value, sizeof value);

  return TRUE;
}

gboolean
tf_totp_step (gint64   unix_time,
              gint64   t0,
              guint    period,
              guint64 *step)
{
  g_return_val_if_fail (step != NULL, FALSE);

  if (period == 0 || unix_time < t0)
    return FALSE;

  /* The difference of two gint64 always fits a guint64 once it is known to
   * be non-negative, and unsigned wrap-around computes it exactly.
   */
  *step = ((guint64) unix_time - (guint64) t0) / period;

  return TRUE;
}

gboolean
tf_totp (const guint8   *key,
         gsize           key_length,
         TfOtpAlgorithm  algorithm,
         gint64          unix_time,
         guint           period,
         guint           digits,
         char            code[TF_OTP_CODE_SIZE])
{
  guint64 step;

  g_return_val_if_fail (code != NULL, FALSE);
  code[0] = '\0';

  if (!tf_totp_step (unix_time, 0, period, &step))
    return FALSE;

  return tf_hotp (key, key_length, algorithm, step, digits, code);
}
