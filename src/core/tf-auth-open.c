/* tf-auth-open.c — from settings to a ready service: open (or create) the
 * store, fetch its key, check the key against the store, build the service.
 * The GUI and twofold-admin share this one sequence. */
#define G_LOG_DOMAIN "tf-auth"

#include "config.h"

#include "tf-auth-private.h"

#include <glib/gi18n-lib.h>

typedef struct {
  char    *store_path;
  char    *key_file;
  char    *issuer;
  char    *seat;
  gboolean create;
  guint    timeout_ms;
} OpenArgs;

static void
open_args_free (OpenArgs *args)
{
  g_free (args->store_path);
  g_free (args->key_file);
  g_free (args->issuer);
  g_free (args->seat);
  g_free (args);
}

/* With @defer_check, the store's quick_check is left out of the open
 * (tf_store_open_full ()) and started, in a thread of its own, once the
 * key has been checked: the service is returned before the check ends,
 * and every store call it makes waits for the verdict. A store with no
 * key yet is checked before one is made for it. */
static TfAuth *
open_service (const char    *store_path,
              const char    *key_file,
              const char    *issuer,
              const char    *seat,
              gboolean       create,
              guint          timeout_ms,
              gboolean       defer_check,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(TfStore) store = NULL;
  g_autoptr(TfVault) vault = NULL;
  g_autoptr(GError) local_error = NULL;
  TfAuth *auth;
  gboolean is_new;

  g_return_val_if_fail (store_path != NULL, NULL);

  if (store_path[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                           _("No path was given for the account store."));
      return NULL;
    }

  if (!create && !g_file_test (store_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("There is no account store at %s. Create one with “twofold-admin init”."),
                   store_path);
      return NULL;
    }

  store = tf_store_open_full (store_path,
                              defer_check ? TF_STORE_OPEN_DEFER_CHECK : TF_STORE_OPEN_DEFAULT,
                              error);
  if (store == NULL)
    return NULL;

  /* A key is only ever made for a store found sound. */
  is_new = tf_store_is_new (store);
  if (is_new && !tf_store_check (store, error))
    return NULL;

  vault = tf_vault_load (key_file, tf_store_get_uuid (store), is_new,
                         timeout_ms, cancellable, &local_error);
  if (vault == NULL || !tf_store_attach_vault (store, vault, &local_error))
    {
      /* Damage explains a key that does not fit better than the key does. */
      if (local_error->domain == TF_VAULT_ERROR && !tf_store_check (store, error))
        return NULL;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  auth = tf_auth_new (store, issuer, seat);
  /* Last: from here on every store call, tf_auth_new ()'s too, waits. */
  tf_store_start_check (store);
  return auth;
}

TfAuth *
tf_auth_open (const char    *store_path,
              const char    *key_file,
              const char    *issuer,
              const char    *seat,
              gboolean       create,
              guint          timeout_ms,
              GCancellable  *cancellable,
              GError       **error)
{
  return open_service (store_path, key_file, issuer, seat, create, timeout_ms, FALSE,
                       cancellable, error);
}

/* The GUI's open, in a worker thread: its quick_check deferred. */
static TfAuth *
open_deferred (const OpenArgs  *args,
               GCancellable    *cancellable,
               GError         **error)
{
  return open_service (args->store_path, args->key_file, args->issuer, args->seat,
                       args->create, args->timeout_ms, TRUE, cancellable, error);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  TfAuth *auth = open_deferred (task_data, cancellable, &error);

  if (auth != NULL)
    g_task_return_pointer (task, auth, g_object_unref);
  else
    g_task_return_error (task, error);
}

/* At most one open started early by tf_auth_open_prefetch (), waiting to
 * be taken over by the tf_auth_open_async () call with the same arguments.
 * Main context only. */
typedef struct {
  OpenArgs     *args;
  GCancellable *cancellable;
  /* Set by the worker thread, under prefetch_lock, when its open has
   * ended: auth and error are written before and not touched after. */
  gboolean      finished;
  /* The task's callback has run (the thread is gone). */
  gboolean      done;
  TfAuth       *auth;
  GError       *error;
  GTask        *waiter;
  gulong        waiter_cancelled_id;
} Prefetch;

static Prefetch *prefetch;
static GMutex prefetch_lock;
static GCond prefetch_cond;

static void
prefetch_free (Prefetch *self)
{
  open_args_free (self->args);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->auth);
  g_clear_error (&self->error);
  g_clear_object (&self->waiter);
  g_free (self);
}

