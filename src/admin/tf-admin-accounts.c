/* tf-admin-accounts.c — the account commands of twofold-admin. */
#define G_LOG_DOMAIN "twofold-admin"

#include "config.h"

#include "tf-admin.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tf-qr.h"
#include "tf-throttle.h"

/* How much of a listing is written at a time. */
#define OUTPUT_CHUNK (64 * 1024)

static void
print_enrolment (TfEnrolment *enrolment,
                 gboolean     qr)
{
  g_print ("%s\n", tf_secure_buffer_get_string (enrolment->uri));

  if (qr)
    {
      g_autoptr(TfQrMatrix) matrix = tf_qr_matrix_new (tf_secure_buffer_get_string (enrolment->uri),
                                                       NULL);
      if (matrix != NULL)
        {
          g_autoptr(TfSecureBuffer) text = tf_qr_matrix_to_text (matrix);

          g_print ("%s", tf_secure_buffer_get_string (text));
        }
    }
}

int
tf_admin_cmd_add (TfAdmin  *admin,
                  int       argc,
                  char    **argv)
{
  g_autofree char *email = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  gboolean qr = FALSE;
  GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("E-mail address"), "E" },
    { "first-name", 0, 0, G_OPTION_ARG_STRING, &first, N_("First name"), "F" },
    { "last-name", 0, 0, G_OPTION_ARG_STRING, &last, N_("Last name"), "L" },
    { "qr", 0, 0, G_OPTION_ARG_NONE, &qr, N_("Also draw the QR code in the terminal"), NULL },
    { NULL }
  };
  g_autoptr(TfSecureBuffer) password = NULL;
  g_autoptr(TfEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;
  int status;

  status = tf_admin_parse_options ("add", "USER",
                                   _("Adds a pending account; the password is read from "
                                     "standard input. Prints the otpauth URI to enrol an "
                                     "authenticator."),
                                   entries, &argc, &argv, 1);
  if (status >= 0)
    return status;
  if (email == NULL || first == NULL || last == NULL)
    return tf_admin_fail (TF_EXIT_USAGE,
                          _("--email, --first-name and --last-name are required."));

  if ((status = tf_admin_open (admin, FALSE)) != TF_EXIT_OK)
    return status;

  password = tf_admin_read_secret_line (_("Password: "), &error);
  if (password == NULL)
    return tf_admin_fail (TF_EXIT_USAGE, "%s", error->message);

  id = tf_auth_admin_add (admin->auth, argv[1], first, last, email,
                          tf_secure_buffer_get_string (password), &error);
  if (id <= 0)
    return tf_admin_fail_error (error);

  enrolment = tf_auth_get_enrolment (admin->auth, id, &error);
  if (enrolment == NULL)
    return tf_admin_fail_error (error);

  print_enrolment (enrolment, qr);
  return TF_EXIT_OK;
}

int
tf_admin_cmd_confirm (TfAdmin  *admin,
                      int       argc,
                      char    **argv)
{
  g_autoptr(TfSecureBuffer) code = NULL;
  g_autoptr(TfUser) user = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = tf_admin_parse_options ("confirm", "USER",
                                   _("Activates a pending account with a code from its "
                                     "authenticator, read from standard input. Prints the "
                                     "recovery codes."),
                                   NULL, &argc, &argv, 1);
  if (status >= 0)
    return status;
  if ((status = tf_admin_open (admin, FALSE)) != TF_EXIT_OK)
    return status;

  user = tf_auth_admin_find (admin->auth, argv[1], &error);
  if (user == NULL)
    return tf_admin_fail_error (error);

  code = tf_admin_read_secret_line (_("Code: "), &error);
  if (code == NULL)
    return tf_admin_fail (TF_EXIT_USAGE, "%s", error->message);

  codes = tf_auth_confirm_enrolment (admin->auth, user->id, tf_secure_buffer_get_string (code),
                                     &error);
  if (codes == NULL)
    return tf_admin_fail_error (error);

  for (guint i = 0; i < codes->len; i++)
    g_print ("%s\n", tf_secure_buffer_get_string (g_ptr_array_index (codes, i)));

  return TF_EXIT_OK;
}

/* pam_exec's expose_authtok gives the password immediately followed by the
 * current code (pam_oath's convention), ended by a NUL and maybe a newline. */
