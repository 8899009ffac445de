/* tf-store-audit.c — the audit log, a MAC chain.
 *
 * mac_n = keyed_hash (AUDIT, mac_{n-1} || id || time || username || event
 * || detail), with mac_0 = 32 zero bytes, integers as little-endian 64-bit
 * and each string as a presence byte, a little-endian 32-bit length and its
 * bytes. A MAC over the last MAC and the number of entries is kept in meta
 * in the same transaction, so removing the newest entries is detected as
 * well, and no entry is appended to a chain whose end was cut.
 *
 * An audited change (TfStoreAudit) appends its entry inside the change's
 * own transaction, just before it commits. */
#define G_LOG_DOMAIN "tf-store"

#include "config.h"

#include "tf-store.h"
#include "tf-store-private.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#define META_HEAD  "audit_head"
#define META_COUNT "audit_count"

void
tf_audit_entry_free (TfAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->username);
  g_free (entry->event);
  g_free (entry->detail);
  g_free (entry);
}

static void
append_int64 (GByteArray *data,
              gint64      value)
{
  guint64 le = GUINT64_TO_LE ((guint64) value);

  g_byte_array_append (data, (const guint8 *) &le, sizeof le);
}

static void
append_string (GByteArray *data,
               const char *text)
{
  guint8 present = text != NULL;
  guint32 le = GUINT32_TO_LE (text != NULL ? (guint32) strlen (text) : 0);

  g_byte_array_append (data, &present, 1);
  g_byte_array_append (data, (const guint8 *) &le, sizeof le);
  if (text != NULL)
    g_byte_array_append (data, (const guint8 *) text, strlen (text));
}

static GByteArray *
mac_input (const guint8       *previous,
           const TfAuditEntry *entry)
{
  GByteArray *data = g_byte_array_new ();

  g_byte_array_append (data, previous, TF_VAULT_HASH_LENGTH);
  append_int64 (data, entry->id);
  append_int64 (data, entry->time);
  append_string (data, entry->username);
  append_string (data, entry->event);
  append_string (data, entry->detail);
  return data;
}

/* The tag kept in meta: a MAC over the newest entry's MAC and the number of
 * entries. Someone who deletes the newest entries cannot write the tag that
 * would match, since that needs the key. */
static void
head_tag (TfStore      *self,
          const guint8  mac[TF_VAULT_HASH_LENGTH],
          gint64        count,
          guint8        tag[TF_VAULT_HASH_LENGTH])
{
  static const char label[] = "twofold audit head";
  g_autoptr(GByteArray) data = g_byte_array_new ();

  g_byte_array_append (data, (const guint8 *) label, sizeof label);
  g_byte_array_append (data, mac, TF_VAULT_HASH_LENGTH);
  append_int64 (data, count);
  tf_vault_keyed_hash (self->vault, TF_VAULT_PURPOSE_AUDIT, data->data, data->len, tag);
}

/* 1 when the stored tag matches, 0 when not, -1 on error. */
static int
head_matches (TfStore       *self,
              const guint8   mac[TF_VAULT_HASH_LENGTH],
              gint64         count,
              GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) stored = tf_store_meta_get (self, META_HEAD, &local_error);
  guint8 tag[TF_VAULT_HASH_LENGTH];
  gint64 stored_count;

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  if (!tf_store_meta_get_int64 (self, META_COUNT, &stored_count, error))
    return -1;
  /* Written when the key was first attached: without it, deleting every
   * entry together with the head would look like a new store. */
  if (stored == NULL)
    return 0;
  head_tag (self, mac, count, tag);
  return stored_count == count && g_bytes_get_size (stored) == sizeof tag &&
         sodium_memcmp (g_bytes_get_data (stored, NULL), tag, sizeof tag) == 0;
}

static gboolean
set_missing (gint64    last_id,
             GError  **error)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, last_id);

  g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED,
               _("The audit log has been tampered with: entries after entry %s are missing."),
               number);
  return FALSE;
}

