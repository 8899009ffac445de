/* tf-otpauth.c */
#define G_LOG_DOMAIN "tf-otpauth"

#include "config.h"

#include "tf-otpauth.h"

#include "tf-base32.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#define SCHEME_PREFIX "otpauth://"
#define DEFAULT_DIGITS 6
#define DEFAULT_PERIOD 30
#define MIN_PERIOD 1
#define MAX_PERIOD 3600

G_DEFINE_QUARK (tf-otpauth-error-quark, tf_otpauth_error)

TfOtpauth *
tf_otpauth_new (const char     *issuer,
                const char     *account,
                TfSecureBuffer *secret)
{
  TfOtpauth *self;

  g_return_val_if_fail (issuer == NULL || g_utf8_validate (issuer, -1, NULL), NULL);
  g_return_val_if_fail (account != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (account, -1, NULL), NULL);
  g_return_val_if_fail (secret != NULL, NULL);

  self = g_new0 (TfOtpauth, 1);
  /* An empty issuer would build "otpauth://totp/:account"; it means none. */
  self->issuer = issuer != NULL && issuer[0] != '\0' ? g_strdup (issuer) : NULL;
  self->account = g_strdup (account);
  self->secret = tf_secure_buffer_ref (secret);
  self->algorithm = TF_OTP_SHA1;
  self->digits = DEFAULT_DIGITS;
  self->period = DEFAULT_PERIOD;

  return self;
}

void
tf_otpauth_free (TfOtpauth *self)
{
  if (self == NULL)
    return;

  g_free (self->issuer);
  g_free (self->account);
  g_clear_pointer (&self->secret, tf_secure_buffer_unref);
  g_free (self);
}

/* Everything but RFC 3986 unreserved characters is escaped, UTF-8 included. */
static char *
escape_component (const char *text)
{
  return g_uri_escape_string (text, NULL, FALSE);
}

TfSecureBuffer *
tf_otpauth_to_uri (const TfOtpauth *self)
{
  g_autoptr(TfSecureBuffer) encoded = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *account = NULL;
  g_autofree char *head = NULL;
  g_autofree char *tail = NULL;
  TfSecureBuffer *uri;
  guint8 *out;
  gsize head_length;
  gsize encoded_length;
  gsize tail_length;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (self->account != NULL, NULL);
  g_return_val_if_fail (self->secret != NULL, NULL);
  g_return_val_if_fail (tf_secure_buffer_get_length (self->secret) > 0, NULL);
  g_return_val_if_fail (self->digits >= TF_OTP_MIN_DIGITS &&
                        self->digits <= TF_OTP_MAX_DIGITS, NULL);
  g_return_val_if_fail (self->period >= MIN_PERIOD && self->period <= MAX_PERIOD, NULL);
  g_return_val_if_fail (tf_otp_algorithm_to_string (self->algorithm) != NULL, NULL);

  account = escape_component (self->account);
  if (self->issuer != NULL)
    {
      /* The label separator stays a raw ':'; any ':' inside is %3A. */
      issuer = escape_component (self->issuer);
      head = g_strdup_printf (SCHEME_PREFIX "totp/%s:%s?secret=", issuer, account);
    }
  else
    {
      head = g_strdup_printf (SCHEME_PREFIX "totp/%s?secret=", account);
    }

  tail = g_strdup_printf ("%s%s&algorithm=%s&digits=%u&period=%u",
                          issuer != NULL ? "&issuer=" : "",
                          issuer != NULL ? issuer : "",
                          tf_otp_algorithm_to_string (self->algorithm),
                          self->digits,
                          self->period);

  /* The secret never leaves secure memory: the URI is assembled in place. */
  encoded = tf_base32_encode (tf_secure_buffer_get_data (self->secret),
                              tf_secure_buffer_get_length (self->secret));
  head_length = strlen (head);
  encoded_length = tf_secure_buffer_get_length (encoded);
  tail_length = strlen (tail);

  uri = tf_secure_buffer_new (head_length + encoded_length + tail_length);
  out = tf_secure_buffer_get_data (uri);
  memcpy (out, head, head_length);
  memcpy (out + head_length, tf_secure_buffer_get_data (encoded), encoded_length);
  memcpy (out + head_length + encoded_length, tail, tail_length);

  return uri;
}

