/* tf-store-mail.c — e-mailed codes, the mail log and the outbox. */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include "tf-store-mail.h"
#include "tf-store-private.h"

#include <sodium.h>

#define BODY_COLUMN "outbox.body"
#define HOUR (60 * 60)
/* The log only serves the hourly limit; older rows go. */
#define LOG_KEEP (24 * HOUR)

void
tf_outbox_entry_free (TfOutboxEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->recipient);
  g_free (entry->subject);
  g_free (entry->last_error);
  g_free (entry);
}

const char *
tf_outbox_state_to_string (TfOutboxState state)
{
  switch (state)
    {
    case TF_OUTBOX_QUEUED:
      return "queued";
    case TF_OUTBOX_SENDING:
      return "sending";
    case TF_OUTBOX_SENT:
      return "sent";
    case TF_OUTBOX_FAILED:
      return "failed";
    default:
      g_return_val_if_reached ("queued");
    }
}

static TfOutboxState
state_from_string (const char *text)
{
  for (TfOutboxState state = TF_OUTBOX_QUEUED; state <= TF_OUTBOX_FAILED; state++)
    {
      if (g_strcmp0 (text, tf_outbox_state_to_string (state)) == 0)
        return state;
    }
  return TF_OUTBOX_QUEUED;
}

/* Columns: id, created_at, recipient, subject, attempts, next_attempt_at,
 * state, last_error. */
static TfOutboxEntry *
entry_from_row (TfStoreStmt *stmt)
{
  TfOutboxEntry *entry = g_new0 (TfOutboxEntry, 1);
  g_autofree char *state = tf_store_column_text (stmt, 6);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->created_at = sqlite3_column_int64 (stmt, 1);
  entry->recipient = tf_store_column_text (stmt, 2);
  entry->subject = tf_store_column_text (stmt, 3);
  entry->attempts = (guint) CLAMP (sqlite3_column_int64 (stmt, 4), 0, G_MAXUINT);
  entry->next_attempt_at = sqlite3_column_int64 (stmt, 5);
  entry->state = state_from_string (state);
  entry->last_error = tf_store_column_text (stmt, 7);

  return entry;
}

static gint64
count_recent_locked (TfStore     *self,
                     gint64       user_id,
                     const char  *kind,
                     gint64       now,
                     GError     **error)
{
  g_autoptr(TfStoreStmt) stmt =
    tf_store_prepare (self, "SELECT count(*) FROM mail_log"
                            " WHERE user_id = ? AND kind = ? AND sent_at > ?", error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, user_id);
  tf_store_bind_text (stmt, 2, kind);
  sqlite3_bind_int64 (stmt, 3, now - HOUR);
  if (tf_store_step (self, stmt, error) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

static gboolean
log_mail_locked (TfStore     *self,
                 gint64       user_id,
                 const char  *kind,
                 gint64       now,
                 GError     **error)
{
  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "DELETE FROM mail_log WHERE user_id = ? AND sent_at <= ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, user_id);
    sqlite3_bind_int64 (stmt, 2, now - LOG_KEEP);
    if (tf_store_step (self, stmt, error) != SQLITE_DONE)
      return FALSE;
  }
  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "INSERT INTO mail_log (user_id, kind, sent_at) VALUES (?, ?, ?)",
                        error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, user_id);
    tf_store_bind_text (stmt, 2, kind);
    sqlite3_bind_int64 (stmt, 3, now);
    return tf_store_step (self, stmt, error) == SQLITE_DONE;
  }
}

static gboolean
store_code_locked (TfStore       *self,
                   gint64         user_id,
                   const guint8  *hash,
                   gint64         expires_at,
                   gint64         now,
                   GError       **error)
{
  g_autoptr(TfStoreStmt) stmt =
    tf_store_prepare (self, "INSERT OR REPLACE INTO reset_codes"
                            " (user_id, hash, expires_at, attempts, created_at)"
                            " VALUES (?, ?, ?, 0, ?)", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_blob (stmt, 2, hash, TF_VAULT_HASH_LENGTH, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, expires_at);
  sqlite3_bind_int64 (stmt, 4, now);
  return tf_store_step (self, stmt, error) == SQLITE_DONE;
}

static gint64
insert_message_locked (TfStore         *self,
                       gint64           now,
                       const char      *recipient,
                       const char      *subject,
                       TfSecureBuffer  *body,
                       GError         **error)
{
  g_autoptr(GBytes) sealed = NULL;
  gint64 id;

  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "INSERT INTO outbox (created_at, recipient, subject, attempts,"
                              " next_attempt_at, state) VALUES (?, ?, ?, 0, ?, 'queued')", error);

    if (stmt == NULL)
      return 0;
    sqlite3_bind_int64 (stmt, 1, now);
    tf_store_bind_text (stmt, 2, recipient);
    tf_store_bind_text (stmt, 3, subject);
    sqlite3_bind_int64 (stmt, 4, now);
    if (tf_store_step (self, stmt, error) != SQLITE_DONE)
      return 0;
    id = sqlite3_last_insert_rowid (self->db);
  }

  /* Sealed for this row: the id is only known once the row exists. */
  sealed = tf_vault_seal (self->vault, id, BODY_COLUMN, tf_secure_buffer_get_data (body),
                          tf_secure_buffer_get_length (body));
  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "UPDATE outbox SET body = ? WHERE id = ?", error);

    if (stmt == NULL)
      return 0;
    tf_store_bind_bytes (stmt, 1, sealed);
    sqlite3_bind_int64 (stmt, 2, id);
    if (tf_store_step (self, stmt, error) != SQLITE_DONE)
      return 0;
  }

  return id;
}

