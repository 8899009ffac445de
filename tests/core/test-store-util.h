/* test-store-util.h — what the account store tests share: a fixture
 * with an open store and its vault, and raw SQLite access to the file as
 * another program (or an attacker) would have it. */
#pragma once

#include "tf-core.h"
#include "tf-store.h"

#define HASH_A "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"
#define HASH_B "$argon2id$v=19$m=65536,t=2,p=1$YW5vdGhlcnNhbHRhbm90aGVy$ZmFrZWhhc2hmYWtlaGFzaGZha2VoYXNo"
#define NOW 1700000000

typedef struct {
  char           *dir;
  char           *path;
  TfSecureBuffer *key;
  TfVault        *vault;
  TfStore        *store;
} Fixture;

/* $XDG_DATA_HOME/twofold/store.db, opened, with a new vault attached. */
void      fixture_set_up    (Fixture       *f,
                             gconstpointer  data);
void      fixture_tear_down (Fixture       *f,
                             gconstpointer  data);

void      raw_exec          (const char    *path,
                             const char    *sql);
gint64    raw_int           (const char    *path,
                             const char    *sql);
char     *file_sha256       (const char    *path);
guint     file_mode         (const char    *path);

/* A pending user with a random TOTP secret and HASH_A. */
gint64    add_user          (TfStore       *store,
                             const char    *name);
/* Whether get_user finds it; any error but NOT_FOUND fails the test. */
gboolean  user_exists       (TfStore       *store,
                             gint64         id);
