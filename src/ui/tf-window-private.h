/* tf-window-private.h — shared by tf-window.c and tf-window-flows.c only. */
#pragma once

#include "tf-window.h"

#include "tf-change-email-page.h"
#include "tf-change-password-page.h"
#include "tf-confirm-page.h"
#include "tf-enrol-page.h"
#include "tf-forgot-page.h"
#include "tf-home-page.h"
#include "tf-in-use-page.h"
#include "tf-loading-page.h"
#include "tf-login-page.h"
#include "tf-problem-page.h"
#include "tf-recovery-codes-page.h"
#include "tf-register-page.h"
#include "tf-reset-page.h"
#include "tf-session-command.h"

G_BEGIN_DECLS

struct _TfWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  AdwHeaderBar *header_bar;
  GtkButton *back_button;
  GtkMenuButton *menu_button;
  GMenuModel *primary_menu;
  GtkStack *stack;
  TfLoginPage *login_page;

  /* The other pages are built when first needed, or in an idle moment
   * after the Log In page is up (tf-window-pages.c); NULL until then.
   * Get one through tf_window_ensure_page (); read these fields directly
   * only where a page not built yet has nothing to do (clearing it). */
  TfRegisterPage *register_page;
  TfEnrolPage *enrol_page;
  TfRecoveryCodesPage *recovery_page;
  TfHomePage *home_page;
  TfInUsePage *in_use_page;
  TfChangePasswordPage *change_password_page;
  TfChangeEmailPage *change_email_page;
  TfConfirmPage *confirm_page;
  TfForgotPage *forgot_page;
  TfResetPage *reset_page;
  TfProblemPage *problem_page;
  TfLoadingPage *loading_page;

  /* Owned */
  GSettings *settings;
  TfAuth *auth;
  GCancellable *open_cancellable;
  /* Waiting for the verdict of the store's deferred quick_check. */
  GCancellable *check_cancellable;
  /* Asks for the store check's verdict after the first frame. */
  guint verdict_id;
  guint waiting_id;
  /* Making the pages ready at idle (tf-window-pages.c): the idle source,
   * the tick callback that waits for the frame styling a page made
   * visible, and whether all of it is done. */
  guint prepare_id;
  guint prepare_tick_id;
  gboolean pages_prepared;
  /* win.show-help-overlay until the shortcuts window is built (held here:
   * building it replaces this action in the window's action map). */
  GSimpleAction *help_action;
  TfLoginResult *session;
  char *last_username;
  char *last_toast;
  /* Where Continue on the recovery codes leads: "login" or "home". */
  const char *after_recovery;
  /* Kiosk mode (tf-window-kiosk.c): fixed at construction. */
  gboolean kiosk;
  TfSessionCommand *session_command;
  guint idle_timeout;
  guint idle_id;
  /* Password reset and mail (tf-window-reset.c). */
  TfOutboxWorker *outbox_worker;
  GCancellable *mail_cancellable;
};

G_GNUC_INTERNAL gboolean    tf_window_allow_registration (TfWindow     *self);
/* The page win.back leads to from the one on show, or NULL. */
G_GNUC_INTERNAL const char *tf_window_back_target        (TfWindow     *self);
G_GNUC_INTERNAL void        tf_window_update_actions     (TfWindow     *self);
/* Shows a page, after clearing whatever secret the page being left held. */
G_GNUC_INTERNAL void        tf_window_show_page          (TfWindow     *self,
                                                          const char   *name);
G_GNUC_INTERNAL void        tf_window_set_auth           (TfWindow     *self,
                                                          TfAuth       *auth);
G_GNUC_INTERNAL gint64      tf_window_now                (TfWindow     *self);
/* Forgets the session and everything typed or shown in any page. */
G_GNUC_INTERNAL void        tf_window_end_session        (TfWindow     *self);
G_GNUC_INTERNAL void        tf_window_show_problem       (TfWindow     *self,
                                                          const GError *error);

/* tf-window-pages.c */
/* The page named @name (see the stack in data/ui/tf-window.ui and the
 * table in tf-window-pages.c), built and added to the stack, hidden, if it
 * was not yet; NULL for a name no page has. */
G_GNUC_INTERNAL GtkWidget  *tf_window_ensure_page        (TfWindow       *self,
                                                          const char     *name);
