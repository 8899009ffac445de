/* tf-admin-maintenance.c — init, audit and doctor. */
#define G_LOG_DOMAIN "twofold-admin"

#include "config.h"

#include "tf-admin.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tf-settings.h"

int
tf_admin_cmd_init (TfAdmin  *admin,
                   int       argc,
                   char    **argv)
{
  g_autofree char *path = NULL;
  gboolean existed;
  int status;

  status = tf_admin_parse_options ("init", "",
                                   _("Creates the account store and its master key (in the "
                                     "keyring, or in the --key-file file, created 0600)."),
                                   NULL, &argc, &argv, 0);
  if (status >= 0)
    return status;

  path = admin->store_path != NULL ? g_strdup (admin->store_path)
                                   : tf_settings_dup_store_path (admin->settings);
  existed = g_file_test (path, G_FILE_TEST_EXISTS);

  if ((status = tf_admin_open (admin, TRUE)) != TF_EXIT_OK)
    return status;

  if (existed)
    g_print (_("The account store at %s already exists; its key was found.\n"), path);
  else
    g_print (_("Created the account store at %s.\n"), path);

  return TF_EXIT_OK;
}

int
tf_admin_cmd_audit (TfAdmin  *admin,
                    int       argc,
                    char    **argv)
{
  gboolean json = FALSE;
  gboolean verify = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "verify", 0, 0, G_OPTION_ARG_NONE, &verify,
      N_("Check the log’s chain; exit 3 when an entry was changed or removed"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) entries_list = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  int status;

  status = tf_admin_parse_options ("audit", "", _("Prints the audit log."),
                                   entries, &argc, &argv, 0);
  if (status >= 0)
    return status;
  if ((status = tf_admin_open (admin, FALSE)) != TF_EXIT_OK)
    return status;

  if (verify)
    {
      if (!tf_store_verify_audit (admin->store, &error))
        return tf_admin_fail (TF_EXIT_ENVIRONMENT, "%s", error->message);
      g_print (_("The audit log is intact.\n"));
      return TF_EXIT_OK;
    }

  entries_list = tf_store_list_audit (admin->store, &error);
  if (entries_list == NULL)
    return tf_admin_fail_error (error);

  if (json)
    g_string_append_c (out, '[');
  for (guint i = 0; i < entries_list->len; i++)
    {
      TfAuditEntry *entry = g_ptr_array_index (entries_list, i);
      g_autofree char *time = tf_admin_format_time (entry->time);

      if (json)
        {
          g_string_append (out, i > 0 ? ",{\"time\":" : "{\"time\":");
          tf_admin_json_string (out, time);
          g_string_append (out, ",\"user\":");
          tf_admin_json_string (out, entry->username);
          g_string_append (out, ",\"event\":");
          tf_admin_json_string (out, entry->event);
          g_string_append (out, ",\"detail\":");
          tf_admin_json_string (out, entry->detail);
          g_string_append_c (out, '}');
        }
      else
        {
          g_string_append_printf (out, "%s\t%s\t%s\t%s\n", time,
                                  entry->username != NULL ? entry->username : "-",
                                  entry->event, entry->detail != NULL ? entry->detail : "");
        }
    }
  if (json)
    g_string_append (out, "]\n");

  fwrite (out->str, 1, out->len, stdout);
  return TF_EXIT_OK;
}

static gboolean
report (gboolean    ok,
        const char *what,
        const char *detail)
{
  g_print ("%s %s%s%s\n", ok ? "ok  " : "FAIL", what,
           detail != NULL ? ": " : "", detail != NULL ? detail : "");
  return ok;
}

static gboolean
check_mode (const char *path,
            mode_t      wanted,
            const char *what)
{
  GStatBuf st;
  g_autofree char *detail = NULL;

  if (g_lstat (path, &st) != 0)
    return TRUE; /* -wal/-shm may be absent. */

  detail = g_strdup_printf ("%s (%04o)", path, (guint) (st.st_mode & 07777));
  return report (!S_ISLNK (st.st_mode) && (st.st_mode & 07777 & ~wanted) == 0 &&
                 st.st_uid == geteuid (), what, detail);
}

int
tf_admin_cmd_doctor (TfAdmin  *admin,
                     int       argc,
                     char    **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autofree char *smtp_host = NULL;
  g_autofree char *mail_from = NULL;
  gboolean ok = TRUE;
  int status;

  status = tf_admin_parse_options ("doctor", "",
                                   _("Checks the store’s integrity and permissions, the "
                                     "keyring and the settings. Exit 0 when all is well, 3 "
                                     "otherwise."),
                                   NULL, &argc, &argv, 0);
  if (status >= 0)
    return status;

  status = tf_admin_open (admin, FALSE);
  ok = report (status == TF_EXIT_OK, _("store opens and its key is found"), NULL) && ok;
  if (status != TF_EXIT_OK)
    return TF_EXIT_ENVIRONMENT;

  ok = report (tf_store_check_integrity (admin->store, &error), _("store integrity"),
               error != NULL ? error->message : NULL) && ok;
  g_clear_error (&error);

  dir = g_path_get_dirname (admin->store_path);
  wal = g_strconcat (admin->store_path, "-wal", NULL);
  shm = g_strconcat (admin->store_path, "-shm", NULL);
  ok = check_mode (dir, 0700, _("store directory is private (0700)")) && ok;
  ok = check_mode (admin->store_path, 0600, _("store file is private (0600)")) && ok;
  ok = check_mode (wal, 0600, _("write-ahead log is private (0600)")) && ok;
  ok = check_mode (shm, 0600, _("shared-memory file is private (0600)")) && ok;

  ok = report (tf_store_verify_audit (admin->store, &error), _("audit log chain"),
               error != NULL ? error->message : NULL) && ok;
  g_clear_error (&error);

  smtp_host = g_settings_get_string (admin->settings, "smtp-host");
  mail_from = g_settings_get_string (admin->settings, "mail-from");
  if (*smtp_host != '\0')
    ok = report (*mail_from != '\0', _("mail-from is set when smtp-host is"), NULL) && ok;
  else
    report (TRUE, _("mail is not configured (smtp-host is empty)"), NULL);

  return ok ? TF_EXIT_OK : TF_EXIT_ENVIRONMENT;
}
