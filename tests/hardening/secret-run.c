/* secret-run.c — runs every flow that handles a secret through the service
 * API, with secrets it knows, for check-secrets.py.
 *
 *   secret-run --store PATH (--key-file PATH | --keyring) --secrets FILE
 *              [--plant-leak]
 *
 * Registers an account, verifies its e-mail, enrols it, logs in with a code
 * and with a recovery code, changes the password, regenerates the recovery
 * codes, re-enrols the authenticator and resets the password by e-mail code.
 * The mailed codes are read back the way a sender would: by claiming the
 * outbox messages and opening their bodies (no SMTP server is needed). Each secret is
 * appended to FILE as soon as the flow has made or used it, one per line as
 * "NAME<TAB>HEX-OF-ITS-BYTES". After each step "PHASE NAME" goes to stdout
 * and the program waits for SIGUSR1: the checker dumps it with gcore right
 * then, while the step's leftovers are freshest, and searches the dump for
 * every secret so far. After the last step ("PHASE idle") it sleeps with the
 * service still open, as a running GUI would, until it is killed.
 *
 * The program must not add copies of its own: the password is generated at
 * run time (a literal would sit in the binary's data), every secret stays in
 * a TfSecureBuffer (sodium_malloc: left out of core dumps), and FILE is
 * written with write(2) straight from secure memory, never through stdio.
 *
 * --plant-leak makes the copies the checker must find (the password in a
 * g_strdup, a live GHmac keyed with the TOTP secret): its self-test.
 */
#define G_LOG_DOMAIN "secret-run"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <string.h>
#include <unistd.h>

#include "tf-auth.h"
#include "tf-base32.h"
#include "tf-core.h"
#include "tf-key-file.h"
#include "tf-keyring.h"
#include "tf-otp.h"
#include "tf-outbox.h"
#include "tf-validate.h"
#include "tf-vault.h"

#define KEYRING_TIMEOUT_MS 25000
#define PASSWORD_GROUPS 4
#define PASSWORD_GROUP_CHARS 6

static gint64 clock_now;
static int secrets_fd = -1;
static sigset_t continue_signal;
/* --plant-leak: deliberately unprotected copies, kept reachable. */
static char *planted_password;
static GHmac *planted_hmac;

static gint64
test_clock (gpointer user_data)
{
  return clock_now;
}

