/* tf-store.c — the store object: opening, damage detection, migrations,
 * meta, the vault, and the helpers the other tf-store-*.c files share. */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include "tf-store.h"
#include "tf-store-private.h"
#include "tf-store-schema.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#define BUSY_TIMEOUT_MS 5000
/* The deferred check's thread yields to the program's others (the GUI's
 * main thread drawing the Log In page): on Linux a nice value is a
 * thread's own, and within the session's scheduling group 19 leaves the
 * check a few percent of a processor the main thread wants. On an idle
 * machine (a kiosk) it still has a processor to itself. */
#define CHECK_THREAD_NICE 19
/* ...and starts when the program asks for the verdict (the GUI: after the
 * window's first frame), or after this long anyway. */
#define CHECK_HOLD_MS 5000
#define SQLITE_HEADER_MAGIC "SQLite format 3"  /* followed by a NUL byte */

G_DEFINE_QUARK (tf-store-error-quark, tf_store_error)

G_DEFINE_FINAL_TYPE (TfStore, tf_store, G_TYPE_OBJECT)

/* Store files open in this process, "device:inode" → count. POSIX locks
 * belong to the process and closing any descriptor of a file drops them
 * all, so the damage checks' own reads must not touch a file that SQLite
 * already holds here. open_lock also makes tf_store_open () one at a time. */
static GMutex open_lock;
static GHashTable *open_files;

/* Errors. */

static gboolean
set_damaged (const char  *path,
             GError     **error)
{
  g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED,
               _("The account store at %s is damaged. It has been left as it is; "
                 "restore it from a backup or move it aside to start a new one."),
               path);
  return FALSE;
}

static gboolean
set_errno_error (const char  *path,
                 int          saved_errno,
                 GError     **error)
{
  gboolean denied = saved_errno == EACCES || saved_errno == EPERM || saved_errno == ELOOP;

  g_set_error (error, TF_STORE_ERROR,
               denied ? TF_STORE_ERROR_PERMISSION : TF_STORE_ERROR_IO,
               _("The account store at %s could not be opened: %s"),
               path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
set_db_error (sqlite3     *db,
              const char  *path,
              int          rc,
              GError     **error)
{
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      g_debug ("SQLite reports damage in %s: %s", path, detail);
      return set_damaged (path, error);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error_literal (error, TF_STORE_ERROR, TF_STORE_ERROR_BUSY,
                           _("The account store is in use by another program. "
                             "Try again in a moment."));
      return FALSE;
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE && strstr (detail, "users.username") != NULL)
        {
          g_set_error_literal (error, TF_STORE_ERROR, TF_STORE_ERROR_EXISTS,
                               _("This username is taken."));
          return FALSE;
        }
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return tf_store_set_not_found (error);
      break;
    case SQLITE_CANTOPEN:
      if (rc != SQLITE_CANTOPEN_SYMLINK)
        break;
      G_GNUC_FALLTHROUGH;
    case SQLITE_PERM:
    case SQLITE_AUTH:
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION,
                   _("The account store at %s could not be opened: %s"), path, detail);
      return FALSE;
    default:
      /* SQLITE_FULL, IOERR, READONLY, CANTOPEN, NOMEM and anything
       * unexpected: reported as an I/O problem with SQLite's words. */
      break;
    }

  g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO,
               _("The account store at %s could not be read or written: %s"),
               path, detail);
  return FALSE;
}

gboolean
tf_store_set_sqlite_error (TfStore  *self,
                           int       rc,
                           GError  **error)
{
  if (rc == SQLITE_AUTH && self->check_state == TF_STORE_CHECK_DEFERRED)
    {
      g_set_error_literal (error, TF_STORE_ERROR, TF_STORE_ERROR_LOCKED,
                           _("The account store has not been checked yet."));
      return FALSE;
    }
  return set_db_error (self->db, self->path, rc, error);
}

gboolean
tf_store_set_not_found (GError **error)
{
  g_set_error_literal (error, TF_STORE_ERROR, TF_STORE_ERROR_NOT_FOUND,
                       _("There is no such account."));
  return FALSE;
}

gboolean
tf_store_require_vault (TfStore  *self,
                        GError  **error)
{
  if (self->vault != NULL)
    return TRUE;
  g_set_error_literal (error, TF_STORE_ERROR, TF_STORE_ERROR_LOCKED,
                       _("The account store is locked: its key has not been loaded."));
  return FALSE;
}

/* Statements. */

