/* tf-in-use-page.h
 *
 * Kiosk mode: what the gate shows while a user's session command runs —
 * "In use by USERNAME" and Log Out (the win.log-out action, which ends the
 * command). While the command is being ended the page says so and Log Out
 * is insensitive. It holds no secret; the idle timeout does not apply here,
 * the session is the command's own business.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TF_TYPE_IN_USE_PAGE (tf_in_use_page_get_type ())

G_DECLARE_FINAL_TYPE (TfInUsePage, tf_in_use_page, TF, IN_USE_PAGE, AdwBin)

/* NULL empties the page. */
void        tf_in_use_page_set_username (TfInUsePage *self,
                                         const char  *username);
const char *tf_in_use_page_get_title    (TfInUsePage *self);
gboolean    tf_in_use_page_get_stopping (TfInUsePage *self);
void        tf_in_use_page_set_stopping (TfInUsePage *self,
                                         gboolean     stopping);

G_END_DECLS
