/* tf-mailer.h
 *
 * Contract: one mail message sent over SMTP with libcurl, blocking. The
 * outbox worker, twofold-admin smtp-test and the tests call it; nothing else
 * in Twofold talks SMTP.
 *
 * - Only the smtp and smtps protocols are allowed (CURLOPT_PROTOCOLS_STR, also
 *   for redirects); the peer's certificate and host name are always verified;
 *   "starttls" requires STARTTLS (a server that does not offer it is refused,
 *   nothing is sent in clear), "tls" connects with smtps://, and only "none"
 *   sends in clear text. Connect timeout 10 s and total 30 s by default
 *   (TF_MAILER_CONNECT_TIMEOUT_MS, TF_MAILER_TIMEOUT_MS), configurable for
 *   tests; no signals (CURLOPT_NOSIGNAL).
 * - Every address, name and the subject pass tf_mail_header_check_* () before
 *   libcurl sees them (TF_MAILER_ERROR_INVALID otherwise). The message is
 *   multipart/alternative, text/plain and text/html in UTF-8,
 *   quoted-printable, CRLF line endings, with Date, Message-ID, From (with
 *   display name), To and an RFC 2047 Subject.
 * - The bodies are read by libcurl from their secure buffers through a
 *   callback, not copied into libcurl's own allocation (libcurl's transfer
 *   buffers still see them in passing). The SMTP password is handed to
 *   libcurl only for the transfer and nothing is ever logged: libcurl's
 *   debug output is captured only for the server's replies.
 * - Failures are TF_MAILER_ERROR with a translated message that ends with
 *   the server's last reply when there was one (e.g. "550 5.1.1 no such
 *   user"). REJECTED is a permanent 5xx refusal; every other code is worth
 *   retrying later. Cancelling @cancellable aborts an ongoing transfer within
 *   about a second (libcurl's progress callback).
 *
 * The configuration comes from GSettings (tf_mailer_config_new_from_settings)
 * plus the SMTP password: from the smtp-password-file setting (kiosk/system
 * mode; a regular file, mode 0600 or 0400, owned by the caller, not a
 * symbolic link, like the master key file) or else from the keyring item of
 * schema "org.twofold.Twofold.SmtpPassword" for (host, username). An empty
 * smtp-host means "mail is not configured": the config is returned, but
 * tf_mailer_config_is_configured () is FALSE and sending fails with
 * TF_MAILER_ERROR_NOT_CONFIGURED.
 */
#pragma once

#include <gio/gio.h>

#include "tf-secure-buffer.h"
#include "tf-settings.h"

G_BEGIN_DECLS

#define TF_MAILER_ERROR (tf_mailer_error_quark ())

#define TF_MAILER_CONNECT_TIMEOUT_MS 10000
#define TF_MAILER_TIMEOUT_MS 30000
#define TF_MAILER_DEFAULT_PORT 587

typedef enum {
  TF_MAILER_ERROR_NOT_CONFIGURED,
  TF_MAILER_ERROR_CONFIG,        /* bad mail-from, password file or keyring */
  TF_MAILER_ERROR_INVALID,       /* an address or header value was refused */
  TF_MAILER_ERROR_CONNECT,       /* host not found, connection refused */
  TF_MAILER_ERROR_TLS,           /* no STARTTLS, certificate not trusted, handshake */
  TF_MAILER_ERROR_AUTH,          /* the server refused the user name or password */
  TF_MAILER_ERROR_TIMEOUT,
  TF_MAILER_ERROR_TEMPORARY,     /* a 4xx reply */
  TF_MAILER_ERROR_REJECTED,      /* a 5xx reply: retrying will not help */
  TF_MAILER_ERROR_CANCELLED,
  TF_MAILER_ERROR_FAILED,
} TfMailerError;

typedef struct {
  char           *host;               /* NULL = mail is not configured */
  guint           port;
  TfSmtpSecurity  security;
  char           *username;           /* NULL = no authentication */
  TfSecureBuffer *password;           /* NULL unless username is set */
  char           *from_address;
  char           *from_name;          /* NULL = none */
  char           *ca_file;            /* NULL = the system's CAs (tests set one) */
  guint           connect_timeout_ms;
  guint           timeout_ms;
} TfMailerConfig;

typedef struct {
  char           *to_address;
  char           *to_name;            /* NULL = none */
  char           *subject;
  TfSecureBuffer *text;               /* text/plain, UTF-8, CRLF line endings */
  TfSecureBuffer *html;               /* text/html, or NULL for text only */
  gint64          date;               /* Unix time of the Date header */
  char           *message_id;         /* "<…@…>", or NULL to make one */
} TfMailMessage;

GQuark          tf_mailer_error_quark          (void);

TfMailerConfig *tf_mailer_config_new           (void);
TfMailerConfig *tf_mailer_config_copy          (const TfMailerConfig *config);
void            tf_mailer_config_free          (TfMailerConfig       *config);
gboolean        tf_mailer_config_is_configured (const TfMailerConfig *config);
/* Sets from_address/from_name from a "Name <address>" string. */
gboolean        tf_mailer_config_set_from      (TfMailerConfig       *config,
                                                const char           *mailbox,
                                                GError              **error);

/* Reads the smtp-* and mail-from settings and, when smtp-username is set,
 * the password (file or keyring, the keyring giving up after
 * @keyring_timeout_ms). Errors are TF_MAILER_ERROR_CONFIG, or the keyring's
 * TF_VAULT_ERROR, with a message for the administrator. */
TfMailerConfig *tf_mailer_config_new_from_settings    (GSettings           *settings,
                                                       guint                keyring_timeout_ms,
                                                       GCancellable        *cancellable,
                                                       GError             **error);
void            tf_mailer_config_new_from_settings_async  (GSettings           *settings,
                                                           guint                keyring_timeout_ms,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
TfMailerConfig *tf_mailer_config_new_from_settings_finish (GAsyncResult        *result,
                                                           GError             **error);
/* The smtp-password-file rules; exposed for twofold-admin doctor and tests. */
TfSecureBuffer *tf_mailer_read_password_file   (const char           *path,
                                                GError              **error);

TfMailMessage  *tf_mail_message_new            (void);
void            tf_mail_message_free           (TfMailMessage        *message);

/* Sends @message. @reply (may be NULL) receives the server's last reply
 * line, on success ("250 …") as on failure, or NULL when there was none. */
gboolean        tf_mailer_send                 (const TfMailerConfig *config,
                                                const TfMailMessage  *message,
                                                GCancellable         *cancellable,
                                                char                **reply,
                                                GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfMailerConfig, tf_mailer_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfMailMessage, tf_mail_message_free)

G_END_DECLS
