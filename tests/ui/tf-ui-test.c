/* tf-ui-test.c */
#include "tf-ui-test.h"

#include <glib/gstdio.h>
#include <sodium.h>

#include "tf-login-page.h"
#include "tf-store-mail.h"
#include "tf-window-private.h"

#include <string.h>

static gint64
fixture_clock (gpointer user_data)
{
  return ((TfUiFixture *) user_data)->now;
}

void
tf_ui_test_init (int    *argc,
                 char ***argv)
{
  gtk_test_init (argc, argv, NULL);
  adw_init ();
  tf_core_init ();
  /* Windows show their widgets at once, so tests see what users see. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

void
tf_ui_fixture_setup_auth (TfUiFixture   *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  TfPasswordLimits fast = { crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN };

  fixture->dir = g_dir_make_tmp ("twofold-ui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store_path = g_build_filename (fixture->dir, "store", "twofold.db", NULL);
  fixture->key_path = g_build_filename (fixture->dir, "master.key", NULL);
  /* Ten seconds into a 30 s step, so ±1 step stays inside the window. */
  fixture->now = TF_UI_START - (TF_UI_START % 30) + 10;

  fixture->settings = tf_settings_new (&error);
  g_assert_no_error (error);
  g_settings_set_string (fixture->settings, "store-path", fixture->store_path);
  g_settings_set_string (fixture->settings, "key-file", fixture->key_path);

  fixture->auth = tf_auth_open (fixture->store_path, fixture->key_path, "Twofold", "ui-test",
                                TRUE, 5000, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->auth);
  tf_auth_set_clock (fixture->auth, fixture_clock, fixture);
  tf_auth_set_password_limits (fixture->auth, &fast);
}

void
tf_ui_fixture_present (TfUiFixture *fixture,
                       TfWindow    *window)
{
  fixture->window = window;
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
}

void
tf_ui_fixture_setup (TfUiFixture   *fixture,
                     gconstpointer  data)
{
  tf_ui_fixture_setup_auth (fixture, data);
  tf_ui_fixture_present (fixture, tf_window_new (NULL, fixture->settings, fixture->auth));
  tf_ui_wait_for_page (fixture->window, "login");
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
    }
  g_remove (path);
}

