/* tf-mail-compose.c — Twofold's messages from the GResource layouts. */
#define G_LOG_DOMAIN "tf-mail-compose"

#include "config.h"

#include "tf-mail-compose.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tf-mail-header.h"
#include "tf-mail-resources.h"

#define RESOURCE_DIR "/org/twofold/Twofold/mail/"

typedef struct {
  const char *name;
  const char *value;   /* NULL or "" = empty: its {{#name}} section is left out */
} Slot;

/* Renders in two passes, measuring then writing, so the output (which may
 * hold a code) goes straight into secure memory with no heap copy. */
typedef struct {
  guint8 *out;         /* NULL while measuring */
  gsize   length;
} Writer;

static void
put (Writer     *writer,
     const char *data,
     gsize       length)
{
  if (writer->out != NULL)
    memcpy (writer->out + writer->length, data, length);
  writer->length += length;
}

/* Layout text, with every line ending made CRLF. */
static void
put_layout (Writer     *writer,
            const char *data,
            gsize       length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\r')
        continue;
      if (data[i] == '\n')
        put (writer, "\r\n", 2);
      else
        put (writer, data + i, 1);
    }
}

static void
put_value (Writer     *writer,
           const char *value,
           gboolean    html)
{
  for (const char *p = value; p != NULL && *p != '\0'; p++)
    {
      switch (*p)
        {
        case '&':
          put (writer, html ? "&amp;" : "&", html ? 5 : 1);
          break;
        case '<':
          put (writer, html ? "&lt;" : "<", html ? 4 : 1);
          break;
        case '>':
          put (writer, html ? "&gt;" : ">", html ? 4 : 1);
          break;
        case '"':
          put (writer, html ? "&quot;" : "\"", html ? 6 : 1);
          break;
        case '\'':
          put (writer, html ? "&#39;" : "'", html ? 5 : 1);
          break;
        default:
          /* A value never adds a line of its own. */
          put (writer, (guchar) *p < 0x20 || *p == 0x7f ? " " : p, 1);
          break;
        }
    }
}

static const char *
lookup (const Slot *slots,
        const char *name,
        gsize       length)
{
  for (const Slot *slot = slots; slot->name != NULL; slot++)
    {
      if (strlen (slot->name) == length && strncmp (slot->name, name, length) == 0)
        return slot->value != NULL ? slot->value : "";
    }

  g_critical ("Mail layout uses an unknown field “%.*s”", (int) length, name);
  return "";
}

static void
render_pass (const char *layout,
             gsize       length,
             const Slot *slots,
             gboolean    html,
             Writer     *writer)
{
  const char *p = layout;
  const char *end = layout + length;

  while (p < end)
    {
      const char *open = g_strstr_len (p, end - p, "{{");
      const char *close;
      const char *name;
      gsize name_length;

      if (open == NULL || (close = g_strstr_len (open, end - open, "}}")) == NULL)
        {
          put_layout (writer, p, (gsize) (end - p));
          break;
        }

      put_layout (writer, p, (gsize) (open - p));
      name = open + 2;
      name_length = (gsize) (close - name);
      p = close + 2;

      if (name[0] != '#' && name[0] != '/')
        {
          put_value (writer, lookup (slots, name, name_length), html);
          continue;
        }

      if (name[0] == '#' && lookup (slots, name + 1, name_length - 1)[0] == '\0')
        {
          /* An empty field: skip its section up to the closing marker. */
          g_autofree char *closing = g_strdup_printf ("{{/%.*s}}", (int) name_length - 1,
                                                      name + 1);
          const char *skip = g_strstr_len (p, end - p, closing);

          p = skip != NULL ? skip + strlen (closing) : end;
        }
      /* A marker alone on its line takes its line ending with it. */
      if (p < end && *p == '\n')
        p++;
    }
}

static TfSecureBuffer *
render (const char *resource,
        const Slot *slots,
        gboolean    html)
{
  g_autoptr(GBytes) layout = NULL;
  g_autoptr(TfSecureBuffer) out = NULL;
  Writer writer = { NULL, 0 };
  gsize length;
  const char *data;

  layout = g_resource_lookup_data (tf_mail_get_resource (), resource,
                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_assert (layout != NULL);
  data = g_bytes_get_data (layout, &length);

  render_pass (data, length, slots, html, &writer);
  out = tf_secure_buffer_new (writer.length);
  writer.out = tf_secure_buffer_get_data (out);
  writer.length = 0;
  render_pass (data, length, slots, html, &writer);
  g_assert (writer.length == tf_secure_buffer_get_length (out));

  return g_steal_pointer (&out);
}

TfSecureBuffer *
tf_mail_format_code (const TfSecureBuffer *code)
{
  gsize length = tf_secure_buffer_get_length (code);
  const guint8 *digits = tf_secure_buffer_get_data ((TfSecureBuffer *) code);
  TfSecureBuffer *formatted = tf_secure_buffer_new (length + length / 4);
  guint8 *out = tf_secure_buffer_get_data (formatted);
  gsize n = 0;

  for (gsize i = 0; i < length; i++)
    {
      if (i > 0 && i % 4 == 0)
        out[n++] = ' ';
      out[n++] = digits[i];
    }
  tf_secure_buffer_truncate (formatted, n);

  return formatted;
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);

  return time != NULL ? g_date_time_format (time, "%Y-%m-%d %H:%M UTC") : g_strdup ("?");
}