/* Decodes LENGTH bytes of percent-encoded TEXT into OUT, which has room for
 * LENGTH bytes. In a query value '+' stands for a space, as form encoders
 * (and the apps built on them) write it.
 */
static gboolean
percent_decode (const char  *text,
                gsize        length,
                gboolean     plus_is_space,
                char        *out,
                gsize       *out_length,
                GError     **error)
{
  gsize o = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '%')
        {
          if (length - i < 3 ||
              !g_ascii_isxdigit (text[i + 1]) ||
              !g_ascii_isxdigit (text[i + 2]))
            {
              g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                                   _("The link has a malformed percent-escape."));
              return FALSE;
            }

          c = (char) (g_ascii_xdigit_value (text[i + 1]) * 16 +
                      g_ascii_xdigit_value (text[i + 2]));
          i += 2;

          if (c == '\0')
            {
              g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                                   _("The link contains an encoded NUL character."));
              return FALSE;
            }
        }
      else if (c == '+' && plus_is_space)
        {
          c = ' ';
        }

      out[o++] = c;
    }

  *out_length = o;
  return TRUE;
}

/* Returns the decoded text as a string, which must be valid UTF-8. */
static char *
decode_text (const char  *text,
             gsize        length,
             gboolean     plus_is_space,
             GError     **error)
{
  g_autofree char *decoded = g_malloc (length + 1);
  gsize decoded_length;

  if (!percent_decode (text, length, plus_is_space, decoded, &decoded_length, error))
    return NULL;

  decoded[decoded_length] = '\0';
  if (!g_utf8_validate (decoded, decoded_length, NULL))
    {
      g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                           _("The link contains text that is not valid UTF-8."));
      return NULL;
    }

  return g_steal_pointer (&decoded);
}

/* Decodes the secret parameter into raw key bytes without it ever passing
 * through ordinary heap memory.
 */
static TfSecureBuffer *
decode_secret (const char  *text,
               gsize        length,
               GError     **error)
{
  g_autoptr(TfSecureBuffer) encoded = tf_secure_buffer_new (length);
  g_autoptr(TfSecureBuffer) key = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize encoded_length;

  if (!percent_decode (text, length, TRUE, (char *) tf_secure_buffer_get_data (encoded),
                       &encoded_length, error))
    return NULL;
  tf_secure_buffer_truncate (encoded, encoded_length);

  key = tf_base32_decode (tf_secure_buffer_get_string (encoded), encoded_length, &local_error);
  if (key == NULL)
    {
      g_set_error (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                   _("The secret is not valid base32. %s"), local_error->message);
      return NULL;
    }

  if (tf_secure_buffer_get_length (key) == 0)
    {
      g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                           _("The secret is empty."));
      return NULL;
    }

  return g_steal_pointer (&key);
}

static gboolean
decode_number (const char *text,
               gsize       length,
               guint       min,
               guint       max,
               guint      *number)
{
  g_autofree char *decoded = decode_text (text, length, TRUE, NULL);
  guint64 value;

  if (decoded == NULL ||
      !g_ascii_string_to_unsigned (decoded, 10, min, max, &value, NULL))
    return FALSE;

  *number = (guint) value;
  return TRUE;
}

static gboolean
name_is (const char *name,
         gsize       length,
         const char *expected)
{
  return length == strlen (expected) && g_ascii_strncasecmp (name, expected, length) == 0;
}

/* Drops the spaces the key URI format allows between the issuer prefix and
 * the account name. They go with or without a prefix, so that an account
 * parsed from one link reads back the same from the link it builds.
 */
