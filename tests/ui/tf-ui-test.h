/* tf-ui-test.h — a real TfWindow over a temporary store and key file, with
 * a clock the test moves by hand, and helpers to find widgets by their
 * accessible names, wait for async results and render widgets. */
#pragma once

#include <adwaita.h>

#include "tf-auth.h"
#include "tf-core.h"
#include "tf-otp.h"
#include "tf-settings.h"
#include "tf-window.h"

G_BEGIN_DECLS

#define TF_UI_PASSWORD "correct horse battery staple"
#define TF_UI_START 1900000000
/* Upper bound for any wait: a bug fails the test instead of hanging it. */
#define TF_UI_TIMEOUT_MS 45000

typedef struct {
  char      *dir;
  char      *store_path;
  char      *key_path;
  GSettings *settings;
  TfAuth    *auth;
  gint64     now;
  TfWindow  *window;
} TfUiFixture;

void        tf_ui_test_init          (int          *argc,
                                      char       ***argv);

/* A store and service in a new temporary directory; no window yet. */
void        tf_ui_fixture_setup_auth (TfUiFixture   *fixture,
                                      gconstpointer  data);
/* The same plus a presented window over it, showing the login page. */
void        tf_ui_fixture_setup      (TfUiFixture   *fixture,
                                      gconstpointer  data);
void        tf_ui_fixture_teardown   (TfUiFixture   *fixture,
                                      gconstpointer  data);
void        tf_ui_fixture_present    (TfUiFixture   *fixture,
                                      TfWindow      *window);
/* Destroys a window and waits until it is finalized. */
void        tf_ui_destroy_window     (GtkWindow     *window);

typedef gboolean (*TfUiCondition) (gpointer user_data);
/* Runs the main loop until condition holds; fails after TF_UI_TIMEOUT_MS. */
void        tf_ui_wait_for           (TfUiCondition  condition,
                                      gpointer       user_data,
                                      const char    *what);
/* Runs the main loop for ms milliseconds. */
void        tf_ui_run_for            (guint          ms);
void        tf_ui_wait_for_page      (TfWindow      *window,
                                      const char    *page);
/* Waits until the window has made its next pages ready, the idle work
 * that follows the Log In page (tf-window-pages.c): a test that counts
 * frames waits for it first, as each step may draw one. */
void        tf_ui_wait_for_pages_prepared (TfWindow *window);
/* Waits until object's boolean property is value. */
void        tf_ui_wait_for_boolean   (gpointer       object,
                                      const char    *property,
                                      gboolean       value);

/* The label that widget is labelled by (its mnemonic label, a row's title),
 * or NULL. GTK 4.8 names a widget with its accessible label followed by the
 * text of such a label: with both, the name is read twice. */
GtkWidget  *tf_ui_get_labelling_label (GtkWidget    *widget);
/* Whether widget's accessible name, as GTK 4.8 makes it, is name: its
 * accessible label, or else the text of its labelling label. FALSE when it
 * has both. */
gboolean    tf_ui_is_named           (GtkWidget     *widget,
                                      const char    *name);
/* The first visible widget under root (not a label) named label, as
 * tf_ui_is_named () says, or NULL (tf_ui_lookup) / a failed test (tf_ui_find). */
GtkWidget  *tf_ui_lookup             (GtkWidget     *root,
                                      const char    *label);
GtkWidget  *tf_ui_find               (GtkWidget     *root,
                                      const char    *label);
GtkWidget  *tf_ui_find_type          (GtkWidget     *root,
                                      GType          type);
/* text without its spaces, newly allocated. */
char       *tf_ui_strip_spaces       (const char    *text);
void        tf_ui_set_text           (GtkWidget     *root,
                                      const char    *label,
                                      const char    *text);
const char *tf_ui_get_text           (GtkWidget     *root,
                                      const char    *label);
/* Emits "entry-activated" on the entry row holding the labelled text (Enter). */
void        tf_ui_press_enter        (GtkWidget     *root,
                                      const char    *label);

/* Accounts, made through the blocking service API. */
gint64      tf_ui_make_pending_user  (TfUiFixture   *fixture,
                                      const char    *username,
                                      const char    *first_name);
gint64      tf_ui_make_active_user   (TfUiFixture   *fixture,
                                      const char    *username,
                                      const char    *first_name,
                                      GPtrArray    **recovery_codes);
/* The TOTP code of user_id at time (its pending secret when pending). */
char       *tf_ui_code               (TfUiFixture   *fixture,
                                      gint64         user_id,
                                      gint64         time,
                                      gboolean       pending);
/* Fills the login form and submits it; waits until the service answered. */
void        tf_ui_log_in             (TfUiFixture   *fixture,
                                      const char    *username,
                                      const char    *password,
                                      const char    *code);

/* Claims (as sent) every queued message whose subject contains subject and
 * returns the code of the last one ("12345678"), or NULL when none was
 * queued; its recipient in *recipient when not NULL. Other messages stay
 * queued. */
char       *tf_ui_claim_code         (TfUiFixture   *fixture,
                                      const char    *subject,
                                      char         **recipient);

/* In-process rendering of a widget as it is drawn now. */
GdkTexture *tf_ui_render             (GtkWidget     *widget);
/* A texture's pixels, ARGB32 (0xAARRGGBB each), row after row. */
typedef struct {
  guint32 *data;
  int      width;
  int      height;
} TfUiPixels;

TfUiPixels *tf_ui_pixels_new         (GdkTexture    *texture);
void        tf_ui_pixels_free        (TfUiPixels    *pixels);
guint32     tf_ui_pixels_get         (TfUiPixels    *pixels,
                                      int            x,
                                      int            y);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfUiPixels, tf_ui_pixels_free)
void        tf_ui_force_style        (AdwColorScheme scheme);

G_END_DECLS
