/* tf-mail-compose.h
 *
 * Contract: the messages Twofold sends, built from the layouts in the
 * GResource /org/twofold/Twofold/mail/ (message.txt, message.html) and
 * sentences that are _() strings here, so gettext translates them in the
 * locale of the process that queues the message.
 * - Every inserted value is HTML-escaped in the HTML part; in the text part
 *   control characters become spaces. Both parts use CRLF line endings.
 * - A code (reset or verification) is shown grouped, "1234 5678"; it only
 *   ever lives in secure buffers, and so do the bodies that contain it.
 * - Notices (password changed, authenticator or recovery codes replaced,
 *   e-mail address changed)
 *   hold no secret: no code, no link, only what happened and when.
 */
#pragma once

#include "tf-mailer.h"

G_BEGIN_DECLS

typedef enum {
  TF_MAIL_RESET_CODE,
  TF_MAIL_VERIFY_CODE,
  TF_MAIL_PASSWORD_CHANGED,
  TF_MAIL_AUTHENTICATOR_CHANGED,
  TF_MAIL_RECOVERY_CODES_CHANGED,
  TF_MAIL_EMAIL_CHANGED,          /* to the address the account had before */
  TF_MAIL_TEST,
} TfMailKind;

typedef struct {
  const char           *issuer;          /* the site's name, "Twofold" by default */
  const char           *username;
  const char           *first_name;      /* may be NULL */
  const char           *last_name;       /* may be NULL */
  const char           *to_address;
  const TfSecureBuffer *code;            /* the 8 digits, for the two code kinds */
  guint                 expires_minutes;
  gint64                now;             /* Date header and the time in notices */
} TfMailFields;

/* NULL with TF_MAILER_ERROR_INVALID when an address, name or the subject
 * would be refused by the mailer. */
TfMailMessage *tf_mail_compose (TfMailKind          kind,
                                const TfMailFields *fields,
                                GError            **error);

/* "1234 5678": the form shown in mail; spaces in input are ignored. */
TfSecureBuffer *tf_mail_format_code (const TfSecureBuffer *code);

G_END_DECLS
