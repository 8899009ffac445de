/* tf-mailer.c — one message over SMTP with libcurl. */
#define G_LOG_DOMAIN "tf-mailer"

#include "config.h"

#include "tf-mailer.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "tf-curl-private.h"
#include "tf-mail-header.h"

/* The server's replies are kept for messages; a longer line is cut. */
#define MAX_REPLY 300

typedef struct {
  GCancellable *cancellable;
  gint64        deadline;      /* monotonic µs: the total limit, enforced here too */
  gboolean      timed_out;
  gboolean      quitting;
  char          reply[MAX_REPLY + 1];
} Transfer;

typedef struct {
  TfSecureBuffer *data;
  gsize           offset;
} BodyReader;

static size_t
body_read (char   *buffer,
           size_t  size,
           size_t  nitems,
           void   *user_data)
{
  BodyReader *reader = user_data;
  gsize length = tf_secure_buffer_get_length (reader->data);
  gsize n = MIN (size * nitems, length - reader->offset);

  memcpy (buffer, tf_secure_buffer_get_data (reader->data) + reader->offset, n);
  reader->offset += n;
  return n;
}

static int
body_seek (void       *user_data,
           curl_off_t  offset,
           int         origin)
{
  BodyReader *reader = user_data;
  gsize length = tf_secure_buffer_get_length (reader->data);
  curl_off_t base = origin == SEEK_CUR ? (curl_off_t) reader->offset
                  : origin == SEEK_END ? (curl_off_t) length : 0;

  if (base + offset < 0 || base + offset > (curl_off_t) length)
    return CURL_SEEKFUNC_FAIL;
  reader->offset = (gsize) (base + offset);
  return CURL_SEEKFUNC_OK;
}

static void
body_free (void *user_data)
{
  BodyReader *reader = user_data;

  tf_secure_buffer_unref (reader->data);
  g_free (reader);
}

static gboolean
add_body_part (const TfCurl   *api,
               curl_mime      *mime,
               TfSecureBuffer *body,
               const char     *type)
{
  curl_mimepart *part = api->mime_addpart (mime);
  BodyReader *reader = g_new0 (BodyReader, 1);

  reader->data = tf_secure_buffer_ref (body);
  /* Read through the callback: no copy of the body in libcurl's heap. */
  return api->mime_data_cb (part, (curl_off_t) tf_secure_buffer_get_length (body),
                            body_read, body_seek, body_free, reader) == CURLE_OK &&
         api->mime_type (part, type) == CURLE_OK &&
         api->mime_encoder (part, "quoted-printable") == CURLE_OK;
}

/* libcurl's debug output, used only to keep the server's last reply line.
 * Nothing is printed or kept of what the client sends (AUTH, the message). */
static int
on_debug (CURL          *handle,
          curl_infotype  type,
          char          *data,
          size_t         size,
          void          *user_data)
{
  Transfer *transfer = user_data;
  gsize n = 0;

  /* What the client sends is only looked at for QUIT: the replies after
   * it say nothing about the message. */
  if (type == CURLINFO_HEADER_OUT && size >= 4 && g_ascii_strncasecmp (data, "QUIT", 4) == 0)
    transfer->quitting = TRUE;
  if (type != CURLINFO_HEADER_IN || transfer->quitting)
    return 0;

  for (gsize i = 0; i < size && n < MAX_REPLY; i++)
    {
      if (data[i] == '\r' || data[i] == '\n')
        break;
      /* Printable ASCII only: the reply ends up in messages and logs. */
      transfer->reply[n++] = data[i] >= 0x20 && data[i] < 0x7f ? data[i] : '?';
    }
  if (n > 0)
    transfer->reply[n] = '\0';

  return 0;
}

static int
on_progress (void       *user_data,
             curl_off_t  dltotal,
             curl_off_t  dlnow,
             curl_off_t  ultotal,
             curl_off_t  ulnow)
{
  Transfer *transfer = user_data;

  /* libcurl calls this about once a second, even while it waits. Its own
   * total timeout does not end the wait for the reply to the end of the
   * message (libcurl 7.88), so the deadline is kept here too; an abort can
   * take effect only at the next call, a second later, hence the margin. */
  if (g_get_monotonic_time () + G_USEC_PER_SEC >= transfer->deadline)
    transfer->timed_out = TRUE;
  return transfer->timed_out || g_cancellable_is_cancelled (transfer->cancellable) ? 1 : 0;
}

static gboolean
host_is_valid (const char *host)
{
  if (host == NULL || host[0] == '\0' || strlen (host) > 253)
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '.' && *p != '-' && *p != ':' && !((guchar) *p & 0x80))
        return FALSE;
    }
  return g_utf8_validate (host, -1, NULL);
}

