/* tf-curl.c — see tf-curl-private.h. */
#define G_LOG_DOMAIN "tf-mailer"

#include "config.h"

#include "tf-curl-private.h"

#include <gmodule.h>
#include <glib/gi18n-lib.h>

#include "tf-mailer.h"

static TfCurl api;
static char *load_error;

static gboolean
find_symbols (GModule  *module,
              char    **missing)
{
  const struct {
    const char *name;
    gpointer   *slot;
  } symbols[] = {
    { "curl_easy_init", (gpointer *) &api.easy_init },
    { "curl_easy_setopt", (gpointer *) &api.easy_setopt },
    { "curl_easy_perform", (gpointer *) &api.easy_perform },
    { "curl_easy_getinfo", (gpointer *) &api.easy_getinfo },
    { "curl_easy_cleanup", (gpointer *) &api.easy_cleanup },
    { "curl_easy_strerror", (gpointer *) &api.easy_strerror },
    { "curl_slist_append", (gpointer *) &api.slist_append },
    { "curl_slist_free_all", (gpointer *) &api.slist_free_all },
    { "curl_mime_init", (gpointer *) &api.mime_init },
    { "curl_mime_addpart", (gpointer *) &api.mime_addpart },
    { "curl_mime_data_cb", (gpointer *) &api.mime_data_cb },
    { "curl_mime_type", (gpointer *) &api.mime_type },
    { "curl_mime_encoder", (gpointer *) &api.mime_encoder },
    { "curl_mime_free", (gpointer *) &api.mime_free },
    { "curl_url", (gpointer *) &api.url },
    { "curl_url_set", (gpointer *) &api.url_set },
    { "curl_url_cleanup", (gpointer *) &api.url_cleanup },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (symbols); i++)
    if (!g_module_symbol (module, symbols[i].name, symbols[i].slot) || *symbols[i].slot == NULL)
      {
        *missing = g_strdup (symbols[i].name);
        return FALSE;
      }

  return TRUE;
}

static void
load (void)
{
  g_autofree char *missing = NULL;
  CURLcode (*global_init) (long flags) = NULL;
  GModule *module;

  module = g_module_open (TF_LIBCURL_SONAME, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      load_error = g_strdup (g_module_error ());
      return;
    }
  if (!g_module_symbol (module, "curl_global_init", (gpointer *) &global_init) ||
      !find_symbols (module, &missing))
    {
      load_error = g_strdup_printf ("%s has no %s", TF_LIBCURL_SONAME,
                                    missing != NULL ? missing : "curl_global_init");
      g_module_close (module);
      return;
    }
  /* Once, before any other call, behind the GOnce of tf_curl_load ().
   * The build asks for libcurl ≥ 7.85, whose set-up is thread-safe
   * (CURL_VERSION_THREADSAFE, 7.84) where the platform has atomics, as
   * Debian's and the GNOME runtime's have: so it may run in whichever
   * thread sends first, with others running. */
  if (global_init (CURL_GLOBAL_DEFAULT) != CURLE_OK)
    {
      load_error = g_strdup_printf ("%s could not be initialised", TF_LIBCURL_SONAME);
      return;
    }
  /* Kept for the life of the process, as a linked library is. */
  g_module_make_resident (module);
}

const TfCurl *
tf_curl_load (GError **error)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      load ();
      if (load_error != NULL)
        g_warning ("Mail cannot be sent: %s", load_error);
      g_once_init_leave (&done, 1);
    }

  if (load_error != NULL)
    {
      g_set_error (error, TF_MAILER_ERROR, TF_MAILER_ERROR_FAILED,
                   _("The mail library (libcurl) could not be loaded: %s"), load_error);
      return NULL;
    }

  return &api;
}
