/* test-fonts.c — the fonts a window drew are recorded for the next start,
 * which loads them in a thread (src/ui/tf-font-warmup.h): a window made
 * after that draws its text with the very fonts the thread loaded. A
 * missing, damaged, oversized or out-of-range record loads nothing, and the
 * next record replaces it; an unchanged record is not written again. */
#include "tf-ui-test.h"

#include "tf-font-warmup.h"

#include <glib/gstdio.h>
#include <pango/pangocairo.h>

/* What GTK gives a window under Xvfb with no desktop settings. */
#define VALID_RECORD \
  "[Fonts]\n" \
  "Language=c\n" \
  "Resolution=96\n" \
  "Antialias=2\n" \
  "SubpixelOrder=0\n" \
  "HintStyle=3\n" \
  "HintMetrics=1\n" \
  "Descriptions=Sans 13.3330078125px;Sans Bold 13.3330078125px;\n"

static char *
record_path (TfUiFixture *fixture)
{
  return g_build_filename (fixture->dir, "cache", "twofold", "fonts", NULL);
}

typedef struct {
  const char *path;
  const char *old;   /* contents being replaced, or NULL for none */
} Replaced;

static gboolean
is_replaced (gpointer user_data)
{
  Replaced *replaced = user_data;
  g_autofree char *contents = NULL;

  return g_file_get_contents (replaced->path, &contents, NULL, NULL) &&
         g_strcmp0 (contents, replaced->old) != 0;
}

/* The fonts the labels on screen are drawn with. */
static void
collect_fonts (GtkWidget *widget,
               GPtrArray *fonts)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) && *gtk_label_get_text (GTK_LABEL (widget)) != '\0')
    {
      PangoLayoutIter *iter = pango_layout_get_iter (gtk_label_get_layout (GTK_LABEL (widget)));

      do
        {
          PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);

          if (run != NULL)
            g_ptr_array_add (fonts, run->item->analysis.font);
        }
      while (pango_layout_iter_next_run (iter));
      pango_layout_iter_free (iter);
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_fonts (child, fonts);
}

static void
test_recorded_then_loaded (TfUiFixture   *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = record_path (fixture);
  g_autoptr(TfFontWarmup) first = tf_font_warmup_new (path);
  g_autoptr(TfFontWarmup) next = NULL;
  g_autoptr(PangoFontMap) font_map = NULL;
  g_autoptr(GPtrArray) drawn = g_ptr_array_new ();
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *loaded;
  Replaced replaced = { path, NULL };
  guint from_thread = 0;

  /* The first start: nothing recorded, nothing loaded. */
  g_assert_null (tf_font_warmup_take_font_map (first));
  g_assert_cmpuint (tf_font_warmup_get_fonts (first)->len, ==, 0);

  /* It records what its window draws; again unchanged, nothing is written. */
  tf_ui_run_for (100);
  g_assert_true (tf_font_warmup_record (first, GTK_WIDGET (fixture->window)));
  tf_ui_wait_for (is_replaced, &replaced, "the fonts recorded");
  g_assert_false (tf_font_warmup_record (first, GTK_WIDGET (fixture->window)));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "Descriptions="));
  /* Regular and bold text, the page's title: at least three. */
  lines = g_strsplit (strstr (contents, "Descriptions="), ";", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 4);

  /* The next start loads them in its thread... */
  next = tf_font_warmup_new (path);
  font_map = tf_font_warmup_take_font_map (next);
  g_assert_nonnull (font_map);
  loaded = tf_font_warmup_get_fonts (next);
  g_assert_cmpuint (loaded->len, ==, g_strv_length (lines) - 1);

  /* ...and a window made once that map is the default draws with them. */
  pango_cairo_font_map_set_default (PANGO_CAIRO_FONT_MAP (font_map));
  tf_ui_destroy_window (GTK_WINDOW (fixture->window));
  tf_ui_fixture_present (fixture, tf_window_new (NULL, fixture->settings, fixture->auth));
  tf_ui_wait_for_page (fixture->window, "login");
  tf_ui_run_for (100);
  collect_fonts (GTK_WIDGET (fixture->window), drawn);
  g_assert_cmpuint (drawn->len, >, 0);
  for (guint i = 0; i < drawn->len; i++)
    {
      PangoFont *font = g_ptr_array_index (drawn, i);

      g_assert_true (pango_font_get_font_map (font) == font_map);
      if (g_ptr_array_find (loaded, font, NULL))
        from_thread++;
    }
  /* The title, the rows' titles, the buttons: each from the thread. */
  g_assert_cmpuint (from_thread, ==, drawn->len);
  /* The same window records the same fonts: not written again. */
  g_assert_false (tf_font_warmup_record (next, GTK_WIDGET (fixture->window)));

  pango_cairo_font_map_set_default (NULL);
}

