/* test-settings.c */
#include "tf-core.h"
#include "tf-settings.h"

static void
test_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = tf_settings_new (&error);
  g_autofree char *store = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *key_file = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (settings);

  store = tf_settings_dup_store_path (settings);
  expected = g_build_filename (g_get_user_data_dir (), "twofold", "twofold.db", NULL);
  g_assert_cmpstr (store, ==, expected);

  issuer = tf_settings_dup_issuer (settings);
  g_assert_cmpstr (issuer, ==, "Twofold");

  key_file = tf_settings_dup_key_file (settings);
  g_assert_null (key_file);

  g_assert_true (g_settings_get_boolean (settings, "allow-registration"));
  g_assert_false (g_settings_get_boolean (settings, "kiosk"));
  g_assert_cmpuint (g_settings_get_uint (settings, "smtp-port"), ==, 587);
  g_assert_cmpint (tf_settings_get_smtp_security (settings), ==, TF_SMTP_SECURITY_STARTTLS);
}

static void
test_overrides (void)
{
  g_autoptr(GSettings) settings = tf_settings_new (NULL);
  g_autofree char *store = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *key_file = NULL;

  g_settings_set_string (settings, "store-path", "/var/lib/twofold/seat.db");
  g_settings_set_string (settings, "issuer", "Example Corp");
  g_settings_set_string (settings, "key-file", "/var/lib/twofold/key");
  g_settings_set_string (settings, "smtp-security", "tls");

  store = tf_settings_dup_store_path (settings);
  issuer = tf_settings_dup_issuer (settings);
  key_file = tf_settings_dup_key_file (settings);
  g_assert_cmpstr (store, ==, "/var/lib/twofold/seat.db");
  g_assert_cmpstr (issuer, ==, "Example Corp");
  g_assert_cmpstr (key_file, ==, "/var/lib/twofold/key");
  g_assert_cmpint (tf_settings_get_smtp_security (settings), ==, TF_SMTP_SECURITY_TLS);

  g_settings_reset (settings, "store-path");
  g_settings_reset (settings, "issuer");
  g_settings_reset (settings, "key-file");
  g_settings_reset (settings, "smtp-security");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/settings/defaults", test_defaults);
  g_test_add_func ("/twofold/settings/overrides", test_overrides);

  return g_test_run ();
}
