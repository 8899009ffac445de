/* tf-keyring-sync.c — the blocking keyring calls' private main context:
 * the async call runs on it, with a deadline in case a call ignores its
 * cancellation. Shared by tf-keyring.c and tf-keyring-smtp.c. */
#define G_LOG_DOMAIN "tf-keyring"

#include "config.h"

#include "tf-keyring-private.h"

/* After a timeout, how long a cancelled call gets to wind down before a
 * blocking caller gives up on it. */
#define GRACE_MS 1000

struct _TfKeyringSync {
  GMainContext *context;
  GAsyncResult *result;
  gboolean expired;
};

TfKeyringSync *
tf_keyring_sync_begin (void)
{
  TfKeyringSync *call = g_new0 (TfKeyringSync, 1);

  call->context = g_main_context_new ();
  g_main_context_push_thread_default (call->context);

  /* libsecret's shared service proxy follows the service's name from the
   * context it was made in. One made on this context would miss a keyring
   * restart once the context stops running, and one made elsewhere may not
   * have seen it yet: start from a fresh one. */
  secret_service_disconnect ();

  return call;
}

void
tf_keyring_sync_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  TfKeyringSync *call = user_data;

  call->result = g_object_ref (result);
}

static gboolean
on_sync_call_expired (gpointer user_data)
{
  TfKeyringSync *call = user_data;

  call->expired = TRUE;

  return G_SOURCE_REMOVE;
}

/* The call times itself out; the deadline here only guards against a call
 * that ignores its cancellation. Returns FALSE if the call was given up. */
gboolean
tf_keyring_sync_wait (TfKeyringSync *call,
                      guint          timeout_ms)
{
  GSource *deadline = g_timeout_source_new (timeout_ms + GRACE_MS);

  g_source_set_callback (deadline, on_sync_call_expired, call, NULL);
  g_source_attach (deadline, call->context);

  while (call->result == NULL && !call->expired)
    g_main_context_iteration (call->context, TRUE);

  g_source_destroy (deadline);
  g_source_unref (deadline);

  return call->result != NULL;
}

GAsyncResult *
tf_keyring_sync_get_result (TfKeyringSync *call)
{
  return call->result;
}

void
tf_keyring_sync_end (TfKeyringSync *call)
{
  gboolean completed = call->result != NULL;

  /* Dropping the result frees the call's own proxies, and disconnecting
   * frees libsecret's. Their D-Bus signal subscriptions finish their
   * clean-up on this context: let them, or that memory leaks with it. */
  g_clear_object (&call->result);
  secret_service_disconnect ();
  for (guint i = 0; i < 100 && g_main_context_iteration (call->context, FALSE); i++)
    ;

  g_main_context_pop_thread_default (call->context);

  if (completed)
    {
      g_main_context_unref (call->context);
      g_free (call);
    }
  else
    {
      /* The stuck call still points at both: leak them rather than crash. */
      g_debug ("Keyring call abandoned after its timeout");
    }
}

