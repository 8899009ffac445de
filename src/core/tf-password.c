/* tf-password.c
 *
 * Policy notes that the header does not spell out:
 * - libpwquality is configured here, not from /etc/security/pwquality.conf:
 *   that file is the policy for operating-system logins (a "minclass" there
 *   would refuse the passphrases DESIGN.md accepts), and reading it would make
 *   the rules, and the tests, depend on the machine.
 * - cracklib only strips a digit or two from the end of a word, so
 *   "password1234" passes it. The letters left after stripping digits and
 *   symbols from both ends are checked against the dictionary again.
 * - Repeating a short string does not make a password longer: one that is a
 *   repetition of fewer than TF_PASSWORD_MIN_CHARS characters is refused.
 * - Without the cracklib dictionary (cracklib-runtime not installed),
 *   libpwquality fails every password with "error loading dictionary". That is
 *   not the password's fault: it is logged with g_debug and the remaining
 *   checks still apply.
 * - libpwquality and cracklib copy the password into ordinary heap memory
 *   while they look at it, and so does g_utf8_normalize () internally; the
 *   copies this file makes itself are wiped.
 */
#define G_LOG_DOMAIN "tf-password"

#include "config.h"

#include "tf-password.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <libintl.h>
#include <pwquality.h>
#include <sodium.h>
#include <string.h>

/* Shortest name, username or e-mail local part looked for in a password. */
#define MIN_CONTEXT_CHARS 3
/* Shortest single word of a multi-word name looked for, as libpwquality's
 * GECOS check does, so that "van" or "de" do not refuse half the language. */
#define MIN_CONTEXT_WORD_CHARS 4
/* cracklib refuses anything shorter as "too short", which says nothing. */
#define MIN_DICTIONARY_CORE_BYTES 6
/* More identical characters in a row than this are refused. */
#define MAX_REPEAT 3

/* crypto_pwhash_argon2id_str () writes a 16-byte salt and a 32-byte tag, both
 * in unpadded base64. */
#define ARGON2ID_PREFIX "$argon2id$v=19$m="
#define ARGON2ID_TAG_BYTES 32
#define BASE64_LEN(bytes) (((bytes) * 4 + 2) / 3)

G_DEFINE_QUARK (tf-password-error-quark, tf_password_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (pwquality_settings_t, pwquality_free_settings)

/* cracklib keeps state in static variables; one check at a time. */
static GMutex pwquality_lock;

typedef enum {
  CRACK_OTHER,
  CRACK_NO_DICTIONARY,
  CRACK_DICTIONARY_WORD,
  CRACK_SIMPLISTIC,
  CRACK_NOT_DIFFERENT,
  CRACK_WHITESPACE,
  CRACK_ACCOUNT,
  CRACK_ID_NUMBER,
} CrackVerdict;

/* cracklib's sentences, as it returns them (translated in its own domain). */
static const struct {
  const char   *msgid;
  CrackVerdict  verdict;
} crack_messages[] = {
  { "error loading dictionary", CRACK_NO_DICTIONARY },
  { "it is based on a dictionary word", CRACK_DICTIONARY_WORD },
  { "it is based on a (reversed) dictionary word", CRACK_DICTIONARY_WORD },
  { "it is too simplistic/systematic", CRACK_SIMPLISTIC },
  { "it does not contain enough DIFFERENT characters", CRACK_NOT_DIFFERENT },
  { "it is all whitespace", CRACK_WHITESPACE },
  { "it is based on your username", CRACK_ACCOUNT },
  { "it is based upon your password entry", CRACK_ACCOUNT },
  { "it is derived from your password entry", CRACK_ACCOUNT },
  { "it is derivable from your password entry", CRACK_ACCOUNT },
  { "it looks like a National Insurance number.", CRACK_ID_NUMBER },
};

static void
wipe_free (char *string)
{
  if (string == NULL)
    return;

  sodium_memzero (string, strlen (string));
  g_free (string);
}

static CrackVerdict
classify_cracklib_message (const char *message)
{
  if (message == NULL)
    return CRACK_OTHER;

  for (gsize i = 0; i < G_N_ELEMENTS (crack_messages); i++)
    {
      const char *msgid = crack_messages[i].msgid;

      if (strcmp (message, msgid) == 0 ||
          strcmp (message, dgettext ("cracklib", msgid)) == 0)
        return crack_messages[i].verdict;
    }

  return CRACK_OTHER;
}

/* The message for a cracklib verdict, or NULL when it has nothing better to
 * say than libpwquality's own text. */
static const char *
cracklib_verdict_message (CrackVerdict verdict)
{
  switch (verdict)
    {
    case CRACK_DICTIONARY_WORD:
      return _("The password is based on a dictionary word");
    case CRACK_SIMPLISTIC:
      return _("The password is too simple or follows a pattern");
    case CRACK_NOT_DIFFERENT:
      return _("The password does not contain enough different characters");
    case CRACK_WHITESPACE:
      return _("The password is made of spaces only");
    case CRACK_ACCOUNT:
      return _("The password is based on the user account of this computer");
    case CRACK_ID_NUMBER:
      return _("The password looks like an identity number");
    case CRACK_NO_DICTIONARY:
    case CRACK_OTHER:
    default:
      return NULL;
    }
}

static void
set_too_short_error (GError **error)
{
  g_set_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_TOO_SHORT,
               g_dngettext (GETTEXT_PACKAGE,
                            "The password must have at least %d character",
                            "The password must have at least %d characters",
                            TF_PASSWORD_MIN_CHARS),
               TF_PASSWORD_MIN_CHARS);
}

