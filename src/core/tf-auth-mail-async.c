/* tf-auth-mail-async.c — _async/_finish pairs of the reset and
 * verification calls, run in a worker thread like tf-auth-async.c. The
 * codes and passwords are copied into secure memory before the call
 * returns. */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include "tf-auth-private.h"

typedef enum {
  OP_REQUEST_RESET,
  OP_RESET_PASSWORD,
  OP_REQUEST_VERIFICATION,
  OP_VERIFY_EMAIL,
  OP_CHANGE_EMAIL,
} Op;

typedef struct {
  Op              op;
  gint64          user_id;
  char           *identifier;
  TfSecureBuffer *reset_code;
  TfSecureBuffer *new_password;
  TfSecureBuffer *confirmation;
  TfSecureBuffer *code;
} Call;

static void
call_free (Call *call)
{
  g_free (call->identifier);
  g_clear_pointer (&call->reset_code, tf_secure_buffer_unref);
  g_clear_pointer (&call->new_password, tf_secure_buffer_unref);
  g_clear_pointer (&call->confirmation, tf_secure_buffer_unref);
  g_clear_pointer (&call->code, tf_secure_buffer_unref);
  g_free (call);
}

static TfSecureBuffer *
secure_copy (const char *text)
{
  return text != NULL ? tf_secure_buffer_new_from_string (text) : NULL;
}

static const char *
str (TfSecureBuffer *buffer)
{
  return buffer != NULL ? tf_secure_buffer_get_string (buffer) : NULL;
}

static void
run_call (GTask        *task,
          gpointer      source_object,
          gpointer      task_data,
          GCancellable *cancellable)
{
  TfAuth *self = source_object;
  Call *call = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (call->op)
    {
    case OP_REQUEST_RESET:
      ok = tf_auth_request_reset (self, call->identifier, &error);
      break;
    case OP_RESET_PASSWORD:
      ok = tf_auth_reset_password (self, call->identifier, str (call->reset_code),
                                   str (call->new_password), str (call->confirmation),
                                   str (call->code), &error);
      break;
    case OP_REQUEST_VERIFICATION:
      ok = tf_auth_request_email_verification (self, call->user_id, &error);
      break;
    case OP_VERIFY_EMAIL:
      ok = tf_auth_verify_email (self, call->user_id, str (call->code), &error);
      break;
    case OP_CHANGE_EMAIL:
      ok = tf_auth_change_email (self, call->user_id, call->identifier,
                                 str (call->new_password), str (call->code), &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
start (TfAuth              *self,
       Call                *call,
       gpointer             tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  tf_auth_run_in_thread (self, call, (GDestroyNotify) call_free, run_call, tag, cancellable,
                         callback, user_data);
}

void
tf_auth_request_reset_async (TfAuth              *self,
                             const char          *identifier,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Call *call;

  g_return_if_fail (TF_IS_AUTH (self));

  call = g_new0 (Call, 1);
  call->op = OP_REQUEST_RESET;
  call->identifier = g_strdup (identifier);
  start (self, call, tf_auth_request_reset_async, cancellable, callback, user_data);
}

gboolean
tf_auth_request_reset_finish (TfAuth        *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return tf_auth_finish_boolean (self, result, tf_auth_request_reset_async, error);
}

void
tf_auth_reset_password_async (TfAuth              *self,
                              const char          *identifier,
                              const char          *reset_code,
                              const char          *new_password,
                              const char          *confirmation,
                              const char          *code,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Call *call;

  g_return_if_fail (TF_IS_AUTH (self));

  call = g_new0 (Call, 1);
  call->op = OP_RESET_PASSWORD;
  call->identifier = g_strdup (identifier);
  call->reset_code = secure_copy (reset_code);
  call->new_password = secure_copy (new_password);
  call->confirmation = secure_copy (confirmation);
  call->code = secure_copy (code);
  start (self, call, tf_auth_reset_password_async, cancellable, callback, user_data);
}

gboolean
tf_auth_reset_password_finish (TfAuth        *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return tf_auth_finish_boolean (self, result, tf_auth_reset_password_async, error);
}

void
tf_auth_request_email_verification_async (TfAuth              *self,
                                          gint64               user_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  Call *call;

  g_return_if_fail (TF_IS_AUTH (self));

  call = g_new0 (Call, 1);
  call->op = OP_REQUEST_VERIFICATION;
  call->user_id = user_id;
  start (self, call, tf_auth_request_email_verification_async, cancellable, callback, user_data);
}

gboolean
tf_auth_request_email_verification_finish (TfAuth        *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  return tf_auth_finish_boolean (self, result, tf_auth_request_email_verification_async, error);
}

void
tf_auth_verify_email_async (TfAuth              *self,
                            gint64               user_id,
                            const char          *code,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Call *call;

  g_return_if_fail (TF_IS_AUTH (self));

  call = g_new0 (Call, 1);
  call->op = OP_VERIFY_EMAIL;
  call->user_id = user_id;
  call->code = secure_copy (code);
  start (self, call, tf_auth_verify_email_async, cancellable, callback, user_data);
}

gboolean
tf_auth_verify_email_finish (TfAuth        *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return tf_auth_finish_boolean (self, result, tf_auth_verify_email_async, error);
}

/* The new address travels in identifier, the current password in
 * new_password: the fields the reset calls use for them. */
void
tf_auth_change_email_async (TfAuth              *self,
                            gint64               user_id,
                            const char          *new_email,
                            const char          *password,
                            const char          *code,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Call *call;

  g_return_if_fail (TF_IS_AUTH (self));

  call = g_new0 (Call, 1);
  call->op = OP_CHANGE_EMAIL;
  call->user_id = user_id;
  call->identifier = g_strdup (new_email);
  call->new_password = secure_copy (password);
  call->code = secure_copy (code);
  start (self, call, tf_auth_change_email_async, cancellable, callback, user_data);
}

gboolean
tf_auth_change_email_finish (TfAuth        *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return tf_auth_finish_boolean (self, result, tf_auth_change_email_async, error);
}
