/* tf-settings.c */
#define G_LOG_DOMAIN "tf-settings"

#include "config.h"

#include "tf-settings.h"

#include <glib/gi18n-lib.h>

G_DEFINE_QUARK (tf-settings-error-quark, tf_settings_error)

GSettings *
tf_settings_new (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, TF_SETTINGS_SCHEMA_ID, TRUE);

  if (schema == NULL)
    {
      g_set_error (error, TF_SETTINGS_ERROR, TF_SETTINGS_ERROR_NO_SCHEMA,
                   _("The settings schema “%s” is not installed. Install Twofold, "
                     "or run it from the build tree with “meson devenv”."),
                   TF_SETTINGS_SCHEMA_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

char *
tf_settings_default_store_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "twofold", "twofold.db", NULL);
}

static char *
dup_nonempty (GSettings  *settings,
              const char *key)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  if (value == NULL || value[0] == '\0')
    return NULL;

  return g_steal_pointer (&value);
}

char *
tf_settings_dup_store_path (GSettings *settings)
{
  char *path;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  path = dup_nonempty (settings, "store-path");
  return path != NULL ? path : tf_settings_default_store_path ();
}

char *
tf_settings_dup_key_file (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return dup_nonempty (settings, "key-file");
}

char *
tf_settings_dup_issuer (GSettings *settings)
{
  char *issuer;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  issuer = dup_nonempty (settings, "issuer");
  return issuer != NULL ? issuer : g_strdup ("Twofold");
}

TfSmtpSecurity
tf_settings_get_smtp_security (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), TF_SMTP_SECURITY_STARTTLS);

  return (TfSmtpSecurity) g_settings_get_enum (settings, "smtp-security");
}