void
tf_store_stmt_release (TfStoreStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

static void run_check_locked (TfStore *self);

/* The lock held: runs the deferred check here if it is due (its thread
 * runs it holding the lock, so a check still RUNNING while we hold the
 * lock has not begun: doing it now costs no more than waiting for it);
 * FALSE with its error after it failed. */
static gboolean
wait_for_check_locked (TfStore  *self,
                       GError  **error)
{
  if (self->check_state == TF_STORE_CHECK_RUNNING)
    run_check_locked (self);
  if (self->check_state != TF_STORE_CHECK_FAILED)
    return TRUE;
  if (error != NULL)
    *error = g_error_copy (self->check_error);
  return FALSE;
}

TfStoreStmt *
tf_store_prepare (TfStore     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!wait_for_check_locked (self, error))
    return NULL;
  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      tf_store_set_sqlite_error (self, rc, error);
      return NULL;
    }
  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* A transaction that SQLite rolled back by itself (disk full, I/O error)
 * while we still count it open: later statements would each commit alone. */
static int
set_lost_transaction (TfStore  *self,
                      GError  **error)
{
  g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO,
               _("The account store at %s could not be read or written: %s"),
               self->path, "transaction rolled back");
  return SQLITE_ERROR;
}

int
tf_store_step (TfStore      *self,
               TfStoreStmt  *stmt,
               GError      **error)
{
  GError *local_error = NULL;

  if (self->depth > 0 && sqlite3_get_autocommit (self->db))
    {
      set_lost_transaction (self, &local_error);
    }
  else
    {
      int rc = sqlite3_step (stmt);

      if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        return rc;
      tf_store_set_sqlite_error (self, rc, &local_error);
    }

  /* Sticks to an audited change: it must not commit without this write. */
  if (self->changes > 0 && self->change_error == NULL)
    self->change_error = g_error_copy (local_error);
  g_propagate_error (error, local_error);
  return SQLITE_ERROR;
}

gboolean
tf_store_exec (TfStore     *self,
               const char  *sql,
               GError     **error)
{
  g_autoptr(TfStoreStmt) stmt = tf_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = tf_store_step (self, stmt, error)) == SQLITE_ROW)
    ;
  return rc == SQLITE_DONE;
}

static gboolean
begin (TfStore     *self,
       const char  *sql,
       GError     **error)
{
  if (!tf_store_exec (self, self->depth > 0 ? "SAVEPOINT tf_nested" : sql, error))
    return FALSE;
  self->depth++;
  return TRUE;
}

gboolean
tf_store_begin (TfStore  *self,
                GError  **error)
{
  return begin (self, "BEGIN IMMEDIATE", error);
}

gboolean
tf_store_begin_read (TfStore  *self,
                     GError  **error)
{
  return begin (self, "BEGIN", error);
}

void
tf_store_rollback (TfStore *self)
{
  if (self->depth > 1)
    {
      /* Fails harmlessly when SQLite has rolled back everything already. */
      sqlite3_exec (self->db, "ROLLBACK TO tf_nested; RELEASE tf_nested", NULL, NULL, NULL);
      self->depth--;
      return;
    }
  self->depth = 0;
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

gboolean
tf_store_commit (TfStore  *self,
                 GError  **error)
{
  if (tf_store_exec (self, self->depth > 1 ? "RELEASE tf_nested" : "COMMIT", error))
    {
      self->depth = self->depth > 0 ? self->depth - 1 : 0;
      return TRUE;
    }
  tf_store_rollback (self);
  return FALSE;
}

gboolean
tf_store_finish (TfStore   *self,
                 gboolean   ok,
                 GError   **error)
{
  if (ok)
    return tf_store_commit (self, error);
  tf_store_rollback (self);
  return FALSE;
}

void
tf_store_bind_text (TfStoreStmt *stmt,
                    int          index,
                    const char  *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
}

void
tf_store_bind_bytes (TfStoreStmt *stmt,
                     int          index,
                     GBytes      *bytes)
{
  gsize length;
  gconstpointer data;

  if (bytes == NULL)
    {
      sqlite3_bind_null (stmt, index);
      return;
    }
  data = g_bytes_get_data (bytes, &length);
  sqlite3_bind_blob64 (stmt, index, length > 0 ? data : "", length, SQLITE_TRANSIENT);
}

GBytes *
tf_store_column_bytes (TfStoreStmt *stmt,
                       int          index)
{
  const void *data;
  int length;

  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    return NULL;
  data = sqlite3_column_blob (stmt, index);
  length = sqlite3_column_bytes (stmt, index);
  return g_bytes_new (data, length);
}

char *
tf_store_column_text (TfStoreStmt *stmt,
                      int          index)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}

/* Meta. */

GBytes *
tf_store_meta_get (TfStore     *self,
                   const char  *key,
                   GError     **error)
{
  g_autoptr(TfStoreStmt) stmt = tf_store_prepare (self, "SELECT value FROM meta WHERE key = ?", error);

  if (stmt == NULL)
    return NULL;
  tf_store_bind_text (stmt, 1, key);
  if (tf_store_step (self, stmt, error) != SQLITE_ROW)
    return NULL;
  return tf_store_column_bytes (stmt, 0);
}

