/* tf-core.c */
#define G_LOG_DOMAIN "tf-core"

#include "config.h"

#include "tf-core.h"

#include <curl/curl.h>
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
      /* The mailer sets libcurl up on first use (tf-mailer.c): done here,
       * it would load and initialise OpenSSL in every process at start-up
       * (2 MiB and a few ms for a GUI that may never send mail). Only a
       * libcurl whose set-up is not thread-safe needs it now, while this
       * is the only thread. */
      if ((curl_version_info (CURLVERSION_NOW)->features & CURL_VERSION_THREADSAFE) == 0 &&
          curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
        g_error ("libcurl could not be initialised");

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