static void
set_too_long_error (GError **error)
{
  g_set_error (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_TOO_LONG,
               g_dngettext (GETTEXT_PACKAGE,
                            "The password must have at most %d character",
                            "The password must have at most %d characters",
                            TF_PASSWORD_MAX_CHARS),
               TF_PASSWORD_MAX_CHARS);
}

static void
set_weak_error (GError     **error,
                const char  *message)
{
  g_set_error_literal (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_WEAK, message);
}

/* Turns a libpwquality refusal into a sentence for the user. */
static void
set_pwquality_error (GError **error,
                     int      code,
                     void    *auxerror)
{
  char buffer[PWQ_MAX_ERROR_MESSAGE_LEN];
  const char *fallback;
  const char *message;

  /* Called in every case: it is what releases an allocated auxerror. */
  fallback = pwquality_strerror (buffer, sizeof buffer, code, auxerror);

  switch (code)
    {
    case PWQ_ERROR_MIN_LENGTH:
    case PWQ_ERROR_EMPTY_PASSWORD:
      set_too_short_error (error);
      return;
    case PWQ_ERROR_MEM_ALLOC:
      g_set_error_literal (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_FAILED,
                           _("There is not enough memory to check the password"));
      return;
    case PWQ_ERROR_CRACKLIB_CHECK:
      message = cracklib_verdict_message (classify_cracklib_message (auxerror));
      break;
    case PWQ_ERROR_USER_CHECK:
      message = _("The password contains your username in some form");
      break;
    case PWQ_ERROR_GECOS_CHECK:
      message = _("The password contains words from your name");
      break;
    case PWQ_ERROR_PALINDROME:
      message = _("The password reads the same backwards");
      break;
    case PWQ_ERROR_MAX_CONSECUTIVE:
    case PWQ_ERROR_MAX_CLASS_REPEAT:
      message = _("The password has too many repeated characters");
      break;
    case PWQ_ERROR_MAX_SEQUENCE:
      message = _("The password contains a sequence such as abcd or 1234");
      break;
    case PWQ_ERROR_MIN_CLASSES:
    case PWQ_ERROR_MIN_DIGITS:
    case PWQ_ERROR_MIN_UPPERS:
    case PWQ_ERROR_MIN_LOWERS:
    case PWQ_ERROR_MIN_OTHERS:
      message = _("The password needs a wider mix of letters, digits and symbols");
      break;
    case PWQ_ERROR_TOO_SIMILAR:
    case PWQ_ERROR_ROTATED:
    case PWQ_ERROR_CASE_CHANGES_ONLY:
    case PWQ_ERROR_SAME_PASSWORD:
      message = _("The password is too similar to the old one");
      break;
    case PWQ_ERROR_BAD_WORDS:
      message = _("The password contains a word that is not allowed");
      break;
    default:
      message = NULL;
      break;
    }

  set_weak_error (error, message != NULL ? message : fallback);
}