static gboolean
append_locked (TfStore       *self,
               TfAuditEntry  *entry,
               GError       **error)
{
  guint8 mac[TF_VAULT_HASH_LENGTH] = { 0, };
  gint64 count = 0, last_id = 0;

  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "SELECT id, mac FROM audit ORDER BY id DESC LIMIT 1", error);
    int rc;

    if (stmt == NULL)
      return FALSE;
    rc = tf_store_step (self, stmt, error);
    if (rc == SQLITE_ERROR)
      return FALSE;
    if (rc == SQLITE_ROW)
      {
        last_id = sqlite3_column_int64 (stmt, 0);
        if (sqlite3_column_bytes (stmt, 1) == TF_VAULT_HASH_LENGTH)
          memcpy (mac, sqlite3_column_blob (stmt, 1), sizeof mac);
      }
  }
  /* The count is bound into the head tag, so it can be trusted once the
   * tag matches. */
  if (!tf_store_meta_get_int64 (self, META_COUNT, &count, error))
    return FALSE;

  /* Never extend a chain whose end was cut: the new entry would hide it. */
  switch (head_matches (self, mac, count, error))
    {
    case 1:
      break;
    case 0:
      return set_missing (last_id, error);
    default:
      return FALSE;
    }

  {
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "INSERT INTO audit (time, username, event, detail) VALUES (?, ?, ?, ?)",
                        error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, entry->time);
    tf_store_bind_text (stmt, 2, entry->username);
    tf_store_bind_text (stmt, 3, entry->event);
    tf_store_bind_text (stmt, 4, entry->detail);
    if (tf_store_step (self, stmt, error) != SQLITE_DONE)
      return FALSE;
    entry->id = sqlite3_last_insert_rowid (self->db);
  }

  {
    g_autoptr(GByteArray) data = mac_input (mac, entry);
    g_autoptr(TfStoreStmt) stmt =
      tf_store_prepare (self, "UPDATE audit SET mac = ? WHERE id = ?", error);

    tf_vault_keyed_hash (self->vault, TF_VAULT_PURPOSE_AUDIT, data->data, data->len, mac);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_blob (stmt, 1, mac, sizeof mac, SQLITE_TRANSIENT);
    sqlite3_bind_int64 (stmt, 2, entry->id);
    if (tf_store_step (self, stmt, error) != SQLITE_DONE)
      return FALSE;
  }

  {
    guint8 tag[TF_VAULT_HASH_LENGTH];

    head_tag (self, mac, count + 1, tag);
    return tf_store_meta_set (self, META_HEAD, tag, sizeof tag, error) &&
           tf_store_meta_set_int64 (self, META_COUNT, count + 1, error);
  }
}

gboolean
tf_store_audit_start (TfStore  *self,
                      GError  **error)
{
  static const guint8 zeros[TF_VAULT_HASH_LENGTH] = { 0, };
  guint8 tag[TF_VAULT_HASH_LENGTH];

  head_tag (self, zeros, 0, tag);
  return tf_store_meta_set (self, META_HEAD, tag, sizeof tag, error) &&
         tf_store_meta_set_int64 (self, META_COUNT, 0, error);
}

gboolean
tf_store_append_audit (TfStore     *self,
                       gint64       now,
                       const char  *username,
                       const char  *event,
                       const char  *detail,
                       GError     **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  TfAuditEntry entry = { 0, now, (char *) username, (char *) event, (char *) detail };

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error) || !tf_store_begin (self, error))
    return FALSE;
  return tf_store_finish (self, append_locked (self, &entry, error), error);
}

struct _TfStoreAudit {
  TfStore *store;
  guint    depth;   /* store->depth inside this change */
};

TfStoreAudit *
tf_store_audit_begin (TfStore  *self,
                      GError  **error)
{
  TfStoreAudit *change;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Held until the change ends: no other thread's call may fall into
   * this transaction. */
  g_rec_mutex_lock (&self->lock);
  if (!tf_store_require_vault (self, error) || !tf_store_begin (self, error))
    {
      g_rec_mutex_unlock (&self->lock);
      return NULL;
    }
  if (self->changes++ == 0)
    g_clear_error (&self->change_error);

  change = g_new0 (TfStoreAudit, 1);
  change->store = g_object_ref (self);
  change->depth = self->depth;
  return change;
}

static void
end_change (TfStoreAudit *change)
{
  TfStore *self = change->store;

  /* Whatever is still open, down to and including this change. */
  while (self->depth >= change->depth)
    tf_store_rollback (self);
  self->changes--;
  g_rec_mutex_unlock (&self->lock);
  g_object_unref (self);
  g_free (change);
}

