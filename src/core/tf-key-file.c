/* tf-key-file.c */
#define G_LOG_DOMAIN "tf-key-file"

#include "config.h"

#include "tf-key-file.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tf-vault.h"

#define HEX_LENGTH (TF_VAULT_KEY_LENGTH * 2)

static void
set_errno_error (GError     **error,
                 const char  *path,
                 int          saved_errno)
{
  switch (saved_errno)
    {
    case ENOENT:
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_MISSING,
                   _("The key file “%s” does not exist."), path);
      break;

    case ELOOP:
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE,
                   _("The key file “%s” is a symbolic link. Give the path of the file itself."),
                   path);
      break;

    case EEXIST:
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE,
                   _("The key file “%s” already exists."), path);
      break;

    default:
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE,
                   _("The key file “%s” cannot be used: %s"),
                   path, g_strerror (saved_errno));
      break;
    }
}

static gboolean
check_file (int           fd,
            const char   *path,
            struct stat  *st,
            GError      **error)
{
  if (fstat (fd, st) != 0)
    {
      set_errno_error (error, path, errno);
      return FALSE;
    }

  if (!S_ISREG (st->st_mode))
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE,
                   _("The key file “%s” is not a regular file."), path);
      return FALSE;
    }

  if (st->st_uid != geteuid ())
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE,
                   _("The key file “%s” is owned by another user. It must belong to "
                     "the user running Twofold."), path);
      return FALSE;
    }

  /* Anyone else able to read the key could open every secret in the store. */
  if ((st->st_mode & 077) != 0)
    {
      g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE,
                   _("The key file “%s” must have mode 0600 (it has %04o), so that no "
                     "other user can read it."),
                   path, (guint) (st->st_mode & 07777));
      return FALSE;
    }

  return TRUE;
}

/* Reads at most @size bytes; returns the count, or -1 with errno set. */
static gssize
read_all (int     fd,
          char   *buf,
          gsize   size)
{
  gsize done = 0;

  while (done < size)
    {
      gssize n = read (fd, buf + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return -1;
      if (n == 0)
        break;
      done += n;
    }

  return done;
}

static gboolean
write_all (int         fd,
           const char *buf,
           gsize       size)
{
  gsize done = 0;

  while (done < size)
    {
      gssize n = write (fd, buf + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      done += n;
    }

  return TRUE;
}

static TfSecureBuffer *
decode_key (const char *hex,
            gsize       length)
{
  g_autoptr(TfSecureBuffer) key = NULL;
  gsize decoded = 0;

  if (length == HEX_LENGTH + 1 && hex[HEX_LENGTH] == '\n')
    length = HEX_LENGTH;
  if (length != HEX_LENGTH)
    return NULL;

  for (gsize i = 0; i < HEX_LENGTH; i++)
    {
      if (!g_ascii_isxdigit (hex[i]))
        return NULL;
    }

  key = tf_secure_buffer_new (TF_VAULT_KEY_LENGTH);
  if (sodium_hex2bin (tf_secure_buffer_get_data (key), TF_VAULT_KEY_LENGTH,
                      hex, HEX_LENGTH, NULL, &decoded, NULL) != 0 ||
      decoded != TF_VAULT_KEY_LENGTH)
    return NULL;

  return g_steal_pointer (&key);
}

TfSecureBuffer *
tf_key_file_read (const char  *path,
                  GError     **error)
{
  /* One byte more than the longest valid content, to see that it is too long. */
  char hex[HEX_LENGTH + 2];
  struct stat st;
  TfSecureBuffer *key = NULL;
  gssize length;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* O_NONBLOCK: opening a FIFO must not hang; it is refused just below. */
  fd = open (path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0)
    {
      set_errno_error (error, path, errno);
      return NULL;
    }

  if (!check_file (fd, path, &st, error))
    {
      close (fd);
      return NULL;
    }

  length = read_all (fd, hex, sizeof hex);
  if (length < 0)
    {
      int saved_errno = errno;

      close (fd);
      set_errno_error (error, path, saved_errno);
      return NULL;
    }
  close (fd);

  key = decode_key (hex, length);
  sodium_memzero (hex, sizeof hex);

  if (key == NULL)
    g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE,
                 _("The file “%s” is not a Twofold key file: it must hold exactly "
                   "64 hexadecimal digits."), path);

  return key;
}

static void
sync_parent_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* Best effort: the entry survives a crash once its directory is synced. */
  if (fd >= 0)
    {
      if (fsync (fd) != 0)
        g_debug ("Could not sync directory %s: %s", dir, g_strerror (errno));
      close (fd);
    }
}

gboolean
tf_key_file_create (const char      *path,
                    TfSecureBuffer  *key,
                    GError         **error)
{
  char hex[HEX_LENGTH + 2];
  gboolean written;
  int saved_errno;
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (tf_secure_buffer_get_length (key) == TF_VAULT_KEY_LENGTH, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      if (saved_errno == ENOENT)
        g_set_error (error, TF_VAULT_ERROR, TF_VAULT_ERROR_KEY_FILE,
                     _("The key file “%s” cannot be created: its folder does not exist."),
                     path);
      else
        set_errno_error (error, path, saved_errno);
      return FALSE;
    }

  sodium_bin2hex (hex, HEX_LENGTH + 1, tf_secure_buffer_get_data (key), TF_VAULT_KEY_LENGTH);
  hex[HEX_LENGTH] = '\n';
  hex[HEX_LENGTH + 1] = '\0';

  /* open () applied the umask to 0600; whatever it was, the file is 0600. */
  written = fchmod (fd, 0600) == 0 &&
            write_all (fd, hex, HEX_LENGTH + 1) &&
            fsync (fd) == 0;
  saved_errno = errno;
  sodium_memzero (hex, sizeof hex);

  if (close (fd) != 0 && written)
    {
      written = FALSE;
      saved_errno = errno;
    }

  if (!written)
    {
      /* We created this file with O_EXCL, so removing it removes nothing else. */
      g_unlink (path);
      set_errno_error (error, path, saved_errno);
      return FALSE;
    }

  sync_parent_directory (path);

  return TRUE;
}
