/* tf-bench-vfs.c — a SQLite VFS that counts the time its files spend in
 * xSync (fdatasync under SQLite's unix VFS), made the default in front of
 * the one it wraps. The benchmarks use it to tell the store's own work from
 * waiting for the disk to confirm a commit, which DESIGN.md's
 * synchronous=FULL asks for on every commit. Every other call is passed on
 * unchanged. */
#include "tf-bench-vfs.h"

#include <sqlite3.h>
#include <glib.h>

typedef struct {
  sqlite3_file        base;
  sqlite3_file       *real;   /* follows this struct in the same block */
} TimedFile;

static sqlite3_vfs *real_vfs;
static sqlite3_vfs timed_vfs;
static sqlite3_io_methods timed_methods;
static gint64 sync_us;       /* atomically updated: SQLite may sync from any thread */
static gint sync_count;

static sqlite3_file *
real_file (sqlite3_file *file)
{
  return ((TimedFile *) file)->real;
}

static int
timed_close (sqlite3_file *file)
{
  sqlite3_file *real = real_file (file);
  int rc = real->pMethods->xClose (real);

  file->pMethods = NULL;
  return rc;
}

static int
timed_read (sqlite3_file *file, void *buf, int amount, sqlite3_int64 offset)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xRead (real, buf, amount, offset);
}

static int
timed_write (sqlite3_file *file, const void *buf, int amount, sqlite3_int64 offset)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xWrite (real, buf, amount, offset);
}

static int
timed_truncate (sqlite3_file *file, sqlite3_int64 size)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xTruncate (real, size);
}

static int
timed_sync (sqlite3_file *file, int flags)
{
  sqlite3_file *real = real_file (file);
  gint64 start = g_get_monotonic_time ();
  int rc = real->pMethods->xSync (real, flags);

  __atomic_add_fetch (&sync_us, g_get_monotonic_time () - start, __ATOMIC_RELAXED);
  g_atomic_int_inc (&sync_count);
  return rc;
}

static int
timed_file_size (sqlite3_file *file, sqlite3_int64 *size)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xFileSize (real, size);
}

static int
timed_lock (sqlite3_file *file, int lock)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xLock (real, lock);
}

static int
timed_unlock (sqlite3_file *file, int lock)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xUnlock (real, lock);
}

static int
timed_check_reserved_lock (sqlite3_file *file, int *out)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xCheckReservedLock (real, out);
}

static int
timed_file_control (sqlite3_file *file, int op, void *arg)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xFileControl (real, op, arg);
}

static int
timed_sector_size (sqlite3_file *file)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xSectorSize (real);
}

static int
timed_device_characteristics (sqlite3_file *file)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xDeviceCharacteristics (real);
}

static int
timed_shm_map (sqlite3_file *file, int region, int size, int extend, void volatile **out)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xShmMap (real, region, size, extend, out);
}

static int
timed_shm_lock (sqlite3_file *file, int offset, int n, int flags)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xShmLock (real, offset, n, flags);
}

static void
timed_shm_barrier (sqlite3_file *file)
{
  sqlite3_file *real = real_file (file);
  real->pMethods->xShmBarrier (real);
}

static int
timed_shm_unmap (sqlite3_file *file, int delete_flag)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xShmUnmap (real, delete_flag);
}

static int
timed_fetch (sqlite3_file *file, sqlite3_int64 offset, int amount, void **out)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xFetch (real, offset, amount, out);
}

static int
timed_unfetch (sqlite3_file *file, sqlite3_int64 offset, void *page)
{
  sqlite3_file *real = real_file (file);
  return real->pMethods->xUnfetch (real, offset, page);
}

static int
timed_open (sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
  TimedFile *timed = (TimedFile *) file;
  int rc;

  timed->real = (sqlite3_file *) (timed + 1);
  rc = real_vfs->xOpen (real_vfs, name, timed->real, flags, out_flags);
  /* SQLite calls xClose only when pMethods is set. */
  timed->base.pMethods = timed->real->pMethods != NULL ? &timed_methods : NULL;
  return rc;
}

void
tf_bench_vfs_install (void)
{
  if (real_vfs != NULL)
    return;

  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);
  /* The unix VFS gives its files version 3 methods (shared memory for
   * WAL, memory-mapped fetches); pass all of them on. */
  timed_methods = (sqlite3_io_methods) {
    .iVersion = 3,
    .xClose = timed_close,
    .xRead = timed_read,
    .xWrite = timed_write,
    .xTruncate = timed_truncate,
    .xSync = timed_sync,
    .xFileSize = timed_file_size,
    .xLock = timed_lock,
    .xUnlock = timed_unlock,
    .xCheckReservedLock = timed_check_reserved_lock,
    .xFileControl = timed_file_control,
    .xSectorSize = timed_sector_size,
    .xDeviceCharacteristics = timed_device_characteristics,
    .xShmMap = timed_shm_map,
    .xShmLock = timed_shm_lock,
    .xShmBarrier = timed_shm_barrier,
    .xShmUnmap = timed_shm_unmap,
    .xFetch = timed_fetch,
    .xUnfetch = timed_unfetch,
  };
  /* The unix VFS's other calls ignore which VFS they are called through,
   * or read only its copied fields. */
  timed_vfs = *real_vfs;
  timed_vfs.zName = "tf-bench-timed";
  timed_vfs.szOsFile = (int) sizeof (TimedFile) + real_vfs->szOsFile;
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
