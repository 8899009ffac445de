/* tf-admin-mail.c — outbox, smtp-test and smtp-password. */
#define G_LOG_DOMAIN "twofold-admin"

#include "config.h"

#include "tf-admin.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "tf-keyring.h"
#include "tf-mail-compose.h"
#include "tf-mailer.h"
#include "tf-outbox.h"
#include "tf-settings.h"

/* How long the keyring may take to answer (as for the master key). */
#define KEYRING_TIMEOUT_MS 25000

static gint64
now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static int
mail_status_for (const GError *error)
{
  if (g_error_matches (error, TF_MAILER_ERROR, TF_MAILER_ERROR_INVALID))
    return TF_EXIT_USAGE;
  return TF_EXIT_ENVIRONMENT;
}

static void
print_entries (GPtrArray *entries,
               gboolean   json)
{
  g_autoptr(GString) out = g_string_new (json ? "[" : NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      TfOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *created = tf_admin_format_time (entry->created_at);
      g_autofree char *next = entry->state == TF_OUTBOX_QUEUED
                              ? tf_admin_format_time (entry->next_attempt_at) : NULL;

      if (json)
        {
          g_string_append_printf (out, "%s{\"id\":%" G_GINT64_FORMAT ",\"created\":",
                                  i > 0 ? "," : "", entry->id);
          tf_admin_json_string (out, created);
          g_string_append (out, ",\"recipient\":");
          tf_admin_json_string (out, entry->recipient);
          g_string_append (out, ",\"subject\":");
          tf_admin_json_string (out, entry->subject);
          g_string_append (out, ",\"state\":");
          tf_admin_json_string (out, tf_outbox_state_to_string (entry->state));
          g_string_append_printf (out, ",\"attempts\":%u,\"next_attempt\":", entry->attempts);
          tf_admin_json_string (out, next);
          g_string_append (out, ",\"last_error\":");
          tf_admin_json_string (out, entry->last_error);
          g_string_append_c (out, '}');
        }
      else
        {
          g_string_append_printf (out, "%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%u\t%s\t%s\t%s\n",
                                  entry->id, created, tf_outbox_state_to_string (entry->state),
                                  entry->recipient, entry->attempts, next != NULL ? next : "-",
                                  entry->subject,
                                  entry->last_error != NULL ? entry->last_error : "");
        }
    }
  if (json)
    g_string_append (out, "]\n");

  fwrite (out->str, 1, out->len, stdout);
}

int
tf_admin_cmd_outbox (TfAdmin  *admin,
                     int       argc,
                     char    **argv)
{
  gboolean json = FALSE;
  gboolean retry = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "retry", 0, 0, G_OPTION_ARG_NONE, &retry,
      N_("Send every queued message now; exit 3 if any could not be sent"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  TfOutboxFlushResult result = { 0, };
  int status;

  status = tf_admin_parse_options ("outbox", "",
                                   _("Lists the mail outbox: id, time queued, state, recipient, "
                                     "attempts, next attempt, subject and last error."),
                                   entries, &argc, &argv, 0);
  if (status >= 0)
    return status;
  if ((status = tf_admin_open (admin, FALSE)) != TF_EXIT_OK)
    return status;

  if (retry)
    {
      g_autoptr(TfMailerConfig) config = NULL;

      config = tf_mailer_config_new_from_settings (admin->settings, KEYRING_TIMEOUT_MS, NULL,
                                                   &error);
      if (config == NULL)
        return tf_admin_fail (TF_EXIT_ENVIRONMENT, "%s", error->message);
      if (!tf_outbox_flush (admin->store, config, now (), TRUE, NULL, &result, &error))
        return tf_admin_fail_error (error);
    }

  list = tf_store_mail_list_outbox (admin->store, &error);
  if (list == NULL)
    {
      tf_outbox_flush_result_clear (&result);
      return tf_admin_fail_error (error);
    }
  print_entries (list, json);

  if (retry && (result.deferred > 0 || result.failed > 0))
    {
      guint n = result.deferred + result.failed;

      status = tf_admin_fail (TF_EXIT_ENVIRONMENT,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u message could not be sent: %s",
                                           "%u messages could not be sent: %s", n),
                              n, result.last_error);
    }
  tf_outbox_flush_result_clear (&result);

  return status;
}

