/* tf-store-users.c — users, their TOTP secrets and recovery codes. */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include "tf-store.h"
#include "tf-store-private.h"

#include <string.h>

/* Associated data of the sealed columns: part of the file format. */
#define COLUMN_PASSWORD_HASH      "password_hash"
#define COLUMN_TOTP_SECRET        "totp_secret"
#define COLUMN_TOTP_PENDING       "totp_pending_secret"

#define USER_COLUMNS \
  "id, username, first_name, last_name, email, email_verified_at, state, " \
  "created_at, last_login_at, failed_since_login"

void
tf_user_free (TfUser *user)
{
  if (user == NULL)
    return;
  g_free (user->username);
  g_free (user->first_name);
  g_free (user->last_name);
  g_free (user->email);
  g_free (user);
}

void
tf_totp_record_free (TfTotpRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->secret, tf_secure_buffer_unref);
  g_clear_pointer (&record->pending_secret, tf_secure_buffer_unref);
  g_free (record->algorithm);
  g_free (record);
}

const char *
tf_user_state_to_string (TfUserState state)
{
  switch (state)
    {
    case TF_USER_STATE_PENDING:
      return "pending";
    case TF_USER_STATE_ACTIVE:
      return "active";
    case TF_USER_STATE_DISABLED:
      return "disabled";
    default:
      g_return_val_if_reached (NULL);
    }
}

static TfUserState
state_from_string (const char *text)
{
  if (g_strcmp0 (text, "pending") == 0)
    return TF_USER_STATE_PENDING;
  if (g_strcmp0 (text, "active") == 0)
    return TF_USER_STATE_ACTIVE;
  /* Fails closed: anything unknown cannot log in. */
  return TF_USER_STATE_DISABLED;
}

/* NFKC + casefold, the form stored and looked up; NULL for invalid UTF-8.
 * Idempotent, so callers that already normalised lose nothing. */
static char *
normalize_username (const char *username)
{
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;

  if (!g_utf8_validate (username, -1, NULL))
    return NULL;
  nfkc = g_utf8_normalize (username, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL)
    return NULL;
  folded = g_utf8_casefold (nfkc, -1);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
}

static TfUser *
user_from_row (TfStoreStmt *stmt)
{
  TfUser *user = g_new0 (TfUser, 1);

  user->id = sqlite3_column_int64 (stmt, 0);
  user->username = tf_store_column_text (stmt, 1);
  user->first_name = tf_store_column_text (stmt, 2);
  user->last_name = tf_store_column_text (stmt, 3);
  user->email = tf_store_column_text (stmt, 4);
  user->email_verified_at = sqlite3_column_int64 (stmt, 5);
  user->state = state_from_string ((const char *) sqlite3_column_text (stmt, 6));
  user->created_at = sqlite3_column_int64 (stmt, 7);
  user->last_login_at = sqlite3_column_int64 (stmt, 8);
  user->failed_since_login = (guint) CLAMP (sqlite3_column_int64 (stmt, 9), 0, G_MAXUINT);
  return user;
}

/* Runs a prepared single-user query bound with @id or @username. */
static TfUser *
query_user (TfStore      *self,
            TfStoreStmt  *stmt,
            GError      **error)
{
  int rc = tf_store_step (self, stmt, error);

  if (rc == SQLITE_ROW)
    return user_from_row (stmt);
  return NULL;
}

/* Runs a one-row write; NOT_FOUND when it changed nothing. */
static gboolean
step_changed_one (TfStore      *self,
                  TfStoreStmt  *stmt,
                  GError      **error)
{
  if (tf_store_step (self, stmt, error) != SQLITE_DONE)
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return tf_store_set_not_found (error);
  return TRUE;
}

