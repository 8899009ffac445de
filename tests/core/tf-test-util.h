/* tf-test-util.h — a temporary store with a vault and a service whose
 * clock the test moves by hand. */
#pragma once

#include "tf-auth.h"
#include "tf-core.h"
#include "tf-otp.h"
#include "tf-store.h"
#include "tf-vault.h"

#include <sodium.h>

#define TF_TEST_PASSWORD "correct horse battery staple"
#define TF_TEST_START 1900000000

typedef struct {
  char           *dir;
  char           *path;
  TfSecureBuffer *key;
  TfStore        *store;
  TfAuth         *auth;
  gint64          now;
} TfTestFixture;

gint64  tf_test_clock           (gpointer        user_data);
void    tf_test_fixture_setup   (TfTestFixture  *fixture,
                                 gconstpointer   data);
void    tf_test_fixture_teardown (TfTestFixture *fixture,
                                  gconstpointer  data);
/* Closes and reopens store and service, as a restart would. */
void    tf_test_fixture_reopen  (TfTestFixture  *fixture);
/* The code of user_id's active secret at time, or of its pending one. */
char   *tf_test_code            (TfTestFixture  *fixture,
                                 gint64          user_id,
                                 gint64          time,
                                 gboolean        pending);
/* Registers and confirms alice; returns her id. codes may be NULL. */
gint64  tf_test_make_active_user (TfTestFixture *fixture,
                                  const char    *username,
                                  GPtrArray    **codes);