static gboolean
split_pam_authtok (TfSecureBuffer  *authtok,
                   TfSecureBuffer **password,
                   TfSecureBuffer **code)
{
  const char *data = tf_secure_buffer_get_string (authtok);
  gsize len = strnlen (data, tf_secure_buffer_get_length (authtok));

  while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
    len--;
  if (len < 7)
    return FALSE;

  for (gsize i = len - 6; i < len; i++)
    if (!g_ascii_isdigit (data[i]))
      return FALSE;

  *password = tf_secure_buffer_new_from_data (data, len - 6);
  *code = tf_secure_buffer_new_from_data (data + len - 6, 6);
  return TRUE;
}

int
tf_admin_cmd_verify (TfAdmin  *admin,
                     int       argc,
                     char    **argv)
{
  gboolean pam = FALSE;
  GOptionEntry entries[] = {
    { "pam", 0, 0, G_OPTION_ARG_NONE, &pam,
      N_("Read the user from PAM_USER and the password followed by the code from "
         "standard input (pam_exec expose_authtok)"), NULL },
    { NULL }
  };
  g_autoptr(TfSecureBuffer) password = NULL;
  g_autoptr(TfSecureBuffer) code = NULL;
  g_autoptr(TfLoginResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *username;
  int status;

  status = tf_admin_parse_options ("verify", pam ? "" : "USER",
                                   _("Checks a password (line 1 of standard input) and a code "
                                     "or recovery code (line 2). Exit 0 accepted, 1 refused."),
                                   entries, &argc, &argv, -1);
  if (status >= 0)
    return status;
  if (argc - 1 != (pam ? 0 : 1))
    return tf_admin_fail (TF_EXIT_USAGE, _("Usage: twofold-admin verify USER, or verify --pam"));
  if ((status = tf_admin_open (admin, FALSE)) != TF_EXIT_OK)
    return status;

  if (pam)
    {
      g_autoptr(TfSecureBuffer) authtok = NULL;

      username = g_getenv ("PAM_USER");
      if (username == NULL || *username == '\0')
        return tf_admin_fail (TF_EXIT_USAGE, _("PAM_USER is not set."));
      authtok = tf_admin_read_all_stdin (4096, &error);
      if (authtok == NULL)
        return tf_admin_fail (TF_EXIT_USAGE, "%s", error->message);
      if (!split_pam_authtok (authtok, &password, &code))
        return tf_admin_fail (TF_EXIT_REFUSED, _("Invalid username, password or code."));
    }
  else
    {
      username = argv[1];
      password = tf_admin_read_secret_line (_("Password: "), &error);
      if (password != NULL)
        code = tf_admin_read_secret_line (_("Code: "), &error);
      if (code == NULL)
        return tf_admin_fail (TF_EXIT_USAGE, "%s", error->message);
    }

  result = tf_auth_login (admin->auth, username, tf_secure_buffer_get_string (password),
                          tf_secure_buffer_get_string (code), &error);
  if (result == NULL)
    return tf_admin_fail_error (error);
  if (result->status != TF_LOGIN_OK)
    return tf_admin_fail (TF_EXIT_REFUSED, _("This account has not finished setting up its authenticator."));

  return TF_EXIT_OK;
}

/* A Unix time as JSON, the way tf_admin_format_time () writes it
 * (ISO 8601, UTC), without a GDateTime and a string per value: a listing
 * writes three per account. */
static void
append_json_time (GString *out,
                  gint64   unix_time)
{
  time_t t = (time_t) unix_time;
  struct tm tm;

  /* GDateTime stops at the year 9999 too. */
  if (unix_time <= 0 || gmtime_r (&t, &tm) == NULL || tm.tm_year + 1900 > 9999)
    {
      g_string_append (out, "null");
      return;
    }
  g_string_append_printf (out, "\"%04d-%02d-%02dT%02d:%02d:%02dZ\"", tm.tm_year + 1900,
                          tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
append_uint (GString *out,
             guint    value)
{
  char digits[16];
  int n = 0;

  do
    digits[n++] = (char) ('0' + value % 10);
  while ((value /= 10) > 0);
  while (n > 0)
    g_string_append_c (out, digits[--n]);
}

/* @codes_by_user and @throttles: what tf_store_count_all_recovery_codes ()
 * and tf_store_list_throttles () gave for a listing, or NULL to ask the
 * store for this one account. */
static void
user_to_json (TfAdmin    *admin,
              TfUser     *user,
              GHashTable *codes_by_user,
              GHashTable *throttles,
              gint64      now,
              GString    *out)
{
  g_autofree char *key = tf_auth_throttle_key (user->username);
  gint64 throttled = 0;
  TfThrottleState state = { 0 };
  guint codes;

  if (throttles != NULL)
    {
      TfThrottleState *found = g_hash_table_lookup (throttles, key);

      if (found != NULL)
        throttled = tf_throttle_blocked_until (found, now);
    }
  else if (tf_store_get_throttle (admin->store, key, &state, NULL))
    {
      throttled = tf_throttle_blocked_until (&state, now);
    }
  if (codes_by_user != NULL)
    codes = GPOINTER_TO_UINT (g_hash_table_lookup (codes_by_user, &user->id));
  else
    codes = tf_store_count_recovery_codes (admin->store, user->id, NULL);

  g_string_append (out, "{\"username\":");
  tf_admin_json_string (out, user->username);
  g_string_append (out, ",\"first_name\":");
  tf_admin_json_string (out, user->first_name);
  g_string_append (out, ",\"last_name\":");
  tf_admin_json_string (out, user->last_name);
  g_string_append (out, ",\"email\":");
  tf_admin_json_string (out, user->email);
  g_string_append (out, ",\"email_verified_at\":");
  append_json_time (out, user->email_verified_at);
  g_string_append (out, ",\"state\":");
  tf_admin_json_string (out, tf_user_state_to_string (user->state));
  g_string_append (out, ",\"created_at\":");
  append_json_time (out, user->created_at);
  g_string_append (out, ",\"last_login_at\":");
  append_json_time (out, user->last_login_at);
  g_string_append (out, ",\"failed_attempts\":");
  append_uint (out, user->failed_since_login);
  g_string_append (out, ",\"throttled_until\":");
  append_json_time (out, throttled);
  g_string_append (out, ",\"recovery_codes_left\":");
  append_uint (out, codes);
  g_string_append_c (out, '}');
}

/* Writes what @out holds once it is @at_least bytes long. */
static void
flush_output (GString *out,
              gsize    at_least)
{
  if (out->len < at_least)
    return;
  fwrite (out->str, 1, out->len, stdout);
  g_string_truncate (out, 0);
}

int
tf_admin_cmd_list (TfAdmin  *admin,
                   int       argc,
                   char    **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GHashTable) codes_by_user = NULL;
  g_autoptr(GHashTable) throttles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_sized_new (OUTPUT_CHUNK + 4096);
  gint64 now;
  int status;

  status = tf_admin_parse_options ("list", "", _("Lists the accounts."), entries, &argc, &argv, 0);
  if (status >= 0)
    return status;
  if ((status = tf_admin_open (admin, FALSE)) != TF_EXIT_OK)
    return status;

  tf_auth_expire_pending (admin->auth, NULL);
  users = tf_store_list_users (admin->store, &error);
  if (users == NULL)
    return tf_admin_fail_error (error);
  /* Two queries for all accounts rather than two per account: a listing
   * of 100 000 accounts stays under a second (BENCHMARKS.md). */
  if (json)
    {
      g_autofree char *prefix = tf_auth_throttle_key ("");

      codes_by_user = tf_store_count_all_recovery_codes (admin->store, &error);
      if (codes_by_user != NULL)
        throttles = tf_store_list_throttles (admin->store, prefix, &error);
      if (throttles == NULL)
        return tf_admin_fail_error (error);
    }

  /* Written as it is made, a chunk at a time: the JSON of 100 000 accounts
   * is 27 MB that need not be held at once. */
  now = tf_auth_now (admin->auth);
  if (json)
    g_string_append_c (out, '[');
  for (guint i = 0; i < users->len; i++)
    {
      TfUser *user = g_ptr_array_index (users, i);

      if (json)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          user_to_json (admin, user, codes_by_user, throttles, now, out);
        }
      else
        {
          g_string_append_printf (out, "%s\t%s\t%s %s\t%s\n", user->username,
                                  tf_user_state_to_string (user->state),
                                  user->first_name, user->last_name, user->email);
        }
      flush_output (out, OUTPUT_CHUNK);
    }
  if (json)
    g_string_append (out, "]\n");

  flush_output (out, 0);
  return TF_EXIT_OK;
}

int
tf_admin_cmd_show (TfAdmin  *admin,
                   int       argc,
                   char    **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(TfUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  int status;

  status = tf_admin_parse_options ("show", "USER", _("Shows one account."),
                                   entries, &argc, &argv, 1);
  if (status >= 0)
    return status;
  if ((status = tf_admin_open (admin, FALSE)) != TF_EXIT_OK)
    return status;

  user = tf_auth_admin_find (admin->auth, argv[1], &error);
  if (user == NULL)
    return tf_admin_fail_error (error);

  user_to_json (admin, user, NULL, NULL, tf_auth_now (admin->auth), out);
  if (json)
    {
      g_print ("%s\n", out->str);
    }
  else
    {
      g_autofree char *created = tf_admin_format_time (user->created_at);
      g_autofree char *last = tf_admin_format_time (user->last_login_at);
      g_autofree char *key = tf_auth_throttle_key (user->username);
      TfThrottleState state = { 0 };
      gint64 until = 0;

      if (tf_store_get_throttle (admin->store, key, &state, NULL))
        until = tf_throttle_blocked_until (&state, tf_auth_now (admin->auth));

      g_print ("%-20s %s\n", _("Username:"), user->username);
      g_print ("%-20s %s %s\n", _("Name:"), user->first_name, user->last_name);
      g_print ("%-20s %s%s\n", _("E-mail:"), user->email,
               user->email_verified_at > 0 ? "" : _(" (not verified)"));
      g_print ("%-20s %s\n", _("State:"), tf_user_state_to_string (user->state));
      g_print ("%-20s %s\n", _("Created:"), created);
      g_print ("%-20s %s\n", _("Last login:"), last != NULL ? last : _("never"));
      g_print ("%-20s %u\n", _("Failed attempts:"), user->failed_since_login);
      if (until > 0)
        {
          g_autofree char *when = tf_admin_format_time (until);

          g_print ("%-20s %s\n", _("Throttled until:"), when);
        }
      g_print ("%-20s %u\n", _("Recovery codes left:"),
               tf_store_count_recovery_codes (admin->store, user->id, NULL));
    }

  return TF_EXIT_OK;
}

static int
simple_user_command (TfAdmin     *admin,
                     int          argc,
                     char       **argv,
                     const char  *name,
                     const char  *summary,
                     gboolean   (*action) (TfAuth *, const char *, GError **))
{
  g_autoptr(GError) error = NULL;
  int status;

  status = tf_admin_parse_options (name, "USER", summary, NULL, &argc, &argv, 1);
  if (status >= 0)
    return status;
  if ((status = tf_admin_open (admin, FALSE)) != TF_EXIT_OK)
    return status;

  if (!action (admin->auth, argv[1], &error))
    return tf_admin_fail_error (error);

  return TF_EXIT_OK;
}

static gboolean
disable_user (TfAuth      *auth,
              const char  *username,
              GError     **error)
{
  return tf_auth_admin_set_state (auth, username, TF_USER_STATE_DISABLED, error);
}

static gboolean
enable_user (TfAuth      *auth,
             const char  *username,
             GError     **error)
{
  return tf_auth_admin_set_state (auth, username, TF_USER_STATE_ACTIVE, error);
}

int
tf_admin_cmd_disable (TfAdmin  *admin,
                      int       argc,
                      char    **argv)
{
  return simple_user_command (admin, argc, argv, "disable",
                              _("Disables an account: it can no longer log in."), disable_user);
}

int
tf_admin_cmd_enable (TfAdmin  *admin,
                     int       argc,
                     char    **argv)
{
  return simple_user_command (admin, argc, argv, "enable",
                              _("Enables a disabled account."), enable_user);
}

int
tf_admin_cmd_unlock (TfAdmin  *admin,
                     int       argc,
                     char    **argv)
{
  return simple_user_command (admin, argc, argv, "unlock",
                              _("Clears an account’s failed attempts and waiting time."),
                              tf_auth_admin_unlock);
}

int
tf_admin_cmd_delete (TfAdmin  *admin,
                     int       argc,
                     char    **argv)
{
  return simple_user_command (admin, argc, argv, "delete",
                              _("Deletes an account and its secrets."), tf_auth_admin_delete);
}

int
tf_admin_cmd_reset_2fa (TfAdmin  *admin,
                        int       argc,
                        char    **argv)
{
  gboolean qr = FALSE;
  GOptionEntry entries[] = {
    { "qr", 0, 0, G_OPTION_ARG_NONE, &qr, N_("Also draw the QR code in the terminal"), NULL },
    { NULL }
  };
  g_autoptr(TfEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  status = tf_admin_parse_options ("reset-2fa", "USER",
                                   _("Gives an account a new authenticator secret and puts it "
                                     "back to pending. Prints the new otpauth URI."),
                                   entries, &argc, &argv, 1);
  if (status >= 0)
    return status;
  if ((status = tf_admin_open (admin, FALSE)) != TF_EXIT_OK)
    return status;

  enrolment = tf_auth_admin_reset_2fa (admin->auth, argv[1], &error);
  if (enrolment == NULL)
    return tf_admin_fail_error (error);

  print_enrolment (enrolment, qr);
  return TF_EXIT_OK;
}