static gboolean
user_exists (TfStore  *self,
             gint64    user_id,
             GError  **error)
{
  g_autoptr(TfStoreStmt) stmt = tf_store_prepare (self, "SELECT 1 FROM users WHERE id = ?", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  rc = tf_store_step (self, stmt, error);
  if (rc == SQLITE_DONE)
    return tf_store_set_not_found (error);
  return rc == SQLITE_ROW;
}

static gboolean
write_sealed (TfStore              *self,
              const char           *sql,
              gint64                user_id,
              const char           *column,
              const guint8         *plain,
              gsize                 length,
              GError              **error)
{
  g_autoptr(TfStoreStmt) stmt = tf_store_prepare (self, sql, error);
  g_autoptr(GBytes) sealed = NULL;

  if (stmt == NULL)
    return FALSE;
  if (plain != NULL)
    sealed = tf_vault_seal (self->vault, user_id, column, plain, length);
  tf_store_bind_bytes (stmt, 1, sealed);
  sqlite3_bind_int64 (stmt, 2, user_id);
  return step_changed_one (self, stmt, error);
}

/* Opens a sealed column value; SQL NULL opens as nothing and fails too. */
static TfSecureBuffer *
open_sealed (TfStore      *self,
             TfStoreStmt  *stmt,
             int           index,
             gint64        user_id,
             const char   *column,
             GError      **error)
{
  g_autoptr(GBytes) sealed = tf_store_column_bytes (stmt, index);

  if (sealed == NULL)
    sealed = g_bytes_new (NULL, 0);
  return tf_vault_open (self->vault, user_id, column, sealed, error);
}

static gint64
create_user_locked (TfStore              *self,
                    const char           *username,
                    const char           *first_name,
                    const char           *last_name,
                    const char           *email,
                    const char           *password_hash,
                    const TfSecureBuffer *totp_secret,
                    gint64                now,
                    GError              **error)
{
  gint64 id;

  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self,
                        "INSERT INTO users (username, first_name, last_name, email, state, created_at)"
                        " VALUES (?, ?, ?, ?, 'pending', ?)", error);

    if (stmt == NULL)
      return 0;
    tf_store_bind_text (stmt, 1, username);
    tf_store_bind_text (stmt, 2, first_name);
    tf_store_bind_text (stmt, 3, last_name);
    tf_store_bind_text (stmt, 4, email);
    sqlite3_bind_int64 (stmt, 5, now);
    if (tf_store_step (self, stmt, error) != SQLITE_DONE)
      return 0;
    id = sqlite3_last_insert_rowid (self->db);
  }

  /* The id is part of the sealing, so the secrets follow the INSERT. */
  if (!write_sealed (self, "UPDATE users SET password_hash = ? WHERE id = ?", id,
                     COLUMN_PASSWORD_HASH, (const guint8 *) password_hash,
                     strlen (password_hash), error))
    return 0;

  if (totp_secret != NULL)
    {
      g_autoptr(TfStoreStmt) stmt =
        tf_store_prepare (self, "INSERT INTO totp (user_id) VALUES (?)", error);

      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, id);
      if (tf_store_step (self, stmt, error) != SQLITE_DONE)
        return 0;
      if (!write_sealed (self, "UPDATE totp SET secret = ? WHERE user_id = ?", id,
                         COLUMN_TOTP_SECRET,
                         tf_secure_buffer_get_data ((TfSecureBuffer *) totp_secret),
                         tf_secure_buffer_get_length (totp_secret), error))
        return 0;
    }

  return id;
}

gint64
tf_store_create_user (TfStore              *self,
                      const char           *username,
                      const char           *first_name,
                      const char           *last_name,
                      const char           *email,
                      const char           *password_hash,
                      const TfSecureBuffer *totp_secret,
                      gint64                now,
                      GError              **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autofree char *normalised = NULL;
  gint64 id;

  g_return_val_if_fail (TF_IS_STORE (self), 0);
  g_return_val_if_fail (username != NULL, 0);
  g_return_val_if_fail (password_hash != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  normalised = normalize_username (username);
  g_return_val_if_fail (normalised != NULL && *normalised != '\0', 0);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error) || !tf_store_begin (self, error))
    return 0;
  id = create_user_locked (self, normalised, first_name, last_name, email, password_hash,
                           totp_secret, now, error);
  if (!tf_store_finish (self, id > 0, error))
    return 0;
  return id;
}