int
tf_admin_cmd_smtp_test (TfAdmin  *admin,
                        int       argc,
                        char    **argv)
{
  g_autoptr(TfMailerConfig) config = NULL;
  g_autoptr(TfMailMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *issuer = NULL;
  g_autofree char *reply = NULL;
  TfMailFields fields = { 0, };
  int status;

  status = tf_admin_parse_options ("smtp-test", "ADDRESS",
                                   _("Sends a test message to ADDRESS with the mail settings, "
                                     "now, without the outbox, and prints the server’s reply."),
                                   NULL, &argc, &argv, 1);
  if (status >= 0)
    return status;

  config = tf_mailer_config_new_from_settings (admin->settings, KEYRING_TIMEOUT_MS, NULL, &error);
  if (config == NULL)
    return tf_admin_fail (TF_EXIT_ENVIRONMENT, "%s", error->message);
  if (!tf_mailer_config_is_configured (config))
    return tf_admin_fail (TF_EXIT_ENVIRONMENT,
                          _("Mail is not configured: set smtp-host and mail-from."));

  issuer = tf_settings_dup_issuer (admin->settings);
  fields.issuer = issuer;
  fields.username = argv[1];
  fields.to_address = argv[1];
  fields.now = now ();
  message = tf_mail_compose (TF_MAIL_TEST, &fields, &error);
  if (message == NULL)
    return tf_admin_fail (TF_EXIT_USAGE, "%s", error->message);

  if (!tf_mailer_send (config, message, NULL, &reply, &error))
    return tf_admin_fail (mail_status_for (error), "%s", error->message);

  /* Translators: the first %s is an e-mail address, the second the mail server's reply, in
   * English. */
  g_print (_("Sent to %s. Server reply: %s\n"), argv[1], reply != NULL ? reply : "-");
  return TF_EXIT_OK;
}

int
tf_admin_cmd_smtp_password (TfAdmin  *admin,
                            int       argc,
                            char    **argv)
{
  gboolean delete = FALSE;
  GOptionEntry entries[] = {
    { "delete", 0, 0, G_OPTION_ARG_NONE, &delete, N_("Remove it from the keyring"), NULL },
    { NULL }
  };
  g_autoptr(TfSecureBuffer) password = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  g_autofree char *username = NULL;
  int status;

  status = tf_admin_parse_options ("smtp-password", "",
                                   _("Stores the SMTP password (read from standard input) in "
                                     "the keyring, for the smtp-host and smtp-username settings."),
                                   entries, &argc, &argv, 0);
  if (status >= 0)
    return status;

  host = g_strstrip (g_settings_get_string (admin->settings, "smtp-host"));
  username = g_strstrip (g_settings_get_string (admin->settings, "smtp-username"));
  if (host[0] == '\0' || username[0] == '\0')
    return tf_admin_fail (TF_EXIT_USAGE,
                          _("Set smtp-host and smtp-username first: the password is stored "
                            "for them."));

  if (delete)
    {
      if (!tf_keyring_delete_smtp_password (host, username, KEYRING_TIMEOUT_MS, NULL, &error))
        {
          if (error != NULL)
            return tf_admin_fail_error (error);
          return tf_admin_fail (TF_EXIT_REFUSED, _("There is no SMTP password in the keyring."));
        }
      return TF_EXIT_OK;
    }

  password = tf_admin_read_secret_line (_("SMTP password: "), &error);
  if (password == NULL)
    return tf_admin_fail (TF_EXIT_USAGE, "%s", error->message);
  if (tf_secure_buffer_get_length (password) == 0)
    return tf_admin_fail (TF_EXIT_USAGE, _("The password is empty."));

  if (!tf_keyring_store_smtp_password (host, username, password, KEYRING_TIMEOUT_MS, NULL, &error))
    return tf_admin_fail_error (error);

  /* Translators: the first %s is the SMTP user name, the second the mail server's host name. */
  g_print (_("Stored the SMTP password for %s on %s in the keyring.\n"), username, host);
  return TF_EXIT_OK;
}