static void
test_bad_records (TfUiFixture   *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = record_path (fixture);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GString) oversized = g_string_new (VALID_RECORD);
  g_autoptr(GString) too_many = g_string_new (VALID_RECORD);
  g_autoptr(TfFontWarmup) valid = NULL;
  g_autoptr(PangoFontMap) valid_map = NULL;
  const char nul[] = "[Fonts]\nLanguage=c\0\nResolution=96\n";
  struct {
    const char *what;
    const char *contents;
    gssize      length;
  } bad[] = {
    { "empty", "", 0 },
    { "not UTF-8", "[Fonts]\nLanguage=\xff\xfe\nDescriptions=Sans \xc0\xaf 10;\n", -1 },
    { "not a key file", "<html>fonts</html>\n", -1 },
    { "NUL inside", nul, sizeof nul - 1 },
    { "glyphs too large", "[Fonts]\nLanguage=c\nResolution=96\nAntialias=2\nSubpixelOrder=0\n"
      "HintStyle=3\nHintMetrics=1\nDescriptions=Sans 100000px;\n", -1 },
    { "no size", "[Fonts]\nLanguage=c\nResolution=96\nAntialias=2\nSubpixelOrder=0\n"
      "HintStyle=3\nHintMetrics=1\nDescriptions=Sans Bold;\n", -1 },
    { "options out of range", "[Fonts]\nLanguage=c\nResolution=96\nAntialias=99\nSubpixelOrder=0\n"
      "HintStyle=3\nHintMetrics=1\nDescriptions=Sans 10;\n", -1 },
    { "resolution out of range", "[Fonts]\nLanguage=c\nResolution=1e300\nAntialias=2\n"
      "SubpixelOrder=0\nHintStyle=3\nHintMetrics=1\nDescriptions=Sans 10;\n", -1 },
    { "language not a tag", "[Fonts]\nLanguage=../../etc\nResolution=96\nAntialias=2\n"
      "SubpixelOrder=0\nHintStyle=3\nHintMetrics=1\nDescriptions=Sans 10;\n", -1 },
    { "a field missing", "[Fonts]\nLanguage=c\nResolution=96\nAntialias=2\n"
      "Descriptions=Sans 10;\n", -1 },
    { "too many fonts", NULL, -1 },
    { "far too large", NULL, -1 },
  };

  for (guint i = 0; i < 17; i++)
    g_string_append_printf (too_many, "%s%s %u", i == 0 ? "Descriptions=" : ";", "Sans", 8 + i);
  g_string_append (too_many, ";\n");
  bad[G_N_ELEMENTS (bad) - 2].contents = too_many->str;
  while (oversized->len < 64 * 1024)
    g_string_append (oversized, "# filler\n");
  bad[G_N_ELEMENTS (bad) - 1].contents = oversized->str;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);

  /* The valid record the bad ones are made from loads. */
  g_assert_true (g_file_set_contents (path, VALID_RECORD, -1, NULL));
  valid = tf_font_warmup_new (path);
  valid_map = tf_font_warmup_take_font_map (valid);
  g_assert_nonnull (valid_map);
  g_assert_cmpuint (tf_font_warmup_get_fonts (valid)->len, ==, 2);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TfFontWarmup) warmup = NULL;
      g_autoptr(TfFontWarmup) again = NULL;
      g_autoptr(PangoFontMap) again_map = NULL;
      g_autofree char *old = bad[i].length < 0
                             ? g_strdup (bad[i].contents)
                             : g_strndup (bad[i].contents, bad[i].length);
      Replaced replaced = { path, old };

      g_test_message ("%s", bad[i].what);
      g_assert_true (g_file_set_contents (path, bad[i].contents, bad[i].length, NULL));
      warmup = tf_font_warmup_new (path);
      g_assert_null (tf_font_warmup_take_font_map (warmup));
      g_assert_cmpuint (tf_font_warmup_get_fonts (warmup)->len, ==, 0);

      /* The window's record replaces it, and loads at the next start. */
      g_assert_true (tf_font_warmup_record (warmup, GTK_WIDGET (fixture->window)));
      tf_ui_wait_for (is_replaced, &replaced, "the record replaced");
      again = tf_font_warmup_new (path);
      again_map = tf_font_warmup_take_font_map (again);
      g_assert_nonnull (again_map);
    }

  /* Not a file: nothing read, and the start goes on. */
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  {
    g_autoptr(TfFontWarmup) warmup = tf_font_warmup_new (path);

    g_assert_null (tf_font_warmup_take_font_map (warmup));
  }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/twofold/ui/fonts/" path, TfUiFixture, NULL, tf_ui_fixture_setup, func, \
              tf_ui_fixture_teardown)

  ADD ("recorded-then-loaded", test_recorded_then_loaded);
  ADD ("bad-records", test_bad_records);

  return g_test_run ();
}