gboolean
tf_store_meta_set (TfStore       *self,
                   const char    *key,
                   gconstpointer  value,
                   gsize          length,
                   GError       **error)
{
  g_autoptr(TfStoreStmt) stmt =
    tf_store_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  tf_store_bind_text (stmt, 1, key);
  sqlite3_bind_blob64 (stmt, 2, length > 0 ? value : "", length, SQLITE_TRANSIENT);
  return tf_store_step (self, stmt, error) == SQLITE_DONE;
}

gboolean
tf_store_meta_get_int64 (TfStore     *self,
                         const char  *key,
                         gint64      *value,
                         GError     **error)
{
  g_autoptr(TfStoreStmt) stmt = tf_store_prepare (self, "SELECT value FROM meta WHERE key = ?", error);
  int rc;

  *value = 0;
  if (stmt == NULL)
    return FALSE;
  tf_store_bind_text (stmt, 1, key);
  rc = tf_store_step (self, stmt, error);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int64 (stmt, 0);
  return rc != SQLITE_ERROR;
}

gboolean
tf_store_meta_set_int64 (TfStore     *self,
                         const char  *key,
                         gint64       value,
                         GError     **error)
{
  g_autoptr(TfStoreStmt) stmt =
    tf_store_prepare (self, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", error);

  if (stmt == NULL)
    return FALSE;
  tf_store_bind_text (stmt, 1, key);
  sqlite3_bind_int64 (stmt, 2, value);
  return tf_store_step (self, stmt, error) == SQLITE_DONE;
}

/* The object. */

static void
tf_store_finalize (GObject *object)
{
  TfStore *self = TF_STORE (object);

  /* The file closed and its count dropped under one lock: once the file
   * is closed a new file can get its inode (its id here), and an open of
   * it must not count this one. (No file_id: not counted, and maybe
   * finalized by tf_store_open_full () itself, which holds the lock.) */
  if (self->file_id != NULL)
    g_mutex_lock (&open_lock);
  /* Statements first: sqlite3_close () refuses a connection that has some. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      int rc = sqlite3_close (self->db);

      if (rc != SQLITE_OK)
        {
          g_debug ("Closing %s: %s", self->path, sqlite3_errstr (rc));
          sqlite3_close_v2 (self->db);
        }
      self->db = NULL;
    }
  if (self->file_id != NULL)
    {
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (open_files, self->file_id));

      if (count > 1)
        g_hash_table_insert (open_files, g_strdup (self->file_id), GUINT_TO_POINTER (count - 1));
      else
        g_hash_table_remove (open_files, self->file_id);
      g_clear_pointer (&self->file_id, g_free);
      g_mutex_unlock (&open_lock);
    }
  g_clear_object (&self->vault);
  g_clear_error (&self->change_error);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->uuid, g_free);
  g_clear_error (&self->check_error);
  g_cond_clear (&self->hold_cond);
  g_mutex_clear (&self->hold_lock);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (tf_store_parent_class)->finalize (object);
}

static void
tf_store_class_init (TfStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tf_store_finalize;
}

static void
tf_store_init (TfStore *self)
{
  g_rec_mutex_init (&self->lock);
  g_mutex_init (&self->hold_lock);
  g_cond_init (&self->hold_cond);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) sqlite3_finalize);
}

/* Files. */

static gboolean
prepare_directory (const char  *dir,
                   GError     **error)
{
  struct stat st;

  if (g_lstat (dir, &st) != 0)
    {
      int saved_errno = errno;

      if (saved_errno != ENOENT)
        return set_errno_error (dir, saved_errno, error);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        return set_errno_error (dir, errno, error);
      /* The umask may have taken bits away; never leave more than 0700. */
      if (g_chmod (dir, 0700) != 0 || g_lstat (dir, &st) != 0)
        return set_errno_error (dir, errno, error);
    }

  if (S_ISLNK (st.st_mode))
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION,
                   _("The folder of the account store, %s, is a symbolic link. "
                     "Twofold does not follow links there."), dir);
      return FALSE;
    }
  if (!S_ISDIR (st.st_mode))
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION,
                   _("The folder of the account store, %s, is not a folder."), dir);
      return FALSE;
    }
  if ((st.st_mode & S_IWOTH) != 0 && (st.st_mode & S_ISVTX) == 0)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION,
                   _("The folder of the account store, %s, can be changed by anyone. "
                     "Choose a private folder."), dir);
      return FALSE;
    }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    g_debug ("The store folder %s is writable by others", dir);

  return TRUE;
}

/* Refuses a symlink or a non-file at @path and narrows its mode to 0600.
 * A missing file is fine unless @must_exist. */
