/* tf-window-private.h — shared by tf-window.c and tf-window-flows.c only. */
#pragma once

#include "tf-window.h"

#include "tf-change-password-page.h"
#include "tf-confirm-page.h"
#include "tf-enrol-page.h"
#include "tf-home-page.h"
#include "tf-loading-page.h"
#include "tf-login-page.h"
#include "tf-problem-page.h"
#include "tf-recovery-codes-page.h"
#include "tf-register-page.h"

G_BEGIN_DECLS

struct _TfWindow
{
  AdwApplicationWindow parent_instance;

  /* Template widgets */
  AdwToastOverlay *toast_overlay;
  GtkButton *back_button;
  GtkStack *stack;
  TfLoadingPage *loading_page;
  TfProblemPage *problem_page;
  TfLoginPage *login_page;
  TfRegisterPage *register_page;
  TfEnrolPage *enrol_page;
  TfRecoveryCodesPage *recovery_page;
  TfHomePage *home_page;
  TfChangePasswordPage *change_password_page;
  TfConfirmPage *confirm_page;

  /* Owned */
  GSettings *settings;
  TfAuth *auth;
  GCancellable *open_cancellable;
  guint waiting_id;
  TfLoginResult *session;
  char *last_username;
  char *last_toast;
  /* Where Continue on the recovery codes leads: "login" or "home". */
  const char *after_recovery;
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

/* tf-window-flows.c */
G_GNUC_INTERNAL void        tf_window_open_store         (TfWindow       *self);
/* Hides the registration page and action when allow-registration goes off. */
G_GNUC_INTERNAL void        tf_window_allow_registration_changed (TfWindow *self);
/* Installs the window actions and binds the pages' signal handlers. */
G_GNUC_INTERNAL void        tf_window_class_init_flows   (GtkWidgetClass *widget_class);

G_END_DECLS
