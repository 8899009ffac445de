/* tf-store.h
 *
 * Contract: the account store, one SQLite file. The API speaks in
 * operations ("consume a TOTP step", "record a failure", "use a recovery
 * code"), never in SQL, so another backend (PostgreSQL for many seats) can
 * sit behind the same functions with the same atomic check-and-set meaning.
 *
 * Opening (tf_store_open):
 * - the directory is created 0700, the database and its -wal/-shm are 0600
 *   whatever the umask (looser modes are narrowed at every open); a symlink
 *   anywhere in the last component (directory or file) is refused, and so is
 *   a directory anyone may write to without the sticky bit
 *   (TF_STORE_ERROR_PERMISSION);
 * - a new store is built in a temporary file and renamed into place, so a
 *   real store is never empty: an existing zero-length, truncated or
 *   otherwise unreadable file, one failing PRAGMA quick_check, or an SQLite
 *   database that is not an account store (user_version 0), is
 *   TF_STORE_ERROR_DAMAGED and its bytes are left exactly as they were
 *   (these checks read it without locks or -wal/-shm when no -wal exists);
 * - tf_store_open_full () with TF_STORE_OPEN_DEFER_CHECK leaves quick_check,
 *   which reads the whole file, for later (the GUI's start-up: see below);
 * - the schema version lives in PRAGMA user_version; migrations are numbered
 *   and each runs in one transaction; a store written by a newer Twofold is
 *   TF_STORE_ERROR_NEWER and left untouched;
 * - WAL, synchronous=FULL, busy_timeout 5 s, foreign keys on, secure_delete
 *   on. Every read-check-write runs under BEGIN IMMEDIATE, so two processes
 *   sharing the file never both win. Every query is bound with parameters.
 * - one process may open the same file several times (later opens skip the
 *   raw file checks so as not to drop the first one's POSIX locks); other
 *   SQLite code in the same process must not open it alongside.
 *
 * Secrets: after the vault is loaded for the store's UUID, it is attached
 * with tf_store_attach_vault (), which checks it against the stored key-check
 * value (or records it for a new store). Password hashes and TOTP secrets are
 * sealed with the row's user id and column name as associated data; recovery
 * codes are stored as keyed hashes made by the caller. Operations that need
 * the vault fail with TF_STORE_ERROR_LOCKED until one is attached; a sealed
 * value that does not open is the vault's TF_VAULT_ERROR_UNREADABLE.
 *
 * Users: usernames are normalised (NFKC + casefold) by the store as well,
 * on create and find, so "Alice" and "ＡＬＩＣＥ" are one account. An
 * operation on a user id (or TOTP row) that does not exist fails with
 * TF_STORE_ERROR_NOT_FOUND, except where FALSE-without-error is documented.
 *
 * Threads: a TfStore may be used from several threads; each call is atomic
 * with respect to the others. All calls block on disk I/O; the _async
 * variants run them in a worker thread for the UI.
 *
 * Times are Unix seconds supplied by the caller (the service's injectable
 * clock); the store never reads the clock itself, except for the
 * informational created_at written into a new store's meta table.
 */
#pragma once

#include <gio/gio.h>

#include "tf-secure-buffer.h"
#include "tf-vault.h"

G_BEGIN_DECLS

#define TF_STORE_ERROR (tf_store_error_quark ())
#define TF_STORE_SCHEMA_VERSION 2
#define TF_STORE_RECOVERY_HASH_SIZE 32

typedef enum {
  TF_STORE_ERROR_DAMAGED,     /* corrupt, truncated, empty, not a database */
  TF_STORE_ERROR_NEWER,       /* written by a newer version */
  TF_STORE_ERROR_PERMISSION,  /* symlink, unsafe permissions, unreadable */
  TF_STORE_ERROR_IO,          /* disk full, read-only, other I/O */
  TF_STORE_ERROR_BUSY,        /* another process held the lock past the timeout */
  TF_STORE_ERROR_EXISTS,      /* username taken */
  TF_STORE_ERROR_NOT_FOUND,
  TF_STORE_ERROR_LOCKED,      /* no vault attached yet */
} TfStoreError;

typedef enum {
  TF_USER_STATE_PENDING,
  TF_USER_STATE_ACTIVE,
  TF_USER_STATE_DISABLED,
} TfUserState;

