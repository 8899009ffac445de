/* tf-auth-async.c — _async/_finish pairs: each runs the blocking call in a
 * worker thread (g_task_run_in_thread) so the main loop never waits for
 * Argon2id or SQLite. Passwords and codes are copied into secure memory
 * before the call returns, so callers may clear their entries at once. */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include "tf-auth-private.h"

typedef enum {
  OP_REGISTER,
  OP_LOGIN,
  OP_GET_ENROLMENT,
  OP_CONFIRM_ENROLMENT,
  OP_CHANGE_PASSWORD,
  OP_REGENERATE_CODES,
  OP_BEGIN_REENROLMENT,
  OP_CONFIRM_REENROLMENT,
} Op;

typedef struct {
  Op              op;
  gint64          user_id;
  char           *first_name;
  char           *last_name;
  char           *username;
  char           *email;
  TfSecureBuffer *password;
  TfSecureBuffer *confirmation;
  TfSecureBuffer *new_password;
  TfSecureBuffer *code;
} Call;

static void
call_free (Call *call)
{
  g_free (call->first_name);
  g_free (call->last_name);
  g_free (call->username);
  g_free (call->email);
  g_clear_pointer (&call->password, tf_secure_buffer_unref);
  g_clear_pointer (&call->confirmation, tf_secure_buffer_unref);
  g_clear_pointer (&call->new_password, tf_secure_buffer_unref);
  g_clear_pointer (&call->code, tf_secure_buffer_unref);
  g_free (call);
}