/* Everything of a message but its code, in the one place the sentences are. */
typedef struct {
  char *subject;
  char *heading;
  char *intro;
  char *details;
  char *warning;
} Content;

static void
content_clear (Content *content)
{
  g_free (content->subject);
  g_free (content->heading);
  g_free (content->intro);
  g_free (content->details);
  g_free (content->warning);
}

static void
fill_content (TfMailKind          kind,
              const TfMailFields *fields,
              Content            *c)
{
  g_autofree char *when = format_time (fields->now);
  const char *issuer = fields->issuer;
  const char *user = fields->username;

  switch (kind)
    {
    case TF_MAIL_RESET_CODE:
      /* Translators: a mail subject; %s is the issuer: the service's name, as set by the
       * administrator (“Twofold” by default). */
      c->subject = g_strdup_printf (_("Your %s password reset code"), issuer);
      c->heading = g_strdup (_("Reset your password"));
      /* Translators: the first %s is the username, the second the issuer: the service's name, as
       * set by the administrator (“Twofold” by default). */
      c->intro = g_strdup_printf (_("Someone, hopefully you, asked to reset the password of "
                                    "the account “%s”. To choose a new password, enter this "
                                    "code in %s:"), user, issuer);
      c->details = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "The code works once and expires in %u minute. "
                                                 "You will also need the code from your "
                                                 "authenticator app, or a recovery code.",
                                                 "The code works once and expires in %u minutes. "
                                                 "You will also need the code from your "
                                                 "authenticator app, or a recovery code.",
                                                 fields->expires_minutes),
                                    fields->expires_minutes);
      c->warning = g_strdup (_("If you did not ask for this, ignore this message: your password "
                               "stays as it is. Never give this code to anyone."));
      break;

    case TF_MAIL_VERIFY_CODE:
      /* Translators: a mail subject; %s is the issuer: the service's name, as set by the
       * administrator (“Twofold” by default). */
      c->subject = g_strdup_printf (_("Confirm your e-mail address for %s"), issuer);
      c->heading = g_strdup (_("Confirm your e-mail address"));
      /* Translators: the first %s is the username, the second the issuer: the service's name, as
       * set by the administrator (“Twofold” by default). */
      c->intro = g_strdup_printf (_("To confirm that this address belongs to the account “%s”, "
                                    "enter this code in %s:"), user, issuer);
      c->details = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "The code expires in %u minute.",
                                                 "The code expires in %u minutes.",
                                                 fields->expires_minutes),
                                    fields->expires_minutes);
      c->warning = g_strdup (_("If you did not create this account, ignore this message."));
      break;

    case TF_MAIL_PASSWORD_CHANGED:
      /* Translators: a mail subject; %s is the issuer: the service's name, as set by the
       * administrator (“Twofold” by default). */
      c->subject = g_strdup_printf (_("Your %s password was changed"), issuer);
      c->heading = g_strdup (_("Your password was changed"));
      /* Translators: the first %s is the username, the second a date and time such as “2026-05-04
       * 13:20 UTC”. */
      c->intro = g_strdup_printf (_("The password of the account “%s” was changed on %s."),
                                  user, when);
      c->warning = g_strdup (_("If you did not do this, contact your administrator at once."));
      break;

    case TF_MAIL_AUTHENTICATOR_CHANGED:
      /* Translators: a mail subject; %s is the issuer: the service's name, as set by the
       * administrator (“Twofold” by default). */
      c->subject = g_strdup_printf (_("A new authenticator was set up for your %s account"),
                                    issuer);
      c->heading = g_strdup (_("New authenticator"));
      /* Translators: the first %s is the username, the second a date and time such as “2026-05-04
       * 13:20 UTC”. */
      c->intro = g_strdup_printf (_("A new authenticator app was set up for the account “%s” "
                                    "on %s. Codes from the previous one no longer work."),
                                  user, when);
      c->warning = g_strdup (_("If you did not do this, contact your administrator at once."));
      break;

    case TF_MAIL_RECOVERY_CODES_CHANGED:
      /* Translators: a mail subject; %s is the issuer: the service's name, as set by the
       * administrator (“Twofold” by default). */
      c->subject = g_strdup_printf (_("New recovery codes for your %s account"), issuer);
      c->heading = g_strdup (_("New recovery codes"));
      /* Translators: the first %s is the username, the second a date and time such as “2026-05-04
       * 13:20 UTC”. */
      c->intro = g_strdup_printf (_("New recovery codes were made for the account “%s” on %s. "
                                    "The previous codes no longer work."), user, when);
      c->warning = g_strdup (_("If you did not do this, contact your administrator at once."));
      break;

    case TF_MAIL_EMAIL_CHANGED:
      /* Translators: a mail subject; %s is the issuer: the service's name, as set by the
       * administrator (“Twofold” by default). */
      c->subject = g_strdup_printf (_("The e-mail address of your %s account was changed"),
                                    issuer);
      c->heading = g_strdup (_("Your e-mail address was changed"));
      /* Translators: the first %s is the username, the second a date and time such as “2026-05-04
       * 13:20 UTC”. */
      c->intro = g_strdup_printf (_("The e-mail address of the account “%s” was changed on %s. "
                                    "Messages about the account, such as password reset codes, "
                                    "no longer come to this address."), user, when);
      c->warning = g_strdup (_("If you did not do this, contact your administrator at once."));
      break;

    case TF_MAIL_TEST:
      /* Translators: a mail subject; %s is the issuer: the service's name, as set by the
       * administrator (“Twofold” by default). */
      c->subject = g_strdup_printf (_("%s test message"), issuer);
      c->heading = g_strdup (_("Test message"));
      /* Translators: the first %s is the issuer: the service's name, as set by the administrator
       * (“Twofold” by default); the second a date and time such as “2026-05-04 13:20 UTC”. */
      c->intro = g_strdup_printf (_("This is a test message from %s, sent on %s."), issuer, when);
      c->warning = g_strdup (_("If you can read it, mail is set up correctly."));
      break;

    default:
      g_assert_not_reached ();
    }
}

