/* tf-store-throttle.c — persisted failure counters, read-modify-written
 * under one write lock. */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include "tf-store.h"
#include "tf-store-private.h"

static gboolean
read_throttle (TfStore          *self,
               const char       *key,
               TfThrottleState  *state,
               GError          **error)
{
  g_autoptr(TfStoreStmt) stmt =
    tf_store_prepare (self, "SELECT failures, next_allowed_at, window_start, window_attempts"
                            " FROM throttle WHERE key = ?", error);
  int rc;

  *state = (TfThrottleState) { 0, };
  if (stmt == NULL)
    return FALSE;
  tf_store_bind_text (stmt, 1, key);
  rc = tf_store_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    {
      state->failures = (guint) CLAMP (sqlite3_column_int64 (stmt, 0), 0, G_MAXUINT);
      state->next_allowed_at = sqlite3_column_int64 (stmt, 1);
      state->window_start = sqlite3_column_int64 (stmt, 2);
      state->window_attempts = (guint) CLAMP (sqlite3_column_int64 (stmt, 3), 0, G_MAXUINT);
    }
  return rc != SQLITE_ERROR;
}

static gboolean
write_throttle (TfStore                *self,
                const char             *key,
                const TfThrottleState  *state,
                GError                **error)
{
  g_autoptr(TfStoreStmt) stmt =
    tf_store_prepare (self, "INSERT OR REPLACE INTO throttle"
                            " (key, failures, next_allowed_at, window_start, window_attempts)"
                            " VALUES (?, ?, ?, ?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  tf_store_bind_text (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, state->failures);
  sqlite3_bind_int64 (stmt, 3, state->next_allowed_at);
  sqlite3_bind_int64 (stmt, 4, state->window_start);
  sqlite3_bind_int64 (stmt, 5, state->window_attempts);
  return tf_store_step (self, stmt, error) == SQLITE_DONE;
}

GHashTable *
tf_store_list_throttles (TfStore     *self,
                         const char  *prefix,
                         GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  g_autoptr(GHashTable) states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (prefix != NULL, NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "SELECT key, failures, next_allowed_at, window_start,"
                                 " window_attempts FROM throttle"
                                 " WHERE substr (key, 1, length (?1)) = ?1", error);
  if (stmt == NULL)
    return NULL;
  tf_store_bind_text (stmt, 1, prefix);
  while ((rc = tf_store_step (self, stmt, error)) == SQLITE_ROW)
    {
      TfThrottleState *state = g_new0 (TfThrottleState, 1);

      state->failures = (guint) CLAMP (sqlite3_column_int64 (stmt, 1), 0, G_MAXUINT);
      state->next_allowed_at = sqlite3_column_int64 (stmt, 2);
      state->window_start = sqlite3_column_int64 (stmt, 3);
      state->window_attempts = (guint) CLAMP (sqlite3_column_int64 (stmt, 4), 0, G_MAXUINT);
      g_hash_table_insert (states, tf_store_column_text (stmt, 0), state);
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&states);
}

gboolean
tf_store_get_throttle (TfStore          *self,
                       const char       *key,
                       TfThrottleState  *state,
                       GError          **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  return read_throttle (self, key, state, error);
}

gboolean
tf_store_update_throttle (TfStore               *self,
                          const char            *key,
                          TfThrottleUpdateFunc   update,
                          gpointer               user_data,
                          GError               **error)
{
  return tf_store_update_throttles (self, &key, 1, update, &user_data, error);
}

gboolean
tf_store_update_throttles (TfStore               *self,
                           const char * const    *keys,
                           guint                  n_keys,
                           TfThrottleUpdateFunc   update,
                           gpointer              *user_data,
                           GError               **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (keys != NULL && user_data != NULL, FALSE);
  g_return_val_if_fail (update != NULL, FALSE);
  for (guint i = 0; i < n_keys; i++)
    g_return_val_if_fail (keys[i] != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_begin (self, error))
    return FALSE;
  /* One transaction for all the keys: one write to the disk, not one a key. */
  for (guint i = 0; ok && i < n_keys; i++)
    {
      TfThrottleState state;

      ok = read_throttle (self, keys[i], &state, error);
      if (ok && update (&state, user_data[i]))
        ok = write_throttle (self, keys[i], &state, error);
    }
  return tf_store_finish (self, ok, ok ? error : NULL);
}

gboolean
tf_store_clear_throttle (TfStore     *self,
                         const char  *key,
                         GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "DELETE FROM throttle WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  tf_store_bind_text (stmt, 1, key);
  return tf_store_step (self, stmt, error) == SQLITE_DONE;
}
