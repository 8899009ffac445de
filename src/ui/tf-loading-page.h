/* tf-loading-page.h
 *
 * Shown while the window opens the store and fetches its key. After a
 * moment the window switches it to "waiting", which says what it waits for
 * and offers Cancel (the win.cancel-open action).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_LOADING_PAGE (tf_loading_page_get_type ())

G_DECLARE_FINAL_TYPE (TfLoadingPage, tf_loading_page, TF, LOADING_PAGE, AdwBin)

gboolean    tf_loading_page_get_waiting     (TfLoadingPage *self);
/* message is what the page says it waits for; NULL hides it. */
void        tf_loading_page_set_waiting     (TfLoadingPage *self,
                                             gboolean       waiting,
                                             const char    *message);
const char *tf_loading_page_get_message     (TfLoadingPage *self);

G_END_DECLS
