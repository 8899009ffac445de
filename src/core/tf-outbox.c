/* tf-outbox.c — queueing, flushing, and the worker thread. */
#define G_LOG_DOMAIN "tf-outbox"

#include "config.h"

#include "tf-outbox.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "tf-mail-header.h"

/* Body format: a version byte, 16 random bytes for the Message-ID, then the
 * recipient's name, the text and the HTML, each as a 4-byte big-endian
 * length (NO_FIELD for none) and its bytes. */
#define BODY_VERSION 1
#define ID_RANDOM 16
#define NO_FIELD G_MAXUINT32
/* Without a wake-up, the worker still looks every minute: other processes
 * (twofold-admin) queue mail too. */
#define POLL_SECONDS 60

gint64
tf_outbox_retry_delay (guint failed_attempts)
{
  if (failed_attempts <= 1)
    return TF_OUTBOX_FIRST_RETRY;
  /* 60 × 2^6 already passes the cap; avoid shifting further. */
  if (failed_attempts > 7)
    return TF_OUTBOX_MAX_RETRY;
  return MIN ((gint64) TF_OUTBOX_FIRST_RETRY << (failed_attempts - 1), TF_OUTBOX_MAX_RETRY);
}

static gsize
field_size (const char *text,
            gsize       length)
{
  return 4 + (text != NULL ? length : 0);
}

static guint8 *
put_field (guint8     *out,
           const char *text,
           gsize       length)
{
  guint32 n = text != NULL ? (guint32) length : NO_FIELD;

  out[0] = n >> 24;
  out[1] = n >> 16;
  out[2] = n >> 8;
  out[3] = n;
  if (text != NULL)
    memcpy (out + 4, text, length);
  return out + 4 + (text != NULL ? length : 0);
}

static TfSecureBuffer *
pack (const TfMailMessage *message)
{
  const char *html = message->html != NULL ? tf_secure_buffer_get_string (message->html) : NULL;
  gsize name_length = message->to_name != NULL ? strlen (message->to_name) : 0;
  gsize text_length = tf_secure_buffer_get_length (message->text);
  gsize html_length = message->html != NULL ? tf_secure_buffer_get_length (message->html) : 0;
  TfSecureBuffer *body;
  guint8 *out;

  body = tf_secure_buffer_new (1 + ID_RANDOM + field_size (message->to_name, name_length) +
                               field_size ("", text_length) + field_size (html, html_length));
  out = tf_secure_buffer_get_data (body);
  *out++ = BODY_VERSION;
  randombytes_buf (out, ID_RANDOM);
  out += ID_RANDOM;
  out = put_field (out, message->to_name, name_length);
  out = put_field (out, tf_secure_buffer_get_string (message->text), text_length);
  put_field (out, html, html_length);

  return body;
}

/* Reads one field; *field stays NULL for none. FALSE when malformed. */
static gboolean
take_field (const guint8  **p,
            const guint8   *end,
            const guint8  **field,
            gsize          *length)
{
  guint32 n;

  *field = NULL;
  if (end - *p < 4)
    return FALSE;
  n = (guint32) (*p)[0] << 24 | (guint32) (*p)[1] << 16 | (guint32) (*p)[2] << 8 | (*p)[3];
  *p += 4;
  if (n == NO_FIELD)
    return TRUE;
  if ((gsize) (end - *p) < n)
    return FALSE;
  *field = *p;
  *length = n;
  *p += n;
  return TRUE;
}

