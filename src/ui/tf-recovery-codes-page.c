/* tf-recovery-codes-page.c */
#define G_LOG_DOMAIN "tf-recovery-codes-page"

#include "config.h"

#include "tf-recovery-codes-page.h"
#include "tf-status-page.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tf-ui-util.h"

#define N_COLUMNS 2

struct _TfRecoveryCodesPage
{
  AdwBin parent_instance;

  /* Template widgets */
  GtkGrid *codes_grid;
  GtkCheckButton *saved_check;
  GtkButton *continue_button;

  /* Owned */
  GPtrArray *codes;
  char *account;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (TfRecoveryCodesPage, tf_recovery_codes_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SAVED,
  N_PROPS
};

enum {
  DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

guint
tf_recovery_codes_page_get_n_codes (TfRecoveryCodesPage *self)
{
  g_return_val_if_fail (TF_IS_RECOVERY_CODES_PAGE (self), 0);

  return self->codes != NULL ? self->codes->len : 0;
}

gboolean
tf_recovery_codes_page_get_saved (TfRecoveryCodesPage *self)
{
  g_return_val_if_fail (TF_IS_RECOVERY_CODES_PAGE (self), FALSE);

  return gtk_check_button_get_active (self->saved_check);
}

void
tf_recovery_codes_page_set_saved (TfRecoveryCodesPage *self,
                                  gboolean             saved)
{
  g_return_if_fail (TF_IS_RECOVERY_CODES_PAGE (self));

  gtk_check_button_set_active (self->saved_check, saved);
}

static void
remove_code_labels (TfRecoveryCodesPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->codes_grid))) != NULL)
    {
      /* Empty the label first: its text is a secret. */
      gtk_label_set_label (GTK_LABEL (child), "");
      gtk_grid_remove (self->codes_grid, child);
    }
}

void
tf_recovery_codes_page_clear (TfRecoveryCodesPage *self)
{
  g_return_if_fail (TF_IS_RECOVERY_CODES_PAGE (self));

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  remove_code_labels (self);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->account, g_free);
  gtk_check_button_set_active (self->saved_check, FALSE);
  tf_ui_forget_clipboard (GTK_WIDGET (self));
}

void
tf_recovery_codes_page_set_codes (TfRecoveryCodesPage *self,
                                  GPtrArray           *codes,
                                  const char          *account)
{
  g_return_if_fail (TF_IS_RECOVERY_CODES_PAGE (self));
  g_return_if_fail (codes != NULL);

  tf_recovery_codes_page_clear (self);
  self->codes = codes;
  self->account = g_strdup (account);

  for (guint i = 0; i < codes->len; i++)
    {
      GtkWidget *label = gtk_label_new (tf_secure_buffer_get_string (g_ptr_array_index (codes, i)));

      gtk_widget_add_css_class (label, "monospace");
      gtk_widget_add_css_class (label, "title-4");
      gtk_grid_attach (self->codes_grid, label, i % N_COLUMNS, i / N_COLUMNS, 1, 1);
    }
}