static gboolean
secure_file (const char  *path,
             gboolean     must_exist,
             gboolean    *exists,
             goffset     *size,
             GError     **error)
{
  struct stat st;

  *exists = FALSE;
  *size = 0;
  if (g_lstat (path, &st) != 0)
    {
      if (errno == ENOENT && !must_exist)
        return TRUE;
      return set_errno_error (path, errno, error);
    }
  if (S_ISLNK (st.st_mode))
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION,
                   _("The account store file %s is a symbolic link. "
                     "Twofold does not follow links there."), path);
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_PERMISSION,
                   _("The account store file %s is not a regular file."), path);
      return FALSE;
    }
  if ((st.st_mode & 0077) != 0)
    {
      g_debug ("Narrowing the mode of %s from %o to 0600", path, st.st_mode & 07777);
      if (g_chmod (path, 0600) != 0)
        return set_errno_error (path, errno, error);
    }
  *exists = TRUE;
  *size = st.st_size;
  return TRUE;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* What can be told from the bytes alone, before SQLite touches the file. */
static gboolean
check_header (const char  *path,
              gboolean     wal_has_data,
              gboolean    *is_wal,
              GError     **error)
{
  guint8 header[100];
  struct stat st;
  gssize n = 0;
  guint32 page_size;
  int fd;

  fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return set_errno_error (path, errno, error);
  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      return set_errno_error (path, saved_errno, error);
    }
  while (n < (gssize) sizeof header)
    {
      gssize got = pread (fd, header + n, sizeof header - n, n);

      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0)
        break;
      n += got;
    }
  close (fd);

  if (st.st_size == 0 || n < (gssize) sizeof header ||
      memcmp (header, SQLITE_HEADER_MAGIC, sizeof SQLITE_HEADER_MAGIC) != 0)
    {
      g_debug ("%s: empty, short or without an SQLite header", path);
      return set_damaged (path, error);
    }

  /* Write and read format versions both 2: a WAL database. */
  *is_wal = header[18] == 2 && header[19] == 2;
  page_size = ((guint32) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    {
      g_debug ("%s: impossible page size %u", path, page_size);
      return set_damaged (path, error);
    }

  /* With WAL content pending, the main file may legitimately be caught in
   * the middle of a checkpoint; SQLite will repair that from the WAL. */
  if (!wal_has_data)
    {
      guint32 pages = read_be32 (header + 28);

      if (st.st_size % page_size != 0)
        {
          g_debug ("%s: size %" G_GINT64_FORMAT " is not a whole number of pages",
                   path, (gint64) st.st_size);
          return set_damaged (path, error);
        }
      /* The in-header size is valid when its change counter matches. */
      if (read_be32 (header + 24) == read_be32 (header + 92) &&
          (guint64) pages * page_size > (guint64) st.st_size)
        {
          g_debug ("%s: truncated, %u pages expected", path, pages);
          return set_damaged (path, error);
        }
    }

  return TRUE;
}

/* The busy handler: waits up to BUSY_TIMEOUT_MS for another connection's
 * lock, like sqlite3_busy_timeout (), but polls every millisecond or so
 * with jitter. SQLite's locks are not queued, and a writer that sleeps
 * 100 ms between tries (as the built-in handler does after a while) can
 * starve behind one that commits many times a second. */
static int
busy_wait (void *data,
           int   count)
{
  gint64 *since = data;
  gint64 now = g_get_monotonic_time ();

  if (count == 0)
    *since = now;
  if (now - *since >= (gint64) BUSY_TIMEOUT_MS * 1000)
    return 0;
  g_usleep (count < 10 ? 100 : 500 + g_random_int_range (0, 1000));
  return 1;
}

static sqlite3 *
open_connection (const char  *path,
                 gboolean     read_only,
                 gboolean     immutable,
                 gint64      *busy_since,
                 GError     **error)
{
  g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);
  g_autofree char *uri = NULL;
  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE;
  int rc;

  flags |= read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  /* A URI so that no character of the path is read as an option. With
   * immutable=1, SQLite reads the file without creating -wal or -shm. */
  uri = g_strconcat ("file:", escaped,
                     immutable ? "?immutable=1" : NULL, NULL);
  rc = sqlite3_open_v2 (uri, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_db_error (db, path, rc, error);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_handler (db, busy_wait, busy_since);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  return db;
}

