/* tf-home-page.h
 *
 * What a logged-in user sees: a greeting, when they last logged in and how
 * many failed attempts there were since, how many recovery codes are left
 * (with a warning at 3 or fewer), and the account actions — change
 * password, change the e-mail address, re-enrol the authenticator, new
 * recovery codes, log out — as window actions (win.change-password,
 * win.change-email, win.reenrol, win.regenerate-codes, win.log-out).
 */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"

G_BEGIN_DECLS

#define TF_HOME_PAGE_CODES_WARNING 3

#define TF_TYPE_HOME_PAGE (tf_home_page_get_type ())

G_DECLARE_FINAL_TYPE (TfHomePage, tf_home_page, TF, HOME_PAGE, AdwBin)

/* Copies what it shows from session; now is the current Unix time. */
void        tf_home_page_show_session            (TfHomePage          *self,
                                                  const TfLoginResult *session,
                                                  gint64               now);
void        tf_home_page_set_recovery_codes_left (TfHomePage          *self,
                                                  guint                n_left);
void        tf_home_page_clear                   (TfHomePage          *self);
/* The service the "Verify your e-mail address" group uses. */
void        tf_home_page_set_auth                (TfHomePage          *self,
                                                  TfAuth              *auth);

const char *tf_home_page_get_welcome_text        (TfHomePage          *self);
const char *tf_home_page_get_last_login_text     (TfHomePage          *self);
const char *tf_home_page_get_failed_text         (TfHomePage          *self);
const char *tf_home_page_get_codes_left_text     (TfHomePage          *self);
gboolean    tf_home_page_get_codes_warning       (TfHomePage          *self);

G_END_DECLS
