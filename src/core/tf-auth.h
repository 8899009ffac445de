/* tf-auth.h
 *
 * Contract: the authentication service — registration, TOTP enrolment,
 * login with password + code, recovery codes, throttling and audit — over a
 * TfStore with its vault attached. The GUI and twofold-admin both use it;
 * neither touches the store for these flows.
 *
 * - Every blocking call (Argon2id, SQLite) has an _async/_finish pair that
 *   runs it in a worker thread; the blocking form is for tests and the CLI.
 * - Login failures are one generic TF_AUTH_ERROR_FAILED ("Invalid username,
 *   password or code") whatever went wrong; TF_AUTH_ERROR_CLOCK_SKEW is the
 *   same failure with a hint that the code matched a step ±10 minutes away,
 *   computed whether or not the password was right; TF_AUTH_ERROR_THROTTLED
 *   is refused before any Argon2id runs and says when to try again. Unknown
 *   usernames cost one Argon2id verify like known ones.
 * - Registration errors name the field (TF_AUTH_ERROR_INVALID_*), with a
 *   translated message meant to be shown under that field.
 * - Time comes from an injectable clock (tf_auth_set_clock) so tests never
 *   sleep.
 * - Store and vault errors (damaged store, keyring problems) pass through
 *   unchanged, in their own domains.
 * - Every change a flow makes (code used, counters, the account change) is
 *   committed in one transaction with its audit entry: if the entry cannot
 *   be written, nothing changed and the call fails with the store's error
 *   (a failed login then reports that error, not the generic failure).
 */
#pragma once

#include <gio/gio.h>

#include "tf-otpauth.h"
#include "tf-outbox.h"
#include "tf-password.h"
#include "tf-store.h"

G_BEGIN_DECLS

#define TF_AUTH_ERROR (tf_auth_error_quark ())

#define TF_AUTH_RECOVERY_CODES 10
#define TF_AUTH_PENDING_LIFETIME (24 * 60 * 60)
#define TF_AUTH_TOTP_SECRET_BYTES 20
#define TF_AUTH_SKEW_STEPS 20

typedef enum {
  TF_AUTH_ERROR_INVALID_USERNAME,
  TF_AUTH_ERROR_INVALID_FIRST_NAME,
  TF_AUTH_ERROR_INVALID_LAST_NAME,
  TF_AUTH_ERROR_INVALID_EMAIL,
  TF_AUTH_ERROR_INVALID_PASSWORD,
  TF_AUTH_ERROR_PASSWORD_MISMATCH,
  TF_AUTH_ERROR_USERNAME_TAKEN,
  TF_AUTH_ERROR_FAILED,
  TF_AUTH_ERROR_CLOCK_SKEW,
  TF_AUTH_ERROR_THROTTLED,
  TF_AUTH_ERROR_WRONG_CODE,
  TF_AUTH_ERROR_NO_SUCH_USER,
  TF_AUTH_ERROR_WRONG_STATE,
} TfAuthError;

typedef gint64 (*TfClockFunc) (gpointer user_data);

typedef enum {
  TF_LOGIN_OK,
  TF_LOGIN_ENROLMENT_NEEDED,  /* pending account, right password: resume enrolment */
} TfLoginStatus;

typedef struct {
  TfLoginStatus  status;
  TfUser        *user;
  gint64         previous_login_at;   /* 0 = first login */
  guint          failed_since;
  gboolean       used_recovery_code;
  guint          recovery_codes_left;
  gboolean       password_rehashed;
} TfLoginResult;

typedef struct {
  TfSecureBuffer *uri;                /* otpauth:// URI for the QR code */
  TfSecureBuffer *secret_base32;      /* the same secret for typing */
  char           *issuer;
  char           *account;
} TfEnrolment;

#define TF_TYPE_AUTH (tf_auth_get_type ())
G_DECLARE_FINAL_TYPE (TfAuth, tf_auth, TF, AUTH, GObject)

GQuark         tf_auth_error_quark          (void);
void           tf_login_result_free         (TfLoginResult *result);
void           tf_enrolment_free            (TfEnrolment   *enrolment);