/* Runs one PRAGMA that returns rows, joined with newlines into @result. */
static gboolean
run_pragma (sqlite3     *db,
            const char  *path,
            const char  *sql,
            GString     *result,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    {
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          if (result->len > 0)
            g_string_append_c (result, '\n');
          g_string_append (result, (const char *) sqlite3_column_text (stmt, 0));
        }
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  if (rc != SQLITE_OK)
    set_db_error (db, path, rc, error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_OK;
}

/* Reads the schema version and runs quick_check without writing anything
 * to the database file. With *@defer, quick_check is left out when the
 * schema is current (no migration will write); *@defer says whether it was. */
static gboolean
check_read_only (const char  *path,
                 gboolean     immutable,
                 gboolean    *defer,
                 GError     **error)
{
  g_autoptr(GString) version = g_string_new (NULL);
  g_autoptr(GString) report = g_string_new (NULL);
  gint64 busy_since = 0;
  sqlite3 *db = open_connection (path, TRUE, immutable, &busy_since, error);
  gint64 user_version;
  gboolean ok = FALSE;

  if (db == NULL)
    return FALSE;

  if (!run_pragma (db, path, "PRAGMA user_version", version, error))
    goto out;
  user_version = g_ascii_strtoll (version->str, NULL, 10);
  if (user_version > TF_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_NEWER,
                   _("The account store at %s was written by a newer version of Twofold. "
                     "It has been left as it is; open it with that version."), path);
      goto out;
    }
  /* Every store Twofold makes is migrated before it is renamed into place,
   * so version 0 is some other database. */
  if (user_version < 1)
    {
      g_debug ("%s: user_version %" G_GINT64_FORMAT ", not an account store", path, user_version);
      set_damaged (path, error);
      goto out;
    }
  if (*defer && user_version == TF_STORE_SCHEMA_VERSION)
    {
      ok = TRUE;
      goto out;
    }
  *defer = FALSE;
  if (!run_pragma (db, path, "PRAGMA quick_check", report, error))
    goto out;
  if (g_strcmp0 (report->str, "ok") != 0)
    {
      g_debug ("%s: quick_check failed: %.500s", path, report->str);
      set_damaged (path, error);
      goto out;
    }
  ok = TRUE;

out:
  sqlite3_close (db);
  return ok;
}

static gboolean
same_stat (const struct stat *a,
           const struct stat *b)
{
  return a->st_ino == b->st_ino && a->st_size == b->st_size &&
         a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
         a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Every check an existing file gets before it is opened for writing.
 * *@defer: whether quick_check may be left for later (asked) and was
 * (answered): only for a WAL file with nothing pending in its -wal, which
 * a connection can open and close without writing to it. */
static gboolean
check_existing (const char  *path,
                gboolean     open_here,
                gboolean    *defer,
                GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  GError *local_error = NULL;
  gboolean exists, wal_exists;
  goffset size, wal_size;
  struct stat before, after;
  gboolean is_wal = FALSE;

  if (!secure_file (path, TRUE, &exists, &size, error) ||
      !secure_file (wal, FALSE, &wal_exists, &wal_size, error) ||
      !secure_file (shm, FALSE, &exists, &size, error))
    return FALSE;

  /* Checked when it was first opened; SQLite's own reader is safe. */
  if (open_here)
    {
      *defer = FALSE;
      return check_read_only (path, FALSE, defer, error);
    }

  if (!check_header (path, wal_size > 0, &is_wal, error))
    return FALSE;
  if (!is_wal || wal_size > 0)
    *defer = FALSE;

  /* With a -wal present, the file is in use or was left by a crash: a
   * normal read-only connection sees the WAL's content. */
  if (wal_exists)
    return check_read_only (path, FALSE, defer, error);

  if (g_stat (path, &before) != 0)
    return set_errno_error (path, errno, error);
  if (check_read_only (path, TRUE, defer, &local_error))
    return TRUE;
  if (!g_error_matches (local_error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  /* An immutable reader has no locks: damage is only believed if nobody
   * wrote the file meanwhile; otherwise ask again the normal way. */
  if (g_stat (path, &after) == 0 && same_stat (&before, &after) &&
      !g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  g_clear_error (&local_error);
  return check_read_only (path, FALSE, defer, error);
}

/* SQLite's authorizer while the deferred quick_check has not passed:
 * statements on the meta table (and pragmas and transactions) only. */
static int
authorize_unchecked (void       *data,
                     int         action,
                     const char *arg1,
                     const char *arg2,
                     const char *database,
                     const char *trigger)
{
  switch (action)
    {
    case SQLITE_READ:
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
      return g_strcmp0 (arg1, "meta") == 0 ? SQLITE_OK : SQLITE_DENY;
    case SQLITE_SELECT:
    case SQLITE_PRAGMA:
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
      return SQLITE_OK;
    default:
      return SQLITE_DENY;
    }
}

/* After a failed check: nothing at all. */
static int
authorize_nothing (void       *data,
                   int         action,
                   const char *arg1,
                   const char *arg2,
                   const char *database,
                   const char *trigger)
{
  return SQLITE_DENY;
}

static gboolean
migrate (TfStore  *self,
         GError  **error)
{
  for (int target = 1; target <= TF_STORE_SCHEMA_VERSION; target++)
    {
      g_autofree char *set_version = NULL;
      gint64 version;
      int rc;

      if (!tf_store_begin (self, error))
        return FALSE;
      {
        g_autoptr(TfStoreStmt) stmt = tf_store_prepare (self, "PRAGMA user_version", error);

        if (stmt == NULL || tf_store_step (self, stmt, error) != SQLITE_ROW)
          return tf_store_finish (self, FALSE, NULL);
        version = sqlite3_column_int64 (stmt, 0);
      }
      if (version >= target)
        {
          /* Another process migrated first, or nothing to do. */
          tf_store_rollback (self);
          continue;
        }

      g_debug ("Migrating %s from version %" G_GINT64_FORMAT " to %d", self->path, version, target);
      set_version = g_strdup_printf ("PRAGMA user_version = %d", target);
      rc = sqlite3_exec (self->db, migrations[target], NULL, NULL, NULL);
      if (rc == SQLITE_OK)
        rc = sqlite3_exec (self->db, set_version, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          tf_store_set_sqlite_error (self, rc, error);
          tf_store_rollback (self);
          return FALSE;
        }
      if (!tf_store_commit (self, error))
        return FALSE;
    }
  return TRUE;
}

/* Opens the checked file for writing; the store is not locked yet since
 * nobody else can see the object. With @defer_check, quick_check has not
 * run: SQLite refuses every table but meta until it has passed. */
static TfStore *
open_store (const char  *path,
            gboolean     defer_check,
            GError     **error)
{
  g_autoptr(TfStore) self = g_object_new (TF_TYPE_STORE, NULL);
  g_autoptr(GString) mode = g_string_new (NULL);
  sqlite3 *db = open_connection (path, FALSE, FALSE, &self->busy_since, error);

  if (db == NULL)
    return NULL;
  self->db = db;
  self->path = g_strdup (path);
  if (defer_check)
    {
      self->check_state = TF_STORE_CHECK_DEFERRED;
      sqlite3_set_authorizer (db, authorize_unchecked, NULL);
    }

  if (!run_pragma (db, path, "PRAGMA journal_mode = WAL", mode, error))
    return NULL;
  if (g_ascii_strcasecmp (mode->str, "wal") != 0)
    {
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO,
                   _("The account store at %s could not be read or written: %s"),
                   path, "journal_mode=WAL refused");
      return NULL;
    }
  if (!tf_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      !tf_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !tf_store_exec (self, "PRAGMA secure_delete = ON", error) ||
      !migrate (self, error))
    return NULL;

  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "SELECT value FROM meta WHERE key = 'uuid'", error);
    int rc;

    if (stmt == NULL)
      return NULL;
    rc = tf_store_step (self, stmt, error);
    if (rc == SQLITE_ERROR)
      return NULL;
    if (rc != SQLITE_ROW || sqlite3_column_type (stmt, 0) != SQLITE_TEXT)
      {
        g_debug ("%s has no uuid", path);
        set_damaged (path, error);
        return NULL;
      }
    self->uuid = tf_store_column_text (stmt, 0);
  }

  /* SQLite gives -wal and -shm the database's mode; make sure anyway. */
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    gboolean exists;
    goffset size;

    if (!secure_file (wal, FALSE, &exists, &size, error) ||
        !secure_file (shm, FALSE, &exists, &size, error))
      return NULL;
  }

  return g_steal_pointer (&self);
}

