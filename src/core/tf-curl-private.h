/* tf-curl-private.h — libcurl, loaded when mail is first sent.
 *
 * Linking libcurl made every start of `twofold` and `twofold-admin` map
 * and relocate its ~25 libraries (TLS, Kerberos, LDAP, …): ~15 ms before
 * main (), for mail the outbox worker sends later, if ever. The library
 * the build found (TF_LIBCURL_SONAME in config.h) is opened with GModule
 * on first use instead, set up once, and never closed. Its headers still
 * give the types and constants.
 */
#pragma once

#include <curl/curl.h>
#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  CURL          *(*easy_init)      (void);
  CURLcode       (*easy_setopt)    (CURL *handle, CURLoption option, ...);
  CURLcode       (*easy_perform)   (CURL *handle);
  CURLcode       (*easy_getinfo)   (CURL *handle, CURLINFO info, ...);
  void           (*easy_cleanup)   (CURL *handle);
  const char    *(*easy_strerror)  (CURLcode code);
  struct curl_slist *(*slist_append) (struct curl_slist *list, const char *string);
  void           (*slist_free_all) (struct curl_slist *list);
  curl_mime     *(*mime_init)      (CURL *handle);
  curl_mimepart *(*mime_addpart)   (curl_mime *mime);
  CURLcode       (*mime_data_cb)   (curl_mimepart *part, curl_off_t size,
                                    curl_read_callback read, curl_seek_callback seek,
                                    curl_free_callback free, void *arg);
  CURLcode       (*mime_type)      (curl_mimepart *part, const char *type);
  CURLcode       (*mime_encoder)   (curl_mimepart *part, const char *encoding);
  void           (*mime_free)      (curl_mime *mime);
  CURLU         *(*url)            (void);
  CURLUcode      (*url_set)        (CURLU *url, CURLUPart part, const char *content,
                                    unsigned int flags);
  void           (*url_cleanup)    (CURLU *url);
} TfCurl;

/* libcurl's functions, the library loaded and set up on the first call
 * (thread-safe); NULL with an error a user can read when it cannot be. */
G_GNUC_INTERNAL const TfCurl *tf_curl_load (GError **error);

G_END_DECLS