static TfSecureBuffer *
secure_copy (const char *text)
{
  return tf_secure_buffer_new_from_string (text != NULL ? text : "");
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
  gpointer result = NULL;
  gint64 id;

  switch (call->op)
    {
    case OP_REGISTER:
      id = tf_auth_register (self, call->first_name, call->last_name, call->username,
                             call->email, str (call->password), str (call->confirmation),
                             &error);
      if (id > 0)
        g_task_return_int (task, id);
      else
        g_task_return_error (task, error);
      return;

    case OP_LOGIN:
      result = tf_auth_login (self, call->username, str (call->password), str (call->code),
                              &error);
      if (result != NULL)
        g_task_return_pointer (task, result, (GDestroyNotify) tf_login_result_free);
      break;

    case OP_GET_ENROLMENT:
      result = tf_auth_get_enrolment (self, call->user_id, &error);
      if (result != NULL)
        g_task_return_pointer (task, result, (GDestroyNotify) tf_enrolment_free);
      break;

    case OP_BEGIN_REENROLMENT:
      result = tf_auth_begin_reenrolment (self, call->user_id, str (call->password),
                                          str (call->code), &error);
      if (result != NULL)
        g_task_return_pointer (task, result, (GDestroyNotify) tf_enrolment_free);
      break;

    case OP_CONFIRM_ENROLMENT:
      result = tf_auth_confirm_enrolment (self, call->user_id, str (call->code), &error);
      if (result != NULL)
        g_task_return_pointer (task, result, (GDestroyNotify) g_ptr_array_unref);
      break;

    case OP_REGENERATE_CODES:
      result = tf_auth_regenerate_recovery_codes (self, call->user_id, str (call->password),
                                                  str (call->code), &error);
      if (result != NULL)
        g_task_return_pointer (task, result, (GDestroyNotify) g_ptr_array_unref);
      break;

    case OP_CHANGE_PASSWORD:
      if (tf_auth_change_password (self, call->user_id, str (call->password), str (call->code),
                                   str (call->new_password), str (call->confirmation), &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;

    case OP_CONFIRM_REENROLMENT:
      if (tf_auth_confirm_reenrolment (self, call->user_id, str (call->code), &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;

    default:
      g_assert_not_reached ();
    }

  if (result == NULL)
    g_task_return_error (task, error);
}

void
tf_auth_run_in_thread (TfAuth              *self,
                       gpointer             call,
                       GDestroyNotify       free_call,
                       GTaskThreadFunc      run,
                       gpointer             tag,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, call, free_call);
  /* The answer matters even if the caller went away (a login was counted). */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, run);
}

gpointer
tf_auth_finish_pointer (TfAuth        *self,
                        GAsyncResult  *result,
                        gpointer       tag,
                        GError       **error)
{
  g_return_val_if_fail (TF_IS_AUTH (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
tf_auth_finish_boolean (TfAuth        *self,
                        GAsyncResult  *result,
                        gpointer       tag,
                        GError       **error)
{
  g_return_val_if_fail (TF_IS_AUTH (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
tf_auth_register_async (TfAuth              *self,
                        const char          *first_name,
                        const char          *last_name,
                        const char          *username,
                        const char          *email,
                        const char          *password,
                        const char          *confirmation,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Call *call = g_new0 (Call, 1);

  g_return_if_fail (TF_IS_AUTH (self));

  call->op = OP_REGISTER;
  call->first_name = g_strdup (first_name);
  call->last_name = g_strdup (last_name);
  call->username = g_strdup (username);
  call->email = g_strdup (email);
  call->password = secure_copy (password);
  call->confirmation = secure_copy (confirmation);
  start (self, call, tf_auth_register_async, cancellable, callback, user_data);
}

gint64
tf_auth_register_finish (TfAuth        *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  return g_task_propagate_int (G_TASK (result), error);
}

void
tf_auth_login_async (TfAuth              *self,
                     const char          *username,
                     const char          *password,
                     const char          *code,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  Call *call = g_new0 (Call, 1);

  g_return_if_fail (TF_IS_AUTH (self));

  call->op = OP_LOGIN;
  call->username = g_strdup (username);
  call->password = secure_copy (password);
  call->code = secure_copy (code);
  start (self, call, tf_auth_login_async, cancellable, callback, user_data);
}

TfLoginResult *
tf_auth_login_finish (TfAuth        *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  return tf_auth_finish_pointer (self, result, tf_auth_login_async, error);
}

void
tf_auth_get_enrolment_async (TfAuth              *self,
                             gint64               user_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Call *call = g_new0 (Call, 1);

  g_return_if_fail (TF_IS_AUTH (self));

  call->op = OP_GET_ENROLMENT;
  call->user_id = user_id;
  start (self, call, tf_auth_get_enrolment_async, cancellable, callback, user_data);
}

TfEnrolment *
tf_auth_get_enrolment_finish (TfAuth        *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return tf_auth_finish_pointer (self, result, tf_auth_get_enrolment_async, error);
}

void
tf_auth_confirm_enrolment_async (TfAuth              *self,
                                 gint64               user_id,
                                 const char          *code,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Call *call = g_new0 (Call, 1);

  g_return_if_fail (TF_IS_AUTH (self));

  call->op = OP_CONFIRM_ENROLMENT;
  call->user_id = user_id;
  call->code = secure_copy (code);
  start (self, call, tf_auth_confirm_enrolment_async, cancellable, callback, user_data);
}

GPtrArray *
tf_auth_confirm_enrolment_finish (TfAuth        *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return tf_auth_finish_pointer (self, result, tf_auth_confirm_enrolment_async, error);
}

void
tf_auth_change_password_async (TfAuth              *self,
                               gint64               user_id,
                               const char          *current_password,
                               const char          *code,
                               const char          *new_password,
                               const char          *confirmation,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Call *call = g_new0 (Call, 1);

  g_return_if_fail (TF_IS_AUTH (self));

  call->op = OP_CHANGE_PASSWORD;
  call->user_id = user_id;
  call->password = secure_copy (current_password);
  call->code = secure_copy (code);
  call->new_password = secure_copy (new_password);
  call->confirmation = secure_copy (confirmation);
  start (self, call, tf_auth_change_password_async, cancellable, callback, user_data);
}

gboolean
tf_auth_change_password_finish (TfAuth        *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return tf_auth_finish_boolean (self, result, tf_auth_change_password_async, error);
}

void
tf_auth_regenerate_recovery_codes_async (TfAuth              *self,
                                         gint64               user_id,
                                         const char          *password,
                                         const char          *code,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Call *call = g_new0 (Call, 1);

  g_return_if_fail (TF_IS_AUTH (self));

  call->op = OP_REGENERATE_CODES;
  call->user_id = user_id;
  call->password = secure_copy (password);
  call->code = secure_copy (code);
  start (self, call, tf_auth_regenerate_recovery_codes_async, cancellable, callback, user_data);
}

GPtrArray *
tf_auth_regenerate_recovery_codes_finish (TfAuth        *self,
                                          GAsyncResult  *result,
                                          GError       **error)
{
  return tf_auth_finish_pointer (self, result, tf_auth_regenerate_recovery_codes_async, error);
}

void
tf_auth_begin_reenrolment_async (TfAuth              *self,
                                 gint64               user_id,
                                 const char          *password,
                                 const char          *code,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  Call *call = g_new0 (Call, 1);

  g_return_if_fail (TF_IS_AUTH (self));

  call->op = OP_BEGIN_REENROLMENT;
  call->user_id = user_id;
  call->password = secure_copy (password);
  call->code = secure_copy (code);
  start (self, call, tf_auth_begin_reenrolment_async, cancellable, callback, user_data);
}

TfEnrolment *
tf_auth_begin_reenrolment_finish (TfAuth        *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return tf_auth_finish_pointer (self, result, tf_auth_begin_reenrolment_async, error);
}

void
tf_auth_confirm_reenrolment_async (TfAuth              *self,
                                   gint64               user_id,
                                   const char          *code,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  Call *call = g_new0 (Call, 1);

  g_return_if_fail (TF_IS_AUTH (self));

  call->op = OP_CONFIRM_REENROLMENT;
  call->user_id = user_id;
  call->code = secure_copy (code);
  start (self, call, tf_auth_confirm_reenrolment_async, cancellable, callback, user_data);
}

gboolean
tf_auth_confirm_reenrolment_finish (TfAuth        *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return tf_auth_finish_boolean (self, result, tf_auth_confirm_reenrolment_async, error);
}
