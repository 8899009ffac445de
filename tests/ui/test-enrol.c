/* test-enrol.c — the enrolment page: the QR code as drawn (black on white
 * with its quiet zone, in light and dark styles, and scannable), the secret
 * as text, a wrong code, a right one, and leaving the page. */
#include "tf-ui-test.h"

#include <glib/gstdio.h>

#include "tf-enrol-page.h"
#include "tf-qr-code.h"
#include "tf-recovery-codes-page.h"

#define WHITE 0xffffffff
#define BLACK 0xff000000

typedef struct {
  TfUiFixture  base;
  gint64       user_id;
  GtkWidget   *page;
} EnrolFixture;

static void
enrol_setup (EnrolFixture  *fixture,
             gconstpointer  data)
{
  tf_ui_fixture_setup (&fixture->base, data);
  fixture->user_id = tf_ui_make_pending_user (&fixture->base, "ada", "Ada");
  fixture->page = tf_window_get_page (fixture->base.window, "enrol");

  /* A pending account logging in with its password resumes enrolment. */
  tf_ui_log_in (&fixture->base, "ada", TF_UI_PASSWORD, "");
  tf_ui_wait_for_page (fixture->base.window, "enrol");
  tf_ui_wait_for_boolean (fixture->page, "ready", TRUE);
}

static void
enrol_teardown (EnrolFixture  *fixture,
                gconstpointer  data)
{
  tf_ui_fixture_teardown (&fixture->base, data);
}

static char *
enrolment_uri (EnrolFixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfEnrolment) enrolment = tf_auth_get_enrolment (fixture->base.auth,
                                                            fixture->user_id, &error);

  g_assert_no_error (error);
  return g_strdup (tf_secure_buffer_get_string (enrolment->uri));
}

static void
check_module_block (TfUiPixels *pixels,
                    int         x,
                    int         y,
                    int         size,
                    guint32     colour)
{
  for (int j = 0; j < size; j++)
    for (int i = 0; i < size; i++)
      g_assert_cmphex (tf_ui_pixels_get (pixels, x + i, y + j), ==, colour);
}

/* Checks every pixel of the quiet zone and every module of the code. */
static void
check_qr_pixels (GtkWidget *qr)
{
  g_autoptr(GdkTexture) texture = tf_ui_render (qr);
  g_autoptr(TfUiPixels) pixels = tf_ui_pixels_new (texture);
  const TfQrMatrix *matrix = tf_qr_code_get_matrix (TF_QR_CODE (qr));
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  int module = (int) tf_qr_code_get_module_px (TF_QR_CODE (qr));
  int size = (int) tf_qr_matrix_get_size (matrix);
  int full = (int) tf_qr_matrix_get_full_size (matrix);
  int x0 = (width - full * module) / 2;
  int y0 = (height - full * module) / 2;

  g_assert_nonnull (matrix);
  g_assert_cmpint (module, >=, TF_QR_CODE_MIN_MODULE_PX);
  g_assert_cmpint (x0, >=, 0);
  g_assert_cmpint (y0, >=, 0);

  for (int y = 0; y < full; y++)
    for (int x = 0; x < full; x++)
      {
        gboolean in_code = x >= TF_QR_QUIET_ZONE && y >= TF_QR_QUIET_ZONE &&
                           x < TF_QR_QUIET_ZONE + size && y < TF_QR_QUIET_ZONE + size;
        gboolean dark = in_code && tf_qr_matrix_get_module (matrix, x - TF_QR_QUIET_ZONE,
                                                             y - TF_QR_QUIET_ZONE);

        check_module_block (pixels, x0 + x * module, y0 + y * module, module,
                            dark ? BLACK : WHITE);
      }

  /* The finder pattern's corner, as a sanity check of the geometry. */
  g_assert_cmphex (tf_ui_pixels_get (pixels, x0 + TF_QR_QUIET_ZONE * module,
                                     y0 + TF_QR_QUIET_ZONE * module), ==, BLACK);
}

static void
test_qr_light (EnrolFixture  *fixture,
               gconstpointer  data)
{
  GtkWidget *qr = tf_enrol_page_get_qr_code (TF_ENROL_PAGE (fixture->page));

  tf_ui_force_style (ADW_COLOR_SCHEME_FORCE_LIGHT);
  check_qr_pixels (qr);
}

static void
test_qr_dark (EnrolFixture  *fixture,
              gconstpointer  data)
{
  GtkWidget *qr = tf_enrol_page_get_qr_code (TF_ENROL_PAGE (fixture->page));

  /* The theme turns the window dark; the code stays black on white. */
  tf_ui_force_style (ADW_COLOR_SCHEME_FORCE_DARK);
  g_assert_true (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  check_qr_pixels (qr);
}

static void
test_qr_scans (EnrolFixture  *fixture,
               gconstpointer  data)
{
  GtkWidget *qr = tf_enrol_page_get_qr_code (TF_ENROL_PAGE (fixture->page));
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *uri = enrolment_uri (fixture);
  int status = 0;

  if (zbarimg == NULL)
    {
      g_test_skip ("zbarimg is not installed");
      return;
    }

  tf_ui_force_style (ADW_COLOR_SCHEME_FORCE_DARK);
  texture = tf_ui_render (qr);
  path = g_build_filename (fixture->base.dir, "qr.png", NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  {
    const char *argv[] = { zbarimg, "--nodbus", "--raw", "-q", path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                  &status, &error);
  }
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strchomp (out);
  g_assert_cmpstr (out, ==, uri);
  g_remove (path);
}

static void
test_accessible (EnrolFixture  *fixture,
                 gconstpointer  data)
{
  GtkWidget *qr = tf_enrol_page_get_qr_code (TF_ENROL_PAGE (fixture->page));

  gtk_test_accessible_assert_role (qr, GTK_ACCESSIBLE_ROLE_IMG);
  gtk_test_accessible_assert_property (qr, GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "QR code for your authenticator app");
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (qr),
                                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION));
  g_assert_true (GTK_IS_TEXT (tf_ui_find (fixture->page, "Code")));
  g_assert_true (GTK_IS_BUTTON (tf_ui_find (fixture->page, "Confirm")));
  g_assert_true (GTK_IS_BUTTON (tf_ui_find (fixture->page, "Copy secret key")));
}