void
tf_ui_destroy_window (GtkWindow *window)
{
  GtkWindow *weak = window;
  gint64 deadline = g_get_monotonic_time () + TF_UI_TIMEOUT_MS * 1000;

  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  gtk_window_destroy (window);
  /* Async calls hold their page until they answer. */
  while (weak != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  if (weak != NULL)
    g_object_remove_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
}

void
tf_ui_fixture_teardown (TfUiFixture   *fixture,
                        gconstpointer  data)
{
  if (fixture->window != NULL)
    tf_ui_destroy_window (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  tf_ui_force_style (ADW_COLOR_SCHEME_DEFAULT);

  g_clear_object (&fixture->auth);
  if (fixture->settings != NULL)
    {
      g_settings_reset (fixture->settings, "store-path");
      g_settings_reset (fixture->settings, "key-file");
      g_settings_reset (fixture->settings, "allow-registration");
    }
  g_clear_object (&fixture->settings);
  remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->store_path);
  g_free (fixture->key_path);
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
tf_ui_wait_for (TfUiCondition  condition,
                gpointer       user_data,
                const char    *what)
{
  gint64 deadline = g_get_monotonic_time () + TF_UI_TIMEOUT_MS * 1000;
  guint tick = g_timeout_add (10, wake_up, NULL);

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (tick);
}

static gboolean
time_passed (gpointer user_data)
{
  return g_get_monotonic_time () >= *(gint64 *) user_data;
}

void
tf_ui_run_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  tf_ui_wait_for (time_passed, &until, "time to pass");
}

typedef struct {
  TfWindow   *window;
  const char *page;
} PageWait;

static gboolean
page_shown (gpointer user_data)
{
  PageWait *wait = user_data;

  return g_strcmp0 (tf_window_get_visible_page (wait->window), wait->page) == 0;
}

void
tf_ui_wait_for_page (TfWindow   *window,
                     const char *page)
{
  PageWait wait = { window, page };
  g_autofree char *what = g_strdup_printf ("the %s page", page);

  tf_ui_wait_for (page_shown, &wait, what);
}

static gboolean
pages_prepared (gpointer user_data)
{
  return TF_WINDOW (user_data)->pages_prepared;
}

void
tf_ui_wait_for_pages_prepared (TfWindow *window)
{
  tf_ui_wait_for (pages_prepared, window, "the next pages made ready");
}

typedef struct {
  gpointer    object;
  const char *property;
  gboolean    value;
} BooleanWait;

static gboolean
boolean_is (gpointer user_data)
{
  BooleanWait *wait = user_data;
  gboolean value = FALSE;

  g_object_get (wait->object, wait->property, &value, NULL);

  return !!value == !!wait->value;
}

void
tf_ui_wait_for_boolean (gpointer    object,
                        const char *property,
                        gboolean    value)
{
  BooleanWait wait = { object, property, value };
  g_autofree char *what = g_strdup_printf ("%s to be %s", property, value ? "TRUE" : "FALSE");

  tf_ui_wait_for (boolean_is, &wait, what);
}

static gboolean
shown_under (GtkWidget *widget,
             GtkWidget *root)
{
  for (GtkWidget *w = widget; w != NULL && w != root; w = gtk_widget_get_parent (w))
    {
      if (!gtk_widget_get_visible (w))
        return FALSE;
      /* Hidden pages of a stack are not "child-visible". */
      if (!gtk_widget_get_child_visible (w))
        return FALSE;
    }

  return TRUE;
}

static GtkWidget *
labelled_by_under (GtkWidget *widget,
                   GtkWidget *candidate)
{
  if (GTK_IS_LABEL (candidate))
    {
      g_autofree char *mismatch =
        gtk_test_accessible_check_relation (GTK_ACCESSIBLE (widget),
                                            GTK_ACCESSIBLE_RELATION_LABELLED_BY, candidate, NULL);

      if (mismatch == NULL)
        return candidate;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (candidate);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = labelled_by_under (widget, child);

      if (found != NULL)
        return found;
    }

  return NULL;
}

GtkWidget *
tf_ui_get_labelling_label (GtkWidget *widget)
{
  g_autoptr(GList) mnemonic_labels = NULL;

  if (!gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return NULL;

  /* A mnemonic label may be anywhere; a row's title is inside it. */
  mnemonic_labels = gtk_widget_list_mnemonic_labels (widget);
  for (GList *l = mnemonic_labels; l != NULL; l = l->next)
    if (labelled_by_under (widget, l->data) != NULL)
      return l->data;

  return labelled_by_under (widget, widget);
}

gboolean
tf_ui_is_named (GtkWidget  *widget,
                const char *name)
{
  gboolean has_label = gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget),
                                                         GTK_ACCESSIBLE_PROPERTY_LABEL);
  GtkWidget *label = tf_ui_get_labelling_label (widget);

  if (has_label && label != NULL)
    return FALSE;

  if (has_label)
    {
      g_autofree char *mismatch =
        gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget),
                                            GTK_ACCESSIBLE_PROPERTY_LABEL, name);

      return mismatch == NULL;
    }

  return label != NULL && g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), name) == 0;
}

static GtkWidget *
find (GtkWidget   *widget,
      GtkWidget   *root,
      const char  *label,
      GType        type)
{
  if (type != G_TYPE_INVALID && G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      shown_under (widget, root))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find (child, root, label, type);

      if (found != NULL)
        return found;
    }

  /* Innermost first: an entry row is named by its title, and so is the
   * text field inside it, which is what is sought. Labels carry their own
   * text as accessible label: never what is sought. */
  if (label != NULL && !GTK_IS_LABEL (widget) && tf_ui_is_named (widget, label) &&
      shown_under (widget, root))
    return widget;

  return NULL;
}