static char *
dup_without_leading_spaces (const char *text)
{
  while (*text == ' ')
    text++;

  return g_strdup (text);
}

/* The query parameters understood, in the order of param_names. */
enum {
  PARAM_SECRET,
  PARAM_ISSUER,
  PARAM_ALGORITHM,
  PARAM_DIGITS,
  PARAM_PERIOD,
  N_PARAMS,
};

static const char *const param_names[N_PARAMS] = {
  "secret", "issuer", "algorithm", "digits", "period",
};

typedef struct {
  TfSecureBuffer *secret;
  char           *issuer;
  TfOtpAlgorithm  algorithm;
  guint           digits;
  guint           period;
  gboolean        seen[N_PARAMS];
} Params;

static void
params_clear (Params *params)
{
  g_clear_pointer (&params->secret, tf_secure_buffer_unref);
  g_clear_pointer (&params->issuer, g_free);
}

/* Handles one name=value pair of the query; unknown names are ignored, as
 * apps add their own (image, color, …).
 */
static gboolean
parse_param (Params      *params,
             const char  *name,
             gsize        name_length,
             const char  *value,
             gsize        value_length,
             GError     **error)
{
  g_autofree char *text = NULL;
  guint param;

  for (param = 0; param < N_PARAMS; param++)
    if (name_is (name, name_length, param_names[param]))
      break;
  if (param == N_PARAMS)
    return TRUE;

  /* A second value could smuggle a different secret or issuer past a check. */
  if (params->seen[param])
    {
      g_set_error (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                   _("The link gives “%s” more than once."), param_names[param]);
      return FALSE;
    }
  params->seen[param] = TRUE;

  switch (param)
    {
    case PARAM_SECRET:
      params->secret = decode_secret (value, value_length, error);
      return params->secret != NULL;

    case PARAM_ISSUER:
      params->issuer = decode_text (value, value_length, TRUE, error);
      return params->issuer != NULL;

    case PARAM_ALGORITHM:
      text = decode_text (value, value_length, TRUE, NULL);
      if (text == NULL || !tf_otp_algorithm_from_string (text, &params->algorithm))
        {
          g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                               _("The algorithm must be SHA1, SHA256 or SHA512."));
          return FALSE;
        }
      return TRUE;

    case PARAM_DIGITS:
      if (!decode_number (value, value_length, TF_OTP_MIN_DIGITS, TF_OTP_MAX_DIGITS,
                          &params->digits))
        {
          g_set_error (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                       _("The number of digits must be from %u to %u."),
                       TF_OTP_MIN_DIGITS, TF_OTP_MAX_DIGITS);
          return FALSE;
        }
      return TRUE;

    case PARAM_PERIOD:
      if (!decode_number (value, value_length, MIN_PERIOD, MAX_PERIOD, &params->period))
        {
          g_set_error (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                       _("The period must be a whole number of seconds from %u to %u."),
                       MIN_PERIOD, MAX_PERIOD);
          return FALSE;
        }
      return TRUE;

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

static gboolean
parse_query (Params      *params,
             const char  *query,
             gsize        length,
             GError     **error)
{
  const char *p = query;
  const char *end = query + length;

  while (p < end)
    {
      const char *amp = memchr (p, '&', (gsize) (end - p));
      const char *eq;

      if (amp == NULL)
        amp = end;
      eq = memchr (p, '=', (gsize) (amp - p));
      if (eq == NULL)
        eq = amp;

      if (amp > p &&
          !parse_param (params, p, (gsize) (eq - p),
                        eq < amp ? eq + 1 : amp, eq < amp ? (gsize) (amp - eq - 1) : 0,
                        error))
        return FALSE;

      if (amp == end)
        break;
      p = amp + 1;
    }

  return TRUE;
}

static gboolean
check_type (const char  *type,
            gsize        length,
            GError     **error)
{
  if (name_is (type, length, "totp"))
    return TRUE;

  if (name_is (type, length, "hotp"))
    g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_UNSUPPORTED,
                         _("Counter-based (HOTP) codes are not supported, only "
                           "time-based (TOTP) ones."));
  else if (length == 0)
    g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                         _("The link does not say which kind of code it is for."));
  else
    g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_UNSUPPORTED,
                         _("This kind of code is not supported, only time-based "
                           "(TOTP) ones."));
  return FALSE;
}