static gboolean
args_equal (const OpenArgs *a,
            const OpenArgs *b)
{
  return g_strcmp0 (a->store_path, b->store_path) == 0 &&
         g_strcmp0 (a->key_file, b->key_file) == 0 &&
         g_strcmp0 (a->issuer, b->issuer) == 0 &&
         g_strcmp0 (a->seat, b->seat) == 0 &&
         a->create == b->create && a->timeout_ms == b->timeout_ms;
}

/* Hands the prefetched result to the task that took the prefetch over. */
static void
prefetch_deliver (Prefetch *self)
{
  g_autoptr(GTask) waiter = g_steal_pointer (&self->waiter);

  if (self->waiter_cancelled_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (waiter), self->waiter_cancelled_id);
  if (prefetch == self)
    prefetch = NULL;
  if (self->auth != NULL)
    g_task_return_pointer (waiter, g_steal_pointer (&self->auth), g_object_unref);
  else
    g_task_return_error (waiter, g_steal_pointer (&self->error));
  prefetch_free (self);
}

/* A Prefetch is freed only on the main context once done, so the thread
 * may write to it until it returns. */
static void
prefetch_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Prefetch *self = task_data;
  GError *error = NULL;
  TfAuth *auth = open_deferred (self->args, cancellable, &error);

  g_mutex_lock (&prefetch_lock);
  self->auth = auth;
  self->error = error;
  self->finished = TRUE;
  g_cond_broadcast (&prefetch_cond);
  g_mutex_unlock (&prefetch_lock);

  g_task_return_boolean (task, TRUE);
}

static void
prefetch_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Prefetch *self = user_data;

  self->done = TRUE;
  if (self->waiter != NULL)
    prefetch_deliver (self);
  else if (prefetch != self)
    prefetch_free (self);  /* Dropped while it ran. */
}

/* The caller gave up waiting: so does the prefetch, as a plain open would.
 * Runs inside g_cancellable_cancel (), where the handler cannot be
 * disconnected; a cancellable is cancelled once. */
static void
waiter_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  Prefetch *self = user_data;

  self->waiter_cancelled_id = 0;
  if (self->waiter != NULL)
    {
      g_task_return_error_if_cancelled (self->waiter);
      g_clear_object (&self->waiter);
    }
  g_cancellable_cancel (self->cancellable);
  if (prefetch == self)
    prefetch = NULL;
  if (self->done)
    prefetch_free (self);
}

