/* tf-slow-keyring.h — a Secret Service that is slow to answer, for the
 * responsiveness benchmark. A real gnome-keyring-daemon (unlocked) runs on a
 * private bus of its own; this process owns org.freedesktop.secrets on the
 * session bus and forwards every method call to it from a thread of its
 * own, holding each answer back for delay_ms. Needs a session bus (run
 * under tests/tf-test-session), dbus-daemon and gnome-keyring-daemon. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _TfSlowKeyring TfSlowKeyring;

TfSlowKeyring *tf_slow_keyring_new           (guint          delay_ms);
/* How many calls were forwarded so far. */
guint          tf_slow_keyring_get_forwarded (TfSlowKeyring *keyring);
void           tf_slow_keyring_free          (TfSlowKeyring *keyring);

G_END_DECLS