GtkWidget *
tf_ui_lookup (GtkWidget  *root,
              const char *label)
{
  return find (root, root, label, G_TYPE_INVALID);
}

char *
tf_ui_strip_spaces (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (*p != ' ' && *p != '\n')
      g_string_append_c (out, *p);

  return g_string_free (out, FALSE);
}

GtkWidget *
tf_ui_find (GtkWidget  *root,
            const char *label)
{
  GtkWidget *found = find (root, root, label, G_TYPE_INVALID);

  if (found == NULL)
    g_error ("No visible widget is labelled “%s” under %s", label, G_OBJECT_TYPE_NAME (root));

  return found;
}

GtkWidget *
tf_ui_find_type (GtkWidget *root,
                 GType      type)
{
  return find (root, root, NULL, type);
}

void
tf_ui_set_text (GtkWidget  *root,
                const char *label,
                const char *text)
{
  GtkWidget *widget = tf_ui_find (root, label);

  g_assert_true (GTK_IS_EDITABLE (widget));
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

const char *
tf_ui_get_text (GtkWidget  *root,
                const char *label)
{
  GtkWidget *widget = tf_ui_find (root, label);

  g_assert_true (GTK_IS_EDITABLE (widget));
  return gtk_editable_get_text (GTK_EDITABLE (widget));
}

void
tf_ui_press_enter (GtkWidget  *root,
                   const char *label)
{
  GtkWidget *row = gtk_widget_get_ancestor (tf_ui_find (root, label), ADW_TYPE_ENTRY_ROW);

  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "entry-activated");
}

gint64
tf_ui_make_pending_user (TfUiFixture *fixture,
                         const char  *username,
                         const char  *first_name)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = tf_auth_register (fixture->auth, first_name, "Lovelace", username, "ada@example.org",
                         TF_UI_PASSWORD, TF_UI_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  return id;
}

char *
tf_ui_code (TfUiFixture *fixture,
            gint64       user_id,
            gint64       time,
            gboolean     pending)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TfTotpRecord) totp = NULL;
  TfSecureBuffer *secret;
  char code[TF_OTP_CODE_SIZE];

  totp = tf_store_get_totp (tf_auth_get_store (fixture->auth), user_id, &error);
  g_assert_no_error (error);
  secret = pending ? totp->pending_secret : totp->secret;
  g_assert_nonnull (secret);
  g_assert_true (tf_totp (tf_secure_buffer_get_data (secret), tf_secure_buffer_get_length (secret),
                          TF_OTP_SHA1, time, 30, 6, code));

  return g_strdup (code);
}

gint64
tf_ui_make_active_user (TfUiFixture  *fixture,
                        const char   *username,
                        const char   *first_name,
                        GPtrArray   **recovery_codes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autofree char *code = NULL;
  gint64 id = tf_ui_make_pending_user (fixture, username, first_name);

  code = tf_ui_code (fixture, id, fixture->now, FALSE);
  codes = tf_auth_confirm_enrolment (fixture->auth, id, code, &error);
  g_assert_no_error (error);
  g_assert_nonnull (codes);
  /* That step is used now: move on to the next one. */
  fixture->now += 30;

  if (recovery_codes != NULL)
    *recovery_codes = g_steal_pointer (&codes);

  return id;
}

void
tf_ui_log_in (TfUiFixture *fixture,
              const char  *username,
              const char  *password,
              const char  *code)
{
  GtkWidget *page = tf_window_get_page (fixture->window, "login");

  tf_ui_set_text (page, "Username", username);
  tf_ui_set_text (page, "Password", password);
  tf_ui_set_text (page, "Code", code);
  g_assert_true (gtk_widget_activate_action (page, "login.submit", NULL));
  tf_ui_wait_for_boolean (page, "busy", FALSE);
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer user_data)
{
  return *(gboolean *) user_data;
}

