/* tf-store-private.h
 *
 * Shared internals of the SQLite account store, split over tf-store.c
 * (opening, schema, meta, vault), tf-store-users.c, tf-store-throttle.c and
 * tf-store-audit.c. Not installed, not for other modules.
 *
 * Locking: every public entry point takes self->lock for its whole duration
 * (GRecMutexLocker declared first, so it is released after every statement
 * of the function has been reset). All helpers below expect the lock held.
 * The lock is recursive because an audited change (tf_store_audit_begin ())
 * holds it from its begin to its commit, across the calls made inside it.
 * Statements come from a per-connection cache and are reset when the
 * g_autoptr(TfStoreStmt) holding them goes out of scope.
 */
#pragma once

#include <sqlite3.h>

#include "tf-store.h"

G_BEGIN_DECLS

/* The quick_check of a store opened with TF_STORE_OPEN_DEFER_CHECK. */
typedef enum {
  TF_STORE_CHECK_PASSED,    /* checked at open, or the deferred check passed */
  TF_STORE_CHECK_DEFERRED,  /* not run yet: only the meta table can be read */
  TF_STORE_CHECK_RUNNING,   /* tf_store_start_check (): callers wait */
  TF_STORE_CHECK_FAILED,    /* check_error; nothing runs any more */
} TfStoreCheckState;

struct _TfStore {
  GObject     parent_instance;

  GRecMutex   lock;
  gint64      busy_since;  /* for the busy handler, under lock */
  /* Transactions open on db, under lock: the outermost is BEGIN, the
   * ones inside it savepoints. */
  guint       depth;
  /* The first error inside an audited change, which then cannot commit;
   * set when changes > 0. */
  GError     *change_error;
  guint       changes;     /* audited changes open */
  /* Under lock. RUNNING: the check is due and nobody runs it (whoever
   * runs it holds the lock throughout). */
  TfStoreCheckState check_state;
  GError     *check_error;
  /* The check's own thread (tf_store_start_check ()) is held back until
   * the verdict is asked for (tf_store_check ()), somebody else has run
   * the check, or CHECK_HOLD_MS have passed. Under hold_lock, which may
   * be taken inside lock (run_check_locked ()) but is never held while
   * waiting for lock. */
  GMutex      hold_lock;
  GCond       hold_cond;
  gboolean    check_held;
  gboolean    check_thread_alive;

  /* Owned */
  sqlite3    *db;
  GHashTable *statements;  /* SQL text → sqlite3_stmt */
  char       *path;
  char       *uuid;
  char       *file_id;     /* registered as open in this process */
  TfVault    *vault;
};

typedef sqlite3_stmt TfStoreStmt;

/* Resets and unbinds a cached statement: the g_autoptr cleanup. */
void          tf_store_stmt_release    (TfStoreStmt  *stmt);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfStoreStmt, tf_store_stmt_release)

/* Always returns FALSE, so callers can "return tf_store_set_sqlite_error ()". */
gboolean      tf_store_set_sqlite_error (TfStore     *self,
                                         int          rc,
                                         GError     **error);
/* A cached prepared statement for @sql, which must be a string literal
 * (its address and text are the cache key). While a deferred quick_check
 * runs it waits for the verdict; after a failed one it fails with that
 * check's error (TF_STORE_ERROR_DAMAGED), so no statement ever runs on a
 * store found damaged. */
TfStoreStmt  *tf_store_prepare         (TfStore      *self,
                                        const char   *sql,
                                        GError      **error);
/* SQLITE_ROW or SQLITE_DONE, or SQLITE_ERROR with @error set. */
int           tf_store_step            (TfStore      *self,
                                        TfStoreStmt  *stmt,
                                        GError      **error);
/* Prepares, binds nothing, steps to the end. */
gboolean      tf_store_exec            (TfStore      *self,
                                        const char   *sql,
                                        GError      **error);

/* BEGIN IMMEDIATE: takes the write lock at once, waiting up to the busy
 * timeout, so a read-check-write never loses a race. Inside a transaction
 * already open (an audited change), a savepoint instead: commit releases
 * it into the outer transaction, rollback undoes just its part. */
gboolean      tf_store_begin           (TfStore      *self,
                                        GError      **error);
/* BEGIN (deferred): one consistent snapshot for several reads. */
gboolean      tf_store_begin_read      (TfStore      *self,
                                        GError      **error);
gboolean      tf_store_commit          (TfStore      *self,
                                        GError      **error);
/* Rolls back if a transaction is open; never fails. */
void          tf_store_rollback        (TfStore      *self);
/* Ends the transaction begun before: commits when @ok, else rolls back.
 * Returns whether everything succeeded. */
gboolean      tf_store_finish          (TfStore      *self,
                                        gboolean      ok,
                                        GError      **error);

/* TF_STORE_ERROR_LOCKED unless a vault is attached. */
gboolean      tf_store_require_vault   (TfStore      *self,
                                        GError      **error);
gboolean      tf_store_set_not_found   (GError      **error);

/* Bind helpers: NULL strings bind SQL NULL. */
void          tf_store_bind_text       (TfStoreStmt  *stmt,
                                        int           index,
                                        const char   *text);
void          tf_store_bind_bytes      (TfStoreStmt  *stmt,
                                        int           index,
                                        GBytes       *bytes);
/* A column as GBytes, NULL for SQL NULL. */
GBytes       *tf_store_column_bytes    (TfStoreStmt  *stmt,
                                        int           index);
char         *tf_store_column_text     (TfStoreStmt  *stmt,
                                        int           index);

/* Meta table (tf-store.c); the lock and, for writes, a transaction held.
 * A missing key is NULL (or 0) without an error. */
GBytes       *tf_store_meta_get        (TfStore      *self,
                                        const char   *key,
                                        GError      **error);
gboolean      tf_store_meta_set        (TfStore      *self,
                                        const char   *key,
                                        gconstpointer value,
                                        gsize         length,
                                        GError      **error);
gboolean      tf_store_meta_get_int64  (TfStore      *self,
                                        const char   *key,
                                        gint64       *value,
                                        GError      **error);
gboolean      tf_store_meta_set_int64  (TfStore      *self,
                                        const char   *key,
                                        gint64        value,
                                        GError      **error);

/* Starts the audit chain of a store whose key was just recorded
 * (tf-store-audit.c); self->vault must be the new vault. */
gboolean      tf_store_audit_start     (TfStore      *self,
                                        GError      **error);

G_END_DECLS
