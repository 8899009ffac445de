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
void      tf_auth_record_failure         (TfAuth         *self,
                                          const char     *user_key,
                                          TfUser         *user);
void      tf_auth_clear_failures         (TfAuth         *self,
                                          const char     *user_key);
gboolean  tf_auth_check_credentials      (TfAuth         *self,
                                          TfUser         *user,
                                          const char     *password,
                                          const char     *code,
                                          TfCheckFlags    flags,
                                          TfCredentials  *creds,
                                          GError        **error);
/* Authorises an account change for user_id with password + code: throttle,
 * replay guard and audit included. The generic failure on any mismatch. */
TfUser   *tf_auth_authorise              (TfAuth         *self,
                                          gint64          user_id,
                                          const char     *password,
                                          const char     *code,
                                          const char     *action,
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
void      tf_auth_audit                  (TfAuth         *self,
                                          const char     *username,
                                          const char     *event,
                                          const char     *detail);
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

G_END_DECLS