static gboolean
set_error (GError      **error,
           TfMailerError code,
           const char   *message,
           const char   *reply)
{
  if (reply != NULL && reply[0] != '\0')
    /* Translators: a sentence about a mail failure, then the mail server's reply. */
    g_set_error (error, TF_MAILER_ERROR, code, _("%s Server reply: %s"), message, reply);
  else
    g_set_error_literal (error, TF_MAILER_ERROR, code, message);
  return FALSE;
}

static gboolean
map_result (CURLcode         rc,
            long             code,
            const char      *details,
            const Transfer  *transfer,
            GError         **error)
{
  g_autofree char *message = NULL;
  const char *reply = transfer->reply;

  if (rc == CURLE_ABORTED_BY_CALLBACK && transfer->timed_out)
    rc = CURLE_OPERATION_TIMEDOUT;

  /* An if chain: -Wswitch-enum would want every one of libcurl's codes. */
  if (rc == CURLE_OK)
    return TRUE;
  if (rc == CURLE_ABORTED_BY_CALLBACK)
    return set_error (error, TF_MAILER_ERROR_CANCELLED, _("Sending was cancelled."), NULL);
  if (rc == CURLE_OPERATION_TIMEDOUT)
    {
      message = g_strdup_printf (_("The mail server did not answer in time (%s)."), details);
      return set_error (error, TF_MAILER_ERROR_TIMEOUT, message, reply);
    }
  if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT)
    {
      message = g_strdup_printf (_("Could not connect to the mail server (%s)."), details);
      return set_error (error, TF_MAILER_ERROR_CONNECT, message, NULL);
    }
  if (rc == CURLE_USE_SSL_FAILED)
    return set_error (error, TF_MAILER_ERROR_TLS,
                      _("The mail server does not offer STARTTLS, so nothing was sent in "
                        "clear text. Use a server that supports it, or change smtp-security."),
                      reply);
  if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CONNECT_ERROR ||
      rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM ||
      rc == CURLE_SSL_CIPHER || rc == CURLE_SSL_ISSUER_ERROR)
    {
      message = g_strdup_printf (_("The secure connection to the mail server failed (%s)."),
                                 details);
      return set_error (error, TF_MAILER_ERROR_TLS, message, NULL);
    }
  if (rc == CURLE_LOGIN_DENIED)
    return set_error (error, TF_MAILER_ERROR_AUTH,
                      _("The mail server refused the SMTP user name or password."), reply);

  if (code >= 500 && code < 600)
    return set_error (error, TF_MAILER_ERROR_REJECTED,
                      _("The mail server refused the message."), reply);
  if (code >= 400 && code < 500)
    return set_error (error, TF_MAILER_ERROR_TEMPORARY,
                      _("The mail server could not take the message now."), reply);

  message = g_strdup_printf (_("Sending the mail failed (%s)."), details);
  return set_error (error, TF_MAILER_ERROR_FAILED, message, reply);
}

static gboolean
message_id_is_valid (const char  *message_id,
                     GError     **error)
{
  gsize length = strlen (message_id);

  if (length < 5 || message_id[0] != '<' || message_id[length - 1] != '>' ||
      strchr (message_id + 1, ' ') != NULL)
    return tf_mail_header_check_text ("<>", 2, error);

  return tf_mail_header_check_text (message_id + 1, (gssize) length - 2, error) &&
         tf_mail_header_check_address (message_id + 1, (gssize) length - 2, error);
}

static gboolean
check_message (const TfMailerConfig  *config,
               const TfMailMessage   *message,
               GError               **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!tf_mailer_config_is_configured (config))
    {
      g_set_error_literal (error, TF_MAILER_ERROR, TF_MAILER_ERROR_NOT_CONFIGURED,
                           _("mail is not configured"));
      return FALSE;
    }
  if (!host_is_valid (config->host) || config->port == 0 || config->port > 65535 ||
      config->from_address == NULL)
    {
      g_set_error_literal (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG,
                           _("The mail settings are incomplete or not valid: check "
                             "smtp-host, smtp-port and mail-from."));
      return FALSE;
    }

  /* Everything that goes into a header or the envelope, before libcurl. */
  if (!tf_mail_header_check_address (config->from_address, -1, &local_error) ||
      !tf_mail_header_check_address (message->to_address != NULL ? message->to_address : "",
                                     -1, &local_error) ||
      (config->from_name != NULL &&
       !tf_mail_header_check_text (config->from_name, -1, &local_error)) ||
      (message->to_name != NULL &&
       !tf_mail_header_check_text (message->to_name, -1, &local_error)) ||
      !tf_mail_header_check_text (message->subject != NULL ? message->subject : "", -1,
                                  &local_error) ||
      (message->message_id != NULL &&
       !message_id_is_valid (message->message_id, &local_error)))
    {
      g_set_error_literal (error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID,
                           local_error->message);
      return FALSE;
    }
  if (message->text == NULL)
    {
      g_set_error_literal (error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID,
                           _("The message has no text."));
      return FALSE;
    }

  return TRUE;
}