TfOtpauth *
tf_otpauth_parse (const char  *uri,
                  GError     **error)
{
  Params params = { NULL, NULL, TF_OTP_SHA1, DEFAULT_DIGITS, DEFAULT_PERIOD, { FALSE, } };
  g_autofree char *prefix = NULL;
  g_autofree char *account = NULL;
  const char *type;
  const char *label;
  const char *colon;
  const char *query;
  gsize type_length;
  gsize label_length;
  gsize query_length = 0;
  TfOtpauth *self = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_ascii_strncasecmp (uri, SCHEME_PREFIX, strlen (SCHEME_PREFIX)) != 0)
    {
      g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                           _("This is not an otpauth:// link."));
      return NULL;
    }

  type = uri + strlen (SCHEME_PREFIX);
  type_length = strcspn (type, "/?#");
  if (!check_type (type, type_length, error))
    return NULL;

  /* otpauth://totp/LABEL?QUERY#FRAGMENT; a fragment means nothing here. */
  label = type + type_length;
  if (*label == '/')
    label++;
  label_length = strcspn (label, "?#");
  query = label + label_length;
  if (*query == '?')
    {
      query++;
      query_length = strcspn (query, "#");
    }

  /* Split on the first raw ':' only; an escaped one belongs to the text. */
  colon = memchr (label, ':', label_length);
  if (colon != NULL)
    {
      g_autofree char *rest = NULL;

      prefix = decode_text (label, (gsize) (colon - label), FALSE, error);
      if (prefix == NULL)
        goto out;
      rest = decode_text (colon + 1, label_length - (gsize) (colon - label) - 1, FALSE, error);
      if (rest == NULL)
        goto out;
      account = dup_without_leading_spaces (rest);
      if (prefix[0] == '\0')
        g_clear_pointer (&prefix, g_free);
    }
  else
    {
      g_autofree char *whole = decode_text (label, label_length, FALSE, error);

      if (whole == NULL)
        goto out;
      account = dup_without_leading_spaces (whole);
    }

  if (!parse_query (&params, query, query_length, error))
    goto out;

  if (params.secret == NULL)
    {
      g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                           _("The link has no secret."));
      goto out;
    }

  if (params.issuer != NULL && params.issuer[0] == '\0')
    g_clear_pointer (&params.issuer, g_free);

  /* Some apps (Google's account export among them) escape the separator
   * too: "Google%3Aalice". With an issuer parameter to go by, that prefix
   * can still be recognised.
   */
  if (colon == NULL && params.issuer != NULL)
    {
      gsize issuer_length = strlen (params.issuer);

      if (strncmp (account, params.issuer, issuer_length) == 0 &&
          account[issuer_length] == ':')
        {
          char *rest = dup_without_leading_spaces (account + issuer_length + 1);

          g_free (account);
          account = rest;
        }
    }

  if (prefix != NULL && params.issuer != NULL && strcmp (prefix, params.issuer) != 0)
    {
      g_set_error (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                   _("The issuer “%s” does not match the “%s” before the account name."),
                   params.issuer, prefix);
      goto out;
    }

  if (account[0] == '\0')
    {
      g_set_error_literal (error, TF_OTPAUTH_ERROR, TF_OTPAUTH_ERROR_INVALID,
                           _("The link has no account name."));
      goto out;
    }

  self = tf_otpauth_new (params.issuer != NULL ? params.issuer : prefix, account, params.secret);
  self->algorithm = params.algorithm;
  self->digits = params.digits;
  self->period = params.period;

out:
  params_clear (&params);
  return self;
}