static char *
join_name (const TfMailFields *fields)
{
  const char *first = fields->first_name != NULL ? fields->first_name : "";
  const char *last = fields->last_name != NULL ? fields->last_name : "";

  if (first[0] == '\0' && last[0] == '\0')
    return NULL;
  /* Translators: a person's full name: %1$s is the first name, %2$s the last. */
  return g_strstrip (g_strdup_printf (C_("full name", "%1$s %2$s"), first, last));
}

TfMailMessage *
tf_mail_compose (TfMailKind          kind,
                 const TfMailFields *fields,
                 GError            **error)
{
  g_autoptr(TfMailMessage) message = tf_mail_message_new ();
  g_autoptr(TfSecureBuffer) code = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *greeting = NULL;
  g_autofree char *footer = NULL;
  Content content = { NULL, };
  gboolean has_code = kind == TF_MAIL_RESET_CODE || kind == TF_MAIL_VERIFY_CODE;

  g_return_val_if_fail (fields != NULL && fields->issuer != NULL, NULL);
  g_return_val_if_fail (fields->to_address != NULL, NULL);
  g_return_val_if_fail (!has_code || fields->code != NULL, NULL);

  message->to_address = g_strdup (fields->to_address);
  message->to_name = join_name (fields);
  message->date = fields->now;

  fill_content (kind, fields, &content);
  message->subject = g_steal_pointer (&content.subject);

  if (!tf_mail_header_check_address (message->to_address, -1, &local_error) ||
      (message->to_name != NULL &&
       !tf_mail_header_check_text (message->to_name, -1, &local_error)) ||
      !tf_mail_header_check_text (message->subject, -1, &local_error))
    {
      content_clear (&content);
      g_set_error_literal (error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID, local_error->message);
      return NULL;
    }

  if (fields->first_name != NULL && fields->first_name[0] != '\0')
    /* Translators: the greeting of a mail; %s is the person's first name. */
    greeting = g_strdup_printf (_("Hello %s,"), fields->first_name);
  else
    greeting = g_strdup (_("Hello,"));
  /* Translators: %s is the issuer: the service's name, as set by the administrator (“Twofold” by
   * default). */
  footer = g_strdup_printf (_("This message was sent automatically by %s. Please do not "
                              "reply to it."), fields->issuer);
  if (has_code)
    code = tf_mail_format_code (fields->code);

  {
    const Slot slots[] = {
      { "subject", message->subject },
      { "heading", content.heading },
      { "greeting", greeting },
      { "intro", content.intro },
      { "code", code != NULL ? tf_secure_buffer_get_string (code) : NULL },
      { "details", content.details },
      { "warning", content.warning },
      { "footer", footer },
      { NULL, NULL },
    };

    message->text = render (RESOURCE_DIR "message.txt", slots, FALSE);
    message->html = render (RESOURCE_DIR "message.html", slots, TRUE);
  }

  content_clear (&content);
  return g_steal_pointer (&message);
}
