/* tf-auth-private.h — shared between the tf-auth*.c files only. */
#pragma once

#include "tf-auth.h"
#include "tf-mail-compose.h"
#include "tf-validate.h"

G_BEGIN_DECLS

struct _TfAuth
{
  GObject parent_instance;

  /* Owned */
  TfStore *store;
  char *issuer;
  char *seat_key;
  TfPasswordLimits limits;
  TfClockFunc clock;
  gpointer clock_data;

  /* A hash of a random password with the current limits: unknown users are
   * verified against it so they cost the same Argon2id as known ones. */
  GMutex dummy_lock;
  char *dummy_hash;

  /* Woken when mail is queued (tf-auth-mail.c); may be empty. */
  GWeakRef outbox_worker;
};

/* What tf_auth_check_credentials () found out. */
typedef struct {
  TfUser   *user;              /* NULL for an unknown or unusable username */
  gboolean  password_ok;
  gboolean  code_ok;           /* TOTP step consumed or recovery code used */
  gboolean  used_recovery_code;
  guint     recovery_codes_left;
  gint64    skew_seconds;      /* non-zero: the code matched a far step */
  char     *password_hash;     /* the stored hash, for rehash decisions */
  /* What tf_auth_use_code () consumes: the matched TOTP step (-1: none)
   * with its drift, or the typed recovery code's keyed hash. */
  gint64    step;
  gint      drift;
  gboolean  recovery;
  guint8    recovery_hash[TF_STORE_RECOVERY_HASH_SIZE];
} TfCredentials;

typedef enum {
  TF_CHECK_CODE_REQUIRED = 0,
  /* A pending account with the right password passes without a code. */
  TF_CHECK_ALLOW_PENDING = 1 << 0,
} TfCheckFlags;

void      tf_credentials_clear           (TfCredentials  *creds);

gboolean  tf_auth_check_throttle         (TfAuth         *self,
                                          const char     *user_key,
                                          GError        **error);
/* These two write in the audited change that is open, if any, so that the
 * failure or success is recorded with its entry; a write that fails makes
 * that change fail to commit. */
void      tf_auth_record_failure         (TfAuth         *self,
                                          const char     *user_key,
                                          TfUser         *user);
void      tf_auth_clear_failures         (TfAuth         *self,
                                          const char     *user_key);
/* Runs the one Argon2id verify and matches the code, changing nothing:
 * tf_auth_use_code () then consumes the code, inside an audited change. */
gboolean  tf_auth_check_credentials      (TfAuth         *self,
                                          TfUser         *user,
                                          const char     *password,
                                          const char     *code,
                                          TfCheckFlags    flags,
                                          TfCredentials  *creds,
                                          GError        **error);
/* Consumes the TOTP step or recovery code that tf_auth_check_credentials ()
 * matched (sets code_ok); nothing for a wrong password or a pending
 * account. FALSE only for store errors. */
gboolean  tf_auth_use_code               (TfAuth         *self,
                                          TfCredentials  *creds,
                                          GError        **error);
/* Authorises an account change for user_id with password + code: throttle,
 * replay guard and audit included. The generic failure on any mismatch
 * (committed with an "authorise.failure" entry). On success, *change is
 * the audited change holding the consumed code: the caller makes its
 * change inside it and commits it with its own entry. */
TfUser   *tf_auth_authorise              (TfAuth         *self,
                                          gint64          user_id,
                                          const char     *password,
                                          const char     *code,
                                          const char     *action,
                                          TfStoreAudit  **change,
                                          GError        **error);
/* Checks code against secret around the current step; returns the matched
 * step or -1. */
gint64    tf_auth_match_totp             (TfAuth               *self,
                                          const TfSecureBuffer *secret,
                                          const TfSecureBuffer *code,
                                          gint                  drift_steps,
                                          gint64               *skew_seconds);
GPtrArray *tf_auth_new_recovery_codes    (TfAuth         *self,
                                          gint64          user_id,
                                          GError        **error);
TfEnrolment *tf_auth_make_enrolment      (TfAuth               *self,
                                          const char           *account,
                                          const TfSecureBuffer *secret);
/* An entry on its own, best effort: only for events that change nothing
 * (a refused attempt). A change is audited with tf_auth_commit (). */
void      tf_auth_audit                  (TfAuth         *self,
                                          const char     *username,
                                          const char     *event,
                                          const char     *detail);
/* Commits @change (taking it) with its audit entry, timed by the service's
 * clock: both land, or neither and @error says why. */
gboolean  tf_auth_commit                 (TfAuth         *self,
                                          TfStoreAudit   *change,
                                          const char     *username,
                                          const char     *event,
                                          const char     *detail,
                                          GError        **error);
TfSecureBuffer *tf_auth_prepare_new_password (const char *password,
                                              const char *confirmation,
                                              const char *username,
                                              const char *first_name,
                                              const char *last_name,
                                              const char *email,
                                              GError    **error);

/* Mail that follows an account change (tf-auth-mail.c). Failures are only
 * logged: the change itself has succeeded. */
void      tf_auth_mail_account_created   (TfAuth         *self,
                                          gint64          user_id);
void      tf_auth_mail_notice            (TfAuth         *self,
                                          gint64          user_id,
                                          TfMailKind      kind);
/* The same notice to the address in @user as given, when it was verified:
 * after an e-mail change, to the address the account had before. */
void      tf_auth_mail_notice_to         (TfAuth         *self,
                                          const TfUser   *user,
                                          TfMailKind      kind);

/* The worker-thread plumbing of the _async/_finish pairs (tf-auth-async.c,
 * tf-auth-mail-async.c): runs run () with call as the task data (freed
 * with free_call) and tag as the source tag; the answer stands even if the
 * caller cancels (a counted attempt). */
void      tf_auth_run_in_thread          (TfAuth              *self,
                                          gpointer             call,
                                          GDestroyNotify       free_call,
                                          GTaskThreadFunc      run,
                                          gpointer             tag,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gpointer  tf_auth_finish_pointer         (TfAuth              *self,
                                          GAsyncResult        *result,
                                          gpointer             tag,
                                          GError             **error);
gboolean  tf_auth_finish_boolean         (TfAuth              *self,
                                          GAsyncResult        *result,
                                          gpointer             tag,
                                          GError             **error);

G_END_DECLS