TfUser *
tf_store_find_user (TfStore     *self,
                    const char  *username,
                    GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  g_autofree char *normalised = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (username != NULL, NULL);

  /* A name that cannot be normalised cannot have been stored either. */
  normalised = normalize_username (username);
  if (normalised == NULL)
    return NULL;

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "SELECT " USER_COLUMNS " FROM users WHERE username = ?", error);
  if (stmt == NULL)
    return NULL;
  tf_store_bind_text (stmt, 1, normalised);
  return query_user (self, stmt, error);
}

TfUser *
tf_store_get_user (TfStore  *self,
                   gint64    user_id,
                   GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  GError *local_error = NULL;
  TfUser *user;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "SELECT " USER_COLUMNS " FROM users WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  user = query_user (self, stmt, &local_error);
  if (user == NULL && local_error == NULL)
    tf_store_set_not_found (&local_error);
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return user;
}

static int
compare_usernames (gconstpointer a,
                   gconstpointer b)
{
  const TfUser *user_a = *(const TfUser * const *) a;
  const TfUser *user_b = *(const TfUser * const *) b;

  return strcmp (user_a->username, user_b->username);
}

GPtrArray *
tf_store_list_users (TfStore  *self,
                     GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) users = NULL;
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  /* The table in its own order, sorted here: walking the username index
   * would fetch every row from wherever it lies in the file (a random read
   * per account), and strcmp () sorts as SQLite's BINARY collation does. */
  stmt = tf_store_prepare (self, "SELECT " USER_COLUMNS " FROM users", error);
  if (stmt == NULL)
    return NULL;
  users = g_ptr_array_new_with_free_func ((GDestroyNotify) tf_user_free);
  while ((rc = tf_store_step (self, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (users, user_from_row (stmt));
  if (rc != SQLITE_DONE)
    return NULL;
  g_ptr_array_sort (users, compare_usernames);
  return g_steal_pointer (&users);
}

guint
tf_store_count_users (TfStore  *self,
                      GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), 0);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "SELECT count(*) FROM users", error);
  if (stmt == NULL || tf_store_step (self, stmt, error) != SQLITE_ROW)
    return 0;
  return (guint) sqlite3_column_int64 (stmt, 0);
}

TfSecureBuffer *
tf_store_get_password_hash (TfStore  *self,
                            gint64    user_id,
                            GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error))
    return NULL;
  stmt = tf_store_prepare (self, "SELECT password_hash FROM users WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  rc = tf_store_step (self, stmt, error);
  if (rc == SQLITE_DONE)
    tf_store_set_not_found (error);
  if (rc != SQLITE_ROW)
    return NULL;
  return open_sealed (self, stmt, 0, user_id, COLUMN_PASSWORD_HASH, error);
}

gboolean
tf_store_set_password_hash (TfStore     *self,
                            gint64       user_id,
                            const char  *password_hash,
                            GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (password_hash != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error))
    return FALSE;
  return write_sealed (self, "UPDATE users SET password_hash = ? WHERE id = ?", user_id,
                       COLUMN_PASSWORD_HASH, (const guint8 *) password_hash,
                       strlen (password_hash), error);
}

gboolean
tf_store_set_user_state (TfStore      *self,
                         gint64        user_id,
                         TfUserState   state,
                         GError      **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  const char *text = tf_user_state_to_string (state);

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "UPDATE users SET state = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  tf_store_bind_text (stmt, 1, text);
  sqlite3_bind_int64 (stmt, 2, user_id);
  return step_changed_one (self, stmt, error);
}

gboolean
tf_store_set_email_verified (TfStore  *self,
                             gint64    user_id,
                             gint64    verified_at,
                             GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "UPDATE users SET email_verified_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  if (verified_at != 0)
    sqlite3_bind_int64 (stmt, 1, verified_at);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, user_id);
  return step_changed_one (self, stmt, error);
}

