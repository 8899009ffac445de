/* tf-application.h
 *
 * The AdwApplication of the `twofold` program. It owns the settings and hands
 * them to each window as a construct-only property; the window opens the
 * account store they name (asynchronously, so a slow keyring never freezes
 * it). Quit is app.quit (Ctrl+Q); the shortcuts window is loaded from the
 * resources by GtkApplication.
 *
 * Kiosk mode — the --kiosk option (the "kiosk" property) or the kiosk
 * setting, as they stand at startup — disables app.quit and removes its
 * accelerator and the shortcuts window's, and the window it opens is a
 * kiosk window (see TfWindow).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_APPLICATION (tf_application_get_type ())

G_DECLARE_FINAL_TYPE (TfApplication, tf_application, TF, APPLICATION, AdwApplication)

TfApplication *tf_application_new          (GSettings     *settings);
GSettings     *tf_application_get_settings (TfApplication *self);
gboolean       tf_application_get_kiosk    (TfApplication *self);

G_END_DECLS