static void
remove_temporary (const char *tmp)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (tmp, suffixes[i], NULL);

      g_unlink (name);
    }
}

static gboolean
fsync_path (const char  *path,
            int          flags,
            GError     **error)
{
  int fd = open (path, O_RDONLY | O_CLOEXEC | flags);
  int rc;

  if (fd < 0)
    return set_errno_error (path, errno, error);
  rc = fsync (fd);
  close (fd);
  if (rc != 0)
    return set_errno_error (path, errno, error);
  return TRUE;
}

/* Schema, uuid and everything else of a new store, written into @tmp. */
static gboolean
initialise_store (const char  *tmp,
                  const char  *path,
                  GError     **error)
{
  g_autoptr(TfStore) store = g_object_new (TF_TYPE_STORE, NULL);
  g_autofree char *uuid = g_uuid_string_random ();
  sqlite3 *db = open_connection (tmp, FALSE, FALSE, &store->busy_since, error);
  char *sql;
  int rc;

  if (db == NULL)
    return FALSE;
  store->db = db;
  store->path = g_strdup (path);

  if (!tf_store_exec (store, "PRAGMA journal_mode = WAL", error) ||
      !tf_store_exec (store, "PRAGMA synchronous = FULL", error) ||
      !migrate (store, error))
    return FALSE;

  sql = sqlite3_mprintf ("INSERT INTO meta (key, value) VALUES ('uuid', %Q), ('created_at', %lld)",
                         uuid, (long long) (g_get_real_time () / G_USEC_PER_SEC));
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  sqlite3_free (sql);
  /* Everything into the main file, so that renaming it moves it all. */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    return tf_store_set_sqlite_error (store, rc, error);
  return TRUE;
}

/* Builds a complete store beside @path and renames it into place, so that
 * no reader ever sees a half-made or empty file. */
