/* tf-outbox.h
 *
 * Contract: mail is never sent straight from a flow. tf_outbox_enqueue ()
 * commits the message to the store's outbox first (the body sealed, see
 * tf-store-mail.h) and returns its id; then a sender delivers it:
 * - TfOutboxWorker, a thread the GUI runs while it is open: it wakes when a
 *   message is queued in this process (tf_outbox_worker_wake, which TfAuth
 *   calls), at the next due time, and at least every minute for messages
 *   queued by other processes (twofold-admin);
 * - tf_outbox_flush (), blocking, for `twofold-admin outbox --retry`.
 * A failed attempt is retried 1 minute later, then 2, 4 … up to 1 hour
 * between attempts; 24 hours after a message was queued it is given up
 * (state failed, with the last error). A permanent refusal (an SMTP 5xx
 * reply such as "550 5.1.1 no such user", or an address refused before
 * sending) fails the message at once with that reply. While mail is not
 * configured, messages stay queued with the last error "mail is not
 * configured" and no attempt is counted.
 *
 * Stopping the worker cancels a transfer in progress (libcurl checks within
 * about a second) and joins the thread; the message goes back to the queue.
 * Nothing here logs a message body, a code or a password.
 */
#pragma once

#include <gio/gio.h>

#include "tf-mailer.h"
#include "tf-store-mail.h"

G_BEGIN_DECLS

#define TF_OUTBOX_FIRST_RETRY 60
#define TF_OUTBOX_MAX_RETRY (60 * 60)
#define TF_OUTBOX_GIVE_UP (24 * 60 * 60)
/* How long a claimed message is reserved for its sender: well past any
 * transfer's total timeout. */
#define TF_OUTBOX_LEASE (10 * 60)
/* Sent and failed messages are listed for this long. */
#define TF_OUTBOX_KEEP (7 * 24 * 60 * 60)

typedef gint64 (*TfOutboxClockFunc) (gpointer user_data);

typedef struct {
  guint  sent;
  guint  failed;        /* given up during this flush */
  guint  deferred;      /* tried (or not configured) and still queued */
  char  *last_error;    /* the last failure's message, or NULL */
} TfOutboxFlushResult;

/* The wait after @failed_attempts failures: 60 s doubling, at most 1 hour. */
gint64          tf_outbox_retry_delay       (guint                     failed_attempts);

/* The message's recipient and subject are checked (TF_MAILER_ERROR_INVALID)
 * before anything is written; @message->date is the time queued. Returns
 * the id, 0 without an error when @options' hourly limit held it back, or
 * 0 with an error. */
gint64          tf_outbox_enqueue           (TfStore                  *store,
                                             const TfMailMessage      *message,
                                             const TfStoreMailOptions *options,
                                             GError                  **error);

/* Sends the messages due at @now (every queued one when @all). FALSE only
 * when the store fails; delivery failures are counted in @result. */
gboolean        tf_outbox_flush             (TfStore                  *store,
                                             const TfMailerConfig     *config,
                                             gint64                    now,
                                             gboolean                  all,
                                             GCancellable             *cancellable,
                                             TfOutboxFlushResult      *result,
                                             GError                  **error);
void            tf_outbox_flush_result_clear (TfOutboxFlushResult     *result);

#define TF_TYPE_OUTBOX_WORKER (tf_outbox_worker_get_type ())
G_DECLARE_FINAL_TYPE (TfOutboxWorker, tf_outbox_worker, TF, OUTBOX_WORKER, GObject)

/* @config may be NULL (not configured); it is copied. */
TfOutboxWorker *tf_outbox_worker_new        (TfStore                  *store,
                                             const TfMailerConfig     *config);
void            tf_outbox_worker_set_config (TfOutboxWorker           *self,
                                             const TfMailerConfig     *config);
void            tf_outbox_worker_set_clock  (TfOutboxWorker           *self,
                                             TfOutboxClockFunc         clock,
                                             gpointer                  user_data);
void            tf_outbox_worker_start      (TfOutboxWorker           *self);
/* Returns once the thread has ended. */
void            tf_outbox_worker_stop       (TfOutboxWorker           *self);
gboolean        tf_outbox_worker_is_running (TfOutboxWorker           *self);
/* Thread-safe: look at the outbox now. */
void            tf_outbox_worker_wake       (TfOutboxWorker           *self);
/* How many times the worker has gone through the outbox; tests wait on it. */
guint           tf_outbox_worker_get_rounds (TfOutboxWorker           *self);

G_END_DECLS
