/* auth-driver.c — one call of the authentication service with arguments of
 * any size, for test-bad-input.py. The GUI's forms reach the store only
 * through these calls, so they are the boundary to test.
 *
 *   auth-driver --store PATH --key-file PATH [--seat NAME] OPERATION < FIELDS
 *
 * NAME is the seat the service throttles by ("driver-seat" by default).
 * FIELDS on stdin: for each argument, its length in decimal, a newline and
 * that many bytes. Operations and their fields:
 *   register         first last username email password confirmation
 *   login            username password code
 *   change-password  username current-password code new-password confirmation
 *   regenerate       username password code
 *   confirm          username code
 *   change-email     username password code new-email
 *   verify-email     username mailed-code
 *   request-reset    identifier
 *   reset            identifier mailed-code new-password confirmation code
 * Prints one line, "ok" or "error DOMAIN CODE MESSAGE", and exits 0 (ok),
 * 1 (refused: authentication failed, throttled), 2 (the input was refused)
 * or 3 (store, vault). Strings reach the service as C strings, exactly as
 * GTK hands them over: an embedded NUL ends them there.
 */
#define G_LOG_DOMAIN "auth-driver"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tf-auth.h"
#include "tf-core.h"

#define MAX_FIELD (8 * 1024 * 1024)

static char *
read_field (void)
{
  char header[32];
  gsize length;
  char *data;

  if (fgets (header, sizeof header, stdin) == NULL)
    return NULL;
  length = g_ascii_strtoull (header, NULL, 10);
  if (length > MAX_FIELD)
    return NULL;
  data = g_malloc (length + 1);
  if (fread (data, 1, length, stdin) != length)
    {
      g_free (data);
      return NULL;
    }
  data[length] = '\0';
  return data;
}

static int
exit_status (const GError *error)
{
  if (error->domain == TF_AUTH_ERROR)
    {
      switch ((TfAuthError) error->code)
        {
        case TF_AUTH_ERROR_FAILED:
        case TF_AUTH_ERROR_CLOCK_SKEW:
        case TF_AUTH_ERROR_THROTTLED:
        case TF_AUTH_ERROR_WRONG_CODE:
        case TF_AUTH_ERROR_NO_SUCH_USER:
          return 1;
        case TF_AUTH_ERROR_INVALID_USERNAME:
        case TF_AUTH_ERROR_INVALID_FIRST_NAME:
        case TF_AUTH_ERROR_INVALID_LAST_NAME:
        case TF_AUTH_ERROR_INVALID_EMAIL:
        case TF_AUTH_ERROR_INVALID_PASSWORD:
        case TF_AUTH_ERROR_PASSWORD_MISMATCH:
        case TF_AUTH_ERROR_USERNAME_TAKEN:
        case TF_AUTH_ERROR_WRONG_STATE:
        default:
          return 2;
        }
    }
  return 3;
}

static int
report (gboolean      ok,
        const GError *error)
{
  if (ok)
    {
      g_print ("ok\n");
      return 0;
    }
  g_assert (error != NULL);
  g_print ("error %s %d %s\n", g_quark_to_string (error->domain), error->code, error->message);
  return exit_status (error);
}

static gint64
user_id (TfAuth      *auth,
         const char  *username,
         GError     **error)
{
  g_autoptr(TfUser) user = tf_auth_admin_find (auth, username, error);

  return user != NULL ? user->id : 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *store_path = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *seat = NULL;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, "Store", "PATH" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "Key file", "PATH" },
    { "seat", 0, 0, G_OPTION_ARG_STRING, &seat, "Seat", "NAME" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("OPERATION");
  g_autoptr(GError) error = NULL;
  g_autoptr(TfAuth) auth = NULL;
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  const char *op;
  const char *const *f;
  char *field;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 ||
      store_path == NULL || key_file == NULL)
    {
      g_printerr ("Usage: auth-driver --store PATH --key-file PATH [--seat NAME] OPERATION < FIELDS\n");
      return 64;
    }
  op = argv[1];
  while ((field = read_field ()) != NULL)
    g_ptr_array_add (fields, field);
  g_ptr_array_add (fields, NULL);
  f = (const char *const *) fields->pdata;

  tf_core_init ();
  auth = tf_auth_open (store_path, key_file, NULL, seat != NULL ? seat : "driver-seat", FALSE,
                       25000, NULL, &error);
  if (auth == NULL)
    return report (FALSE, error);

#define NEED(n) if (fields->len - 1 != (n)) { g_printerr ("%s needs %d fields\n", op, (n)); return 64; }
  if (g_str_equal (op, "register"))
    {
      gint64 id;

      NEED (6);
      /* Called first: the order in which arguments are evaluated is unspecified. */
      id = tf_auth_register (auth, f[0], f[1], f[2], f[3], f[4], f[5], &error);
      return report (id > 0, error);
    }
  if (g_str_equal (op, "login"))
    {
      g_autoptr(TfLoginResult) result = NULL;

      NEED (3);
      result = tf_auth_login (auth, f[0], f[1], f[2], &error);
      return report (result != NULL, error);
    }
  if (g_str_equal (op, "change-password"))
    {
      gint64 id;
      gboolean ok;

      NEED (5);
      id = user_id (auth, f[0], &error);
      ok = id > 0 && tf_auth_change_password (auth, id, f[1], f[2], f[3], f[4], &error);
      return report (ok, error);
    }
  if (g_str_equal (op, "regenerate"))
    {
      g_autoptr(GPtrArray) codes = NULL;
      gint64 id;

      NEED (3);
      id = user_id (auth, f[0], &error);
      if (id > 0)
        codes = tf_auth_regenerate_recovery_codes (auth, id, f[1], f[2], &error);
      return report (codes != NULL, error);
    }
  if (g_str_equal (op, "confirm"))
    {
      g_autoptr(GPtrArray) codes = NULL;
      gint64 id;

      NEED (2);
      id = user_id (auth, f[0], &error);
      if (id > 0)
        codes = tf_auth_confirm_enrolment (auth, id, f[1], &error);
      return report (codes != NULL, error);
    }
  if (g_str_equal (op, "change-email"))
    {
      gint64 id;
      gboolean ok;

      NEED (4);
      id = user_id (auth, f[0], &error);
      ok = id > 0 && tf_auth_change_email (auth, id, f[3], f[1], f[2], &error);
      return report (ok, error);
    }
  if (g_str_equal (op, "verify-email"))
    {
      gint64 id;
      gboolean ok;

      NEED (2);
      id = user_id (auth, f[0], &error);
      ok = id > 0 && tf_auth_verify_email (auth, id, f[1], &error);
      return report (ok, error);
    }
  if (g_str_equal (op, "request-reset"))
    {
      gboolean ok;

      NEED (1);
      ok = tf_auth_request_reset (auth, f[0], &error);
      return report (ok, error);
    }
  if (g_str_equal (op, "reset"))
    {
      gboolean ok;

      NEED (5);
      ok = tf_auth_reset_password (auth, f[0], f[1], f[2], f[3], f[4], &error);
      return report (ok, error);
    }
#undef NEED

  g_printerr ("Unknown operation %s\n", op);
  return 64;
}