static TfMailMessage *
unpack (TfSecureBuffer       *body,
        const TfOutboxEntry  *entry,
        const TfMailerConfig *config,
        GError              **error)
{
  g_autoptr(TfMailMessage) message = tf_mail_message_new ();
  const guint8 *p = tf_secure_buffer_get_data (body);
  const guint8 *end = p + tf_secure_buffer_get_length (body);
  const guint8 *random;
  const guint8 *name, *text, *html;
  gsize name_length = 0, text_length = 0, html_length = 0;

  if (end - p < 1 + ID_RANDOM || p[0] != BODY_VERSION)
    goto malformed;
  random = p + 1;
  p += 1 + ID_RANDOM;
  if (!take_field (&p, end, &name, &name_length) || !take_field (&p, end, &text, &text_length) ||
      !take_field (&p, end, &html, &html_length) || text == NULL || p != end)
    goto malformed;

  message->to_address = g_strdup (entry->recipient);
  message->subject = g_strdup (entry->subject);
  message->date = entry->created_at;
  message->to_name = name != NULL ? g_strndup ((const char *) name, name_length) : NULL;
  message->text = tf_secure_buffer_new_from_data (text, text_length);
  message->html = html != NULL ? tf_secure_buffer_new_from_data (html, html_length) : NULL;
  /* The same Message-ID on every attempt, so a resent copy is recognised. */
  message->message_id = tf_mail_header_message_id (random, ID_RANDOM,
                                                   strrchr (config->from_address, '@') + 1);
  return g_steal_pointer (&message);

malformed:
  g_set_error_literal (error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID,
                       _("The queued message is damaged."));
  return NULL;
}

gint64
tf_outbox_enqueue (TfStore                   *store,
                   const TfMailMessage       *message,
                   const TfStoreMailOptions  *options,
                   GError                   **error)
{
  g_autoptr(TfSecureBuffer) body = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 id;

  g_return_val_if_fail (TF_IS_STORE (store), 0);
  g_return_val_if_fail (message != NULL && message->text != NULL, 0);

  /* Refused here, nothing injected ever reaches the store or libcurl. */
  if (!tf_mail_header_check_address (message->to_address != NULL ? message->to_address : "",
                                     -1, &local_error) ||
      !tf_mail_header_check_text (message->subject != NULL ? message->subject : "", -1,
                                  &local_error) ||
      (message->to_name != NULL && !tf_mail_header_check_text (message->to_name, -1, &local_error)))
    {
      g_set_error_literal (error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID, local_error->message);
      return 0;
    }

  body = pack (message);
  id = tf_store_mail_enqueue (store, message->date, message->to_address, message->subject, body,
                              options, error);
  if (id > 0)
    g_debug ("Queued message %" G_GINT64_FORMAT, id);
  return id;
}

void
tf_outbox_flush_result_clear (TfOutboxFlushResult *result)
{
  g_clear_pointer (&result->last_error, g_free);
  memset (result, 0, sizeof *result);
}

static void
note_error (TfOutboxFlushResult *result,
            const char          *message)
{
  g_free (result->last_error);
  result->last_error = g_strdup (message);
}

/* Sends one claimed message and records what happened. */
static gboolean
deliver (TfStore              *store,
         const TfMailerConfig *config,
         TfOutboxEntry        *entry,
         TfSecureBuffer       *body,
         gint64                now,
         GCancellable         *cancellable,
         TfOutboxFlushResult  *result,
         GError              **error)
{
  g_autoptr(TfMailMessage) message = NULL;
  g_autoptr(GError) send_error = NULL;
  gint64 give_up_at = entry->created_at + TF_OUTBOX_GIVE_UP;
  gint64 next;

  message = unpack (body, entry, config, &send_error);
  if (message != NULL && tf_mailer_send (config, message, cancellable, NULL, &send_error))
    {
      g_debug ("Message %" G_GINT64_FORMAT " sent", entry->id);
      result->sent++;
      return tf_store_mail_finish (store, entry->id, TF_OUTBOX_SENT, now, NULL, error);
    }

  g_debug ("Message %" G_GINT64_FORMAT ", attempt %u: %s", entry->id, entry->attempts,
           send_error->message);
  note_error (result, send_error->message);

  if (g_error_matches (send_error, TF_MAILER_ERROR, TF_MAILER_ERROR_CANCELLED))
    {
      /* Not the message's fault: back in the queue, as soon as possible. */
      result->deferred++;
      return tf_store_mail_finish (store, entry->id, TF_OUTBOX_QUEUED, now, send_error->message,
                                   error);
    }

  if (g_error_matches (send_error, TF_MAILER_ERROR, TF_MAILER_ERROR_REJECTED) ||
      g_error_matches (send_error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID) ||
      now >= give_up_at)
    {
      result->failed++;
      return tf_store_mail_finish (store, entry->id, TF_OUTBOX_FAILED, now, send_error->message,
                                   error);
    }

  /* The last try comes exactly when the 24 hours are up. */
  next = MIN (now + tf_outbox_retry_delay (entry->attempts), give_up_at);
  result->deferred++;
  return tf_store_mail_finish (store, entry->id, TF_OUTBOX_QUEUED, next, send_error->message,
                               error);
}

