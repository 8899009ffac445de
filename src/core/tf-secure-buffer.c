/* tf-secure-buffer.c */
#define G_LOG_DOMAIN "tf-secure-buffer"

#include "tf-secure-buffer.h"

#include <sodium.h>
#include <string.h>

struct _TfSecureBuffer
{
  gatomicrefcount ref_count;
  gsize length;
  /* sodium_malloc'd, length + 1 bytes, last one always NUL. */
  guint8 *data;
};

G_DEFINE_BOXED_TYPE (TfSecureBuffer, tf_secure_buffer,
                     tf_secure_buffer_ref, tf_secure_buffer_unref)

TfSecureBuffer *
tf_secure_buffer_new (gsize length)
{
  TfSecureBuffer *self;

  g_return_val_if_fail (length < G_MAXSIZE - 1, NULL);

  self = g_new0 (TfSecureBuffer, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->length = length;
  self->data = sodium_malloc (length + 1);
  if (self->data == NULL)
    g_error ("sodium_malloc failed: out of memory or tf_core_init() not called");
  sodium_memzero (self->data, length + 1);

  return self;
}

TfSecureBuffer *
tf_secure_buffer_new_from_data (gconstpointer data,
                                gsize         length)
{
  TfSecureBuffer *self;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  self = tf_secure_buffer_new (length);
  if (length > 0)
    memcpy (self->data, data, length);

  return self;
}

TfSecureBuffer *
tf_secure_buffer_new_from_string (const char *string)
{
  g_return_val_if_fail (string != NULL, NULL);

  return tf_secure_buffer_new_from_data (string, strlen (string));
}

TfSecureBuffer *
tf_secure_buffer_new_random (gsize length)
{
  TfSecureBuffer *self = tf_secure_buffer_new (length);

  randombytes_buf (self->data, length);

  return self;
}

TfSecureBuffer *
tf_secure_buffer_ref (TfSecureBuffer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
tf_secure_buffer_unref (TfSecureBuffer *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      /* sodium_free wipes the pages before releasing them. */
      sodium_free (self->data);
      g_free (self);
    }
}

guint8 *
tf_secure_buffer_get_data (TfSecureBuffer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data;
}

gsize
tf_secure_buffer_get_length (const TfSecureBuffer *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->length;
}

const char *
tf_secure_buffer_get_string (const TfSecureBuffer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return (const char *) self->data;
}

gboolean
tf_secure_buffer_equal (const TfSecureBuffer *a,
                        const TfSecureBuffer *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->length != b->length)
    return FALSE;

  return sodium_memcmp (a->data, b->data, a->length) == 0;
}

/* Shortens the visible contents, wiping what falls off the end. */
void
tf_secure_buffer_truncate (TfSecureBuffer *self,
                           gsize           length)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (length <= self->length);

  sodium_memzero (self->data + length, self->length - length + 1);
  self->length = length;
}
