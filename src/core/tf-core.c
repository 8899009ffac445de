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
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      if (curl_global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
        g_error ("libcurl could not be initialised");

      bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

      g_once_init_leave (&initialised, 1);
    }
}
