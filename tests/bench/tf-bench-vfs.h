/* tf-bench-vfs.h — how long the store waited for the disk: a SQLite VFS
 * in front of the default one that times xSync. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Makes the timing VFS SQLite's default; call before any store is opened. */
void tf_bench_vfs_install  (void);
/* The time spent in xSync since the start, in ms, and the number of calls. */
void tf_bench_vfs_get_sync (double *ms,
                            guint  *count);

G_END_DECLS