static void
prefetch_drop (void)
{
  Prefetch *self = g_steal_pointer (&prefetch);

  if (self == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  if (self->done)
    prefetch_free (self);
}

void
tf_auth_open_prefetch (const char *store_path,
                       const char *key_file,
                       const char *issuer,
                       const char *seat,
                       gboolean    create,
                       guint       timeout_ms)
{
  g_autoptr(GTask) task = NULL;
  Prefetch *self;

  g_return_if_fail (store_path != NULL);

  prefetch_drop ();
  self = g_new0 (Prefetch, 1);
  self->cancellable = g_cancellable_new ();
  self->args = g_new0 (OpenArgs, 1);
  self->args->store_path = g_strdup (store_path);
  self->args->key_file = g_strdup (key_file);
  self->args->issuer = g_strdup (issuer);
  self->args->seat = g_strdup (seat);
  self->args->create = create;
  self->args->timeout_ms = timeout_ms;
  prefetch = self;

  task = g_task_new (NULL, self->cancellable, prefetch_done, self);
  g_task_set_source_tag (task, tf_auth_open_prefetch);
  g_task_set_task_data (task, self, NULL);
  g_task_run_in_thread (task, prefetch_thread);
}

/* Whether the prefetch's thread has ended, waiting for it until @deadline
 * (monotonic time; 0: not at all). */
static gboolean
prefetch_wait_finished (Prefetch *self,
                        gint64    deadline)
{
  gboolean finished;

  g_mutex_lock (&prefetch_lock);
  while (!self->finished && g_cond_wait_until (&prefetch_cond, &prefetch_lock, deadline))
    ;
  finished = self->finished;
  g_mutex_unlock (&prefetch_lock);

  return finished;
}

gboolean
tf_auth_open_prefetch_wait (guint timeout_ms)
{
  return prefetch != NULL &&
         prefetch_wait_finished (prefetch, g_get_monotonic_time () +
                                           (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND);
}

gboolean
tf_auth_open_take_prefetch (const char  *store_path,
                            const char  *key_file,
                            const char  *issuer,
                            const char  *seat,
                            gboolean     create,
                            guint        timeout_ms,
                            TfAuth     **auth,
                            GError     **error)
{
  OpenArgs args = { (char *) store_path, (char *) key_file, (char *) issuer, (char *) seat,
                    create, timeout_ms };
  Prefetch *self = prefetch;

  g_return_val_if_fail (store_path != NULL, FALSE);
  g_return_val_if_fail (auth != NULL && *auth == NULL, FALSE);

  /* Still running, or already promised to a tf_auth_open_async (). */
  if (self == NULL || self->waiter != NULL || !prefetch_wait_finished (self, 0))
    return FALSE;
  if (!args_equal (self->args, &args))
    {
      prefetch_drop ();
      return FALSE;
    }

  prefetch = NULL;
  *auth = g_steal_pointer (&self->auth);
  if (*auth == NULL)
    g_propagate_error (error, g_steal_pointer (&self->error));
  /* Else prefetch_done () frees it, finding it dropped. */
  if (self->done)
    prefetch_free (self);
  return TRUE;
}

/* Lets @task take the prefetch over when it was started with @args. */
static gboolean
take_prefetch (GTask    *task,
               OpenArgs *args)
{
  Prefetch *self = prefetch;
  GCancellable *cancellable = g_task_get_cancellable (task);

  /* One waiter: a second open with the same arguments opens for itself. */
  if (self == NULL || self->waiter != NULL)
    return FALSE;
  if (!args_equal (self->args, args) || g_cancellable_is_cancelled (cancellable))
    {
      prefetch_drop ();
      return FALSE;
    }

  self->waiter = g_object_ref (task);
  if (self->done)
    {
      prefetch_deliver (self);
      return TRUE;
    }
  if (cancellable != NULL)
    self->waiter_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (waiter_cancelled),
                                                       self, NULL);
  return TRUE;
}

void
tf_auth_open_async (const char          *store_path,
                    const char          *key_file,
                    const char          *issuer,
                    const char          *seat,
                    gboolean             create,
                    guint                timeout_ms,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenArgs *args;

  g_return_if_fail (store_path != NULL);

  args = g_new0 (OpenArgs, 1);
  args->store_path = g_strdup (store_path);
  args->key_file = g_strdup (key_file);
  args->issuer = g_strdup (issuer);
  args->seat = g_strdup (seat);
  args->create = create;
  args->timeout_ms = timeout_ms;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, tf_auth_open_async);
  g_task_set_task_data (task, args, (GDestroyNotify) open_args_free);
  if (take_prefetch (task, args))
    return;
  g_task_run_in_thread (task, open_thread);
}

TfAuth *
tf_auth_open_finish (GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tf_auth_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
