/* test-secure-buffer.c */
#include "tf-core.h"
#include "tf-secure-buffer.h"

#include <string.h>

static void
test_from_string (void)
{
  g_autoptr(TfSecureBuffer) buf = tf_secure_buffer_new_from_string ("hunter2hunter2");

  g_assert_cmpuint (tf_secure_buffer_get_length (buf), ==, 14);
  g_assert_cmpstr (tf_secure_buffer_get_string (buf), ==, "hunter2hunter2");
  /* The byte after the data is always NUL. */
  g_assert_cmpint (tf_secure_buffer_get_data (buf)[14], ==, 0);
}

static void
test_embedded_nul (void)
{
  static const guint8 bytes[] = { 'a', 0, 'b' };
  g_autoptr(TfSecureBuffer) buf = tf_secure_buffer_new_from_data (bytes, sizeof bytes);

  g_assert_cmpuint (tf_secure_buffer_get_length (buf), ==, 3);
  g_assert_cmpmem (tf_secure_buffer_get_data (buf), 3, bytes, 3);
}

static void
test_equal (void)
{
  g_autoptr(TfSecureBuffer) a = tf_secure_buffer_new_from_string ("same secret");
  g_autoptr(TfSecureBuffer) b = tf_secure_buffer_new_from_string ("same secret");
  g_autoptr(TfSecureBuffer) c = tf_secure_buffer_new_from_string ("same secreT");
  g_autoptr(TfSecureBuffer) d = tf_secure_buffer_new_from_string ("same secre");

  g_assert_true (tf_secure_buffer_equal (a, b));
  g_assert_false (tf_secure_buffer_equal (a, c));
  g_assert_false (tf_secure_buffer_equal (a, d));
}

static void
test_random (void)
{
  g_autoptr(TfSecureBuffer) a = tf_secure_buffer_new_random (32);
  g_autoptr(TfSecureBuffer) b = tf_secure_buffer_new_random (32);

  g_assert_cmpuint (tf_secure_buffer_get_length (a), ==, 32);
  /* Two 256-bit random values are equal with probability 2^-256. */
  g_assert_false (tf_secure_buffer_equal (a, b));
}

static void
test_truncate_wipes (void)
{
  g_autoptr(TfSecureBuffer) buf = tf_secure_buffer_new_from_string ("0123456789");
  guint8 *data = tf_secure_buffer_get_data (buf);

  tf_secure_buffer_truncate (buf, 4);
  g_assert_cmpstr (tf_secure_buffer_get_string (buf), ==, "0123");
  for (guint i = 4; i <= 10; i++)
    g_assert_cmpint (data[i], ==, 0);
}

static void
test_refcount (void)
{
  TfSecureBuffer *buf = tf_secure_buffer_new_from_string ("x");
  TfSecureBuffer *again = tf_secure_buffer_ref (buf);

  g_assert_true (buf == again);
  tf_secure_buffer_unref (buf);
  g_assert_cmpstr (tf_secure_buffer_get_string (again), ==, "x");
  tf_secure_buffer_unref (again);
}

static void
test_boxed (void)
{
  g_autoptr(TfSecureBuffer) buf = tf_secure_buffer_new_from_string ("boxed");
  TfSecureBuffer *copy = g_boxed_copy (TF_TYPE_SECURE_BUFFER, buf);

  g_assert_true (copy == buf);
  g_boxed_free (TF_TYPE_SECURE_BUFFER, copy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/secure-buffer/from-string", test_from_string);
  g_test_add_func ("/twofold/secure-buffer/embedded-nul", test_embedded_nul);
  g_test_add_func ("/twofold/secure-buffer/equal", test_equal);
  g_test_add_func ("/twofold/secure-buffer/random", test_random);
  g_test_add_func ("/twofold/secure-buffer/truncate-wipes", test_truncate_wipes);
  g_test_add_func ("/twofold/secure-buffer/refcount", test_refcount);
  g_test_add_func ("/twofold/secure-buffer/boxed", test_boxed);

  return g_test_run ();
}