/* Makes the pages ready, one step per idle moment (win.prepare-pages):
 * builds each page not built yet; those a log-in or a registration goes
 * through it also makes visible, lays out, hidden, at the stack's size
 * once a frame has styled them, then lays out what they keep behind a
 * spinner. Sets pages_prepared when nothing is left to do. Stop cancels
 * it. */
G_GNUC_INTERNAL void        tf_window_prepare_pages      (TfWindow       *self);
G_GNUC_INTERNAL void        tf_window_pages_stop         (TfWindow       *self);
/* Hands @auth to the built pages that call the service. */
G_GNUC_INTERNAL void        tf_window_pages_set_auth     (TfWindow       *self,
                                                          TfAuth         *auth);
/* Forgets the built pages' pointers (the stack owns and destroys them). */
G_GNUC_INTERNAL void        tf_window_pages_dispose      (TfWindow       *self);

/* tf-window-flows.c */
G_GNUC_INTERNAL void        tf_window_open_store         (TfWindow       *self);
/* Hides the registration page and action when allow-registration goes off. */
G_GNUC_INTERNAL void        tf_window_allow_registration_changed (TfWindow *self);
/* Installs the window actions and binds the pages' signal handlers. */
G_GNUC_INTERNAL void        tf_window_class_init_flows   (GtkWidgetClass *widget_class);
/* What the pages built later report (connected by tf-window-pages.c). */
G_GNUC_INTERNAL void        tf_window_on_problem         (TfWindow       *self,
                                                          GError         *error,
                                                          GtkWidget      *page);
G_GNUC_INTERNAL void        tf_window_on_registered      (TfWindow       *self,
                                                          gint64          user_id,
                                                          TfRegisterPage *page);
G_GNUC_INTERNAL void        tf_window_on_enrol_confirmed (TfWindow       *self,
                                                          TfEnrolPage    *page);
G_GNUC_INTERNAL void        tf_window_on_recovery_done   (TfWindow       *self,
                                                          TfRecoveryCodesPage *page);
G_GNUC_INTERNAL void        tf_window_on_password_changed (TfWindow      *self,
                                                           TfChangePasswordPage *page);
G_GNUC_INTERNAL void        tf_window_on_email_changed   (TfWindow       *self,
                                                          const char     *email,
                                                          TfChangeEmailPage *page);
G_GNUC_INTERNAL void        tf_window_on_confirmed       (TfWindow       *self,
                                                          TfConfirmPage  *page);

/* tf-window-kiosk.c; each does nothing outside kiosk mode. */
/* Full screen, no window controls, no menu, no shortcuts window, the idle watch. */
G_GNUC_INTERNAL void        tf_window_kiosk_setup        (TfWindow       *self);
G_GNUC_INTERNAL void        tf_window_kiosk_dispose      (TfWindow       *self);
/* (Re)starts the idle timer for the page on show, or stops it. */
G_GNUC_INTERNAL void        tf_window_kiosk_reset_idle   (TfWindow       *self);
/* After a log-in: starts the session command and shows the "in use" page,
 * or on failure says so and goes back to the log-in page. FALSE when there
 * is no command to run and Home should be shown as usual. */
G_GNUC_INTERNAL gboolean    tf_window_kiosk_start_session (TfWindow      *self);
/* Log Out while the command runs: ends it, and the session with it once it
 * has exited. FALSE when no command runs. */
G_GNUC_INTERNAL gboolean    tf_window_kiosk_stop_session (TfWindow       *self);
/* Part of tf_window_end_session (): lets go of the command, ending it. */
G_GNUC_INTERNAL void        tf_window_kiosk_end_command  (TfWindow       *self);

/* tf-window-reset.c */
/* (Re)starts the outbox worker for @auth, whose store has passed its
 * check; NULL stops the worker. */
G_GNUC_INTERNAL void        tf_window_reset_set_auth     (TfWindow       *self,
                                                          TfAuth         *auth);
/* Stops the outbox worker (returns within about a second). */
G_GNUC_INTERNAL void        tf_window_reset_dispose      (TfWindow       *self);
G_GNUC_INTERNAL void        tf_window_class_init_reset   (GtkWidgetClass *widget_class);
G_GNUC_INTERNAL void        tf_window_on_forgot_continue (TfWindow       *self,
                                                          TfForgotPage   *page);
G_GNUC_INTERNAL void        tf_window_on_password_reset  (TfWindow       *self,
                                                          TfResetPage    *page);

G_END_DECLS
