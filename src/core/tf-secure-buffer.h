/* tf-secure-buffer.h
 *
 * Contract: a TfSecureBuffer holds secret bytes (passwords, TOTP secrets,
 * keys, codes) in memory from sodium_malloc(): guarded pages, locked against
 * swap where the system allows, excluded from core dumps, and wiped when the
 * last reference goes. The data is always followed by one NUL byte that is
 * not counted in the length, so a buffer made from a string can be read back
 * as a C string. Comparisons are constant time. Never copy the contents into
 * ordinary heap memory (g_strdup) or a log line. tf_core_init() must have
 * been called first.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TF_TYPE_SECURE_BUFFER (tf_secure_buffer_get_type ())

typedef struct _TfSecureBuffer TfSecureBuffer;

GType           tf_secure_buffer_get_type        (void) G_GNUC_CONST;
TfSecureBuffer *tf_secure_buffer_new             (gsize                 length);
TfSecureBuffer *tf_secure_buffer_new_from_data   (gconstpointer         data,
                                                  gsize                 length);
TfSecureBuffer *tf_secure_buffer_new_from_string (const char           *string);
TfSecureBuffer *tf_secure_buffer_new_random      (gsize                 length);
TfSecureBuffer *tf_secure_buffer_ref             (TfSecureBuffer       *self);
void            tf_secure_buffer_unref           (TfSecureBuffer       *self);
guint8         *tf_secure_buffer_get_data        (TfSecureBuffer       *self);
gsize           tf_secure_buffer_get_length      (const TfSecureBuffer *self);
const char     *tf_secure_buffer_get_string      (const TfSecureBuffer *self);
gboolean        tf_secure_buffer_equal           (const TfSecureBuffer *a,
                                                  const TfSecureBuffer *b);
void            tf_secure_buffer_truncate        (TfSecureBuffer       *self,
                                                  gsize                 length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfSecureBuffer, tf_secure_buffer_unref)

G_END_DECLS