static gboolean
create_store (const char  *path,
              const char  *dir,
              GError     **error)
{
  g_autofree char *tmp = g_strconcat (path, ".new-XXXXXX", NULL);
  int fd, rc;

  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_errno_error (path, errno, error);
  rc = fchmod (fd, 0600);
  close (fd);
  if (rc != 0)
    goto fail_errno;

  /* Closing the connection at the end of initialise_store () removes the
   * temporary -wal and -shm. */
  if (!initialise_store (tmp, path, error) ||
      !fsync_path (tmp, 0, error))
    goto fail;

  if (renameat2 (AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) != 0)
    {
      if (errno == EEXIST)
        {
          /* Another process made the store meanwhile: use theirs. */
          remove_temporary (tmp);
          return TRUE;
        }
      if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        goto fail_errno;
      /* A file system without RENAME_NOREPLACE. */
      if (link (tmp, path) != 0 && errno != EEXIST && rename (tmp, path) != 0)
        goto fail_errno;
    }

  remove_temporary (tmp);
  return fsync_path (dir, O_DIRECTORY, error);

fail_errno:
  set_errno_error (path, errno, error);
fail:
  remove_temporary (tmp);
  return FALSE;
}

TfStore *
tf_store_open (const char  *path,
               GError     **error)
{
  return tf_store_open_full (path, TF_STORE_OPEN_DEFAULT, error);
}

TfStore *
tf_store_open_full (const char        *path,
                    TfStoreOpenFlags   flags,
                    GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *file_id = NULL;
  gboolean defer = (flags & TF_STORE_OPEN_DEFER_CHECK) != 0;
  TfStore *self;
  struct stat st;
  guint count;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&open_lock);
  dir = g_path_get_dirname (path);
  if (!prepare_directory (dir, error))
    return NULL;

  if (g_lstat (path, &st) != 0)
    {
      if (errno != ENOENT)
        {
          set_errno_error (path, errno, error);
          return NULL;
        }
      if (!create_store (path, dir, error))
        return NULL;
      /* Made here (or just now by another process): checked at once. */
      defer = FALSE;
      if (g_lstat (path, &st) != 0)
        {
          set_errno_error (path, errno, error);
          return NULL;
        }
    }

  file_id = g_strdup_printf ("%" G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT,
                             (guint64) st.st_dev, (guint64) st.st_ino);
  if (open_files == NULL)
    open_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  count = GPOINTER_TO_UINT (g_hash_table_lookup (open_files, file_id));

  if (!check_existing (path, count > 0, &defer, error))
    return NULL;
  self = open_store (path, defer, error);
  if (self == NULL)
    return NULL;

  g_hash_table_insert (open_files, g_strdup (file_id), GUINT_TO_POINTER (count + 1));
  self->file_id = g_steal_pointer (&file_id);
  return self;
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  TfStore *store;

  if (g_task_return_error_if_cancelled (task))
    return;
  store = tf_store_open (task_data, &error);
  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

void
tf_store_open_async (const char          *path,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

TfStore *
tf_store_open_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tf_store_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
tf_store_get_path (TfStore *self)
{
  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  return self->path;
}

const char *
tf_store_get_uuid (TfStore *self)
{
  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  return self->uuid;
}

gboolean
tf_store_is_new (TfStore *self)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) check = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  check = tf_store_meta_get (self, "key_check", &error);
  /* Fails closed: when in doubt, the store is not new and no key is made. */
  if (error != NULL)
    {
      g_debug ("Reading the key check of %s: %s", self->path, error->message);
      return FALSE;
    }
  return check == NULL;
}

static gboolean
attach_vault_locked (TfStore  *self,
                     TfVault  *vault,
                     GError  **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) check = tf_store_meta_get (self, "key_check", &local_error);
  TfVault *previous;
  gboolean ok;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (check != NULL)
    return tf_vault_check_key (vault, check, error);

  check = tf_vault_make_key_check (vault);
  /* The audit chain starts with this key; borrowed only for that. */
  previous = self->vault;
  self->vault = vault;
  ok = tf_store_meta_set (self, "key_check", g_bytes_get_data (check, NULL),
                          g_bytes_get_size (check), error) &&
       tf_store_audit_start (self, error);
  self->vault = previous;
  return ok;
}

gboolean
tf_store_attach_vault (TfStore  *self,
                       TfVault  *vault,
                       GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (TF_IS_VAULT (vault), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_begin (self, error))
    return FALSE;
  if (!tf_store_finish (self, attach_vault_locked (self, vault, error), error))
    return FALSE;
  g_set_object (&self->vault, vault);
  return TRUE;
}

TfVault *
tf_store_get_vault (TfStore *self)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  return self->vault;
}