gboolean
tf_outbox_flush (TfStore               *store,
                 const TfMailerConfig  *config,
                 gint64                 now,
                 gboolean               all,
                 GCancellable          *cancellable,
                 TfOutboxFlushResult   *result,
                 GError               **error)
{
  TfOutboxFlushResult local_result = { 0, };
  gint64 after_id = 0;

  g_return_val_if_fail (TF_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result == NULL)
    result = &local_result;

  tf_store_mail_purge (store, now - TF_OUTBOX_KEEP, NULL);

  if (!tf_mailer_config_is_configured (config) || config->from_address == NULL)
    {
      g_autoptr(GError) local_error = NULL;
      const char *message = _("mail is not configured");

      result->deferred = tf_store_mail_note_queued (store, message, now - TF_OUTBOX_GIVE_UP,
                                                    &local_error);
      note_error (result, message);
      tf_outbox_flush_result_clear (&local_result);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      return TRUE;
    }

  while (!g_cancellable_is_cancelled (cancellable))
    {
      g_autoptr(TfOutboxEntry) entry = NULL;
      g_autoptr(TfSecureBuffer) body = NULL;
      g_autoptr(GError) local_error = NULL;
      gint64 failed_id = 0;

      entry = tf_store_mail_claim (store, now, now + TF_OUTBOX_LEASE, after_id, all,
                                   &body, &failed_id, &local_error);
      if (entry == NULL && failed_id > 0)
        {
          /* A body that does not open was failed by the claim; go on. */
          g_debug ("Message %" G_GINT64_FORMAT " cannot be opened: %s", failed_id,
                   local_error->message);
          note_error (result, local_error->message);
          result->failed++;
          after_id = failed_id;
          continue;
        }
      if (entry == NULL && local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          tf_outbox_flush_result_clear (&local_result);
          return FALSE;
        }
      if (entry == NULL)
        break;

      after_id = entry->id;
      if (!deliver (store, config, entry, body, now, cancellable, result, error))
        {
          tf_outbox_flush_result_clear (&local_result);
          return FALSE;
        }
    }

  tf_outbox_flush_result_clear (&local_result);
  return TRUE;
}

/* The worker. */

struct _TfOutboxWorker
{
  GObject parent_instance;

  GMutex lock;
  GCond cond;
  gboolean stopping;     /* under lock */
  gboolean woken;        /* under lock */
  guint rounds;          /* under lock */

  /* Owned */
  TfStore *store;
  TfMailerConfig *config;      /* under lock */
  GThread *thread;
  GCancellable *cancellable;   /* cancelled by stop: aborts a transfer */

  TfOutboxClockFunc clock;
  gpointer clock_data;
};

