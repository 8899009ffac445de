/* tf-mail-header.c */
#define G_LOG_DOMAIN "tf-mail-header"

#include "config.h"

#include "tf-mail-header.h"

#include <glib/gi18n-lib.h>
#include <string.h>

G_DEFINE_QUARK (tf-mail-header-error-quark, tf_mail_header_error)

/* "=?UTF-8?B?" and "?=". */
#define WORD_OVERHEAD 12
#define WORD_START "=?UTF-8?B?"
#define FOLD "\r\n "

/* Characters that could end a header line, start an address or turn the
 * displayed text around; see the contract in the header. */
static gboolean
is_refused_char (gunichar c)
{
  if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f))
    return TRUE;
  if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
    return TRUE;

  switch (c)
    {
    case '<':
    case '>':
    case 0x061c:  /* Arabic letter mark */
    case 0x200e:  /* left-to-right mark */
    case 0x200f:  /* right-to-left mark */
    case 0x2028:  /* line separator */
    case 0x2029:  /* paragraph separator */
    case 0xfeff:  /* byte-order mark */
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
text_is_clean (const char *text,
               gsize       length)
{
  const char *end = text + length;

  /* g_utf8_validate_len () also refuses an embedded NUL. */
  if (!g_utf8_validate_len (text, length, NULL))
    return FALSE;

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      if (is_refused_char (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

gboolean
tf_mail_header_check_text (const char  *text,
                           gssize       length,
                           GError     **error)
{
  gsize len;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);

  len = length < 0 ? strlen (text) : (gsize) length;
  if (len > TF_MAIL_HEADER_MAX_TEXT || !text_is_clean (text, len))
    {
      g_set_error_literal (error, TF_MAIL_HEADER_ERROR, TF_MAIL_HEADER_ERROR_INVALID_TEXT,
                           _("A mail header contains a line break, an angle bracket or "
                             "another character that is not allowed there."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
address_char_ok (gunichar c)
{
  if (c <= 0x20 || is_refused_char (c))
    return FALSE;
  /* '@' is counted separately; the rest would need quoting in an addr-spec. */
  return c > 0x7f || strchr ("\"(),:;<>@[\\]", (int) c) == NULL;
}

static gboolean
dot_atom_ok (const char *part,
             gsize       length,
             gsize       max_label)
{
  gsize label = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (part[i] != '.')
        {
          if (++label > max_label)
            return FALSE;
          continue;
        }
      /* No leading, trailing or doubled dot. */
      if (label == 0)
        return FALSE;
      label = 0;
    }

  return label > 0;
}

static gboolean
address_is_valid (const char *address,
                  gsize       length)
{
  const char *at = NULL;
  gsize local_length;

  if (length == 0 || length > TF_MAIL_HEADER_MAX_ADDRESS)
    return FALSE;
  if (!g_utf8_validate_len (address, length, NULL))
    return FALSE;

  for (const char *p = address; p < address + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '@')
        {
          if (at != NULL)
            return FALSE;
          at = p;
        }
      else if (!address_char_ok (c))
        {
          return FALSE;
        }
    }

  if (at == NULL)
    return FALSE;

  local_length = (gsize) (at - address);
  return local_length <= TF_MAIL_HEADER_MAX_LOCAL &&
         dot_atom_ok (address, local_length, TF_MAIL_HEADER_MAX_LOCAL) &&
         dot_atom_ok (at + 1, length - local_length - 1, 63);
}

gboolean
tf_mail_header_check_address (const char  *address,
                              gssize       length,
                              GError     **error)
{
  gsize len;

  g_return_val_if_fail (address != NULL || length == 0, FALSE);

  len = length < 0 ? strlen (address) : (gsize) length;
  if (!address_is_valid (address, len))
    {
      g_set_error_literal (error, TF_MAIL_HEADER_ERROR, TF_MAIL_HEADER_ERROR_INVALID_ADDRESS,
                           _("The e-mail address is not valid: it needs the form "
                             "name@example.org, without spaces, line breaks or angle brackets."));
      return FALSE;
    }

  return TRUE;
}

static void
trim_spaces (const char **start,
             const char **end)
{
  while (*start < *end && **start == ' ')
    (*start)++;
  while (*end > *start && (*end)[-1] == ' ')
    (*end)--;
}

/* Removes the quotes of a quoted-string and its backslash escapes. */
static char *
unquote (const char *start,
         const char *end)
{
  GString *out = g_string_sized_new ((gsize) (end - start));

  for (const char *p = start + 1; p < end - 1; p++)
    {
      if (*p == '\\' && p + 1 < end - 1)
        p++;
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

gboolean
tf_mail_header_parse_mailbox (const char  *mailbox,
                              gssize       length,
                              char       **name,
                              char       **address,
                              GError     **error)
{
  g_autofree char *parsed_name = NULL;
  g_autofree char *parsed_address = NULL;
  const char *start;
  const char *end;

  g_return_val_if_fail (mailbox != NULL || length == 0, FALSE);
  g_return_val_if_fail (name != NULL && address != NULL, FALSE);

  *name = *address = NULL;
  start = mailbox;
  end = mailbox + (length < 0 ? strlen (mailbox) : (gsize) length);
  /* g_strndup () would stop at a NUL and hide what follows it. */
  if (memchr (start, '\0', (gsize) (end - start)) != NULL)
    return tf_mail_header_check_text (start, end - start, error);
  trim_spaces (&start, &end);

  if (end > start && end[-1] == '>')
    {
      const char *lt = NULL;

      for (const char *p = start; p < end - 1; p++)
        {
          if (*p == '<')
            lt = p;
        }
      if (lt == NULL)
        return tf_mail_header_check_address ("", 0, error);

      parsed_address = g_strndup (lt + 1, (gsize) (end - 1 - (lt + 1)));
      end = lt;
      trim_spaces (&start, &end);
      if (end - start >= 2 && *start == '"' && end[-1] == '"')
        parsed_name = unquote (start, end);
      else if (end > start)
        parsed_name = g_strndup (start, (gsize) (end - start));
    }
  else
    {
      parsed_address = g_strndup (start, (gsize) (end - start));
    }

  if (parsed_name != NULL && !tf_mail_header_check_text (parsed_name, -1, error))
    return FALSE;
  if (!tf_mail_header_check_address (parsed_address, -1, error))
    return FALSE;

  *name = g_steal_pointer (&parsed_name);
  *address = g_steal_pointer (&parsed_address);
  return TRUE;
}

static gboolean
is_printable_ascii (const char *text,
                    gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (text[i] < 0x20 || text[i] > 0x7e)
        return FALSE;
    }
  return TRUE;
}

/* Appends RFC 2047 B words for text, starting on a line that already holds
 * line_length characters. Returns the length of the last line. */
static gsize
append_words (GString    *out,
              const char *text,
              gsize       length,
              gsize       line_length)
{
  const char *p = text;
  const char *end = text + length;

  while (p < end)
    {
      gsize room = MIN (TF_MAIL_HEADER_MAX_WORD, TF_MAIL_HEADER_MAX_LINE - line_length);
      gsize max_bytes = (room - WORD_OVERHEAD) / 4 * 3;
      const char *chunk_end = p;
      g_autofree char *b64 = NULL;

      /* A word takes whole characters only, so each decodes on its own. */
      while (chunk_end < end)
        {
          const char *next = g_utf8_next_char (chunk_end);

          if ((gsize) (next - p) > max_bytes)
            break;
          chunk_end = next;
        }
      g_assert (chunk_end > p);

      b64 = g_base64_encode ((const guchar *) p, (gsize) (chunk_end - p));
      g_string_append (out, WORD_START);
      g_string_append (out, b64);
      g_string_append (out, "?=");
      line_length += WORD_OVERHEAD + strlen (b64);
      p = chunk_end;

      if (p < end)
        {
          g_string_append (out, FOLD);
          line_length = 1;
        }
    }

  return line_length;
}

/* Folds printable ASCII at spaces; FALSE when a word is too long for a line. */
static gboolean
append_folded_ascii (GString    *out,
                     const char *text,
                     gsize       length,
                     gsize       prefix_length)
{
  gsize line_length = prefix_length;
  gsize pos = 0;

  while (length - pos + line_length > TF_MAIL_HEADER_MAX_LINE)
    {
      gsize limit = pos + (TF_MAIL_HEADER_MAX_LINE - line_length);
      gsize cut = 0;
      gboolean seen_text = FALSE;

      /* Break before a space, keeping at least one non-space on this line:
       * unfolding (removing the CRLF) gives back the text exactly. */
      for (gsize i = pos; i <= limit && i < length; i++)
        {
          if (text[i] == ' ' && seen_text)
            cut = i;
          else if (text[i] != ' ')
            seen_text = TRUE;
        }
      if (cut == 0)
        return FALSE;

      g_string_append_len (out, text + pos, (gssize) (cut - pos));
      g_string_append (out, "\r\n");
      line_length = 0;
      pos = cut;
    }

  g_string_append_len (out, text + pos, (gssize) (length - pos));
  return TRUE;
}

char *
tf_mail_header_encode (const char *text,
                       gsize       prefix_length)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize length;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (prefix_length <= 40, NULL);

  length = strlen (text);
  if (!tf_mail_header_check_text (text, (gssize) length, NULL))
    return NULL;

  /* Text that already looks like an encoded word would be decoded by readers. */
  if (is_printable_ascii (text, length) && strstr (text, "=?") == NULL &&
      (length == 0 || (text[0] != ' ' && text[length - 1] != ' ')))
    {
      if (append_folded_ascii (out, text, length, prefix_length))
        return g_string_free (g_steal_pointer (&out), FALSE);
      g_string_truncate (out, 0);
    }

  append_words (out, text, length, prefix_length);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* RFC 5322 atext, plus the space between words of a phrase. */
static gboolean
is_plain_phrase (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || name[0] == ' ' || name[length - 1] == ' ' || strstr (name, "=?") != NULL)
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-/=?^_`{|}~ ", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

char *
tf_mail_header_format_mailbox (const char *name,
                               const char *address,
                               gsize       prefix_length)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gsize line_length = prefix_length;

  g_return_val_if_fail (address != NULL, NULL);
  g_return_val_if_fail (prefix_length <= 40, NULL);

  if (!tf_mail_header_check_address (address, -1, NULL))
    return NULL;
  if (name == NULL || name[0] == '\0')
    return g_strdup (address);
  if (!tf_mail_header_check_text (name, -1, NULL))
    return NULL;

  if (is_plain_phrase (name))
    {
      g_string_append (out, name);
    }
  else if (is_printable_ascii (name, strlen (name)) && strstr (name, "=?") == NULL)
    {
      g_string_append_c (out, '"');
      for (const char *p = name; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
        }
      g_string_append_c (out, '"');
    }

  if (out->len > 0 && prefix_length + out->len <= TF_MAIL_HEADER_MAX_LINE)
    {
      line_length += out->len;
    }
  else
    {
      /* Not ASCII, or too long for one line: encoded words fold. */
      g_string_truncate (out, 0);
      line_length = append_words (out, name, strlen (name), prefix_length);
    }

  if (line_length + 3 + strlen (address) > TF_MAIL_HEADER_MAX_LINE)
    g_string_append (out, FOLD "<");
  else
    g_string_append (out, " <");
  g_string_append (out, address);
  g_string_append_c (out, '>');

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
domain_is_plain (const char *domain)
{
  gsize length = domain != NULL ? strlen (domain) : 0;

  if (length == 0 || length > 253)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalnum (domain[i]) && domain[i] != '-' && domain[i] != '.')
        return FALSE;
    }
  return dot_atom_ok (domain, length, 63);
}

char *
tf_mail_header_message_id (const guint8 *random,
                           gsize         random_length,
                           const char   *domain)
{
  GString *out;

  g_return_val_if_fail (random != NULL && random_length > 0 && random_length <= 64, NULL);

  out = g_string_new ("<");
  for (gsize i = 0; i < random_length; i++)
    g_string_append_printf (out, "%02x", random[i]);
  g_string_append_c (out, '@');
  g_string_append (out, domain_is_plain (domain) ? domain : "twofold.invalid");
  g_string_append_c (out, '>');

  return g_string_free (out, FALSE);
}

char *
tf_mail_header_date (gint64 unix_time)
{
  static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
  static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  /* Out of GDateTime's range: the epoch rather than no Date at all. */
  if (time == NULL)
    time = g_date_time_new_from_unix_utc (0);

  /* Built by hand: strftime's names follow the locale, RFC 5322's do not. */
  return g_strdup_printf ("%s, %02d %s %04d %02d:%02d:%02d +0000",
                          days[g_date_time_get_day_of_week (time) - 1],
                          g_date_time_get_day_of_month (time),
                          months[g_date_time_get_month (time) - 1],
                          g_date_time_get_year (time),
                          g_date_time_get_hour (time),
                          g_date_time_get_minute (time),
                          g_date_time_get_second (time));
}
