/* tf-store-mail.h
 *
 * Contract: the account store's mail operations — e-mailed codes, the
 * per-account mail log, and the outbox — each atomic (BEGIN IMMEDIATE for
 * every read-check-write), in the store's operation style so another backend
 * can offer the same meaning.
 *
 * E-mailed codes (table reset_codes): one active code per account, a
 * password-reset code or an e-mail verification code. The caller hashes the
 * code with the vault's keyed hash for its purpose (TF_VAULT_PURPOSE_RESET_CODE
 * or _VERIFY_CODE), so one kind never passes as the other; issuing either
 * revokes whatever code the account had. Checking counts an attempt and
 * compares in constant time; a code past its expiry or its last attempt is
 * deleted. Using a code (tf_store_mail_consume_code) deletes it only if it is
 * still the same one, so it works once even with two processes racing.
 *
 * Outbox: a message is committed with its body sealed (row id + column
 * "outbox.body" as associated data) before anything tries to send it; the
 * enqueue can also, in the same transaction, apply a per-account hourly
 * limit (mail_log), log the mail and replace the account's code, so a code is
 * stored exactly when its mail is queued. Senders claim one message at a
 * time: the claim counts the attempt and leases the row (state "sending"
 * until the lease time), so two processes never send one message together
 * and a sender that died is replaced once its lease ends. A sent message's
 * body is deleted.
 *
 * Times are Unix seconds from the caller's clock.
 */
#pragma once

#include "tf-store.h"

G_BEGIN_DECLS

typedef enum {
  TF_OUTBOX_QUEUED,
  TF_OUTBOX_SENDING,
  TF_OUTBOX_SENT,
  TF_OUTBOX_FAILED,
} TfOutboxState;

typedef struct {
  gint64         id;
  gint64         created_at;
  char          *recipient;
  char          *subject;
  guint          attempts;
  gint64         next_attempt_at;
  TfOutboxState  state;
  char          *last_error;     /* NULL = none */
} TfOutboxEntry;

typedef enum {
  TF_MAIL_CODE_MATCH,
  TF_MAIL_CODE_WRONG,            /* attempt counted */
  TF_MAIL_CODE_NONE,             /* no code, or it expired or ran out of attempts */
} TfMailCodeCheck;

/* What an enqueue does besides queueing the message. */
typedef struct {
  gint64        user_id;         /* 0 = not about an account: no log, no limit */
  const char   *kind;            /* mail_log kind, e.g. "reset", "verify", "notice" */
  guint         max_per_hour;    /* 0 = no limit, else at most this many of kind per hour */
  const guint8 *code_hash;       /* TF_VAULT_HASH_LENGTH bytes to store as the code, or NULL */
  gint64        code_expires_at;
} TfStoreMailOptions;

void           tf_outbox_entry_free           (TfOutboxEntry *entry);
const char    *tf_outbox_state_to_string      (TfOutboxState  state);

/* Returns the message id (> 0); 0 without an error when the hourly limit
 * held it back (nothing was written); 0 with an error on failure. */
gint64         tf_store_mail_enqueue          (TfStore                  *self,
                                               gint64                    now,
                                               const char               *recipient,
                                               const char               *subject,
                                               TfSecureBuffer           *body,
                                               const TfStoreMailOptions *options,
                                               GError                  **error);
gboolean       tf_store_mail_check_code       (TfStore          *self,
                                               gint64            user_id,
                                               const guint8     *hash,
                                               gint64            now,
                                               guint             max_attempts,
                                               TfMailCodeCheck  *result,
                                               GError          **error);
/* FALSE without an error when the code is no longer there. */
gboolean       tf_store_mail_consume_code     (TfStore       *self,
                                               gint64         user_id,
                                               const guint8  *hash,
                                               GError       **error);
/* Gives the account the (already validated) address @email, not verified,
 * and revokes its e-mailed code, reset or verification, in one transaction.
 * TF_STORE_ERROR_NOT_FOUND when there is no such account. */
gboolean       tf_store_mail_change_email     (TfStore       *self,
                                               gint64         user_id,
                                               const char    *email,
                                               GError       **error);
/* Ids (gint64) of the accounts whose e-mail is @email, ignoring ASCII case. */
GArray        *tf_store_mail_find_users_by_email (TfStore    *self,
                                               const char    *email,
                                               GError       **error);

/* Every message, newest first. */
GPtrArray     *tf_store_mail_list_outbox      (TfStore       *self,
                                               GError       **error);
/* Claims the first message (in id order, after @after_id) that is queued
 * and due at @now — or queued at all when @all — or whose lease ended:
 * counts the attempt, leases it until @lease_until and opens its body into
 * @body. NULL without an error when there is none. A body that does not
 * open is TF_VAULT_ERROR_UNREADABLE, with *failed_id set so the caller can
 * mark that message failed. */
TfOutboxEntry *tf_store_mail_claim            (TfStore          *self,
                                               gint64            now,
                                               gint64            lease_until,
                                               gint64            after_id,
                                               gboolean          all,
                                               TfSecureBuffer  **body,
                                               gint64           *failed_id,
                                               GError          **error);
/* Ends a claim: SENT (the body is deleted), QUEUED again for
 * @next_attempt_at, or FAILED. @last_error NULL clears it. */
gboolean       tf_store_mail_finish           (TfStore        *self,
                                               gint64          id,
                                               TfOutboxState   state,
                                               gint64          next_attempt_at,
                                               const char     *last_error,
                                               GError        **error);
/* Notes @last_error on every queued message without counting an attempt,
 * and marks FAILED those created before @give_up_before. Returns how many
 * are still queued. */
guint          tf_store_mail_note_queued      (TfStore       *self,
                                               const char    *last_error,
                                               gint64         give_up_before,
                                               GError       **error);
/* The earliest next_attempt_at among queued (or leased) messages, or -1
 * when there is none. */
gint64         tf_store_mail_next_due         (TfStore       *self,
                                               GError       **error);
/* Deletes sent and failed messages created before @before; returns how many. */
guint          tf_store_mail_purge            (TfStore       *self,
                                               gint64         before,
                                               GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfOutboxEntry, tf_outbox_entry_free)

G_END_DECLS