static void
test_secret_text (EnrolFixture  *fixture,
                  gconstpointer  data)
{
  const char *shown = tf_enrol_page_get_secret_text (TF_ENROL_PAGE (fixture->page));
  g_auto(GStrv) lines = g_strsplit (shown, "\n", -1);
  g_autofree char *uri = enrolment_uri (fixture);
  g_autofree char *plain = tf_ui_strip_spaces (shown);
  g_autofree char *needle = g_strdup_printf ("secret=%s", plain);

  /* Two lines of four groups of four, the same secret as in the QR
   * code's URI. */
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) groups = g_strsplit (lines[i], " ", -1);

      g_assert_cmpuint (g_strv_length (groups), ==, 4);
      for (guint j = 0; groups[j] != NULL; j++)
        g_assert_cmpuint (strlen (groups[j]), ==, 4);
    }
  g_assert_nonnull (strstr (uri, needle));
}

static void
test_wrong_code_keeps_secret (EnrolFixture  *fixture,
                              gconstpointer  data)
{
  TfEnrolPage *page = TF_ENROL_PAGE (fixture->page);
  g_autofree char *before = g_strdup (tf_enrol_page_get_secret_text (page));
  g_autofree char *right = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  char wrong[7];

  g_snprintf (wrong, sizeof wrong, "%06d", (atoi (right) + 500000) % 1000000);
  tf_ui_set_text (fixture->page, "Code", wrong);
  g_assert_true (gtk_widget_activate_action (fixture->page, "enrol.confirm", NULL));
  g_assert_true (tf_enrol_page_get_busy (page));
  tf_ui_wait_for_boolean (fixture->page, "busy", FALSE);

  g_assert_true (g_str_has_prefix (tf_enrol_page_get_error_message (page),
                                   "That code is not right"));
  g_assert_cmpstr (tf_enrol_page_get_secret_text (page), ==, before);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->base.window), ==, "enrol");
  g_assert_cmpstr (tf_ui_get_text (fixture->page, "Code"), ==, "");
}

static void
test_right_code (EnrolFixture  *fixture,
                 gconstpointer  data)
{
  g_autofree char *code = tf_ui_code (&fixture->base, fixture->user_id, fixture->base.now, FALSE);
  GtkWidget *recovery = tf_window_get_page (fixture->base.window, "recovery");
  TfEnrolPage *page = TF_ENROL_PAGE (fixture->page);

  tf_ui_set_text (fixture->page, "Code", code);
  tf_ui_press_enter (fixture->page, "Code");
  tf_ui_wait_for_page (fixture->base.window, "recovery");
  g_assert_cmpuint (tf_recovery_codes_page_get_n_codes (TF_RECOVERY_CODES_PAGE (recovery)), ==, 10);

  /* The enrolment page let go of the secret. */
  g_assert_cmpstr (tf_enrol_page_get_secret_text (page), ==, "");
  g_assert_null (tf_qr_code_get_matrix (TF_QR_CODE (tf_enrol_page_get_qr_code (page))));
}

static void
test_back_clears_secret (EnrolFixture  *fixture,
                         gconstpointer  data)
{
  TfEnrolPage *page = TF_ENROL_PAGE (fixture->page);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->base.window), "win.back", NULL));
  tf_ui_wait_for_page (fixture->base.window, "login");
  g_assert_cmpstr (tf_enrol_page_get_secret_text (page), ==, "");
  g_assert_false (tf_enrol_page_get_ready (page));
  g_assert_null (tf_qr_code_get_matrix (TF_QR_CODE (tf_enrol_page_get_qr_code (page))));
  /* The account waits, pending, for the next log-in. */
  g_assert_true (g_str_has_prefix (tf_window_get_last_toast (fixture->base.window),
                                   "Your account is saved"));
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/twofold/ui/enrol/" path, EnrolFixture, NULL, enrol_setup, func, enrol_teardown)

  ADD ("qr-light", test_qr_light);
  ADD ("qr-dark", test_qr_dark);
  ADD ("qr-scans", test_qr_scans);
  ADD ("accessible", test_accessible);
  ADD ("secret-text", test_secret_text);
  ADD ("wrong-code-keeps-secret", test_wrong_code_keeps_secret);
  ADD ("right-code", test_right_code);
  ADD ("back-clears-secret", test_back_clears_secret);

  return g_test_run ();
}
