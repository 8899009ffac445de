/* tf-bench-vfs.c — a SQLite VFS that counts the time its files spend in
 * xSync (fdatasync under SQLite's unix VFS), made the default in front of
 * the one it wraps. The benchmarks use it to tell the store's own work from
 * waiting for the disk to confirm a commit, which DESIGN.md's
 * synchronous=FULL asks for on every commit.
 *
 * Each file is the wrapped VFS's own: its open fills it in, and only its
 * method table is swapped for a copy whose xSync is timed (one copy per
 * table the wrapped VFS uses); every other method is the wrapped VFS's,
 * called with its own file. */
#include "tf-bench-vfs.h"

#include <sqlite3.h>

typedef struct {
  sqlite3_io_methods        timed;  /* first: a file's pMethods points here */
  const sqlite3_io_methods *real;
} Methods;

#define MAX_METHODS 8

static sqlite3_vfs *real_vfs;
static sqlite3_vfs timed_vfs;
static Methods methods[MAX_METHODS];
static guint n_methods;
static GMutex methods_lock;
static gint64 sync_us;       /* atomically updated: SQLite may sync from any thread */
static gint sync_count;

static int
timed_sync (sqlite3_file *file,
            int           flags)
{
  const Methods *table = (const Methods *) file->pMethods;
  gint64 start = g_get_monotonic_time ();
  int rc = table->real->xSync (file, flags);

  __atomic_add_fetch (&sync_us, g_get_monotonic_time () - start, __ATOMIC_RELAXED);
  g_atomic_int_inc (&sync_count);
  return rc;
}

static int
timed_open (sqlite3_vfs  *vfs,
            const char   *name,
            sqlite3_file *file,
            int           flags,
            int          *out_flags)
{
  int rc = real_vfs->xOpen (real_vfs, name, file, flags, out_flags);
  guint i;

  if (file->pMethods == NULL)
    return rc;

  g_mutex_lock (&methods_lock);
  for (i = 0; i < n_methods && methods[i].real != file->pMethods; i++)
    ;
  if (i == n_methods)
    {
      g_assert_cmpuint (n_methods, <, MAX_METHODS);
      methods[i].real = file->pMethods;
      methods[i].timed = *file->pMethods;
      methods[i].timed.xSync = timed_sync;
      n_methods++;
    }
  g_mutex_unlock (&methods_lock);
  file->pMethods = &methods[i].timed;
  return rc;
}

void
tf_bench_vfs_install (void)
{
  if (real_vfs != NULL)
    return;

  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);
  /* The unix VFS's other calls ignore which VFS they are called through,
   * or read only its copied fields. */
  timed_vfs = *real_vfs;
  timed_vfs.zName = "tf-bench-timed";
  timed_vfs.xOpen = timed_open;
  g_assert_cmpint (sqlite3_vfs_register (&timed_vfs, 1), ==, SQLITE_OK);
}

void
tf_bench_vfs_get_sync (double *ms,
                       guint  *count)
{
  if (ms != NULL)
    *ms = __atomic_load_n (&sync_us, __ATOMIC_RELAXED) / 1000.0;
  if (count != NULL)
    *count = (guint) g_atomic_int_get (&sync_count);
}