/* Opens the store at store_path (creating it, and its key, only when
 * create is TRUE and no file is there), loads the master key from key_file
 * or, when NULL, the keyring (giving up after timeout_ms), checks the key
 * against the store, and returns the service. Errors are the store's and
 * the vault's, unchanged, so callers can say exactly what is wrong.
 *
 * tf_auth_open () runs the store's PRAGMA quick_check at open, as
 * twofold-admin needs. tf_auth_open_async () (and the prefetch) defers it
 * (TF_STORE_OPEN_DEFER_CHECK, tf-store.h) for the GUI, whose Log In page
 * should not wait for a read of the whole file: the service is returned
 * once the key has been checked against the store, with the check running
 * in a thread of its own; every store call waits for its verdict and, if
 * the store is damaged, fails with TF_STORE_ERROR_DAMAGED without reading
 * any account. tf_store_check_async () on tf_auth_get_store () reports the
 * verdict. */
TfAuth        *tf_auth_open                 (const char          *store_path,
                                             const char          *key_file,
                                             const char          *issuer,
                                             const char          *seat,
                                             gboolean             create,
                                             guint                timeout_ms,
                                             GCancellable        *cancellable,
                                             GError             **error);
void           tf_auth_open_async           (const char          *store_path,
                                             const char          *key_file,
                                             const char          *issuer,
                                             const char          *seat,
                                             gboolean             create,
                                             guint                timeout_ms,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
TfAuth        *tf_auth_open_finish          (GAsyncResult        *result,
                                             GError             **error);
/* Starts tf_auth_open () in a worker thread now, for the program to get on
 * with other work (the GUI: starting GTK) meanwhile; the next
 * tf_auth_open_async () with the same arguments, from the same main
 * context, takes its result over instead of opening again. Different
 * arguments, or cancelling that call, drop it. At most one at a time. */
void           tf_auth_open_prefetch        (const char          *store_path,
                                             const char          *key_file,
                                             const char          *issuer,
                                             const char          *seat,
                                             gboolean             create,
                                             guint                timeout_ms);
/* When the prefetch with these arguments has ended, hands its result over
 * at once, without the main loop: returns TRUE with *auth set, or the
 * open's error. Returns FALSE, setting nothing, when there is none, it
 * still runs or a tf_auth_open_async () has taken it over; other
 * arguments drop it. Main context only. */
gboolean       tf_auth_open_take_prefetch   (const char          *store_path,
                                             const char          *key_file,
                                             const char          *issuer,
                                             const char          *seat,
                                             gboolean             create,
                                             guint                timeout_ms,
                                             TfAuth             **auth,
                                             GError             **error);
/* Waits up to timeout_ms for the prefetch to end; FALSE when there is
 * none, or it has not ended by then. */
gboolean       tf_auth_open_prefetch_wait   (guint                timeout_ms);

/* issuer NULL = "Twofold"; seat NULL = "local". */
TfAuth        *tf_auth_new                  (TfStore       *store,
                                             const char    *issuer,
                                             const char    *seat);
TfStore       *tf_auth_get_store            (TfAuth        *self);
void           tf_auth_set_clock            (TfAuth        *self,
                                             TfClockFunc    clock,
                                             gpointer       user_data);
gint64         tf_auth_now                  (TfAuth        *self);
void           tf_auth_set_password_limits  (TfAuth                 *self,
                                             const TfPasswordLimits *limits);

/* Registration → user id of a new pending account with its TOTP secret. */
gint64         tf_auth_register             (TfAuth        *self,
                                             const char    *first_name,
                                             const char    *last_name,
                                             const char    *username,
                                             const char    *email,
                                             const char    *password,
                                             const char    *confirmation,
                                             GError       **error);

TfEnrolment   *tf_auth_get_enrolment        (TfAuth        *self,
                                             gint64         user_id,
                                             GError       **error);
/* Activates the account when code is valid for its secret; returns the
 * TF_AUTH_RECOVERY_CODES recovery codes (TfSecureBuffer, display form).
 * A wrong code is TF_AUTH_ERROR_WRONG_CODE and keeps the secret. */
GPtrArray     *tf_auth_confirm_enrolment    (TfAuth        *self,
                                             gint64         user_id,
                                             const char    *code,
                                             GError       **error);

TfLoginResult *tf_auth_login                (TfAuth        *self,
                                             const char    *username,
                                             const char    *password,
                                             const char    *code,
                                             GError       **error);

/* Account changes, each authorised by the current password and a code. */
gboolean       tf_auth_change_password      (TfAuth        *self,
                                             gint64         user_id,
                                             const char    *current_password,
                                             const char    *code,
                                             const char    *new_password,
                                             const char    *confirmation,
                                             GError       **error);
GPtrArray     *tf_auth_regenerate_recovery_codes (TfAuth   *self,
                                             gint64         user_id,
                                             const char    *password,
                                             const char    *code,
                                             GError       **error);
/* Starts re-enrolment: a new secret beside the old one, which stays valid
 * until tf_auth_confirm_reenrolment () succeeds with a code from the new. */
TfEnrolment   *tf_auth_begin_reenrolment    (TfAuth        *self,
                                             gint64         user_id,
                                             const char    *password,
                                             const char    *code,
                                             GError       **error);
gboolean       tf_auth_confirm_reenrolment  (TfAuth        *self,
                                             gint64         user_id,
                                             const char    *code,
                                             GError       **error);

/* Administration (twofold-admin): no password asked, every action audited. */
gint64         tf_auth_admin_add            (TfAuth        *self,
                                             const char    *username,
                                             const char    *first_name,
                                             const char    *last_name,
                                             const char    *email,
                                             const char    *password,
                                             GError       **error);
TfUser        *tf_auth_admin_find           (TfAuth        *self,
                                             const char    *username,
                                             GError       **error);
gboolean       tf_auth_admin_set_state      (TfAuth        *self,
                                             const char    *username,
                                             TfUserState    state,
                                             GError       **error);
gboolean       tf_auth_admin_unlock         (TfAuth        *self,
                                             const char    *username,
                                             GError       **error);
gboolean       tf_auth_admin_delete         (TfAuth        *self,
                                             const char    *username,
                                             GError       **error);
TfEnrolment   *tf_auth_admin_reset_2fa      (TfAuth        *self,
                                             const char    *username,
                                             GError       **error);
/* The throttle key of an account: "user:" + normalised username. */
char          *tf_auth_throttle_key         (const char    *normalised_username);
guint          tf_auth_expire_pending       (TfAuth        *self,
                                             GError       **error);

/* Async forms for the UI. The string arguments are copied (passwords into
 * secure memory) before the call returns. */
void           tf_auth_register_async       (TfAuth              *self,
                                             const char          *first_name,
                                             const char          *last_name,
                                             const char          *username,
                                             const char          *email,
                                             const char          *password,
                                             const char          *confirmation,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gint64         tf_auth_register_finish      (TfAuth              *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void           tf_auth_login_async          (TfAuth              *self,
                                             const char          *username,
                                             const char          *password,
                                             const char          *code,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
TfLoginResult *tf_auth_login_finish         (TfAuth              *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void           tf_auth_get_enrolment_async  (TfAuth              *self,
                                             gint64               user_id,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
TfEnrolment   *tf_auth_get_enrolment_finish (TfAuth              *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void           tf_auth_confirm_enrolment_async  (TfAuth              *self,
                                                 gint64               user_id,
                                                 const char          *code,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GPtrArray     *tf_auth_confirm_enrolment_finish (TfAuth              *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void           tf_auth_change_password_async    (TfAuth              *self,
                                                 gint64               user_id,
                                                 const char          *current_password,
                                                 const char          *code,
                                                 const char          *new_password,
                                                 const char          *confirmation,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean       tf_auth_change_password_finish   (TfAuth              *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
void           tf_auth_regenerate_recovery_codes_async  (TfAuth              *self,
                                                         gint64               user_id,
                                                         const char          *password,
                                                         const char          *code,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
GPtrArray     *tf_auth_regenerate_recovery_codes_finish (TfAuth              *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void           tf_auth_begin_reenrolment_async    (TfAuth              *self,
                                                   gint64               user_id,
                                                   const char          *password,
                                                   const char          *code,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
TfEnrolment   *tf_auth_begin_reenrolment_finish   (TfAuth              *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
void           tf_auth_confirm_reenrolment_async  (TfAuth              *self,
                                                   gint64               user_id,
                                                   const char          *code,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean       tf_auth_confirm_reenrolment_finish (TfAuth              *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Password reset and e-mail verification (tf-auth-mail.c).
 *
 * - tf_auth_request_reset (): "Forgot password?" with a username or an
 *   e-mail address. Always the same answer (TRUE) after about the same work,
 *   whether or not an account matched; only bad input, throttling (per
 *   identifier and per seat) and store failures are errors. When an active
 *   account with a verified e-mail matches, an 8-digit code is queued in the
 *   outbox: valid 10 minutes, 5 attempts, single use, stored as a keyed hash,
 *   a new code revoking the old; at most 3 such mails per account per hour.
 * - tf_auth_reset_password (): the identifier again, the mailed code, the new
 *   password twice and the current authenticator code or a recovery code —
 *   mail alone never takes an account over. Any mismatch is the one generic
 *   TF_AUTH_ERROR_FAILED; password policy errors come first, as in
 *   registration. Success revokes the code and mails a "password changed"
 *   notice. Every step is audited ("reset.*").
 * - E-mail verification: a code is mailed after registration (and on
 *   request, tf_auth_request_email_verification); until tf_auth_verify_email
 *   accepts it, no reset code is sent to that address. Notices also follow
 *   authenticator re-enrolment and recovery-code regeneration.
 * Codes are typed with or without spaces ("1234 5678"). */
#define TF_AUTH_MAIL_CODE_DIGITS 8
#define TF_AUTH_MAIL_CODE_LIFETIME (10 * 60)
#define TF_AUTH_MAIL_CODE_ATTEMPTS 5
#define TF_AUTH_MAIL_PER_HOUR 3

/* The worker to wake when mail is queued (NULL for none; weak reference). */
void           tf_auth_set_outbox_worker    (TfAuth              *self,
                                             TfOutboxWorker      *worker);

gboolean       tf_auth_request_reset        (TfAuth              *self,
                                             const char          *identifier,
                                             GError             **error);
gboolean       tf_auth_reset_password       (TfAuth              *self,
                                             const char          *identifier,
                                             const char          *reset_code,
                                             const char          *new_password,
                                             const char          *confirmation,
                                             const char          *code,
                                             GError             **error);
/* WRONG_STATE when the account has no e-mail or it is already verified,
 * THROTTLED after 3 codes in an hour. */
gboolean       tf_auth_request_email_verification (TfAuth        *self,
                                             gint64               user_id,
                                             GError             **error);
/* WRONG_CODE for a wrong, used up or expired code. */
gboolean       tf_auth_verify_email         (TfAuth              *self,
                                             gint64               user_id,
                                             const char          *code,
                                             GError             **error);

/* E-mail change (tf-auth-email.c): the address is a recovery channel, so
 * the current password and a code (authenticator or recovery) authorise it,
 * as for tf_auth_change_password (). The new address, checked as at
 * registration (TF_AUTH_ERROR_INVALID_EMAIL, also for the address the
 * account has already), is stored unverified and the account's mailed code
 * revoked: no reset code is sent until a verification code, mailed to the
 * new address, is entered. The old address, if it was verified, gets an
 * "e-mail address changed" notice. Audited ("email.changed"). */
gboolean       tf_auth_change_email         (TfAuth              *self,
                                             gint64               user_id,
                                             const char          *new_email,
                                             const char          *password,
                                             const char          *code,
                                             GError             **error);
void           tf_auth_change_email_async   (TfAuth              *self,
                                             gint64               user_id,
                                             const char          *new_email,
                                             const char          *password,
                                             const char          *code,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       tf_auth_change_email_finish  (TfAuth              *self,
                                             GAsyncResult        *result,
                                             GError             **error);

void           tf_auth_request_reset_async  (TfAuth              *self,
                                             const char          *identifier,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       tf_auth_request_reset_finish (TfAuth              *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void           tf_auth_reset_password_async (TfAuth              *self,
                                             const char          *identifier,
                                             const char          *reset_code,
                                             const char          *new_password,
                                             const char          *confirmation,
                                             const char          *code,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       tf_auth_reset_password_finish (TfAuth             *self,
                                              GAsyncResult       *result,
                                              GError            **error);
void           tf_auth_request_email_verification_async  (TfAuth              *self,
                                                          gint64               user_id,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
gboolean       tf_auth_request_email_verification_finish (TfAuth              *self,
                                                          GAsyncResult        *result,
                                                          GError             **error);
void           tf_auth_verify_email_async   (TfAuth              *self,
                                             gint64               user_id,
                                             const char          *code,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean       tf_auth_verify_email_finish  (TfAuth              *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfLoginResult, tf_login_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfEnrolment, tf_enrolment_free)

G_END_DECLS
