/* tf-problem-page.c */
#define G_LOG_DOMAIN "tf-problem-page"

#include "config.h"

#include "tf-problem-page.h"
#include "tf-status-page.h"
#include "tf-ui-util.h"

#include <glib/gi18n.h>

#include "tf-store.h"
#include "tf-vault.h"

struct _TfProblemPage
{
  AdwBin parent_instance;

  /* Template widgets */
  TfStatusPage *status_page;
  GtkLabel *details_label;
  GtkButton *retry_button;

  /* Owned */
  TfProblemKind kind;
};

G_DEFINE_ENUM_TYPE (TfProblemKind, tf_problem_kind,
                    G_DEFINE_ENUM_VALUE (TF_PROBLEM_KEYRING, "keyring"),
                    G_DEFINE_ENUM_VALUE (TF_PROBLEM_UNREADABLE, "unreadable"),
                    G_DEFINE_ENUM_VALUE (TF_PROBLEM_DAMAGED, "damaged"),
                    G_DEFINE_ENUM_VALUE (TF_PROBLEM_NEWER, "newer"),
                    G_DEFINE_ENUM_VALUE (TF_PROBLEM_OTHER, "other"))

G_DEFINE_FINAL_TYPE (TfProblemPage, tf_problem_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_KIND,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_CAN_RETRY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
tf_problem_page_handles (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == TF_VAULT_ERROR)
    return TRUE;

  return g_error_matches (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED) ||
         g_error_matches (error, TF_STORE_ERROR, TF_STORE_ERROR_NEWER) ||
         g_error_matches (error, TF_STORE_ERROR, TF_STORE_ERROR_LOCKED);
}

TfProblemKind
tf_problem_page_get_kind (TfProblemPage *self)
{
  g_return_val_if_fail (TF_IS_PROBLEM_PAGE (self), TF_PROBLEM_OTHER);

  return self->kind;
}

const char *
tf_problem_page_get_title (TfProblemPage *self)
{
  g_return_val_if_fail (TF_IS_PROBLEM_PAGE (self), NULL);

  return tf_status_page_get_title (self->status_page);
}

const char *
tf_problem_page_get_description (TfProblemPage *self)
{
  g_return_val_if_fail (TF_IS_PROBLEM_PAGE (self), NULL);

  return tf_status_page_get_description (self->status_page);
}