GdkTexture *
tf_ui_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong handler;
  GskRenderer *renderer;
  int width = 0, height = 0;

  /* GTK does not snapshot a widget whose resize is still pending (the
   * window builds and prepares pages at idle, one per idle moment, and
   * each queues one): render right after a frame has laid everything
   * out, and if an idle step came in between, after the next one. */
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (attempt > 0)
        g_test_message ("Rendering again: a resize was pending");
      painted = FALSE;
      gtk_widget_queue_draw (widget);
      tf_ui_wait_for (is_true, &painted, "a frame");

      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      g_assert_cmpint (width, >, 0);
      g_assert_cmpint (height, >, 0);

      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_signal_handler_disconnect (clock, handler);
  g_assert_nonnull (node);
  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

TfUiPixels *
tf_ui_pixels_new (GdkTexture *texture)
{
  TfUiPixels *pixels = g_new0 (TfUiPixels, 1);

  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->data = g_new (guint32, (gsize) pixels->width * pixels->height);
  gdk_texture_download (texture, (guchar *) pixels->data, (gsize) pixels->width * 4);

  return pixels;
}

void
tf_ui_pixels_free (TfUiPixels *pixels)
{
  g_free (pixels->data);
  g_free (pixels);
}

guint32
tf_ui_pixels_get (TfUiPixels *pixels,
                  int         x,
                  int         y)
{
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, pixels->width);
  g_assert_cmpint (y, <, pixels->height);

  return pixels->data[(gsize) y * pixels->width + x];
}

void
tf_ui_force_style (AdwColorScheme scheme)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
  /* Let the style change reach every widget. */
  tf_ui_run_for (50);
}

char *
tf_ui_claim_code (TfUiFixture  *fixture,
                  const char   *subject,
                  char        **recipient)
{
  TfStore *store = tf_auth_get_store (fixture->auth);
  gint64 now = fixture->now + 60;
  gint64 after = 0;
  char *code = NULL;

  if (recipient != NULL)
    *recipient = NULL;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TfSecureBuffer) body = NULL;
      TfOutboxEntry *entry;
      const char *text;
      gsize length;
      gint64 failed_id = 0;

      entry = tf_store_mail_claim (store, now, now + 600, after, TRUE, &body, &failed_id, &error);
      g_assert_no_error (error);
      if (entry == NULL)
        break;

      after = entry->id;
      /* Other mail goes back to the queue for a later look. */
      if (strstr (entry->subject, subject) == NULL)
        {
          g_assert_true (tf_store_mail_finish (store, entry->id, TF_OUTBOX_QUEUED, 0, NULL, &error));
          g_assert_no_error (error);
          tf_outbox_entry_free (entry);
          continue;
        }

      /* The body is packed (tf-outbox.c); the text inside shows the code
       * as "1234 5678". */
      text = (const char *) tf_secure_buffer_get_data (body);
      length = tf_secure_buffer_get_length (body);
      for (gsize at = 1; at + 10 < length; at++)
        {
          const char *p = text + at;
          gboolean ok = TRUE;

          for (guint i = 0; i < 9 && ok; i++)
            ok = i == 4 ? p[i] == ' ' : g_ascii_isdigit (p[i]);
          if (ok && !g_ascii_isdigit (p[-1]) && !g_ascii_isdigit (p[9]))
            {
              g_free (code);
              code = g_strdup_printf ("%.4s%.4s", p, p + 5);
              break;
            }
        }
      if (recipient != NULL)
        {
          g_free (*recipient);
          *recipient = g_strdup (entry->recipient);
        }
      g_assert_true (tf_store_mail_finish (store, entry->id, TF_OUTBOX_SENT, 0, NULL, &error));
      g_assert_no_error (error);
      tf_outbox_entry_free (entry);
    }

  return code;
}