static pwquality_settings_t *
new_pwquality_settings (int min_length)
{
  pwquality_settings_t *settings = pwquality_default_settings ();

  if (settings == NULL)
    return NULL;

  /* Every value is set, so that no library default decides the policy.
   * Length is counted in characters before libpwquality sees the password
   * (it counts bytes, never fewer), credits would lower the minimum, and a
   * character-class rule would refuse "correct horse battery staple". */
  pwquality_set_int_value (settings, PWQ_SETTING_MIN_LENGTH, min_length);
  pwquality_set_int_value (settings, PWQ_SETTING_DIG_CREDIT, 0);
  pwquality_set_int_value (settings, PWQ_SETTING_UP_CREDIT, 0);
  pwquality_set_int_value (settings, PWQ_SETTING_LOW_CREDIT, 0);
  pwquality_set_int_value (settings, PWQ_SETTING_OTH_CREDIT, 0);
  pwquality_set_int_value (settings, PWQ_SETTING_MIN_CLASS, 0);
  pwquality_set_int_value (settings, PWQ_SETTING_MAX_REPEAT, MAX_REPEAT);
  pwquality_set_int_value (settings, PWQ_SETTING_MAX_CLASS_REPEAT, 0);
  pwquality_set_int_value (settings, PWQ_SETTING_MAX_SEQUENCE, 0);
  /* Twofold users are not system accounts: no getpwnam () lookups. */
  pwquality_set_int_value (settings, PWQ_SETTING_GECOS_CHECK, 0);
  pwquality_set_int_value (settings, PWQ_SETTING_DICT_CHECK, 1);
  pwquality_set_int_value (settings, PWQ_SETTING_USER_CHECK, 1);
  pwquality_set_int_value (settings, PWQ_SETTING_USER_SUBSTR, 0);

  return settings;
}

/* Whether the string is a repetition of fewer than TF_PASSWORD_MIN_CHARS
 * characters. A byte period always falls on a character boundary in valid
 * UTF-8, since the byte after it equals the first, a lead byte. */
static gboolean
repeats_short_unit (const char *string,
                    gsize       length)
{
  for (gsize period = 1; period <= length / 2; period++)
    {
      if (length % period != 0)
        continue;
      if (memcmp (string, string + period, length - period) == 0)
        return g_utf8_strlen (string, period) < TF_PASSWORD_MIN_CHARS;
    }

  return FALSE;
}