gboolean
tf_problem_page_get_can_retry (TfProblemPage *self)
{
  g_return_val_if_fail (TF_IS_PROBLEM_PAGE (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (self->retry_button));
}

static TfProblemKind
describe_vault_error (const GError  *error,
                      const char   **icon,
                      const char   **title,
                      char         **description)
{
  TfVaultError code = error->code;

  *icon = "system-lock-screen-symbolic";

  switch (code)
    {
    case TF_VAULT_ERROR_KEYRING_LOCKED:
      *title = _("Keyring Locked");
      *description = g_strdup (_("The key to your accounts is kept in your keyring, which is "
                                 "locked. Unlock it — for example with Passwords and Keys — "
                                 "and try again. Your accounts are safe; nothing was changed."));
      return TF_PROBLEM_KEYRING;

    case TF_VAULT_ERROR_KEY_MISSING:
      *title = _("Key Not Found");
      *description = g_strdup (_("Your accounts are here, but the key that opens them was not "
                                 "found. If they came from another computer, bring its key "
                                 "along, then try again. Nothing was changed or replaced."));
      return TF_PROBLEM_KEYRING;

    case TF_VAULT_ERROR_TIMEOUT:
      *title = _("Keyring Not Answering");
      *description = g_strdup (_("The keyring did not answer in time. It may be waiting for you "
                                 "to unlock it in another window. Unlock it and try again. "
                                 "Nothing was changed."));
      return TF_PROBLEM_KEYRING;

    case TF_VAULT_ERROR_UNREADABLE:
      *icon = "dialog-error-symbolic";
      *title = _("Secrets Unreadable");
      *description = g_strdup (_("The key that was found does not open the secrets in your "
                                 "account store: it belongs to other accounts, or the store was "
                                 "copied without its key. Nothing was changed or overwritten. "
                                 "Put the right key back, then try again."));
      return TF_PROBLEM_UNREADABLE;

    case TF_VAULT_ERROR_KEY_FILE:
      *icon = "dialog-error-symbolic";
      *title = _("Key File Refused");
      *description = g_strdup (_("The key file set up for Twofold cannot be used. It must be a "
                                 "regular file that only you can read. Ask your administrator "
                                 "to fix it, then try again. Nothing was changed."));
      return TF_PROBLEM_OTHER;

    case TF_VAULT_ERROR_KEYRING_UNAVAILABLE:
    default:
      *title = _("Keyring Unavailable");
      *description = g_strdup (_("Twofold keeps the key to your accounts in your keyring, and "
                                 "the keyring cannot be reached. Make sure you are logged in to "
                                 "a desktop session with a keyring, then try again. Your "
                                 "accounts are safe; nothing was changed."));
      return TF_PROBLEM_KEYRING;
    }
}

void
tf_problem_page_set_error (TfProblemPage *self,
                           const GError  *error,
                           const char    *store_path)
{
  g_autofree char *description = NULL;
  const char *icon = "dialog-error-symbolic";
  const char *title;
  const char *path = store_path != NULL ? store_path : "";
  gboolean can_retry = TRUE;
  gboolean details = TRUE;

  g_return_if_fail (TF_IS_PROBLEM_PAGE (self));
  g_return_if_fail (error != NULL);

  if (error->domain == TF_VAULT_ERROR)
    {
      self->kind = describe_vault_error (error, &icon, &title, &description);
    }
  else if (g_error_matches (error, TF_STORE_ERROR, TF_STORE_ERROR_DAMAGED))
    {
      self->kind = TF_PROBLEM_DAMAGED;
      icon = "drive-harddisk-symbolic";
      title = _("Account Store Damaged");
      description = g_markup_printf_escaped (_("The account store at %s is damaged and cannot "
                                               "be opened. Twofold has left it exactly as it is. "
                                               "Restore it from a backup or ask your "
                                               "administrator for help."),
                                             path);
      can_retry = FALSE;
      details = FALSE;
    }
  else if (g_error_matches (error, TF_STORE_ERROR, TF_STORE_ERROR_NEWER))
    {
      self->kind = TF_PROBLEM_NEWER;
      icon = "software-update-available-symbolic";
      title = _("Update Twofold");
      description = g_markup_printf_escaped (_("The account store at %s was written by a newer "
                                               "version of Twofold. Update Twofold to use it; "
                                               "this version leaves it untouched."),
                                             path);
      can_retry = FALSE;
      details = FALSE;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->kind = TF_PROBLEM_KEYRING;
      icon = "system-lock-screen-symbolic";
      title = _("Opening Cancelled");
      description = g_strdup (_("Your accounts were not opened. If your keyring asks to be "
                                "unlocked, unlock it, then try again."));
      details = FALSE;
    }
  else
    {
      self->kind = TF_PROBLEM_OTHER;
      title = _("Cannot Open Your Accounts");
      description = g_markup_printf_escaped (_("Twofold could not open the account store at %s. "
                                               "Nothing was changed. Try again, or ask your "
                                               "administrator for help."),
                                             path);
    }

  tf_status_page_set_icon_name (self->status_page, icon);
  tf_status_page_set_title (self->status_page, title);
  tf_status_page_set_description (self->status_page, description);
  gtk_label_set_label (self->details_label, details ? error->message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details);
  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), can_retry);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_RETRY]);
}

static gboolean
tf_problem_page_grab_focus (GtkWidget *widget)
{
  TfProblemPage *self = TF_PROBLEM_PAGE (widget);

  /* Not the selectable details, which would come up all selected. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->retry_button)))
    return gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));

  return FALSE;
}

static void
tf_problem_page_dispose (GObject *object)
{
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_PROBLEM_PAGE);

  G_OBJECT_CLASS (tf_problem_page_parent_class)->dispose (object);
}

static void
tf_problem_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TfProblemPage *self = TF_PROBLEM_PAGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_TITLE:
      g_value_set_string (value, tf_problem_page_get_title (self));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, tf_problem_page_get_description (self));
      break;
    case PROP_CAN_RETRY:
      g_value_set_boolean (value, tf_problem_page_get_can_retry (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_problem_page_class_init (TfProblemPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_problem_page_dispose;
  object_class->get_property = tf_problem_page_get_property;
  widget_class->grab_focus = tf_problem_page_grab_focus;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, TF_TYPE_PROBLEM_KIND, TF_PROBLEM_OTHER,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_RETRY] =
    g_param_spec_boolean ("can-retry", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-problem-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfProblemPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, TfProblemPage, details_label);
  gtk_widget_class_bind_template_child (widget_class, TfProblemPage, retry_button);
}

static void
tf_problem_page_init (TfProblemPage *self)
{
  self->kind = TF_PROBLEM_OTHER;
  gtk_widget_init_template (GTK_WIDGET (self));
}
