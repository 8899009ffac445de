/* tf-otp.c */
#define G_LOG_DOMAIN "tf-otp"

#include "config.h"

#include "tf-otp.h"

#include <sodium.h>

/* Large enough for the longest digest, SHA512's. */
#define MAX_DIGEST_SIZE 64
/* More than g_hmac_new () and the SHA-512 update below it use: two alloca'd
 * 128-byte blocks, the checksum contexts' frames, and a margin. */
#define STACK_WIPE_BYTES 4096

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

/* g_hmac_new () copies the key into a block on its stack and XORs it into
 * the two pads there; GLib never wipes them. Kept out of line, so that
 * tf_hotp () can wipe the stack this used once it has returned. */
static G_GNUC_NO_INLINE gsize
hmac_digest (GChecksumType  checksum_type,
             const guint8  *key,
             gsize          key_length,
             const guint8  *message,
             gsize          message_length,
             guint8        *digest,
             gsize          digest_size)
{
  g_autoptr(GHmac) hmac = g_hmac_new (checksum_type, key, key_length);
  gsize digest_length = digest_size;

  g_hmac_update (hmac, message, message_length);
  g_hmac_get_digest (hmac, digest, &digest_length);

  return digest_length;
}

gboolean
tf_hotp (const guint8   *key,
         gsize           key_length,
         TfOtpAlgorithm  algorithm,
         guint64         counter,
         guint           digits,
         char            code[TF_OTP_CODE_SIZE])
{
  GChecksumType checksum_type;
  guint8 message[8];
  guint8 digest[MAX_DIGEST_SIZE];
  gsize digest_length;
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

  /* GHmac's own heap state (two GChecksums) holds only hash states once the
   * digest is taken, and they are freed; the raw key and the pads it left on
   * the stack are wiped here. */
  digest_length = hmac_digest (checksum_type, key, key_length, message, sizeof message,
                               digest, sizeof digest);
  /* The pads also stay in the vector registers g_hmac_new ()'s XOR loop
   * used, which the dynamic linker or a signal frame may later spill to the
   * stack. Running the same code with an all-zero key overwrites those
   * registers (and the same stack slots) with nothing secret. */
  {
    static const guint8 zero_key[MAX_DIGEST_SIZE * 2] = { 0 };
    guint8 scratch[MAX_DIGEST_SIZE];

    hmac_digest (checksum_type, zero_key, MIN (key_length, sizeof zero_key), message,
                 sizeof message, scratch, sizeof scratch);
  }
  sodium_stackzero (STACK_WIPE_BYTES);
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