typedef struct {
  gint64       id;
  char        *username;          /* normalised: NFKC + casefold */
  char        *first_name;
  char        *last_name;
  char        *email;             /* as typed */
  gint64       email_verified_at; /* 0 = not verified */
  TfUserState  state;
  gint64       created_at;
  gint64       last_login_at;     /* 0 = never */
  guint        failed_since_login;
} TfUser;

typedef struct {
  TfSecureBuffer *secret;         /* raw key bytes */
  TfSecureBuffer *pending_secret; /* re-enrolment in progress, or NULL */
  char           *algorithm;      /* "SHA1" */
  guint           digits;
  guint           period;
  gint64          last_step;      /* -1 = none used yet */
  gint            drift_steps;
  gint64          confirmed_at;   /* 0 = not confirmed */
} TfTotpRecord;

/* Throttle state of one key (normalised username, or "seat:NAME"). */
typedef struct {
  guint  failures;
  gint64 next_allowed_at;         /* 0 = free */
  gint64 window_start;            /* start of the current one-hour window */
  guint  window_attempts;         /* attempts evaluated in that window */
} TfThrottleState;

typedef struct {
  gint64  id;
  gint64  time;
  char   *username;               /* may be NULL (admin, unknown user) */
  char   *event;
  char   *detail;                 /* may be NULL */
} TfAuditEntry;

#define TF_TYPE_STORE (tf_store_get_type ())
G_DECLARE_FINAL_TYPE (TfStore, tf_store, TF, STORE, GObject)

GQuark        tf_store_error_quark        (void);

void          tf_user_free                (TfUser        *user);
void          tf_totp_record_free         (TfTotpRecord  *record);
void          tf_audit_entry_free         (TfAuditEntry  *entry);
const char   *tf_user_state_to_string     (TfUserState    state);

/* Opening and the vault. */
TfStore      *tf_store_open               (const char    *path,
                                           GError       **error);
