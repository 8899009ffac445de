/* tf-key-file.h
 *
 * Contract: the master key in a file, for kiosk/system mode and CI. The file
 * holds the key as 64 hexadecimal digits and an optional newline, so an
 * administrator can see that it is not empty without a hex dump.
 * - tf_key_file_read () refuses anything that others could read or swap:
 *   the path must not be a symbolic link, the file must be a regular file
 *   owned by the effective user, with no permission bits for group or others
 *   (0600 or 0400). Each refusal is TF_VAULT_ERROR_KEY_FILE with a message
 *   naming the problem; a file that does not exist is
 *   TF_VAULT_ERROR_KEY_MISSING, so a caller can decide to create it.
 * - tf_key_file_create () writes a new file with mode 0600 whatever the
 *   umask, syncs it to disk, and never replaces an existing file or follows a
 *   symbolic link.
 * The key only passes through secure buffers and wiped stack memory. These
 * calls block on local file I/O.
 */
#pragma once

#include <glib.h>

#include "tf-secure-buffer.h"

G_BEGIN_DECLS

TfSecureBuffer *tf_key_file_read   (const char           *path,
                                    GError              **error);
gboolean        tf_key_file_create (const char           *path,
                                    TfSecureBuffer       *key,
                                    GError              **error);

G_END_DECLS