TfSecureBuffer *
tf_recovery_codes_page_dup_text (TfRecoveryCodesPage *self)
{
  g_autofree char *title = NULL;
  TfSecureBuffer *text;
  gsize length, offset;

  g_return_val_if_fail (TF_IS_RECOVERY_CODES_PAGE (self), NULL);

  if (self->account != NULL)
    /* Translators: the first line of the saved recovery codes file. */
    title = g_strdup_printf (_("Twofold recovery codes for %s (each works once)"), self->account);
  else
    title = g_strdup (_("Twofold recovery codes (each works once)"));

  /* Built straight into secure memory: title, newline, then code + newline each. */
  length = strlen (title) + 1;
  for (guint i = 0; self->codes != NULL && i < self->codes->len; i++)
    length += tf_secure_buffer_get_length (g_ptr_array_index (self->codes, i)) + 1;

  text = tf_secure_buffer_new (length);
  offset = 0;
  memcpy (tf_secure_buffer_get_data (text), title, strlen (title));
  offset += strlen (title);
  tf_secure_buffer_get_data (text)[offset++] = '\n';
  for (guint i = 0; self->codes != NULL && i < self->codes->len; i++)
    {
      TfSecureBuffer *code = g_ptr_array_index (self->codes, i);
      gsize n = tf_secure_buffer_get_length (code);

      memcpy (tf_secure_buffer_get_data (text) + offset, tf_secure_buffer_get_data (code), n);
      offset += n;
      tf_secure_buffer_get_data (text)[offset++] = '\n';
    }

  return text;
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TfRecoveryCodesPage *self = TF_RECOVERY_CODES_PAGE (widget);
  g_autoptr(TfSecureBuffer) text = NULL;

  if (self->codes == NULL)
    return;

  text = tf_recovery_codes_page_dup_text (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), tf_secure_buffer_get_string (text));
  gtk_widget_activate_action (widget, "win.toast", "s", _("Recovery codes copied"));
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(TfRecoveryCodesPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    message = g_strdup_printf (_("Could not save the codes: %s"), error->message);
  else
    message = g_strdup (_("Recovery codes saved"));

  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static void
chooser_response_cb (GtkNativeDialog     *dialog,
                     int                  response,
                     TfRecoveryCodesPage *self)
{
  g_autoptr(GFile) file = NULL;
  TfSecureBuffer *text;
  GBytes *bytes;

  if (response == GTK_RESPONSE_ACCEPT && self->codes != NULL)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  gtk_native_dialog_destroy (dialog);
  g_clear_object (&self->chooser);

  if (file == NULL)
    return;

  /* The bytes point into secure memory, released (and wiped) with them. */
  text = tf_recovery_codes_page_dup_text (self);
  bytes = g_bytes_new_with_free_func (tf_secure_buffer_get_data (text),
                                      tf_secure_buffer_get_length (text),
                                      (GDestroyNotify) tf_secure_buffer_unref, text);
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, write_cb, g_object_ref (self));
  g_bytes_unref (bytes);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  TfRecoveryCodesPage *self = TF_RECOVERY_CODES_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->codes == NULL || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Save Recovery Codes"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser),
                                     /* Translators: a file name. */
                                     _("twofold-recovery-codes.txt"));
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  TfRecoveryCodesPage *self = TF_RECOVERY_CODES_PAGE (widget);

  if (!gtk_check_button_get_active (self->saved_check))
    return;

  g_signal_emit (self, signals[DONE], 0);
}

static void
on_saved_toggled (TfRecoveryCodesPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recovery.continue",
                                 gtk_check_button_get_active (self->saved_check));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVED]);
}

static void
tf_recovery_codes_page_dispose (GObject *object)
{
  TfRecoveryCodesPage *self = TF_RECOVERY_CODES_PAGE (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  if (self->codes_grid != NULL)
    remove_code_labels (self);
  g_clear_pointer (&self->codes, g_ptr_array_unref);
  g_clear_pointer (&self->account, g_free);
  /* AdwBin unparents its child itself; the template must not do it first. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_RECOVERY_CODES_PAGE);

  G_OBJECT_CLASS (tf_recovery_codes_page_parent_class)->dispose (object);
}

static void
tf_recovery_codes_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TfRecoveryCodesPage *self = TF_RECOVERY_CODES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SAVED:
      g_value_set_boolean (value, tf_recovery_codes_page_get_saved (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_recovery_codes_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TfRecoveryCodesPage *self = TF_RECOVERY_CODES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SAVED:
      tf_recovery_codes_page_set_saved (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_recovery_codes_page_class_init (TfRecoveryCodesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_recovery_codes_page_dispose;
  object_class->get_property = tf_recovery_codes_page_get_property;
  object_class->set_property = tf_recovery_codes_page_set_property;

  properties[PROP_SAVED] =
    g_param_spec_boolean ("saved", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "recovery.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "recovery.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "recovery.continue", NULL, continue_action);

  tf_ui_ensure_resources ();
  g_type_ensure (TF_TYPE_STATUS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-recovery-codes-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TfRecoveryCodesPage, codes_grid);
  gtk_widget_class_bind_template_child (widget_class, TfRecoveryCodesPage, saved_check);
  gtk_widget_class_bind_template_child (widget_class, TfRecoveryCodesPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, on_saved_toggled);
}

static void
tf_recovery_codes_page_init (TfRecoveryCodesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "recovery.continue", FALSE);
}