static struct curl_slist *
append_header (const TfCurl      *api,
               struct curl_slist *headers,
               const char        *name,
               const char        *value)
{
  g_autofree char *line = g_strconcat (name, value, NULL);

  return api->slist_append (headers, line);
}

static struct curl_slist *
build_headers (const TfCurl         *api,
               const TfMailerConfig *config,
               const TfMailMessage  *message)
{
  g_autofree char *date = tf_mail_header_date (message->date);
  g_autofree char *from = tf_mail_header_format_mailbox (config->from_name, config->from_address,
                                                         strlen ("From: "));
  g_autofree char *to = tf_mail_header_format_mailbox (message->to_name, message->to_address,
                                                       strlen ("To: "));
  g_autofree char *subject = tf_mail_header_encode (message->subject, strlen ("Subject: "));
  g_autofree char *message_id = NULL;
  struct curl_slist *headers = NULL;

  if (message->message_id != NULL)
    {
      message_id = g_strdup (message->message_id);
    }
  else
    {
      guint8 random[16];

      randombytes_buf (random, sizeof random);
      message_id = tf_mail_header_message_id (random, sizeof random,
                                              strrchr (config->from_address, '@') + 1);
    }

  g_assert (from != NULL && to != NULL && subject != NULL);
  headers = append_header (api, headers, "Date: ", date);
  headers = append_header (api, headers, "From: ", from);
  headers = append_header (api, headers, "To: ", to);
  headers = append_header (api, headers, "Subject: ", subject);
  headers = append_header (api, headers, "Message-ID: ", message_id);
  if (message->html != NULL)
    headers = api->slist_append (headers, "Content-Type: multipart/alternative");
  /* RFC 3834: tells auto-responders not to answer. */
  headers = api->slist_append (headers, "Auto-Submitted: auto-generated");

  return headers;
}

static CURLU *
build_url (const TfCurl         *api,
           const TfMailerConfig *config)
{
  CURLU *url = api->url ();
  g_autofree char *host = NULL;
  g_autofree char *port = g_strdup_printf ("%u", config->port);
  /* The URL's path is the name given in EHLO: the sender's domain. */
  g_autofree char *path = g_strconcat ("/", strrchr (config->from_address, '@') + 1, NULL);

  host = strchr (config->host, ':') != NULL ? g_strdup_printf ("[%s]", config->host)
                                            : g_strdup (config->host);
  if (url == NULL ||
      api->url_set (url, CURLUPART_SCHEME,
                    config->security == TF_SMTP_SECURITY_TLS ? "smtps" : "smtp", 0) != CURLUE_OK ||
      api->url_set (url, CURLUPART_HOST, host, 0) != CURLUE_OK ||
      api->url_set (url, CURLUPART_PORT, port, 0) != CURLUE_OK ||
      api->url_set (url, CURLUPART_PATH, path, CURLU_URLENCODE) != CURLUE_OK)
    g_clear_pointer (&url, api->url_cleanup);

  return url;
}

