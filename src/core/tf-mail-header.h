/* tf-mail-header.h
 *
 * Contract: pure functions that make the header fields of a mail message
 * safe and well-formed. No I/O, no global state, no clock or randomness of
 * their own (callers pass them in), so a fuzzer can call them with any bytes.
 * Every input has an explicit length, so an embedded NUL is seen.
 *
 * - tf_mail_header_check_text () accepts a display name or subject only when
 *   it is valid UTF-8 of at most TF_MAIL_HEADER_MAX_TEXT bytes with no NUL, CR,
 *   LF or any other control character (C0, DEL, C1), no line or paragraph
 *   separator, no bidirectional control (U+061C, U+200E/F, U+202A–E,
 *   U+2066–9), no byte-order mark and no angle bracket. Nothing refused here
 *   can reach libcurl, so no field can end a header line or start another.
 * - tf_mail_header_check_address () accepts an addr-spec "local@domain":
 *   at most 254 bytes, exactly one '@', a local part of 1–64 bytes, a domain of
 *   non-empty dot-separated labels, and none of the above nor space, quotes,
 *   parentheses, brackets, backslash, comma, semicolon or colon.
 * - tf_mail_header_parse_mailbox () splits a setting such as
 *   "Twofold <twofold@example.org>", "\"Twofold, Inc.\" <a@b.example>" or a
 *   bare address into a checked display name (NULL when none) and address.
 * - tf_mail_header_encode () turns checked text into a header value made of
 *   printable ASCII only: the text itself when it is printable ASCII, holds no
 *   "=?" and fits on the line; otherwise RFC 2047 "B" encoded-words of UTF-8,
 *   each at most 75 characters, never splitting a character, folded with CRLF
 *   SP so that no line (including the "Name: " prefix) exceeds 76 characters.
 *   Decoding the words and joining them gives back the text exactly.
 * - tf_mail_header_format_mailbox () gives "Name <address>" for From and To,
 *   quoting or encoding the name as needed (folded before the address when
 *   the line would be too long; the address itself is never folded).
 * - tf_mail_header_message_id () and tf_mail_header_date () build the
 *   Message-ID (from caller-supplied random bytes and the sender's domain) and
 *   an RFC 5322 Date in UTC with English names whatever the locale.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TF_MAIL_HEADER_ERROR (tf_mail_header_error_quark ())

#define TF_MAIL_HEADER_MAX_TEXT 512
#define TF_MAIL_HEADER_MAX_ADDRESS 254
#define TF_MAIL_HEADER_MAX_LOCAL 64
#define TF_MAIL_HEADER_MAX_LINE 76
#define TF_MAIL_HEADER_MAX_WORD 75

typedef enum {
  TF_MAIL_HEADER_ERROR_INVALID_TEXT,
  TF_MAIL_HEADER_ERROR_INVALID_ADDRESS,
} TfMailHeaderError;

GQuark    tf_mail_header_error_quark     (void);

gboolean  tf_mail_header_check_text      (const char  *text,
                                          gssize       length,
                                          GError     **error);
gboolean  tf_mail_header_check_address   (const char  *address,
                                          gssize       length,
                                          GError     **error);
/* *name is NULL when the setting has no display name. */
gboolean  tf_mail_header_parse_mailbox   (const char  *mailbox,
                                          gssize       length,
                                          char       **name,
                                          char       **address,
                                          GError     **error);

/* @prefix_length: the length of "Name: " on the first line. The text must
 * have passed tf_mail_header_check_text () (checked again: NULL if not). */
char     *tf_mail_header_encode          (const char  *text,
                                          gsize        prefix_length);
/* @name may be NULL or empty. NULL if either part fails its check. */
char     *tf_mail_header_format_mailbox  (const char  *name,
                                          const char  *address,
                                          gsize        prefix_length);

/* "<hex(random)@domain>"; a domain that is not plain ASCII letters, digits,
 * '-' and '.' is replaced by "twofold.invalid". */
char     *tf_mail_header_message_id      (const guint8 *random,
                                          gsize         random_length,
                                          const char   *domain);
/* "Thu, 01 Jan 1970 00:00:00 +0000". */
char     *tf_mail_header_date            (gint64       unix_time);

G_END_DECLS
