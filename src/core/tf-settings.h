/* tf-settings.h
 *
 * Contract: the one way the core reads configuration. tf_settings_new ()
 * finds the org.twofold.Twofold schema through the default schema source
 * (GSETTINGS_SCHEMA_DIR, then the system paths) and returns a GSettings, or
 * TF_SETTINGS_ERROR_NO_SCHEMA with a message saying how to fix it — never
 * the abort that g_settings_new () gives for a missing schema. The helpers
 * turn raw values into what callers need: empty strings mean "the default".
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TF_SETTINGS_SCHEMA_ID "org.twofold.Twofold"
#define TF_SETTINGS_ERROR (tf_settings_error_quark ())

typedef enum {
  TF_SETTINGS_ERROR_NO_SCHEMA,
  TF_SETTINGS_ERROR_INVALID,
} TfSettingsError;

typedef enum {
  TF_SMTP_SECURITY_STARTTLS,
  TF_SMTP_SECURITY_TLS,
  TF_SMTP_SECURITY_NONE,
} TfSmtpSecurity;

GQuark          tf_settings_error_quark         (void);

GSettings      *tf_settings_new                 (GError    **error);

/* store-path, or $XDG_DATA_HOME/twofold/twofold.db when empty. */
char           *tf_settings_dup_store_path      (GSettings  *settings);
/* key-file, or NULL when empty (the keyring is used). */
char           *tf_settings_dup_key_file        (GSettings  *settings);
/* issuer, or "Twofold" when empty. */
char           *tf_settings_dup_issuer          (GSettings  *settings);
TfSmtpSecurity  tf_settings_get_smtp_security   (GSettings  *settings);

char           *tf_settings_default_store_path  (void);

G_END_DECLS
