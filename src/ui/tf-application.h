/* tf-application.h
 *
 * The AdwApplication of the `twofold` program. It owns the services (settings
 * now; store, vault and auth service as they arrive) and hands them to each
 * window as construct-only properties.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_APPLICATION (tf_application_get_type ())

G_DECLARE_FINAL_TYPE (TfApplication, tf_application, TF, APPLICATION, AdwApplication)

TfApplication *tf_application_new          (GSettings     *settings);
GSettings     *tf_application_get_settings (TfApplication *self);

G_END_DECLS
