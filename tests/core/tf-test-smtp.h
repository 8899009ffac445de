/* tf-test-smtp.h — a real SMTP server (tests/tf-smtp-server.py, aiosmtpd)
 * on 127.0.0.1 for the mail tests, and what it received. The server exits
 * when the test process goes away (its standard input closes), so none is
 * ever left behind. */
#pragma once

#include <gio/gio.h>

#include "tf-mailer.h"
#include "tf-test-util.h"

typedef enum {
  TF_TEST_SMTP_PLAIN,
  TF_TEST_SMTP_STARTTLS,     /* STARTTLS offered and required */
  TF_TEST_SMTP_SMTPS,        /* TLS from the first byte */
  TF_TEST_SMTP_TARPIT,       /* accepts, never answers */
} TfTestSmtpMode;

typedef struct {
  GSubprocess *process;
  guint16      port;
  char        *dir;          /* received messages; cert.pem and key.pem */
} TfTestSmtp;

/* @port 0: any free port. @auth: "user:password" to require AUTH, or NULL. */
TfTestSmtp     *tf_test_smtp_start         (TfTestSmtpMode  mode,
                                            guint16         port,
                                            const char     *auth);
/* Stops the server (its messages stay readable). */
void            tf_test_smtp_stop          (TfTestSmtp     *smtp);
void            tf_test_smtp_free          (TfTestSmtp     *smtp);
guint           tf_test_smtp_count         (TfTestSmtp     *smtp);
/* Message @index (from 1) as the server decoded it; waits up to
 * @timeout_ms for it to arrive, NULL if it does not. */
GKeyFile       *tf_test_smtp_message       (TfTestSmtp     *smtp,
                                            guint           index,
                                            guint           timeout_ms);
gboolean        tf_test_smtp_received      (TfTestSmtp     *smtp,
                                            guint           index,
                                            guint           timeout_ms);
/* The CA file that trusts the server's certificate. */
char           *tf_test_smtp_ca_file       (TfTestSmtp     *smtp);
/* From "Twofold Test <twofold@example.org>", short timeouts off. */
TfMailerConfig *tf_test_smtp_config        (TfTestSmtp     *smtp,
                                            TfSmtpSecurity  security);
/* A port nothing listens on (bound, read, closed). */
guint16         tf_test_free_port          (void);
/* The "1234 5678" code in a message's text, as 8 digits, or NULL. */
char           *tf_test_find_code          (const char     *text);
/* Deletes a directory and everything in it. */
void            tf_test_remove_tree        (const char     *path);

/* The service and the outbox together, for the mail flow tests. */

/* Sends everything queued at the fixture's time (to @server, in clear,
 * unless @config says otherwise); nothing may fail. */
void            tf_test_mail_deliver       (TfTestFixture  *fixture,
                                            TfTestSmtp     *server,
                                            TfMailerConfig *config);
/* The newest message after number @after whose subject holds @subject. */
GKeyFile       *tf_test_mail_find          (TfTestSmtp     *server,
                                            guint           after,
                                            const char     *subject);
gboolean        tf_test_mail_exists        (TfTestSmtp     *server,
                                            guint           after,
                                            const char     *subject);
char           *tf_test_mail_code          (GKeyFile       *mail);
/* Asks for a reset and delivers; the code mailed, or NULL if none came. */
char           *tf_test_mail_request_code  (TfTestFixture  *fixture,
                                            TfTestSmtp     *server,
                                            const char     *identifier);
/* An active account (e-mail alice@example.org), verified if asked. */
gint64          tf_test_mail_make_user     (TfTestFixture  *fixture,
                                            const char     *username,
                                            gboolean        verified,
                                            GPtrArray     **codes);
/* Resets with @code and the current TOTP code, then moves to the next step. */
gboolean        tf_test_mail_reset         (TfTestFixture  *fixture,
                                            gint64          id,
                                            const char     *identifier,
                                            const char     *code,
                                            const char     *new_password,
                                            GError        **error);