gboolean
tf_store_delete_user (TfStore  *self,
                      gint64    user_id,
                      GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  /* Foreign keys cascade to totp, recovery_codes, reset_codes and
   * mail_log; secure_delete overwrites the freed bytes. */
  stmt = tf_store_prepare (self, "DELETE FROM users WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  return step_changed_one (self, stmt, error);
}

static gboolean
record_login_locked (TfStore  *self,
                     gint64    user_id,
                     gint64    now,
                     gint64   *previous_login_at,
                     guint    *failed_since,
                     GError  **error)
{
  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "SELECT last_login_at, failed_since_login FROM users WHERE id = ?", error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, user_id);
    rc = tf_store_step (self, stmt, error);
    if (rc == SQLITE_DONE)
      return tf_store_set_not_found (error);
    if (rc != SQLITE_ROW)
      return FALSE;
    if (previous_login_at != NULL)
      *previous_login_at = sqlite3_column_int64 (stmt, 0);
    if (failed_since != NULL)
      *failed_since = (guint) CLAMP (sqlite3_column_int64 (stmt, 1), 0, G_MAXUINT);
  }
  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "UPDATE users SET last_login_at = ?, failed_since_login = 0 WHERE id = ?",
                        error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, now);
    sqlite3_bind_int64 (stmt, 2, user_id);
    return step_changed_one (self, stmt, error);
  }
}

gboolean
tf_store_record_login (TfStore  *self,
                       gint64    user_id,
                       gint64    now,
                       gint64   *previous_login_at,
                       guint    *failed_since,
                       GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_begin (self, error))
    return FALSE;
  return tf_store_finish (self, record_login_locked (self, user_id, now, previous_login_at,
                                                     failed_since, error), error);
}

gboolean
tf_store_record_user_failure (TfStore  *self,
                              gint64    user_id,
                              GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  /* One statement: the increment is atomic without an explicit transaction. */
  stmt = tf_store_prepare (self, "UPDATE users SET failed_since_login = failed_since_login + 1"
                                 " WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, user_id);
  return step_changed_one (self, stmt, error);
}

guint
tf_store_expire_pending (TfStore  *self,
                         gint64    cutoff,
                         GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), 0);

  locker = g_rec_mutex_locker_new (&self->lock);
  /* Only accounts that never finished a login: one that an administrator
   * put back to pending (reset-2fa) is not an abandoned registration. */
  stmt = tf_store_prepare (self, "DELETE FROM users WHERE state = 'pending' AND created_at < ?"
                                 " AND last_login_at IS NULL", error);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_int64 (stmt, 1, cutoff);
  if (tf_store_step (self, stmt, error) != SQLITE_DONE)
    return 0;
  return (guint) sqlite3_changes (self->db);
}

/* TOTP. */

TfTotpRecord *
tf_store_get_totp (TfStore  *self,
                   gint64    user_id,
                   GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  g_autoptr(TfTotpRecord) record = NULL;
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error))
    return NULL;
  stmt = tf_store_prepare (self,
                           "SELECT secret, pending_secret, algorithm, digits, period, last_step,"
                           " drift_steps, confirmed_at FROM totp WHERE user_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, user_id);
  rc = tf_store_step (self, stmt, error);
  if (rc == SQLITE_DONE)
    tf_store_set_not_found (error);
  if (rc != SQLITE_ROW)
    return NULL;

  record = g_new0 (TfTotpRecord, 1);
  record->secret = open_sealed (self, stmt, 0, user_id, COLUMN_TOTP_SECRET, error);
  if (record->secret == NULL)
    return NULL;
  if (sqlite3_column_type (stmt, 1) != SQLITE_NULL)
    {
      record->pending_secret = open_sealed (self, stmt, 1, user_id, COLUMN_TOTP_PENDING, error);
      if (record->pending_secret == NULL)
        return NULL;
    }
  record->algorithm = tf_store_column_text (stmt, 2);
  record->digits = (guint) sqlite3_column_int (stmt, 3);
  record->period = (guint) sqlite3_column_int (stmt, 4);
  record->last_step = sqlite3_column_type (stmt, 5) == SQLITE_NULL
    ? -1 : sqlite3_column_int64 (stmt, 5);
  record->drift_steps = sqlite3_column_int (stmt, 6);
  record->confirmed_at = sqlite3_column_int64 (stmt, 7);
  return g_steal_pointer (&record);
}

/* The check-and-set itself: one conditional UPDATE. Returns 1 when the step
 * was taken, 0 when it (or a later one) was already used, -1 on error. */