static void G_GNUC_NORETURN
die (const char   *what,
     const GError *error)
{
  g_printerr ("secret-run: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static void
write_all (const void *data,
           gsize       length)
{
  const guint8 *p = data;

  while (length > 0)
    {
      ssize_t n = write (secrets_fd, p, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_printerr ("secret-run: writing the secrets file: %s\n", g_strerror (errno));
          exit (1);
        }
      p += n;
      length -= (gsize) n;
    }
}

/* One line "name\thex\n"; the hex is made in secure memory. */
static void
record_bytes (const char   *name,
              const guint8 *data,
              gsize         length)
{
  g_autoptr(TfSecureBuffer) hex = tf_secure_buffer_new (length * 2 + 1);

  sodium_bin2hex ((char *) tf_secure_buffer_get_data (hex), length * 2 + 1, data, length);
  write_all (name, strlen (name));
  write_all ("\t", 1);
  write_all (tf_secure_buffer_get_data (hex), length * 2);
  write_all ("\n", 1);
}

static void
record (const char     *name,
        TfSecureBuffer *secret)
{
  record_bytes (name, tf_secure_buffer_get_data (secret), tf_secure_buffer_get_length (secret));
}

/* "abcdef-ghijkl-mnopqr-stuvwx": 4 × 6 random lower-case letters. Lower
 * case on purpose: case-folding and NFKC leave it unchanged, so a copy a
 * normaliser leaves behind is byte-for-byte the password and is found. */
static TfSecureBuffer *
random_password (void)
{
  gsize length = PASSWORD_GROUPS * (PASSWORD_GROUP_CHARS + 1) - 1;
  TfSecureBuffer *password = tf_secure_buffer_new (length);
  guint8 *data = tf_secure_buffer_get_data (password);

  for (gsize i = 0; i < length; i++)
    data[i] = (i + 1) % (PASSWORD_GROUP_CHARS + 1) == 0 ? '-' : 'a' + randombytes_uniform (26);

  return password;
}

/* The TOTP code of secret at the service's current time, in secure memory. */
static TfSecureBuffer *
code_now (TfSecureBuffer *secret)
{
  g_autoptr(TfSecureBuffer) code = tf_secure_buffer_new (TF_OTP_CODE_SIZE);

  if (!tf_totp (tf_secure_buffer_get_data (secret), tf_secure_buffer_get_length (secret),
                TF_OTP_SHA1, clock_now, 30, 6, (char *) tf_secure_buffer_get_data (code)))
    die ("computing a TOTP code", NULL);
  tf_secure_buffer_truncate (code, 6);

  return g_steal_pointer (&code);
}

/* The raw secret of an enrolment, decoded from its base32 form. */
static TfSecureBuffer *
enrolment_secret (TfEnrolment *enrolment)
{
  g_autoptr(GError) error = NULL;
  TfSecureBuffer *raw;

  raw = tf_base32_decode (tf_secure_buffer_get_string (enrolment->secret_base32),
                          tf_secure_buffer_get_length (enrolment->secret_base32), &error);
  if (raw == NULL)
    die ("decoding the enrolment secret", error);

  return raw;
}

static void
record_recovery_codes (const char *prefix,
                       GPtrArray  *codes)
{
  for (guint i = 0; i < codes->len; i++)
    {
      TfSecureBuffer *display = g_ptr_array_index (codes, i);
      g_autoptr(TfSecureBuffer) canonical = tf_secure_buffer_new (TF_RECOVERY_CODE_LENGTH);
      g_autofree char *name = g_strdup_printf ("%s-%u", prefix, i);
      g_autofree char *canonical_name = g_strdup_printf ("%s-%u-canonical", prefix, i);
      const guint8 *in = tf_secure_buffer_get_data (display);
      guint8 *out = tf_secure_buffer_get_data (canonical);
      gsize n = 0;

      record (name, display);
      /* The form that is hashed has no hyphen ("ABCDE-FGHJK" → "ABCDEFGHJK"). */
      for (gsize j = 0; j < tf_secure_buffer_get_length (display); j++)
        if (in[j] != '-' && n < TF_RECOVERY_CODE_LENGTH)
          out[n++] = in[j];
      if (n != TF_RECOVERY_CODE_LENGTH)
        die ("reading a recovery code", NULL);
      record (canonical_name, canonical);
    }
}

/* Tells the checker that a step is done and waits until it has looked. */
static void
checkpoint (const char *phase)
{
  g_autofree char *line = g_strconcat ("PHASE ", phase, "\n", NULL);
  gsize length = strlen (line);
  int signal_number = 0;

  /* Straight to the file descriptor: nothing goes through stdio. */
  if (write (STDOUT_FILENO, line, length) != (gssize) length)
    exit (1);
  while (sigwait (&continue_signal, &signal_number) != 0 || signal_number != SIGUSR1)
    ;
}

static void
next_step (void)
{
  /* Each code needs a later step than the last one used. */
  clock_now += 30;
}

static void
on_login_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  TfLoginResult **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = tf_auth_login_finish (TF_AUTH (source), result, &error);
  if (*out == NULL)
    die ("logging in from a worker thread", error);
}

/* The GUI's way: the blocking call in a GTask worker thread, whose stack
 * stays behind in the pool. */
static TfLoginResult *
login_async (TfAuth         *auth,
             TfSecureBuffer *password,
             TfSecureBuffer *code)
{
  TfLoginResult *result = NULL;

  tf_auth_login_async (auth, "ada", tf_secure_buffer_get_string (password),
                       tf_secure_buffer_get_string (code), NULL, on_login_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return result;
}

/* The code in a mail body: a line holding only "1234 5678" (indented). */
static TfSecureBuffer *
find_code (TfSecureBuffer *body)
{
  const guint8 *text = tf_secure_buffer_get_data (body);
  gsize length = tf_secure_buffer_get_length (body);

  for (gsize start = 0; start < length; )
    {
      gsize end = start;
      gsize n = 0;
      gboolean only_code = TRUE;
      g_autoptr(TfSecureBuffer) code = tf_secure_buffer_new (TF_AUTH_MAIL_CODE_DIGITS);
      guint8 *digits = tf_secure_buffer_get_data (code);

      while (end < length && text[end] != '\n')
        end++;
      for (gsize i = start; i < end && only_code; i++)
        {
          if (g_ascii_isdigit (text[i]) && n < TF_AUTH_MAIL_CODE_DIGITS)
            digits[n++] = text[i];
          else if (text[i] != ' ' && text[i] != '\r')
            only_code = FALSE;
        }
      if (only_code && n == TF_AUTH_MAIL_CODE_DIGITS)
        return g_steal_pointer (&code);
      start = end + 1;
    }

  return NULL;
}

/* Sends (claims and marks sent) every queued message, as the outbox worker
 * would; returns the code of the last one that carried one, or NULL. */
static TfSecureBuffer *
deliver_mail (TfAuth *auth)
{
  TfStore *store = tf_auth_get_store (auth);
  TfSecureBuffer *last = NULL;
  gint64 after = 0;

  for (;;)
    {
      g_autoptr(TfOutboxEntry) entry = NULL;
      g_autoptr(TfSecureBuffer) body = NULL;
      g_autoptr(TfSecureBuffer) code = NULL;
      g_autoptr(GError) error = NULL;
      gint64 failed_id = 0;

      entry = tf_store_mail_claim (store, clock_now, clock_now + TF_OUTBOX_LEASE, after, TRUE,
                                   &body, &failed_id, &error);
      if (entry == NULL && error != NULL)
        die ("claiming a queued mail", error);
      if (entry == NULL)
        return last;
      after = entry->id;
      code = find_code (body);
      if (code != NULL)
        {
          g_clear_pointer (&last, tf_secure_buffer_unref);
          last = g_steal_pointer (&code);
        }
      if (!tf_store_mail_finish (store, entry->id, TF_OUTBOX_SENT, 0, NULL, &error))
        die ("marking a mail sent", error);
    }
}

/* "12345678" as the mail shows it, "1234 5678". */
static void
record_mail_code (const char     *name,
                  TfSecureBuffer *code)
{
  g_autoptr(TfSecureBuffer) grouped = tf_secure_buffer_new (TF_AUTH_MAIL_CODE_DIGITS + 1);
  const guint8 *in = tf_secure_buffer_get_data (code);
  guint8 *out = tf_secure_buffer_get_data (grouped);
  g_autofree char *grouped_name = g_strconcat (name, "-grouped", NULL);

  memcpy (out, in, 4);
  out[4] = ' ';
  memcpy (out + 5, in + 4, TF_AUTH_MAIL_CODE_DIGITS - 4);
  record (name, code);
  record (grouped_name, grouped);
}

static TfSecureBuffer *
load_master_key (TfAuth     *auth,
                 const char *key_file)
{
  g_autoptr(GError) error = NULL;
  TfSecureBuffer *key;

  if (key_file != NULL)
    key = tf_key_file_read (key_file, &error);
  else
    key = tf_keyring_lookup (tf_store_get_uuid (tf_auth_get_store (auth)), KEYRING_TIMEOUT_MS,
                             NULL, &error);
  if (key == NULL)
    die ("reading back the master key", error);

  return key;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *store_path = NULL;
  g_autofree char *key_file = NULL;
  g_autofree char *secrets_path = NULL;
  gboolean keyring = FALSE;
  gboolean plant_leak = FALSE;
  GOptionEntry entries[] = {
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_path, "Store to create", "PATH" },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "Key file to create", "PATH" },
    { "keyring", 0, 0, G_OPTION_ARG_NONE, &keyring, "Keep the key in the keyring", NULL },
    { "secrets", 0, 0, G_OPTION_ARG_FILENAME, &secrets_path, "Where to list the secrets", "FILE" },
    { "plant-leak", 0, 0, G_OPTION_ARG_NONE, &plant_leak, "Leave copies for the self-test", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TfAuth) auth = NULL;
  g_autoptr(TfSecureBuffer) password = NULL;
  g_autoptr(TfSecureBuffer) new_password = NULL;
  g_autoptr(TfSecureBuffer) secret = NULL;
  g_autoptr(TfSecureBuffer) new_secret = NULL;
  g_autoptr(TfSecureBuffer) master_key = NULL;
  g_autoptr(TfSecureBuffer) master_hex = NULL;
  g_autoptr(TfSecureBuffer) code = NULL;
  g_autoptr(TfSecureBuffer) verify_code = NULL;
  g_autoptr(TfSecureBuffer) reset_code = NULL;
  g_autoptr(TfSecureBuffer) reset_password = NULL;
  g_autoptr(TfEnrolment) enrolment = NULL;
  g_autoptr(TfEnrolment) reenrolment = NULL;
  g_autoptr(GPtrArray) recovery = NULL;
  g_autoptr(GPtrArray) regenerated = NULL;
  g_autoptr(TfLoginResult) login = NULL;
  gint64 id = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    die ("options", error);
  if (store_path == NULL || secrets_path == NULL || (key_file == NULL) == !keyring)
    {
      g_printerr ("Usage: secret-run --store PATH (--key-file PATH | --keyring) --secrets FILE\n");
      return 2;
    }

  /* SIGUSR1 is only ever taken by sigwait (), in checkpoint (). */
  sigemptyset (&continue_signal);
  sigaddset (&continue_signal, SIGUSR1);
  pthread_sigmask (SIG_BLOCK, &continue_signal, NULL);

  secrets_fd = open (secrets_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
  if (secrets_fd < 0)
    {
      g_printerr ("secret-run: %s: %s\n", secrets_path, g_strerror (errno));
      return 1;
    }

  tf_core_init ();
  /* A step boundary, so that "now" and the next 30 s are the same step. */
  clock_now = g_get_real_time () / G_USEC_PER_SEC / 30 * 30;

  auth = tf_auth_open (store_path, key_file, "Twofold", "secret-seat", TRUE,
                       KEYRING_TIMEOUT_MS, NULL, &error);
  if (auth == NULL)
    die ("opening the store", error);
  tf_auth_set_clock (auth, test_clock, NULL);
  master_key = load_master_key (auth, key_file);
  master_hex = tf_secure_buffer_new (TF_VAULT_KEY_LENGTH * 2);
  sodium_bin2hex ((char *) tf_secure_buffer_get_data (master_hex), TF_VAULT_KEY_LENGTH * 2 + 1,
                  tf_secure_buffer_get_data (master_key), TF_VAULT_KEY_LENGTH);
  record ("master-key", master_key);
  record ("master-key-hex", master_hex);
  checkpoint ("open");

  /* Register (a random password can, rarely, trip a policy rule: retry). */
  for (guint attempt = 0; attempt < 20 && id <= 0; attempt++)
    {
      g_clear_pointer (&password, tf_secure_buffer_unref);
      g_clear_error (&error);
      password = random_password ();
      id = tf_auth_register (auth, "Ada", "Lovelace", "ada", "ada@example.org",
                             tf_secure_buffer_get_string (password),
                             tf_secure_buffer_get_string (password), &error);
    }
  if (id <= 0)
    die ("registering", error);
  record ("password", password);
  if (plant_leak)
    planted_password = g_strdup (tf_secure_buffer_get_string (password));
  checkpoint ("register");

  /* Verify the e-mail address with the code mailed for it. */
  verify_code = deliver_mail (auth);
  if (verify_code == NULL)
    {
      if (!tf_auth_request_email_verification (auth, id, &error))
        die ("asking for an e-mail verification code", error);
      verify_code = deliver_mail (auth);
    }
  if (verify_code == NULL)
    die ("finding the e-mail verification code", NULL);
  record_mail_code ("verify-code", verify_code);
  if (!tf_auth_verify_email (auth, id, tf_secure_buffer_get_string (verify_code), &error))
    die ("verifying the e-mail address", error);
  checkpoint ("verify-email");

  /* Enrol. */
  enrolment = tf_auth_get_enrolment (auth, id, &error);
  if (enrolment == NULL)
    die ("getting the enrolment", error);
  secret = enrolment_secret (enrolment);
  record ("totp-secret", secret);
  record ("totp-secret-base32", enrolment->secret_base32);
  if (plant_leak)
    planted_hmac = g_hmac_new (G_CHECKSUM_SHA1, tf_secure_buffer_get_data (secret),
                               tf_secure_buffer_get_length (secret));
  checkpoint ("enrolment");
  code = code_now (secret);
  recovery = tf_auth_confirm_enrolment (auth, id, tf_secure_buffer_get_string (code), &error);
  if (recovery == NULL)
    die ("confirming the enrolment", error);
  record_recovery_codes ("recovery-code", recovery);
  checkpoint ("confirm");

  /* Log in with a code, then with a recovery code. */
  next_step ();
  g_clear_pointer (&code, tf_secure_buffer_unref);
  code = code_now (secret);
  login = tf_auth_login (auth, "ada", tf_secure_buffer_get_string (password),
                         tf_secure_buffer_get_string (code), &error);
  if (login == NULL || login->status != TF_LOGIN_OK)
    die ("logging in with a code", error);
  checkpoint ("login");
  g_clear_pointer (&login, tf_login_result_free);
  login = tf_auth_login (auth, "ada", tf_secure_buffer_get_string (password),
                         tf_secure_buffer_get_string (g_ptr_array_index (recovery, 0)), &error);
  if (login == NULL || !login->used_recovery_code)
    die ("logging in with a recovery code", error);
  checkpoint ("login-recovery-code");

  /* Change the password. */
  next_step ();
  g_clear_pointer (&code, tf_secure_buffer_unref);
  code = code_now (secret);
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_clear_pointer (&new_password, tf_secure_buffer_unref);
      g_clear_error (&error);
      new_password = random_password ();
      if (tf_auth_change_password (auth, id, tf_secure_buffer_get_string (password),
                                   tf_secure_buffer_get_string (code),
                                   tf_secure_buffer_get_string (new_password),
                                   tf_secure_buffer_get_string (new_password), &error))
        break;
      if (!g_error_matches (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_PASSWORD))
        die ("changing the password", error);
    }
  if (error != NULL)
    die ("changing the password", error);
  record ("new-password", new_password);
  checkpoint ("change-password");

  /* New recovery codes. */
  next_step ();
  g_clear_pointer (&code, tf_secure_buffer_unref);
  code = code_now (secret);
  regenerated = tf_auth_regenerate_recovery_codes (auth, id,
                                                   tf_secure_buffer_get_string (new_password),
                                                   tf_secure_buffer_get_string (code), &error);
  if (regenerated == NULL)
    die ("regenerating the recovery codes", error);
  record_recovery_codes ("new-recovery-code", regenerated);
  checkpoint ("regenerate-recovery-codes");

  /* A new authenticator. */
  next_step ();
  g_clear_pointer (&code, tf_secure_buffer_unref);
  code = code_now (secret);
  reenrolment = tf_auth_begin_reenrolment (auth, id, tf_secure_buffer_get_string (new_password),
                                           tf_secure_buffer_get_string (code), &error);
  if (reenrolment == NULL)
    die ("beginning the re-enrolment", error);
  new_secret = enrolment_secret (reenrolment);
  record ("new-totp-secret", new_secret);
  record ("new-totp-secret-base32", reenrolment->secret_base32);
  next_step ();
  g_clear_pointer (&code, tf_secure_buffer_unref);
  code = code_now (new_secret);
  if (!tf_auth_confirm_reenrolment (auth, id, tf_secure_buffer_get_string (code), &error))
    die ("confirming the re-enrolment", error);
  checkpoint ("reenrol");

  /* Forgot the password: a code by mail, then the code, a new password and
   * the authenticator's code. */
  next_step ();
  if (!tf_auth_request_reset (auth, "ada@example.org", &error))
    die ("asking for a reset code", error);
  reset_code = deliver_mail (auth);
  if (reset_code == NULL)
    die ("finding the reset code", NULL);
  record_mail_code ("reset-code", reset_code);
  checkpoint ("request-reset");
  g_clear_pointer (&code, tf_secure_buffer_unref);
  code = code_now (new_secret);
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_clear_pointer (&reset_password, tf_secure_buffer_unref);
      g_clear_error (&error);
      reset_password = random_password ();
      if (tf_auth_reset_password (auth, "ada", tf_secure_buffer_get_string (reset_code),
                                  tf_secure_buffer_get_string (reset_password),
                                  tf_secure_buffer_get_string (reset_password),
                                  tf_secure_buffer_get_string (code), &error))
        break;
      if (!g_error_matches (error, TF_AUTH_ERROR, TF_AUTH_ERROR_INVALID_PASSWORD))
        die ("resetting the password", error);
    }
  if (error != NULL)
    die ("resetting the password", error);
  record ("reset-password", reset_password);
  g_clear_pointer (&code, tf_secure_buffer_unref);
  code = deliver_mail (auth);   /* the "password changed" notice */
  checkpoint ("reset-password");

  /* A last login with everything new, from a worker thread as the GUI does.
   * The code is made with tf_totp (), the function the service checks codes
   * with, and the process is dumped straight after: whatever that leaves on
   * the stack is still there. */
  next_step ();
  g_clear_pointer (&code, tf_secure_buffer_unref);
  code = code_now (new_secret);
  checkpoint ("totp");
  g_clear_pointer (&login, tf_login_result_free);
  login = login_async (auth, reset_password, code);
  if (login->status != TF_LOGIN_OK)
    die ("logging in with the new password and authenticator", NULL);
  close (secrets_fd);
  checkpoint ("idle");
  g_clear_pointer (&planted_password, g_free);
  g_clear_pointer (&planted_hmac, g_hmac_unref);

  for (;;)
    pause ();
}