void          tf_store_open_async         (const char          *path,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
TfStore      *tf_store_open_finish        (GAsyncResult  *result,
                                           GError       **error);

/* The deferred quick_check. With TF_STORE_OPEN_DEFER_CHECK, an existing
 * store in WAL mode with nothing pending in its -wal and no migration to
 * run is opened without PRAGMA quick_check (any other file is checked at
 * open as usual; the cheap checks of the bytes and the schema version are
 * always made). Until the check has passed, SQLite is told to refuse
 * every table but meta, so only the UUID and the key check can be read
 * (tf_store_is_new (), tf_store_attach_vault () of a store that has a key):
 * no account data is read and nothing is written to the file; any other
 * call fails with TF_STORE_ERROR_LOCKED.
 * - tf_store_start_check (): runs the check in a thread of its own, on the
 *   store's connection, at low priority, once the verdict is asked for
 *   (tf_store_check ()) or after 5 s (the GUI asks after its window's
 *   first frame); from its return every call waits for the verdict, or
 *   runs the check itself when the thread has not begun;
 * - after a failed check every call fails with that error
 *   (TF_STORE_ERROR_DAMAGED), and the file is left as it was;
 * - tf_store_check (): the verdict — runs a check not started yet, lets
 *   the check's thread go and waits for it; TRUE at once for a store
 *   checked at open. Not from inside an audited change (the thread needs
 *   the store's lock). */
typedef enum {
  TF_STORE_OPEN_DEFAULT = 0,
  TF_STORE_OPEN_DEFER_CHECK = 1 << 0,
} TfStoreOpenFlags;

TfStore      *tf_store_open_full          (const char        *path,
                                           TfStoreOpenFlags   flags,
                                           GError           **error);
void          tf_store_start_check        (TfStore       *self);
gboolean      tf_store_check              (TfStore       *self,
                                           GError       **error);
void          tf_store_check_async        (TfStore             *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      tf_store_check_finish       (TfStore       *self,
                                           GAsyncResult  *result,
                                           GError       **error);

const char   *tf_store_get_path           (TfStore       *self);
const char   *tf_store_get_uuid           (TfStore       *self);
/* TRUE while no vault was ever attached: the only state in which a new key
 * may be created for this store. */
gboolean      tf_store_is_new             (TfStore       *self);
gboolean      tf_store_attach_vault       (TfStore       *self,
                                           TfVault       *vault,
                                           GError       **error);
TfVault      *tf_store_get_vault          (TfStore       *self);
/* PRAGMA integrity_check; FALSE with TF_STORE_ERROR_DAMAGED and the report. */
gboolean      tf_store_check_integrity    (TfStore       *self,
                                           GError       **error);

/* Users. Returns the new id (> 0), or 0 with @error set (EXISTS when the
 * normalised username is taken). The names and e-mail may be NULL; without
 * @totp_secret no TOTP row is made. The account starts pending. */
gint64        tf_store_create_user        (TfStore              *self,
                                           const char           *username,
                                           const char           *first_name,
                                           const char           *last_name,
                                           const char           *email,
                                           const char           *password_hash,
                                           const TfSecureBuffer *totp_secret,
                                           gint64                now,
                                           GError              **error);
/* NULL without error when there is no such user. */
TfUser       *tf_store_find_user          (TfStore       *self,
                                           const char    *username,
                                           GError       **error);
/* NULL with TF_STORE_ERROR_NOT_FOUND when there is no such user. */
TfUser       *tf_store_get_user           (TfStore       *self,
                                           gint64         user_id,
                                           GError       **error);
GPtrArray    *tf_store_list_users         (TfStore       *self,
                                           GError       **error);
guint         tf_store_count_users        (TfStore       *self,
                                           GError       **error);
TfSecureBuffer *tf_store_get_password_hash (TfStore      *self,
                                           gint64         user_id,
                                           GError       **error);
gboolean      tf_store_set_password_hash  (TfStore       *self,
                                           gint64         user_id,
                                           const char    *password_hash,
                                           GError       **error);
gboolean      tf_store_set_user_state     (TfStore       *self,
                                           gint64         user_id,
                                           TfUserState    state,
                                           GError       **error);
gboolean      tf_store_set_email_verified (TfStore       *self,
                                           gint64         user_id,
                                           gint64         verified_at,
                                           GError       **error);
gboolean      tf_store_delete_user        (TfStore       *self,
                                           gint64         user_id,
                                           GError       **error);
/* Records a successful login: returns the previous last_login_at and the
 * failures counted since it, then sets last_login_at = now and resets the
 * count. */
gboolean      tf_store_record_login       (TfStore       *self,
                                           gint64         user_id,
                                           gint64         now,
                                           gint64        *previous_login_at,
                                           guint         *failed_since,
                                           GError       **error);
gboolean      tf_store_record_user_failure (TfStore      *self,
                                           gint64         user_id,
                                           GError       **error);
/* Deletes pending accounts created before cutoff that never logged in (an
 * account an administrator sent back to enrolment is kept); returns how
 * many. Their TOTP, codes and mail log go with them. */
guint         tf_store_expire_pending     (TfStore       *self,
                                           gint64         cutoff,
                                           GError       **error);

/* TOTP. NOT_FOUND when the user has no TOTP row. */
TfTotpRecord *tf_store_get_totp           (TfStore       *self,
                                           gint64         user_id,
                                           GError       **error);
/* The replay guard: atomically accepts step only if it is greater than the
 * last one used, and records it with the learned drift. FALSE without error
 * means the step (or a later one) was already used. */
gboolean      tf_store_consume_totp_step  (TfStore       *self,
                                           gint64         user_id,
                                           gint64         step,
                                           gint           drift_steps,
                                           gint64         now,
                                           GError       **error);
/* Confirms enrolment: consumes step like above, marks the secret confirmed
 * and a pending user active (a disabled one stays disabled), in one
 * transaction. FALSE without error when the step was already used. */
gboolean      tf_store_confirm_totp       (TfStore       *self,
                                           gint64         user_id,
                                           gint64         step,
                                           gint64         now,
                                           GError       **error);
/* Re-enrolment: a pending secret beside the active one (NULL removes it,
 * abandoning the re-enrolment) ... */
gboolean      tf_store_set_pending_totp   (TfStore              *self,
                                           gint64                user_id,
                                           const TfSecureBuffer *secret,
                                           GError              **error);
/* ... which replaces it once a code from it is confirmed: the replay guard
 * restarts at @step. FALSE without error when there is no pending secret
 * (already promoted, or abandoned). */
gboolean      tf_store_promote_pending_totp (TfStore     *self,
                                           gint64         user_id,
                                           gint64         step,
                                           gint64         now,
                                           GError       **error);
/* Admin reset: new unconfirmed secret (the TOTP row is made if missing), no
 * pending secret, last step cleared, an active user back to pending (a
 * disabled one stays disabled). Recovery codes are kept. */
gboolean      tf_store_reset_totp         (TfStore              *self,
                                           gint64                user_id,
                                           const TfSecureBuffer *secret,
                                           GError              **error);

/* Recovery codes, as keyed hashes of TF_STORE_RECOVERY_HASH_SIZE bytes. */
gboolean      tf_store_replace_recovery_codes (TfStore      *self,
                                           gint64         user_id,
                                           const guint8  *hashes,
                                           guint          n_hashes,
                                           GError       **error);
/* Atomically marks the matching unused code used. FALSE without error when
 * no unused code matches. remaining may be NULL. */
gboolean      tf_store_use_recovery_code  (TfStore       *self,
                                           gint64         user_id,
                                           const guint8  *hash,
                                           gint64         now,
                                           guint         *remaining,
                                           GError       **error);
guint         tf_store_count_recovery_codes (TfStore     *self,
                                           gint64         user_id,
                                           GError       **error);
/* For listings: the unused recovery codes of every account that has any,
 * in one query — a GHashTable from user id (gint64 *, g_int64_hash) to the
 * count (GUINT_TO_POINTER); accounts without codes are absent. */
GHashTable   *tf_store_count_all_recovery_codes (TfStore *self,
                                           GError       **error);

/* Throttling. */
gboolean      tf_store_get_throttle       (TfStore         *self,
                                           const char      *key,
                                           TfThrottleState *state,
                                           GError         **error);
/* Atomically: reads the key's state, lets update () change it (it returns
 * FALSE to leave the row as it was), writes it back. The callback runs with
 * the write lock held; it must not call the store. */
typedef gboolean (*TfThrottleUpdateFunc) (TfThrottleState *state,
                                          gpointer         user_data);
gboolean      tf_store_update_throttle    (TfStore              *self,
                                           const char           *key,
                                           TfThrottleUpdateFunc  update,
                                           gpointer              user_data,
                                           GError              **error);
/* The same for several keys, each with its own user_data, in one
 * transaction. */
gboolean      tf_store_update_throttles   (TfStore              *self,
                                           const char * const   *keys,
                                           guint                 n_keys,
                                           TfThrottleUpdateFunc  update,
                                           gpointer             *user_data,
                                           GError              **error);
gboolean      tf_store_clear_throttle     (TfStore       *self,
                                           const char    *key,
                                           GError       **error);
/* For listings: every throttle key that starts with @prefix, in one
 * query — a GHashTable from the key (char *) to its TfThrottleState *. */
GHashTable   *tf_store_list_throttles     (TfStore       *self,
                                           const char    *prefix,
                                           GError       **error);

/* Audit log, MAC-chained with the vault's AUDIT key; meta keeps a MAC of
 * the newest entry's MAC and the entry count, started when the key was
 * first attached. Appending to a chain whose end was cut fails with
 * TF_STORE_ERROR_DAMAGED rather than hide the cut. */
gboolean      tf_store_append_audit       (TfStore       *self,
                                           gint64         now,
                                           const char    *username,
                                           const char    *event,
                                           const char    *detail,
                                           GError       **error);

/* An audited change: the store calls made between tf_store_audit_begin ()
 * and tf_store_audit_commit () form one transaction (BEGIN IMMEDIATE) that
 * commits together with one audit entry, so the change and its entry are
 * both on disk or neither is. Meanwhile the calling thread holds the store
 * (other threads' calls wait, other processes wait for the write lock), so
 * slow work (Argon2id) belongs before it where it can. A call inside that fails is rolled back
 * alone, but if any statement inside failed the commit fails too, with
 * that error. tf_store_audit_commit () and tf_store_audit_abandon () (the
 * g_autoptr cleanup, rolling everything back) both end the change. */
typedef struct _TfStoreAudit TfStoreAudit;

TfStoreAudit *tf_store_audit_begin        (TfStore       *self,
                                           GError       **error);
gboolean      tf_store_audit_commit       (TfStoreAudit  *change,
                                           gint64         now,
                                           const char    *username,
                                           const char    *event,
                                           const char    *detail,
                                           GError       **error);
void          tf_store_audit_abandon      (TfStoreAudit  *change);
GPtrArray    *tf_store_list_audit         (TfStore       *self,
                                           GError       **error);
/* FALSE with TF_STORE_ERROR_DAMAGED naming the first bad entry when a row
 * was edited, deleted or inserted out of the chain. */
gboolean      tf_store_verify_audit       (TfStore       *self,
                                           GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfUser, tf_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfTotpRecord, tf_totp_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfAuditEntry, tf_audit_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfStoreAudit, tf_store_audit_abandon)

G_END_DECLS