/* Looks up the word inside the padding: "Password1234!" is "Password". */
static gboolean
check_core (const char  *password,
            gsize        length,
            gboolean     dictionary,
            GError     **error)
{
  g_autoptr(pwquality_settings_t) settings = NULL;
  g_autoptr(TfSecureBuffer) core = NULL;
  const char *start = password;
  const char *end = password + length;
  void *auxerror = NULL;
  int ret;

  while (start < end && !g_unichar_isalpha (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (g_unichar_isalpha (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  if (start == password && end == password + length)
    return TRUE;

  if (repeats_short_unit (start, end - start))
    {
      set_weak_error (error, _("The password repeats a short sequence of characters"));
      return FALSE;
    }

  if (!dictionary || (gsize) (end - start) < MIN_DICTIONARY_CORE_BYTES)
    return TRUE;

  settings = new_pwquality_settings (MIN_DICTIONARY_CORE_BYTES);
  if (settings == NULL)
    {
      set_pwquality_error (error, PWQ_ERROR_MEM_ALLOC, NULL);
      return FALSE;
    }

  core = tf_secure_buffer_new_from_data (start, end - start);
  ret = pwquality_check (settings, tf_secure_buffer_get_string (core), NULL, NULL, &auxerror);

  /* Only cracklib's verdict matters here; a palindrome or a repeat in the
   * core alone was not a problem in the whole password. */
  if (ret == PWQ_ERROR_CRACKLIB_CHECK)
    {
      CrackVerdict verdict = classify_cracklib_message (auxerror);

      if (verdict == CRACK_DICTIONARY_WORD ||
          verdict == CRACK_SIMPLISTIC ||
          verdict == CRACK_NOT_DIFFERENT)
        {
          set_pwquality_error (error, ret, auxerror);
          return FALSE;
        }
    }

  return TRUE;
}

/* Runs libpwquality on the whole password, then on its core. */
static gboolean
check_pwquality (const char  *password,
                 gsize        length,
                 const char  *username,
                 int         *out_score,
                 GError     **error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&pwquality_lock);
  g_autoptr(pwquality_settings_t) settings = NULL;
  gboolean dictionary = TRUE;
  void *auxerror = NULL;
  int ret;

  if (username != NULL && !g_utf8_validate (username, -1, NULL))
    username = NULL;

  settings = new_pwquality_settings (TF_PASSWORD_MIN_CHARS);
  if (settings == NULL)
    {
      set_pwquality_error (error, PWQ_ERROR_MEM_ALLOC, NULL);
      return FALSE;
    }

  ret = pwquality_check (settings, password, NULL, username, &auxerror);

  /* cracklib runs last in pwquality_check (), so everything else has passed;
   * run again without it only to get the score. */
  if (ret == PWQ_ERROR_CRACKLIB_CHECK &&
      classify_cracklib_message (auxerror) == CRACK_NO_DICTIONARY)
    {
      g_debug ("The cracklib dictionary could not be loaded; "
               "checking passwords without it");
      dictionary = FALSE;
      pwquality_set_int_value (settings, PWQ_SETTING_DICT_CHECK, 0);
      ret = pwquality_check (settings, password, NULL, username, &auxerror);
    }

  if (ret < 0)
    {
      set_pwquality_error (error, ret, auxerror);
      return FALSE;
    }

  if (!check_core (password, length, dictionary, error))
    return FALSE;

  if (out_score != NULL)
    *out_score = ret;

  return TRUE;
}

/* Whether the casefolded password contains the field (NFKC + casefold), or,
 * for a field of several words, one of its longer words. */
static gboolean
contains_field (const char *folded_password,
                gsize       folded_length,
                const char *field,
                gssize      field_length)
{
  g_autofree char *normalized = NULL;
  g_autofree char *folded = NULL;
  const char *word = NULL;

  if (field == NULL || !g_utf8_validate (field, field_length, NULL))
    return FALSE;

  normalized = g_utf8_normalize (field, field_length, G_NORMALIZE_NFKC);
  if (normalized == NULL)
    return FALSE;
  folded = g_utf8_casefold (normalized, -1);

  if (g_utf8_strlen (folded, -1) >= MIN_CONTEXT_CHARS &&
      memmem (folded_password, folded_length, folded, strlen (folded)) != NULL)
    return TRUE;

  for (const char *p = folded; ; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalnum (c))
        {
          if (word == NULL)
            word = p;
          continue;
        }

      if (word != NULL &&
          g_utf8_strlen (word, p - word) >= MIN_CONTEXT_WORD_CHARS &&
          memmem (folded_password, folded_length, word, p - word) != NULL)
        return TRUE;

      word = NULL;
      if (c == 0)
        break;
    }

  return FALSE;
}

static gboolean
check_personal (const char  *password,
                gsize        length,
                const char  *username,
                const char  *first_name,
                const char  *last_name,
                const char  *email,
                GError     **error)
{
  const char *at = email != NULL ? strrchr (email, '@') : NULL;
  const struct {
    const char *value;
    gssize      length;
    const char *message;
  } fields[] = {
    { username, -1, N_("The password contains your username") },
    { first_name, -1, N_("The password contains your first name") },
    { last_name, -1, N_("The password contains your last name") },
    { email, at != NULL ? at - email : -1, N_("The password contains part of your e-mail address") },
  };
  char *folded;
  gsize folded_length;

  folded = g_utf8_casefold (password, length);
  folded_length = strlen (folded);

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (contains_field (folded, folded_length, fields[i].value, fields[i].length))
        {
          wipe_free (folded);
          set_weak_error (error, _(fields[i].message));
          return FALSE;
        }
    }

  wipe_free (folded);

  return TRUE;
}

static gboolean
check_policy (const TfSecureBuffer  *password,
              const char            *username,
              const char            *first_name,
              const char            *last_name,
              const char            *email,
              int                   *out_score,
              GError               **error)
{
  const char *string = tf_secure_buffer_get_string (password);
  gsize length = tf_secure_buffer_get_length (password);
  glong n_chars;

  /* A buffer that did not come from tf_password_normalize (). */
  if (memchr (string, '\0', length) != NULL || !g_utf8_validate_len (string, length, NULL))
    {
      g_set_error_literal (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_INVALID,
                           _("The password contains characters that cannot be used"));
      return FALSE;
    }

  n_chars = g_utf8_strlen (string, length);
  if (n_chars < TF_PASSWORD_MIN_CHARS)
    {
      set_too_short_error (error);
      return FALSE;
    }
  if (n_chars > TF_PASSWORD_MAX_CHARS)
    {
      set_too_long_error (error);
      return FALSE;
    }

  if (!check_personal (string, length, username, first_name, last_name, email, error))
    return FALSE;

  if (repeats_short_unit (string, length))
    {
      set_weak_error (error, _("The password repeats a short sequence of characters"));
      return FALSE;
    }

  return check_pwquality (string, length, username, out_score, error);
}

TfPasswordLimits
tf_password_limits_default (void)
{
  TfPasswordLimits limits = {
    crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
    crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE,
  };

  return limits;
}

TfSecureBuffer *
tf_password_normalize (const char  *input,
                       gssize       length,
                       GError     **error)
{
  TfSecureBuffer *result;
  char *normalized;
  gsize n_bytes;

  g_return_val_if_fail (input != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Never look past the limit, not even to find the end of a huge paste. */
  if (length < 0)
    n_bytes = strnlen (input, TF_PASSWORD_MAX_INPUT_BYTES + 1);
  else
    n_bytes = length;

  if (n_bytes > TF_PASSWORD_MAX_INPUT_BYTES)
    {
      set_too_long_error (error);
      return NULL;
    }

  if (n_bytes == 0)
    return tf_secure_buffer_new (0);

  if (memchr (input, '\0', n_bytes) != NULL)
    {
      g_set_error_literal (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_INVALID,
                           _("The password contains characters that cannot be used"));
      return NULL;
    }

  if (!g_utf8_validate_len (input, n_bytes, NULL))
    {
      g_set_error_literal (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_INVALID,
                           _("The password is not valid text"));
      return NULL;
    }

  normalized = g_utf8_normalize (input, n_bytes, G_NORMALIZE_NFKC);
  if (normalized == NULL)
    {
      g_set_error_literal (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_INVALID,
                           _("The password is not valid text"));
      return NULL;
    }

  result = tf_secure_buffer_new_from_data (normalized, strlen (normalized));
  wipe_free (normalized);

  return result;
}

gboolean
tf_password_check_policy (const TfSecureBuffer  *password,
                          const char            *username,
                          const char            *first_name,
                          const char            *last_name,
                          const char            *email,
                          GError               **error)
{
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return check_policy (password, username, first_name, last_name, email, NULL, error);
}

int
tf_password_check_policy_score (const TfSecureBuffer  *password,
                                const char            *username,
                                const char            *first_name,
                                const char            *last_name,
                                const char            *email,
                                GError               **error)
{
  int score = -1;

  g_return_val_if_fail (password != NULL, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (!check_policy (password, username, first_name, last_name, email, &score, error))
    return -1;

  return MAX (score, 0);
}

int
tf_password_strength (const TfSecureBuffer *password,
                      const char           *username)
{
  int score = -1;

  g_return_val_if_fail (password != NULL, -1);

  /* The same rules as the policy, so a hint never praises a refused one. */
  if (!check_policy (password, username, NULL, NULL, NULL, &score, NULL))
    return -1;

  return score;
}

char *
tf_password_hash (const TfSecureBuffer    *password,
                  const TfPasswordLimits  *limits,
                  GError                 **error)
{
  char hash[crypto_pwhash_argon2id_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (limits != NULL, NULL);
  g_return_val_if_fail (limits->opslimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN, NULL);
  g_return_val_if_fail (limits->opslimit <= crypto_pwhash_argon2id_OPSLIMIT_MAX, NULL);
  g_return_val_if_fail (limits->memlimit >= crypto_pwhash_argon2id_MEMLIMIT_MIN, NULL);
  g_return_val_if_fail (limits->memlimit <= crypto_pwhash_argon2id_MEMLIMIT_MAX, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* What crypto_pwhash_str () does in libsodium 1.0.18, named explicitly so
   * that a later change of libsodium's default cannot change the format. */
  if (crypto_pwhash_argon2id_str (hash,
                                  tf_secure_buffer_get_string (password),
                                  tf_secure_buffer_get_length (password),
                                  limits->opslimit,
                                  limits->memlimit) != 0)
    {
      g_set_error_literal (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_FAILED,
                           _("There is not enough memory to protect the password"));
      return NULL;
    }

  return g_strdup (hash);
}

static gboolean
skip_literal (const char **p,
              const char  *literal)
{
  if (!g_str_has_prefix (*p, literal))
    return FALSE;

  *p += strlen (literal);

  return TRUE;
}

/* 1 to 10 decimal digits: enough for any 32-bit Argon2 parameter. */
static gboolean
skip_number (const char **p)
{
  const char *start = *p;

  while (g_ascii_isdigit (**p) && *p - start < 10)
    (*p)++;

  return *p > start && !g_ascii_isdigit (**p);
}

static gboolean
skip_base64 (const char **p,
             gsize        n_chars)
{
  for (gsize i = 0; i < n_chars; i++)
    {
      char c = (*p)[i];

      /* Stops at the NUL, so it never reads past the string. */
      if (!g_ascii_isalnum (c) && c != '+' && c != '/')
        return FALSE;
    }

  *p += n_chars;

  return TRUE;
}

/* Whether the string has exactly the shape crypto_pwhash_argon2id_str ()
 * writes. libsodium's own verifier would also take Argon2i, other tag
 * lengths, or a truncated tag (it compares however many bytes are there). */
static gboolean
is_argon2id_hash (const char *hash)
{
  const char *p = hash;

  if (!skip_literal (&p, ARGON2ID_PREFIX) ||
      !skip_number (&p) ||
      !skip_literal (&p, ",t=") ||
      !skip_number (&p) ||
      !skip_literal (&p, ",p=") ||
      !skip_number (&p) ||
      !skip_literal (&p, "$") ||
      !skip_base64 (&p, BASE64_LEN (crypto_pwhash_argon2id_SALTBYTES)) ||
      !skip_literal (&p, "$") ||
      !skip_base64 (&p, BASE64_LEN (ARGON2ID_TAG_BYTES)) ||
      *p != '\0')
    return FALSE;

  /* libsodium's parser then checks the parameters are in range. */
  return crypto_pwhash_argon2id_str_needs_rehash (hash,
                                                  crypto_pwhash_argon2id_OPSLIMIT_MIN,
                                                  crypto_pwhash_argon2id_MEMLIMIT_MIN) != -1;
}

gboolean
tf_password_verify (const char            *hash,
                    const TfSecureBuffer  *password,
                    GError               **error)
{
  g_return_val_if_fail (hash != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_argon2id_hash (hash))
    {
      g_set_error_literal (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_CORRUPT_HASH,
                           _("The stored password is damaged and cannot be checked"));
      return FALSE;
    }

  errno = 0;
  if (crypto_pwhash_argon2id_str_verify (hash,
                                         tf_secure_buffer_get_string (password),
                                         tf_secure_buffer_get_length (password)) == 0)
    return TRUE;

  /* libsodium sets EINVAL for a mismatch; anything else is a failure to
   * compute, which must not look like a wrong password. */
  if (errno != EINVAL)
    {
      g_set_error_literal (error, TF_PASSWORD_ERROR, TF_PASSWORD_ERROR_FAILED,
                           _("There is not enough memory to check the password"));
      return FALSE;
    }

  return FALSE;
}

gboolean
tf_password_needs_rehash (const char             *hash,
                          const TfPasswordLimits *limits)
{
  g_return_val_if_fail (hash != NULL, TRUE);
  g_return_val_if_fail (limits != NULL, TRUE);

  if (!is_argon2id_hash (hash))
    return TRUE;

  return crypto_pwhash_argon2id_str_needs_rehash (hash, limits->opslimit, limits->memlimit) != 0;
}