static int
take_step (TfStore  *self,
           gint64    user_id,
           gint64    step,
           gint      drift_steps,
           gint64    confirmed_at,
           GError  **error)
{
  g_autoptr(TfStoreStmt) stmt = NULL;

  if (confirmed_at > 0)
    stmt = tf_store_prepare (self,
                             "UPDATE totp SET last_step = ?1, drift_steps = ?2, confirmed_at = ?4"
                             " WHERE user_id = ?3 AND (last_step IS NULL OR last_step < ?1)", error);
  else
    stmt = tf_store_prepare (self,
                             "UPDATE totp SET last_step = ?1, drift_steps = ?2"
                             " WHERE user_id = ?3 AND (last_step IS NULL OR last_step < ?1)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, step);
  sqlite3_bind_int (stmt, 2, drift_steps);
  sqlite3_bind_int64 (stmt, 3, user_id);
  if (confirmed_at > 0)
    sqlite3_bind_int64 (stmt, 4, confirmed_at);
  if (tf_store_step (self, stmt, error) != SQLITE_DONE)
    return -1;
  if (sqlite3_changes (self->db) == 1)
    return 1;

  /* Nothing changed: a replay, or no TOTP row at all. */
  {
    g_autoptr(TfStoreStmt) check =
      tf_store_prepare (self, "SELECT 1 FROM totp WHERE user_id = ?", error);
    int rc;

    if (check == NULL)
      return -1;
    sqlite3_bind_int64 (check, 1, user_id);
    rc = tf_store_step (self, check, error);
    if (rc == SQLITE_DONE)
      tf_store_set_not_found (error);
    return rc == SQLITE_ROW ? 0 : -1;
  }
}

gboolean
tf_store_consume_totp_step (TfStore  *self,
                            gint64    user_id,
                            gint64    step,
                            gint      drift_steps,
                            gint64    now,
                            GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  int taken;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_begin (self, error))
    return FALSE;
  taken = take_step (self, user_id, step, drift_steps, 0, error);
  if (!tf_store_finish (self, taken >= 0, error))
    return FALSE;
  return taken == 1;
}

static int
confirm_locked (TfStore  *self,
                gint64    user_id,
                gint64    step,
                gint64    now,
                GError  **error)
{
  g_autoptr(TfStoreStmt) stmt = NULL;
  int taken = take_step (self, user_id, step, 0, MAX (now, 1), error);

  if (taken != 1)
    return taken;
  /* A disabled account stays disabled. */
  stmt = tf_store_prepare (self, "UPDATE users SET state = 'active' WHERE id = ? AND state = 'pending'",
                           error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, user_id);
  return tf_store_step (self, stmt, error) == SQLITE_DONE ? 1 : -1;
}

gboolean
tf_store_confirm_totp (TfStore  *self,
                       gint64    user_id,
                       gint64    step,
                       gint64    now,
                       GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  int taken;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_begin (self, error))
    return FALSE;
  taken = confirm_locked (self, user_id, step, now, error);
  /* A replay changed nothing: rolling back loses nothing. */
  if (taken != 1)
    {
      tf_store_rollback (self);
      return FALSE;
    }
  return tf_store_commit (self, error);
}

gboolean
tf_store_set_pending_totp (TfStore              *self,
                           gint64                user_id,
                           const TfSecureBuffer *secret,
                           GError              **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error))
    return FALSE;
  return write_sealed (self, "UPDATE totp SET pending_secret = ? WHERE user_id = ?", user_id,
                       COLUMN_TOTP_PENDING,
                       secret != NULL ? tf_secure_buffer_get_data ((TfSecureBuffer *) secret) : NULL,
                       secret != NULL ? tf_secure_buffer_get_length (secret) : 0, error);
}

