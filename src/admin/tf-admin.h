/* tf-admin.h — shared by the twofold-admin sources.
 *
 * Exit statuses, the same for every command: 0 success, 1 refused
 * (authentication failed, no such user), 2 bad usage or bad input,
 * 3 environment problem (store damaged or newer, keyring unavailable).
 * Every failure prints one line on stderr: "twofold-admin: MESSAGE".
 */
#pragma once

#include <gio/gio.h>

#include "tf-auth.h"
#include "tf-secure-buffer.h"
#include "tf-store.h"

G_BEGIN_DECLS

enum {
  TF_EXIT_OK = 0,
  TF_EXIT_REFUSED = 1,
  TF_EXIT_USAGE = 2,
  TF_EXIT_ENVIRONMENT = 3,
};

typedef struct {
  char      *store_path;   /* --store, else the store-path setting */
  char      *key_file;     /* --key-file, else the key-file setting */
  GSettings *settings;
  TfStore   *store;
  TfAuth    *auth;
} TfAdmin;

typedef int (*TfAdminCommandFunc) (TfAdmin  *admin,
                                   int       argc,
                                   char    **argv);

typedef struct {
  const char         *name;
  const char         *args;        /* for --help, e.g. "USER" */
  const char         *summary;     /* translatable */
  TfAdminCommandFunc  func;
} TfAdminCommand;

extern const TfAdminCommand tf_admin_commands[];

/* Prints "twofold-admin: message" and returns status. */
int             tf_admin_fail         (int          status,
                                       const char  *format,
                                       ...) G_GNUC_PRINTF (2, 3);
/* Prints the error and returns the exit status its domain and code mean. */
int             tf_admin_fail_error   (const GError *error);
int             tf_admin_exit_status_for (const GError *error);

/* Opens the store (creating it only when create is TRUE), loads the vault
 * and builds the auth service. Returns an exit status. */
int             tf_admin_open         (TfAdmin     *admin,
                                       gboolean     create);
void            tf_admin_clear        (TfAdmin     *admin);

/* Reads one line of stdin into secure memory (a hidden prompt when stdin is
 * a terminal). NULL on end of input or an over-long or malformed line. */
TfSecureBuffer *tf_admin_read_secret_line (const char *prompt,
                                           GError    **error);
/* Reads all of stdin (at most max bytes) into secure memory. */
TfSecureBuffer *tf_admin_read_all_stdin   (gsize       max,
                                           GError    **error);

/* Parses per-command options; returns -1 to go on, or an exit status. */
int             tf_admin_parse_options (const char   *command,
                                        const char   *args,
                                        const char   *summary,
                                        GOptionEntry *entries,
                                        int          *argc,
                                        char       ***argv,
                                        int           n_positional);

void            tf_admin_json_string  (GString     *out,
                                       const char  *value);
char           *tf_admin_format_time  (gint64       unix_time);

/* The commands, one function each. */
int tf_admin_cmd_init (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_add (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_confirm (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_verify (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_list (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_show (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_disable (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_enable (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_unlock (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_delete (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_reset_2fa (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_audit (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_doctor (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_outbox (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_smtp_test (TfAdmin *admin, int argc, char **argv);
int tf_admin_cmd_smtp_password (TfAdmin *admin, int argc, char **argv);

G_END_DECLS