gint64
tf_store_mail_enqueue (TfStore                   *self,
                       gint64                     now,
                       const char                *recipient,
                       const char                *subject,
                       TfSecureBuffer            *body,
                       const TfStoreMailOptions  *options,
                       GError                   **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  TfStoreMailOptions none = { 0, };
  gint64 id;

  g_return_val_if_fail (TF_IS_STORE (self), 0);
  g_return_val_if_fail (recipient != NULL && subject != NULL && body != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (options == NULL)
    options = &none;
  g_return_val_if_fail (options->user_id > 0 || options->code_hash == NULL, 0);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error) || !tf_store_begin (self, error))
    return 0;

  if (options->user_id > 0 && options->kind != NULL && options->max_per_hour > 0)
    {
      gint64 recent = count_recent_locked (self, options->user_id, options->kind, now, error);

      if (recent < 0)
        return tf_store_finish (self, FALSE, NULL);
      if (recent >= options->max_per_hour)
        {
          tf_store_rollback (self);
          return 0;
        }
    }

  if ((options->user_id > 0 && options->kind != NULL &&
       !log_mail_locked (self, options->user_id, options->kind, now, error)) ||
      (options->code_hash != NULL &&
       !store_code_locked (self, options->user_id, options->code_hash,
                           options->code_expires_at, now, error)))
    return tf_store_finish (self, FALSE, NULL);

  id = insert_message_locked (self, now, recipient, subject, body, error);
  if (!tf_store_finish (self, id > 0, error))
    return 0;

  return id;
}

static gboolean
delete_code_locked (TfStore  *self,
                    gint64    user_id,
                    GError  **error)
{
  g_autoptr(TfStoreStmt) stmt =
    tf_store_prepare (self, "DELETE FROM reset_codes WHERE user_id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  return tf_store_step (self, stmt, error) == SQLITE_DONE;
}

static gboolean
check_code_locked (TfStore          *self,
                   gint64            user_id,
                   const guint8     *hash,
                   gint64            now,
                   guint             max_attempts,
                   TfMailCodeCheck  *result,
                   GError          **error)
{
  g_autoptr(GBytes) stored = NULL;
  gint64 expires_at;
  gint64 attempts;
  gboolean match;

  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "SELECT hash, expires_at, attempts FROM reset_codes"
                              " WHERE user_id = ?", error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, user_id);
    rc = tf_store_step (self, stmt, error);
    if (rc == SQLITE_DONE)
      return TRUE;
    if (rc != SQLITE_ROW)
      return FALSE;
    stored = tf_store_column_bytes (stmt, 0);
    expires_at = sqlite3_column_int64 (stmt, 1);
    attempts = sqlite3_column_int64 (stmt, 2);
  }

  if (expires_at <= now || attempts >= max_attempts)
    return delete_code_locked (self, user_id, error);

  attempts++;
  match = stored != NULL && g_bytes_get_size (stored) == TF_VAULT_HASH_LENGTH &&
          sodium_memcmp (g_bytes_get_data (stored, NULL), hash, TF_VAULT_HASH_LENGTH) == 0;
  *result = match ? TF_MAIL_CODE_MATCH : TF_MAIL_CODE_WRONG;

  /* The last wrong attempt revokes the code. */
  if (!match && attempts >= max_attempts)
    return delete_code_locked (self, user_id, error);

  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "UPDATE reset_codes SET attempts = ? WHERE user_id = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, attempts);
    sqlite3_bind_int64 (stmt, 2, user_id);
    return tf_store_step (self, stmt, error) == SQLITE_DONE;
  }
}

gboolean
tf_store_mail_check_code (TfStore          *self,
                          gint64            user_id,
                          const guint8     *hash,
                          gint64            now,
                          guint             max_attempts,
                          TfMailCodeCheck  *result,
                          GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (hash != NULL && result != NULL, FALSE);
  g_return_val_if_fail (max_attempts > 0, FALSE);

  *result = TF_MAIL_CODE_NONE;
  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_begin (self, error))
    return FALSE;
  return tf_store_finish (self,
                          check_code_locked (self, user_id, hash, now, max_attempts, result, error),
                          error);
}

