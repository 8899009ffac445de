/* tf-home-page.c */
#define G_LOG_DOMAIN "tf-home-page"

#include "config.h"

#include "tf-home-page.h"

#include <glib/gi18n.h>

#include "tf-action-row.h"
#include "tf-ui-util.h"
#include "tf-verify-email-group.h"

struct _TfHomePage
{
  AdwBin parent_instance;

  /* Template widgets */
  AdwAvatar *avatar;
  GtkLabel *welcome_label;
  GtkLabel *username_label;
  TfActionRow *last_login_row;
  TfActionRow *failed_row;
  GtkImage *failed_icon;
  TfActionRow *codes_row;
  GtkImage *codes_icon;
  TfVerifyEmailGroup *verify_group;

  /* Owned */
  gboolean codes_warning;
};

G_DEFINE_FINAL_TYPE (TfHomePage, tf_home_page, ADW_TYPE_BIN)

const char *
tf_home_page_get_welcome_text (TfHomePage *self)
{
  g_return_val_if_fail (TF_IS_HOME_PAGE (self), NULL);

  return gtk_label_get_label (self->welcome_label);
}

const char *
tf_home_page_get_last_login_text (TfHomePage *self)
{
  g_return_val_if_fail (TF_IS_HOME_PAGE (self), NULL);

  return tf_action_row_get_subtitle (self->last_login_row);
}

const char *
tf_home_page_get_failed_text (TfHomePage *self)
{
  g_return_val_if_fail (TF_IS_HOME_PAGE (self), NULL);

  return tf_action_row_get_subtitle (self->failed_row);
}

const char *
tf_home_page_get_codes_left_text (TfHomePage *self)
{
  g_return_val_if_fail (TF_IS_HOME_PAGE (self), NULL);

  return tf_action_row_get_subtitle (self->codes_row);
}

gboolean
tf_home_page_get_codes_warning (TfHomePage *self)
{
  g_return_val_if_fail (TF_IS_HOME_PAGE (self), FALSE);

  return self->codes_warning;
}

void
tf_home_page_set_recovery_codes_left (TfHomePage *self,
                                      guint       n_left)
{
  g_autofree char *text = NULL;

  g_return_if_fail (TF_IS_HOME_PAGE (self));

  self->codes_warning = n_left <= TF_HOME_PAGE_CODES_WARNING;
  if (n_left == 0)
    text = g_strdup (_("None left. Generate new codes now, or you cannot log in "
                       "without your phone."));
  else if (self->codes_warning)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Only %u left. Generate new codes soon.",
                                         "Only %u left. Generate new codes soon.",
                                         n_left),
                            n_left);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u left", "%u of %u left",
                                         n_left),
                            n_left, (guint) TF_AUTH_RECOVERY_CODES);

  tf_action_row_set_subtitle (self->codes_row, text);
  gtk_widget_set_visible (GTK_WIDGET (self->codes_icon), self->codes_warning);
}

void
tf_home_page_show_session (TfHomePage          *self,
                           const TfLoginResult *session,
                           gint64               now)
{
  g_autofree char *welcome = NULL;
  g_autofree char *full_name = NULL;
  g_autofree char *last = NULL;
  g_autofree char *failed = NULL;
  const TfUser *user;

  g_return_if_fail (TF_IS_HOME_PAGE (self));
  g_return_if_fail (session != NULL && session->user != NULL);

  user = session->user;
  /* Translators: the greeting on the home page; %s is the user's first name. */
  welcome = g_strdup_printf (_("Welcome, %s"), user->first_name);
  /* Translators: a person's full name: %1$s is the first name, %2$s the last.
   * (The same message as in mails; the avatar's initials come from it.) */
  full_name = g_strdup_printf (C_("full name", "%1$s %2$s"), user->first_name, user->last_name);
  gtk_label_set_label (self->welcome_label, welcome);
  gtk_label_set_label (self->username_label, user->username);
  adw_avatar_set_text (self->avatar, full_name);

  if (session->previous_login_at > 0)
    last = tf_ui_format_time (session->previous_login_at, now);
  else
    last = g_strdup (_("This is your first login"));
  tf_action_row_set_subtitle (self->last_login_row, last);

  if (session->failed_since == 0)
    failed = g_strdup (_("None"));
  else
    failed = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%u failed attempt. If it was not you, change "
                                           "your password.",
                                           "%u failed attempts. If they were not you, change "
                                           "your password.",
                                           session->failed_since),
                              session->failed_since);
  tf_action_row_set_subtitle (self->failed_row, failed);
  gtk_widget_set_visible (GTK_WIDGET (self->failed_icon), session->failed_since > 0);

  tf_home_page_set_recovery_codes_left (self, session->recovery_codes_left);
  tf_verify_email_group_set_user (self->verify_group, user);
}

void
tf_home_page_clear (TfHomePage *self)
{
  g_return_if_fail (TF_IS_HOME_PAGE (self));

  gtk_label_set_label (self->welcome_label, "");
  gtk_label_set_label (self->username_label, "");
  adw_avatar_set_text (self->avatar, NULL);
  tf_action_row_set_subtitle (self->last_login_row, "");
  tf_action_row_set_subtitle (self->failed_row, "");
  tf_action_row_set_subtitle (self->codes_row, "");
  gtk_widget_set_visible (GTK_WIDGET (self->failed_icon), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->codes_icon), FALSE);
  self->codes_warning = FALSE;
  tf_verify_email_group_clear (self->verify_group);
}

void
tf_home_page_set_auth (TfHomePage *self,
                       TfAuth     *auth)
{
  g_return_if_fail (TF_IS_HOME_PAGE (self));

  tf_verify_email_group_set_auth (self->verify_group, auth);
}

static void
tf_home_page_dispose (GObject *object)
{
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_HOME_PAGE);

  G_OBJECT_CLASS (tf_home_page_parent_class)->dispose (object);
}

static void
tf_home_page_class_init (TfHomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_home_page_dispose;

  g_type_ensure (TF_TYPE_ACTION_ROW);
  g_type_ensure (TF_TYPE_VERIFY_EMAIL_GROUP);
  tf_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tf-home-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfHomePage, avatar);
  gtk_widget_class_bind_template_child (widget_class, TfHomePage, welcome_label);
  gtk_widget_class_bind_template_child (widget_class, TfHomePage, username_label);
  gtk_widget_class_bind_template_child (widget_class, TfHomePage, last_login_row);
  gtk_widget_class_bind_template_child (widget_class, TfHomePage, failed_row);
  gtk_widget_class_bind_template_child (widget_class, TfHomePage, failed_icon);
  gtk_widget_class_bind_template_child (widget_class, TfHomePage, codes_row);
  gtk_widget_class_bind_template_child (widget_class, TfHomePage, codes_icon);
  gtk_widget_class_bind_template_child (widget_class, TfHomePage, verify_group);
}

static void
tf_home_page_init (TfHomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