static int
promote_locked (TfStore  *self,
                gint64    user_id,
                gint64    step,
                gint64    now,
                GError  **error)
{
  g_autoptr(TfSecureBuffer) secret = NULL;

  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "SELECT pending_secret FROM totp WHERE user_id = ?", error);
    int rc;

    if (stmt == NULL)
      return -1;
    sqlite3_bind_int64 (stmt, 1, user_id);
    rc = tf_store_step (self, stmt, error);
    if (rc == SQLITE_DONE)
      tf_store_set_not_found (error);
    if (rc != SQLITE_ROW)
      return -1;
    /* Already promoted (by another process) or cancelled. */
    if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
      return 0;
    secret = open_sealed (self, stmt, 0, user_id, COLUMN_TOTP_PENDING, error);
    if (secret == NULL)
      return -1;
  }

  {
    /* The new secret starts a new sequence of steps: the replay guard
     * restarts at the step just confirmed with it. */
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self,
                        "UPDATE totp SET secret = ?, pending_secret = NULL, last_step = ?,"
                        " drift_steps = 0, confirmed_at = ?, algorithm = 'SHA1', digits = 6,"
                        " period = 30 WHERE user_id = ?", error);
    g_autoptr(GBytes) sealed = tf_vault_seal (self->vault, user_id, COLUMN_TOTP_SECRET,
                                              tf_secure_buffer_get_data (secret),
                                              tf_secure_buffer_get_length (secret));

    if (stmt == NULL)
      return -1;
    tf_store_bind_bytes (stmt, 1, sealed);
    sqlite3_bind_int64 (stmt, 2, step);
    sqlite3_bind_int64 (stmt, 3, MAX (now, 1));
    sqlite3_bind_int64 (stmt, 4, user_id);
    return step_changed_one (self, stmt, error) ? 1 : -1;
  }
}

gboolean
tf_store_promote_pending_totp (TfStore  *self,
                               gint64    user_id,
                               gint64    step,
                               gint64    now,
                               GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  int done;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error) || !tf_store_begin (self, error))
    return FALSE;
  done = promote_locked (self, user_id, step, now, error);
  if (done != 1)
    {
      tf_store_rollback (self);
      return FALSE;
    }
  return tf_store_commit (self, error);
}

static gboolean
reset_totp_locked (TfStore              *self,
                   gint64                user_id,
                   const TfSecureBuffer *secret,
                   GError              **error)
{
  g_autoptr(GBytes) sealed = NULL;

  if (!user_exists (self, user_id, error))
    return FALSE;

  sealed = tf_vault_seal (self->vault, user_id, COLUMN_TOTP_SECRET,
                          tf_secure_buffer_get_data ((TfSecureBuffer *) secret),
                          tf_secure_buffer_get_length (secret));
  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self,
                        "INSERT INTO totp (user_id, secret) VALUES (?1, ?2)"
                        " ON CONFLICT (user_id) DO UPDATE SET secret = ?2, pending_secret = NULL,"
                        " last_step = NULL, drift_steps = 0, confirmed_at = NULL,"
                        " algorithm = 'SHA1', digits = 6, period = 30", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, user_id);
    tf_store_bind_bytes (stmt, 2, sealed);
    if (tf_store_step (self, stmt, error) != SQLITE_DONE)
      return FALSE;
  }
  {
    /* Back to enrolment; a disabled account stays disabled. */
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "UPDATE users SET state = 'pending' WHERE id = ? AND state = 'active'",
                        error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, user_id);
    return tf_store_step (self, stmt, error) == SQLITE_DONE;
  }
}

gboolean
tf_store_reset_totp (TfStore              *self,
                     gint64                user_id,
                     const TfSecureBuffer *secret,
                     GError              **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (secret != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error) || !tf_store_begin (self, error))
    return FALSE;
  return tf_store_finish (self, reset_totp_locked (self, user_id, secret, error), error);
}

/* Recovery codes. The hashes are keyed (the caller's vault), so comparing
 * them in SQL reveals nothing through timing. */

static gboolean
replace_codes_locked (TfStore       *self,
                      gint64         user_id,
                      const guint8  *hashes,
                      guint          n_hashes,
                      GError       **error)
{
  if (!user_exists (self, user_id, error))
    return FALSE;
  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "DELETE FROM recovery_codes WHERE user_id = ?", error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, user_id);
    if (tf_store_step (self, stmt, error) != SQLITE_DONE)
      return FALSE;
  }
  for (guint i = 0; i < n_hashes; i++)
    {
      g_autoptr(TfStoreStmt) stmt =
        tf_store_prepare (self, "INSERT INTO recovery_codes (user_id, hash) VALUES (?, ?)", error);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, user_id);
      sqlite3_bind_blob (stmt, 2, hashes + (gsize) i * TF_STORE_RECOVERY_HASH_SIZE,
                         TF_STORE_RECOVERY_HASH_SIZE, SQLITE_TRANSIENT);
      if (tf_store_step (self, stmt, error) != SQLITE_DONE)
        return FALSE;
    }
  return TRUE;
}

