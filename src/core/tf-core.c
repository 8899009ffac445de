/* tf-core.c */
#define G_LOG_DOMAIN "tf-core"

#include "config.h"

#include "tf-core.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <sodium.h>

void
tf_core_init (void)
{
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      const char *localedir;

      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
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