G_DEFINE_FINAL_TYPE (TfOutboxWorker, tf_outbox_worker, G_TYPE_OBJECT)

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static gpointer
worker_thread (gpointer data)
{
  TfOutboxWorker *self = data;

  g_mutex_lock (&self->lock);
  while (!self->stopping)
    {
      g_autoptr(TfMailerConfig) config = NULL;
      g_autoptr(GError) error = NULL;
      TfOutboxFlushResult result = { 0, };
      gint64 now, next, wait;

      config = self->config != NULL ? tf_mailer_config_copy (self->config) : NULL;
      self->woken = FALSE;
      g_mutex_unlock (&self->lock);

      now = self->clock (self->clock_data);
      if (!tf_outbox_flush (self->store, config, now, FALSE, self->cancellable, &result, &error))
        g_debug ("Outbox: %s", error->message);
      tf_outbox_flush_result_clear (&result);

      next = tf_store_mail_next_due (self->store, NULL);
      if (error != NULL || !tf_mailer_config_is_configured (config) || next < 0)
        wait = POLL_SECONDS;
      else
        wait = CLAMP (next - self->clock (self->clock_data), 1, POLL_SECONDS);

      g_mutex_lock (&self->lock);
      self->rounds++;
      if (!self->stopping && !self->woken)
        g_cond_wait_until (&self->cond, &self->lock,
                           g_get_monotonic_time () + wait * G_TIME_SPAN_SECOND);
    }
  g_mutex_unlock (&self->lock);

  return NULL;
}

static void
tf_outbox_worker_dispose (GObject *object)
{
  tf_outbox_worker_stop (TF_OUTBOX_WORKER (object));

  G_OBJECT_CLASS (tf_outbox_worker_parent_class)->dispose (object);
}

static void
tf_outbox_worker_finalize (GObject *object)
{
  TfOutboxWorker *self = TF_OUTBOX_WORKER (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->config, tf_mailer_config_free);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (tf_outbox_worker_parent_class)->finalize (object);
}

static void
tf_outbox_worker_class_init (TfOutboxWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tf_outbox_worker_dispose;
  object_class->finalize = tf_outbox_worker_finalize;
}

static void
tf_outbox_worker_init (TfOutboxWorker *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->clock = real_clock;
}

TfOutboxWorker *
tf_outbox_worker_new (TfStore              *store,
                      const TfMailerConfig *config)
{
  TfOutboxWorker *self;

  g_return_val_if_fail (TF_IS_STORE (store), NULL);

  self = g_object_new (TF_TYPE_OUTBOX_WORKER, NULL);
  self->store = g_object_ref (store);
  self->config = config != NULL ? tf_mailer_config_copy (config) : NULL;

  return self;
}

void
tf_outbox_worker_set_config (TfOutboxWorker       *self,
                             const TfMailerConfig *config)
{
  g_return_if_fail (TF_IS_OUTBOX_WORKER (self));

  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->config, tf_mailer_config_free);
  self->config = config != NULL ? tf_mailer_config_copy (config) : NULL;
  self->woken = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
tf_outbox_worker_set_clock (TfOutboxWorker    *self,
                            TfOutboxClockFunc  clock,
                            gpointer           user_data)
{
  g_return_if_fail (TF_IS_OUTBOX_WORKER (self));
  g_return_if_fail (self->thread == NULL);

  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = user_data;
}

void
tf_outbox_worker_start (TfOutboxWorker *self)
{
  g_return_if_fail (TF_IS_OUTBOX_WORKER (self));

  if (self->thread != NULL)
    return;

  self->stopping = FALSE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->thread = g_thread_new ("tf-outbox", worker_thread, self);
}

void
tf_outbox_worker_stop (TfOutboxWorker *self)
{
  g_return_if_fail (TF_IS_OUTBOX_WORKER (self));

  if (self->thread == NULL)
    return;

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_cancellable_cancel (self->cancellable);

  g_thread_join (g_steal_pointer (&self->thread));
}

gboolean
tf_outbox_worker_is_running (TfOutboxWorker *self)
{
  g_return_val_if_fail (TF_IS_OUTBOX_WORKER (self), FALSE);

  return self->thread != NULL;
}

void
tf_outbox_worker_wake (TfOutboxWorker *self)
{
  g_return_if_fail (TF_IS_OUTBOX_WORKER (self));

  g_mutex_lock (&self->lock);
  self->woken = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

guint
tf_outbox_worker_get_rounds (TfOutboxWorker *self)
{
  guint rounds;

  g_return_val_if_fail (TF_IS_OUTBOX_WORKER (self), 0);

  g_mutex_lock (&self->lock);
  rounds = self->rounds;
  g_mutex_unlock (&self->lock);

  return rounds;
}
