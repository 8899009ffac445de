/* main.c — `twofold-admin [--store PATH] [--key-file PATH] COMMAND …`. */
#define G_LOG_DOMAIN "twofold-admin"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>

#include "tf-admin.h"
#include "tf-core.h"
#include "tf-settings.h"

const TfAdminCommand tf_admin_commands[] = {
  { "init", "", N_("Create the account store and its key"), tf_admin_cmd_init },
  /* Translators: USER and ADDRESS name a command's argument in --help, in capitals like PATH. */
  { "add", N_("USER"), N_("Add a pending account (password on stdin)"), tf_admin_cmd_add },
  { "confirm", N_("USER"), N_("Activate a pending account with a code (stdin)"), tf_admin_cmd_confirm },
  { "verify", N_("USER"), N_("Check a password and code (stdin); exit 0 or 1"), tf_admin_cmd_verify },
  { "list", "", N_("List accounts"), tf_admin_cmd_list },
  { "show", N_("USER"), N_("Show one account"), tf_admin_cmd_show },
  { "disable", N_("USER"), N_("Disable an account"), tf_admin_cmd_disable },
  { "enable", N_("USER"), N_("Enable an account"), tf_admin_cmd_enable },
  { "unlock", N_("USER"), N_("Clear an account’s throttling"), tf_admin_cmd_unlock },
  { "delete", N_("USER"), N_("Delete an account"), tf_admin_cmd_delete },
  { "reset-2fa", N_("USER"), N_("Give an account a new authenticator secret"), tf_admin_cmd_reset_2fa },
  { "audit", "", N_("Print or verify the audit log"), tf_admin_cmd_audit },
  { "doctor", "", N_("Check the store, keyring and settings"), tf_admin_cmd_doctor },
  { "outbox", "", N_("Show the mail outbox; --retry sends it now"), tf_admin_cmd_outbox },
  /* Translators: see USER. */
  { "smtp-test", N_("ADDRESS"), N_("Send a test message and print the server’s reply"),
    tf_admin_cmd_smtp_test },
  { "smtp-password", "", N_("Store the SMTP password (stdin) in the keyring"),
    tf_admin_cmd_smtp_password },
  { NULL }
};

static char *
commands_description (void)
{
  GString *text = g_string_new (_("Commands:"));

  for (guint i = 0; tf_admin_commands[i].name != NULL; i++)
    {
      const char *args = tf_admin_commands[i].args;

      /* "" is the catalogue's header: never look it up. */
      g_string_append_printf (text, "\n  %-12s %-6s %s", tf_admin_commands[i].name,
                              args[0] != '\0' ? _(args) : "", _(tf_admin_commands[i].summary));
    }
  g_string_append_printf (text, "\n\n%s",
                          _("“twofold-admin COMMAND --help” describes each command. Exit "
                            "status: 0 success, 1 refused, 2 bad usage or input, 3 store or "
                            "keyring problem."));

  return g_string_free (text, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  TfAdmin admin = { 0 };
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &admin.store_path,
      N_("Account store (default: the store-path setting)"), N_("PATH") },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &admin.key_file,
      N_("Master key file instead of the keyring"), N_("PATH") },
    { NULL }
  };
  struct rlimit no_core = { 0, 0 };
  int status = TF_EXIT_USAGE;

  /* Secrets pass through this process: never write them into a core dump. */
  setrlimit (RLIMIT_CORE, &no_core);
  setlocale (LC_ALL, "");
  tf_core_init ();
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND [ARGUMENT…]"));
  g_option_context_set_summary (context, _("Administer a Twofold account store."));
  description = commands_description ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  /* Options after the command belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = tf_admin_fail (TF_EXIT_USAGE, "%s", error->message);
      goto out;
    }

  /* An empty path would reach the store and vault as a programming error. */
  if ((admin.store_path != NULL && admin.store_path[0] == '\0') ||
      (admin.key_file != NULL && admin.key_file[0] == '\0'))
    {
      status = tf_admin_fail (TF_EXIT_USAGE, _("--store and --key-file need a path."));
      goto out;
    }

  if (argc < 2)
    {
      status = tf_admin_fail (TF_EXIT_USAGE, _("No command given. See “twofold-admin --help”."));
      goto out;
    }

  admin.settings = tf_settings_new (&error);
  if (admin.settings == NULL)
    {
      status = tf_admin_fail (TF_EXIT_ENVIRONMENT, "%s", error->message);
      goto out;
    }

  for (guint i = 0; tf_admin_commands[i].name != NULL; i++)
    {
      if (g_strcmp0 (argv[1], tf_admin_commands[i].name) == 0)
        {
          status = tf_admin_commands[i].func (&admin, argc - 1, argv + 1);
          goto out;
        }
    }

  status = tf_admin_fail (TF_EXIT_USAGE, _("Unknown command “%s”. See “twofold-admin --help”."),
                          argv[1]);

out:
  tf_admin_clear (&admin);
  return status;
}