gboolean
tf_mailer_send (const TfMailerConfig  *config,
                const TfMailMessage   *message,
                GCancellable          *cancellable,
                char                 **reply,
                GError               **error)
{
  Transfer transfer = { cancellable, 0, FALSE, FALSE, { 0 } };
  char details[CURL_ERROR_SIZE] = { 0 };
  g_autofree char *mail_from = NULL;
  g_autofree char *rcpt = NULL;
  struct curl_slist *recipients = NULL;
  struct curl_slist *headers = NULL;
  curl_mime *mime = NULL;
  CURLU *url = NULL;
  CURL *curl = NULL;
  CURLcode rc = CURLE_FAILED_INIT;
  long code = 0;
  gboolean ok = FALSE;
  const TfCurl *api;

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (reply != NULL)
    *reply = NULL;
  if (!check_message (config, message, error))
    return FALSE;

  api = tf_curl_load (error);
  if (api == NULL)
    return FALSE;
  curl = api->easy_init ();
  url = build_url (api, config);
  if (curl == NULL || url == NULL)
    {
      g_set_error_literal (error, TF_MAILER_ERROR, TF_MAILER_ERROR_CONFIG,
                           _("The mail server’s address is not valid."));
      goto out;
    }

  mail_from = g_strdup_printf ("<%s>", config->from_address);
  rcpt = g_strdup_printf ("<%s>", message->to_address);
  recipients = api->slist_append (NULL, rcpt);
  headers = build_headers (api, config, message);

  mime = api->mime_init (curl);
  if (!add_body_part (api, mime, message->text, "text/plain; charset=utf-8") ||
      (message->html != NULL &&
       !add_body_part (api, mime, message->html, "text/html; charset=utf-8")))
    {
      g_set_error_literal (error, TF_MAILER_ERROR, TF_MAILER_ERROR_FAILED,
                           _("The message could not be prepared."));
      goto out;
    }

  api->easy_setopt (curl, CURLOPT_CURLU, url);
  api->easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  api->easy_setopt (curl, CURLOPT_REDIR_PROTOCOLS_STR, "smtp,smtps");
  api->easy_setopt (curl, CURLOPT_USE_SSL, (long) (config->security == TF_SMTP_SECURITY_NONE
                                                   ? CURLUSESSL_NONE : CURLUSESSL_ALL));
  api->easy_setopt (curl, CURLOPT_SSL_VERIFYPEER, 1L);
  api->easy_setopt (curl, CURLOPT_SSL_VERIFYHOST, 2L);
  api->easy_setopt (curl, CURLOPT_SSLVERSION, (long) CURL_SSLVERSION_TLSv1_2);
  if (config->ca_file != NULL)
    api->easy_setopt (curl, CURLOPT_CAINFO, config->ca_file);
  api->easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS, (long) config->connect_timeout_ms);
  api->easy_setopt (curl, CURLOPT_TIMEOUT_MS, (long) config->timeout_ms);
  /* The wait for each reply, the last one included, in whole seconds. */
  api->easy_setopt (curl, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                    (long) MAX (1, (config->timeout_ms + 999) / 1000));
  api->easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  /* Close the connection with the transfer: kept open, a connection that
   * timed out would be closed by curl_easy_cleanup () with a QUIT, waiting
   * once more for a server that does not answer. */
  api->easy_setopt (curl, CURLOPT_FORBID_REUSE, 1L);
  if (config->username != NULL && config->password != NULL)
    {
      api->easy_setopt (curl, CURLOPT_USERNAME, config->username);
      api->easy_setopt (curl, CURLOPT_PASSWORD, tf_secure_buffer_get_string (config->password));
    }
  api->easy_setopt (curl, CURLOPT_MAIL_FROM, mail_from);
  api->easy_setopt (curl, CURLOPT_MAIL_RCPT, recipients);
  api->easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
  api->easy_setopt (curl, CURLOPT_MIMEPOST, mime);
  api->easy_setopt (curl, CURLOPT_ERRORBUFFER, details);
  api->easy_setopt (curl, CURLOPT_NOPROGRESS, 0L);
  api->easy_setopt (curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  api->easy_setopt (curl, CURLOPT_XFERINFODATA, &transfer);
  /* Verbose only feeds on_debug (); nothing is printed. */
  api->easy_setopt (curl, CURLOPT_VERBOSE, 1L);
  api->easy_setopt (curl, CURLOPT_DEBUGFUNCTION, on_debug);
  api->easy_setopt (curl, CURLOPT_DEBUGDATA, &transfer);

  g_debug ("Sending a message to %s via %s:%u", message->to_address, config->host, config->port);
  transfer.deadline = g_get_monotonic_time () + config->timeout_ms * (gint64) 1000;
  rc = api->easy_perform (curl);
  api->easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &code);
  if (rc == CURLE_ABORTED_BY_CALLBACK && transfer.timed_out)
    g_snprintf (details, sizeof details, "no answer within %u ms", config->timeout_ms);
  else if (details[0] == '\0')
    g_strlcpy (details, api->easy_strerror (rc), sizeof details);

  ok = map_result (rc, code, details, &transfer, error);
  g_debug ("Sending %s: curl %d, SMTP %ld", ok ? "succeeded" : "failed", (int) rc, code);
  if (reply != NULL && transfer.reply[0] != '\0')
    *reply = g_strdup (transfer.reply);

out:
  /* Cleaning up the handle drops libcurl's copy of the password. */
  g_clear_pointer (&curl, api->easy_cleanup);
  g_clear_pointer (&mime, api->mime_free);
  g_clear_pointer (&url, api->url_cleanup);
  api->slist_free_all (recipients);
  api->slist_free_all (headers);

  return ok;
}
