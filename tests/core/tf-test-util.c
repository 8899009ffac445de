/* tf-test-util.c */
#include "tf-test-util.h"

#include <glib/gstdio.h>

gint64
tf_test_clock (gpointer user_data)
{
  return ((TfTestFixture *) user_data)->now;
}

static void
open_service (TfTestFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfVault) vault = tf_vault_new (fixture->key);
  TfPasswordLimits fast = { crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN };

  fixture->store = tf_store_open (fixture->path, &error);
  g_assert_no_error (error);
  tf_store_attach_vault (fixture->store, vault, &error);
  g_assert_no_error (error);

  fixture->auth = tf_auth_new (fixture->store, "Twofold", "test-seat");
  tf_auth_set_clock (fixture->auth, tf_test_clock, fixture);
  tf_auth_set_password_limits (fixture->auth, &fast);
}

void
tf_test_fixture_setup (TfTestFixture *fixture,
                       gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("twofold-test-XXXXXX", NULL);
  fixture->path = g_build_filename (fixture->dir, "store", "twofold.db", NULL);
  fixture->key = tf_secure_buffer_new_random (32);
  /* Ten seconds into a 30 s step, so ±1 step stays inside the window. */
  fixture->now = TF_TEST_START - (TF_TEST_START % 30) + 10;
  open_service (fixture);
}

void
tf_test_fixture_reopen (TfTestFixture *fixture)
{
  g_clear_object (&fixture->auth);
  g_clear_object (&fixture->store);
  open_service (fixture);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

void
tf_test_fixture_teardown (TfTestFixture *fixture,
                          gconstpointer  data)
{
  g_clear_object (&fixture->auth);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->key, tf_secure_buffer_unref);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

char *
tf_test_code (TfTestFixture *fixture,
              gint64         user_id,
              gint64         time,
              gboolean       pending)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfTotpRecord) totp = tf_store_get_totp (fixture->store, user_id, &error);
  TfSecureBuffer *secret;
  char code[TF_OTP_CODE_SIZE];

  g_assert_no_error (error);
  secret = pending ? totp->pending_secret : totp->secret;
  g_assert_nonnull (secret);
  g_assert_true (tf_totp (tf_secure_buffer_get_data (secret), tf_secure_buffer_get_length (secret),
                          TF_OTP_SHA1, time, 30, 6, code));

  return g_strdup (code);
}

gint64
tf_test_make_active_user (TfTestFixture  *fixture,
                          const char     *username,
                          GPtrArray     **codes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) recovery = NULL;
  g_autofree char *code = NULL;
  gint64 id;

  id = tf_auth_register (fixture->auth, "Alice", "Liddell", username, "alice@example.org",
                         TF_TEST_PASSWORD, TF_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  code = tf_test_code (fixture, id, fixture->now, FALSE);
  recovery = tf_auth_confirm_enrolment (fixture->auth, id, code, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recovery);
  /* The enrolment code's step is used: move on to the next one. */
  fixture->now += 30;

  if (codes != NULL)
    *codes = g_steal_pointer (&recovery);

  return id;
}
