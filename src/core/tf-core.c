/* tf-core.c */
#define G_LOG_DOMAIN "tf-core"

#include "config.h"

#include "tf-core.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <sodium.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Every Argon2id call (tf-password.c) maps its 64 MiB with MAP_POPULATE:
 * libsodium fills the whole region inside mmap (), 8–15 ms here, while it
 * holds the process's address-space lock. Any other thread that needs that
 * lock meanwhile (brk, mmap, munmap) waits for it: the main loop, growing
 * or trimming its heap for a frame, stalled for the whole fill
 * (BENCHMARKS.md, responsiveness). The heap therefore grows in large steps
 * and keeps what it has, and blocks up to a full-screen frame come from
 * it, so a frame needs no such call once the first ones have run. These
 * are the values glibc's own dynamic thresholds tend to, fixed from the
 * start; the pad is address space, not memory, until it is used. */
static void
tune_allocator (void)
{
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 32 * 1024 * 1024);
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  mallopt (M_TOP_PAD, 16 * 1024 * 1024);
#endif
}

void
tf_core_init (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      const char *localedir;

      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      tune_allocator ();
      /* libcurl is loaded and set up when mail is first sent
       * (tf-curl.c): not in every process at start-up. */

      /* TWOFOLD_LOCALEDIR lets the tests (and running from the build tree)
       * use the catalogues the build compiles into <build>/po, since
       * LOCALEDIR only holds them after installation. */
      localedir = g_getenv ("TWOFOLD_LOCALEDIR");
      if (localedir == NULL || *localedir == '\0')
        localedir = LOCALEDIR;
      bindtextdomain (GETTEXT_PACKAGE, localedir);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

      g_once_init_leave (&initialised, 1);
    }
}