gboolean
tf_store_audit_commit (TfStoreAudit  *change,
                       gint64         now,
                       const char    *username,
                       const char    *event,
                       const char    *detail,
                       GError       **error)
{
  TfAuditEntry entry = { 0, now, (char *) username, (char *) event, (char *) detail };
  TfStore *self;
  gboolean ok;

  g_return_val_if_fail (change != NULL, FALSE);

  self = change->store;
  /* Programming errors, but the change must still end and unlock. */
  if (event == NULL || self->depth != change->depth)
    {
      g_critical ("An audited change committed without an event or with %d transactions "
                  "open inside it", (int) self->depth - (int) change->depth);
      g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_IO,
                   _("The account store at %s could not be read or written: %s"),
                   self->path, "unbalanced transaction");
      ok = FALSE;
    }
  else if (self->change_error != NULL)
    {
      /* Committing the rest would record less than happened. */
      g_propagate_error (error, g_error_copy (self->change_error));
      ok = FALSE;
    }
  else
    {
      ok = append_locked (self, &entry, error);
    }
  ok = tf_store_finish (self, ok, error);
  end_change (change);
  return ok;
}

void
tf_store_audit_abandon (TfStoreAudit *change)
{
  if (change != NULL)
    end_change (change);
}

static TfAuditEntry *
entry_from_row (TfStoreStmt *stmt)
{
  TfAuditEntry *entry = g_new0 (TfAuditEntry, 1);

  entry->id = sqlite3_column_int64 (stmt, 0);
  entry->time = sqlite3_column_int64 (stmt, 1);
  entry->username = tf_store_column_text (stmt, 2);
  entry->event = tf_store_column_text (stmt, 3);
  entry->detail = tf_store_column_text (stmt, 4);
  return entry;
}

GPtrArray *
tf_store_list_audit (TfStore  *self,
                     GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  g_autoptr(TfStoreStmt) stmt = NULL;
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) tf_audit_entry_free);
  int rc;

  g_return_val_if_fail (TF_IS_STORE (self), NULL);

  locker = g_rec_mutex_locker_new (&self->lock);
  stmt = tf_store_prepare (self, "SELECT id, time, username, event, detail FROM audit ORDER BY id",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = tf_store_step (self, stmt, error)) == SQLITE_ROW)
    g_ptr_array_add (entries, entry_from_row (stmt));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&entries);
}

static gboolean
set_tampered (gint64    id,
              GError  **error)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_set_error (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED,
               _("The audit log has been tampered with: entry %s does not match the entries before it."),
               number);
  return FALSE;
}

static gboolean
verify_locked (TfStore  *self,
               GError  **error)
{
  g_autoptr(TfStoreStmt) stmt = NULL;
  guint8 mac[TF_VAULT_HASH_LENGTH] = { 0, };
  gint64 seen = 0, last_id = 0;
  int rc;

  stmt = tf_store_prepare (self, "SELECT id, time, username, event, detail, mac FROM audit ORDER BY id",
                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = tf_store_step (self, stmt, error)) == SQLITE_ROW)
    {
      g_autoptr(TfAuditEntry) entry = entry_from_row (stmt);
      g_autoptr(GByteArray) data = mac_input (mac, entry);
      const void *stored = sqlite3_column_blob (stmt, 5);
      int stored_length = sqlite3_column_bytes (stmt, 5);

      if (stored == NULL || stored_length != TF_VAULT_HASH_LENGTH ||
          !tf_vault_keyed_hash_verify (self->vault, TF_VAULT_PURPOSE_AUDIT, data->data, data->len,
                                       stored, stored_length))
        return set_tampered (entry->id, error);
      memcpy (mac, stored, sizeof mac);
      last_id = entry->id;
      seen++;
    }
  if (rc != SQLITE_DONE)
    return FALSE;

  /* Every row chains; now the newest must be the one recorded last. */
  switch (head_matches (self, mac, seen, error))
    {
    case 1:
      return TRUE;
    case 0:
      return set_missing (last_id, error);
    default:
      return FALSE;
    }
}

gboolean
tf_store_verify_audit (TfStore  *self,
                       GError  **error)
{
  g_autoptr(GRecMutexLocker) locker = NULL;
  gboolean ok;

  g_return_val_if_fail (TF_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_rec_mutex_locker_new (&self->lock);
  if (!tf_store_require_vault (self, error) || !tf_store_begin_read (self, error))
    return FALSE;
  /* One snapshot: the rows and the head are read as of the same moment. */
  ok = verify_locked (self, error);
  tf_store_rollback (self);
  return ok;
}