gboolean
tf_store_mail_consume_code (TfStore       *self,
                            gint64         user_id,
                            const guint8  *hash,
                            GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (hash != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  /* One statement: whoever deletes the row used the code. */
  stmt = tf_store_prepare (self, "DELETE FROM reset_codes WHERE user_id = ? AND hash = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  sqlite3_bind_blob (stmt, 2, hash, TF_VAULT_HASH_LENGTH, SQLITE_TRANSIENT);
  if (tf_store_step (self, stmt, error) != SQLITE_DONE)
    return FALSE;
  return sqlite3_changes (self->db) == 1;
}

gboolean
tf_store_mail_change_email (TfStore     *self,
                            gint64       user_id,
                            const char  *email,
                            GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) update = NULL;
  g_autoptr(TfStoreStmt) revoke = NULL;
  gboolean ok;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (email != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_begin (self, error))
    return FALSE;

  update = tf_store_prepare (self, "UPDATE users SET email = ?, email_verified_at = NULL "
                             "WHERE id = ?", error);
  ok = update != NULL;
  if (ok)
    {
      sqlite3_bind_text (update, 1, email, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (update, 2, user_id);
      ok = tf_store_step (self, update, error) == SQLITE_DONE;
      if (ok && sqlite3_changes (self->db) == 0)
        ok = tf_store_set_not_found (error);
    }

  /* A code mailed before the change, of either kind, no longer counts. */
  if (ok)
    {
      revoke = tf_store_prepare (self, "DELETE FROM reset_codes WHERE user_id = ?", error);
      ok = revoke != NULL;
      if (ok)
        {
          sqlite3_bind_int64 (revoke, 1, user_id);
          ok = tf_store_step (self, revoke, error) == SQLITE_DONE;
        }
    }

  return tf_store_finish (self, ok, error);
}

GArray *
tf_store_mail_find_users_by_email (TfStore     *self,
                                   const char  *email,
                                   GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (email != NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  /* SQLite's lower () folds ASCII only, which is what mail domains need. */
  stmt = tf_store_prepare (self, "SELECT id FROM users WHERE lower (email) = lower (?)"
                                 " ORDER BY id", error);
  if (stmt == NULL)
    return NULL;
  tf_store_bind_text (stmt, 1, email);
  while ((rc = tf_store_step (self, stmt, error)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }

  return rc == SQLITE_DONE ? g_steal_pointer (&ids) : NULL;
}

GPtrArray *
tf_store_mail_list_outbox (TfStore  *self,
                           GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_outbox_entry_free);
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "SELECT id, created_at, recipient, subject, attempts,"
                                 " next_attempt_at, state, last_error FROM outbox"
                                 " ORDER BY id DESC", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = tf_store_step (self, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));

  return rc == SQLITE_DONE ? g_steal_pointer (&entries) : NULL;
}

static gboolean
finish_locked (TfStore        *self,
               gint64          id,
               TfOutboxState   state,
               gint64          next_attempt_at,
               const char     *last_error,
               GError        **error)
{
  g_autoptr(TfStoreStmt) stmt = NULL;

  /* Nothing will send a sent or failed message again: drop its body. */
  if (state == TF_OUTBOX_SENT || state == TF_OUTBOX_FAILED)
    stmt = tf_store_prepare (self, "UPDATE outbox SET state = ?, next_attempt_at = ?,"
                                   " last_error = ?, body = NULL WHERE id = ?", error);
  else
    stmt = tf_store_prepare (self, "UPDATE outbox SET state = ?, next_attempt_at = ?,"
                                   " last_error = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  tf_store_bind_text (stmt, 1, tf_outbox_state_to_string (state));
  sqlite3_bind_int64 (stmt, 2, next_attempt_at);
  tf_store_bind_text (stmt, 3, last_error);
  sqlite3_bind_int64 (stmt, 4, id);
  if (tf_store_step (self, stmt, error) != SQLITE_DONE)
    return FALSE;
  if (sqlite3_changes (self->db) != 1)
    return tf_store_set_not_found (error);
  return TRUE;
}

TfOutboxEntry *
tf_store_mail_claim (TfStore          *self,
                     gint64            now,
                     gint64            lease_until,
                     gint64            after_id,
                     gboolean          all,
                     TfSecureBuffer  **body,
                     gint64           *failed_id,
                     GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfOutboxEntry) entry = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (body != NULL && failed_id != NULL, NULL);

  *body = NULL;
  *failed_id = 0;
  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error) || !tf_store_begin (self, error))
    return NULL;

  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "SELECT id, created_at, recipient, subject, attempts,"
                              " next_attempt_at, state, last_error, body FROM outbox"
                              " WHERE id > ?1 AND ((state = 'queued' AND (?2 OR next_attempt_at <= ?3))"
                              "  OR (state = 'sending' AND next_attempt_at <= ?3))"
                              " ORDER BY id LIMIT 1", error);
    int rc;

    if (stmt == NULL)
      {
        tf_store_rollback (self);
        return NULL;
      }
    sqlite3_bind_int64 (stmt, 1, after_id);
    sqlite3_bind_int (stmt, 2, all ? 1 : 0);
    sqlite3_bind_int64 (stmt, 3, now);
    rc = tf_store_step (self, stmt, error);
    if (rc != SQLITE_ROW)
      {
        tf_store_rollback (self);
        return NULL;
      }
    entry = entry_from_row (stmt);
    sealed = tf_store_column_bytes (stmt, 8);
  }

  if (sealed == NULL)
    sealed = g_bytes_new (NULL, 0);
  *body = tf_vault_open (self->vault, entry->id, BODY_COLUMN, sealed, &local_error);
  if (*body == NULL)
    {
      /* It will never open: fail it, so it does not come back. */
      *failed_id = entry->id;
      if (!tf_store_finish (self, finish_locked (self, entry->id, TF_OUTBOX_FAILED, now,
                                                 local_error->message, error), error))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  entry->attempts++;
  entry->state = TF_OUTBOX_SENDING;
  entry->next_attempt_at = lease_until;
  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "UPDATE outbox SET state = 'sending', attempts = ?,"
                              " next_attempt_at = ? WHERE id = ?", error);

    if (stmt == NULL)
      {
        g_clear_pointer (body, tf_secure_buffer_unref);
        tf_store_rollback (self);
        return NULL;
      }
    sqlite3_bind_int64 (stmt, 1, entry->attempts);
    sqlite3_bind_int64 (stmt, 2, lease_until);
    sqlite3_bind_int64 (stmt, 3, entry->id);
    if (!tf_store_finish (self, tf_store_step (self, stmt, error) == SQLITE_DONE, error))
      {
        g_clear_pointer (body, tf_secure_buffer_unref);
        return NULL;
      }
  }

  return g_steal_pointer (&entry);
}