gboolean
tf_store_replace_recovery_codes (TfStore       *self,
                                 gint64         user_id,
                                 const guint8  *hashes,
                                 guint          n_hashes,
                                 GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (hashes != NULL || n_hashes == 0, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_begin (self, error))
    return FALSE;
  return tf_store_finish (self, replace_codes_locked (self, user_id, hashes, n_hashes, error),
                          error);
}

static gint64
count_codes_locked (TfStore  *self,
                    gint64    user_id,
                    GError  **error)
{
  g_autoptr(TfStoreStmt) stmt =
    tf_store_prepare (self, "SELECT count(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL",
                      error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, user_id);
  if (tf_store_step (self, stmt, error) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

static int
use_code_locked (TfStore       *self,
                 gint64         user_id,
                 const guint8  *hash,
                 gint64         now,
                 guint         *remaining,
                 GError       **error)
{
  gint64 left;
  int used;

  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self,
                        "UPDATE recovery_codes SET used_at = ?1 WHERE id ="
                        " (SELECT id FROM recovery_codes WHERE user_id = ?2 AND hash = ?3"
                        "  AND used_at IS NULL LIMIT 1)", error);

    if (stmt == NULL)
      return -1;
    sqlite3_bind_int64 (stmt, 1, MAX (now, 1));
    sqlite3_bind_int64 (stmt, 2, user_id);
    sqlite3_bind_blob (stmt, 3, hash, TF_STORE_RECOVERY_HASH_SIZE, SQLITE_TRANSIENT);
    if (tf_store_step (self, stmt, error) != SQLITE_DONE)
      return -1;
    used = sqlite3_changes (self->db) == 1 ? 1 : 0;
  }

  left = count_codes_locked (self, user_id, error);
  if (left < 0)
    return -1;
  if (remaining != NULL)
    *remaining = (guint) left;
  return used;
}

gboolean
tf_store_use_recovery_code (TfStore       *self,
                            gint64         user_id,
                            const guint8  *hash,
                            gint64         now,
                            guint         *remaining,
                            GError       **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  int used;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (hash != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_begin (self, error))
    return FALSE;
  used = use_code_locked (self, user_id, hash, now, remaining, error);
  if (!tf_store_finish (self, used >= 0, error))
    return FALSE;
  return used == 1;
}

GHashTable *
tf_store_count_all_recovery_codes (TfStore  *self,
                                   GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  /* One pass over the table in its own order, counted here. GROUP BY
   * would walk the user_id index and fetch each code's row from the table
   * to read used_at: a b-tree search per code, three times the work for a
   * million codes. A user's codes are written together, so they come in
   * runs: the table is touched once per run, not once per code. */
  stmt = tf_store_prepare (self, "SELECT user_id FROM recovery_codes NOT INDEXED"
                                 " WHERE used_at IS NULL", error);
  if (stmt == NULL)
    return NULL;
  rc = tf_store_step (self, stmt, error);
  while (rc == SQLITE_ROW)
    {
      gint64 user_id = sqlite3_column_int64 (stmt, 0);
      guint run = 0;

      do
        run++;
      while ((rc = tf_store_step (self, stmt, error)) == SQLITE_ROW &&
             sqlite3_column_int64 (stmt, 0) == user_id);

      /* A second run of the same user (codes regenerated later) adds up;
       * the table keeps its first key and frees this copy. */
      run += GPOINTER_TO_UINT (g_hash_table_lookup (counts, &user_id));
      g_hash_table_insert (counts, g_memdup2 (&user_id, sizeof user_id), GUINT_TO_POINTER (run));
    }
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&counts);
}

guint
tf_store_count_recovery_codes (TfStore  *self,
                               gint64    user_id,
                               GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gint64 left;

  g_return_val_if_fail (TF_IS_STORE (self), 0);

  locker = g_rec_mutex_locker_new (&self->lock);
  left = count_codes_locked (self, user_id, error);
  return left < 0 ? 0 : (guint) left;
}