gboolean
tf_store_check_integrity (TfStore  *self,
                          GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GString) report = g_string_new (NULL);

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!wait_for_check_locked (self, error))
    return FALSE;
  if (!run_pragma (self->db, self->path, "PRAGMA integrity_check(20)", report, error))
    return FALSE;
  if (g_strcmp0 (report->str, "ok") == 0)
    return TRUE;

  g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED,
               _("The account store at %s is damaged. It has been left as it is; "
                 "restore it from a backup or move it aside to start a new one.\n%s"),
               self->path, report->str);
  return FALSE;
}

/* The deferred quick_check. */

/* Lets the check's thread go, or wakes it to find the check done. */
static void
release_check_thread (TfStore *self)
{
  g_mutex_lock (&self->hold_lock);
  self->check_held = FALSE;
  g_cond_broadcast (&self->hold_cond);
  g_mutex_unlock (&self->hold_lock);
}

/* Runs it on the store's own connection; the lock held. */
static void
run_check_locked (TfStore *self)
{
  g_autoptr(GString) report = g_string_new (NULL);
  GError *error = NULL;

  if (run_pragma (self->db, self->path, "PRAGMA quick_check", report, &error) &&
      g_strcmp0 (report->str, "ok") != 0)
    {
      g_debug ("%s: quick_check failed: %.500s", self->path, report->str);
      set_damaged (self->path, &error);
    }

  if (error == NULL)
    {
      self->check_state = TF_STORE_CHECK_PASSED;
      sqlite3_set_authorizer (self->db, NULL, NULL);
    }
  else
    {
      /* Whatever stopped the check (damage, or an I/O error) stops the
       * store: not one more statement runs on it. */
      self->check_state = TF_STORE_CHECK_FAILED;
      self->check_error = error;
      sqlite3_set_authorizer (self->db, authorize_nothing, NULL);
      g_hash_table_remove_all (self->statements);
    }
  release_check_thread (self);
}

static gpointer
check_thread (gpointer data)
{
  g_autoptr(TfStore) self = data;
  gint64 deadline = g_get_monotonic_time () + CHECK_HOLD_MS * G_TIME_SPAN_MILLISECOND;

#ifdef __linux__
  if (setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), CHECK_THREAD_NICE) != 0)
    g_debug ("Could not lower the priority of the store check: %s", g_strerror (errno));
#endif
  g_mutex_lock (&self->hold_lock);
  while (self->check_held &&
         g_cond_wait_until (&self->hold_cond, &self->hold_lock, deadline))
    ;
  g_mutex_unlock (&self->hold_lock);

  g_rec_mutex_lock (&self->lock);
  /* Unless a store call needed it first and ran it itself. */
  if (self->check_state == TF_STORE_CHECK_RUNNING)
    run_check_locked (self);
  g_rec_mutex_unlock (&self->lock);

  g_mutex_lock (&self->hold_lock);
  self->check_thread_alive = FALSE;
  g_cond_broadcast (&self->hold_cond);
  g_mutex_unlock (&self->hold_lock);
  return NULL;
}

void
tf_store_start_check (TfStore *self)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread;

  g_return_if_fail (TF_IS_STORE (self));

  locker = g_rec_mutex_locker_new (&self->lock);
  if (self->check_state != TF_STORE_CHECK_DEFERRED)
    return;

  /* From here on tf_store_prepare () waits for the check (or runs it). */
  self->check_state = TF_STORE_CHECK_RUNNING;
  g_mutex_lock (&self->hold_lock);
  self->check_held = TRUE;
  self->check_thread_alive = TRUE;
  g_mutex_unlock (&self->hold_lock);
  thread = g_thread_try_new ("tf-store-check", check_thread, g_object_ref (self), &error);
  if (thread != NULL)
    {
      g_thread_unref (thread);
      return;
    }
  g_debug ("No thread for the check of %s (%s): checking now", self->path, error->message);
  g_object_unref (self);
  g_mutex_lock (&self->hold_lock);
  self->check_thread_alive = FALSE;
  g_mutex_unlock (&self->hold_lock);
  run_check_locked (self);
}

gboolean
tf_store_check (TfStore  *self,
                GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The verdict is wanted: the check's thread goes now, at its own low
   * priority, and is waited for without the lock, which it needs. */
  release_check_thread (self);
  g_mutex_lock (&self->hold_lock);
  while (self->check_thread_alive)
    g_cond_wait (&self->hold_cond, &self->hold_lock);
  g_mutex_unlock (&self->hold_lock);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (self->check_state == TF_STORE_CHECK_DEFERRED)
    run_check_locked (self);
  return wait_for_check_locked (self, error);
}

static void
check_task_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GError *error = NULL;

  if (tf_store_check (source_object, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
tf_store_check_async (TfStore             *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TF_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_store_check_async);
  /* A cancelled wait ends at once; the check itself goes on. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, check_task_thread);
}

gboolean
tf_store_check_finish (TfStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tf_store_check_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