gboolean
tf_store_mail_finish (TfStore        *self,
                      gint64          id,
                      TfOutboxState   state,
                      gint64          next_attempt_at,
                      const char     *last_error,
                      GError        **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (state != TF_OUTBOX_SENDING, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  return finish_locked (self, id, state, next_attempt_at, last_error, error);
}

guint
tf_store_mail_note_queued (TfStore     *self,
                           const char  *last_error,
                           gint64       give_up_before,
                           GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gint64 queued = -1;

  g_return_val_if_fail (TF_IS_STORE (self), 0);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_begin (self, error))
    return 0;

  {
    g_autoptr(TfStoreStmt) fail =
      tf_store_prepare (self, "UPDATE outbox SET state = 'failed', last_error = ?, body = NULL"
                              " WHERE state = 'queued' AND created_at < ?", error);
    g_autoptr(TfStoreStmt) note =
      tf_store_prepare (self, "UPDATE outbox SET last_error = ? WHERE state = 'queued'", error);
    g_autoptr(TfStoreStmt) count =
      tf_store_prepare (self, "SELECT count(*) FROM outbox WHERE state = 'queued'", error);

    if (fail != NULL && note != NULL && count != NULL)
      {
        tf_store_bind_text (fail, 1, last_error);
        sqlite3_bind_int64 (fail, 2, give_up_before);
        tf_store_bind_text (note, 1, last_error);
        if (tf_store_step (self, fail, error) == SQLITE_DONE &&
            tf_store_step (self, note, error) == SQLITE_DONE &&
            tf_store_step (self, count, error) == SQLITE_ROW)
          queued = sqlite3_column_int64 (count, 0);
      }
  }

  if (!tf_store_finish (self, queued >= 0, error))
    return 0;
  return (guint) queued;
}

gint64
tf_store_mail_next_due (TfStore  *self,
                        GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), -1);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "SELECT min (next_attempt_at) FROM outbox"
                                 " WHERE state IN ('queued', 'sending')", error);
  if (stmt == NULL || tf_store_step (self, stmt, error) != SQLITE_ROW ||
      sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

guint
tf_store_mail_purge (TfStore  *self,
                     gint64    before,
                     GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), 0);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "DELETE FROM outbox WHERE state IN ('sent', 'failed')"
                                 " AND created_at < ?", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, before);
  if (tf_store_step (self, stmt, error) != SQLITE_DONE)
    return 0;
  return (guint) sqlite3_changes (self->db);
}
