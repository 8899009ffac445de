/* tf-window.h
 *
 * The main window. Services arrive as construct-only properties so tests
 * can build a window over a temporary store.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_WINDOW (tf_window_get_type ())

G_DECLARE_FINAL_TYPE (TfWindow, tf_window, TF, WINDOW, AdwApplicationWindow)

TfWindow *tf_window_new (gpointer   application,
                         GSettings *settings);

G_END_DECLS
