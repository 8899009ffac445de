/* tf-font-warmup.c */
#define G_LOG_DOMAIN "tf-font-warmup"

#include "config.h"

#include "tf-font-warmup.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#define GROUP "Fonts"
/* A record is a few hundred bytes; anything much larger is not one. */
#define MAX_RECORD_BYTES 8192
#define MAX_FONTS 16
#define MAX_DESCRIPTION_BYTES 200
/* 20 pt titles at twice the usual resolution are 54 px. */
#define MAX_PIXEL_SIZE 256.0

/* The glyphs rasterised for each font: what most of a page's text uses. */
static const char sample[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789 .,:;!?'\"()-\u2013\u2014\u2026\u201c\u201d\u2019";

typedef struct {
  PangoLanguage        *language;
  double                resolution;
  cairo_font_options_t *options;
  GPtrArray            *descriptions;  /* PangoFontDescription */
} Record;

struct _TfFontWarmup
{
  char         *path;
  GThread      *thread;
  /* Set by the thread, read after it is joined. */
  char         *recorded;    /* the record as read, when it was valid */
  PangoFontMap *font_map;
  GPtrArray    *fonts;       /* PangoFont */
};

static void
record_clear (Record *record)
{
  g_clear_pointer (&record->options, cairo_font_options_destroy);
  g_clear_pointer (&record->descriptions, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Record, record_clear)

static gboolean
get_int_in (GKeyFile   *file,
            const char *key,
            int         max,
            int        *value)
{
  g_autoptr(GError) error = NULL;

  *value = g_key_file_get_integer (file, GROUP, key, &error);
  return error == NULL && *value >= 0 && *value <= max;
}

static gboolean
language_is_valid (const char *language)
{
  gsize length = language != NULL ? strlen (language) : 0;

  if (length == 0 || length > 32)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isalnum (language[i]) && strchr ("-_@.", language[i]) == NULL)
      return FALSE;
  return TRUE;
}

static PangoFontDescription *
parse_description (const char *text,
                   double      resolution)
{
  PangoFontDescription *description;
  double pixels;

  if (strlen (text) > MAX_DESCRIPTION_BYTES)
    return NULL;
  description = pango_font_description_from_string (text);
  pixels = (double) pango_font_description_get_size (description) / PANGO_SCALE;
  if (!pango_font_description_get_size_is_absolute (description))
    pixels *= resolution / 72.0;
  if ((pango_font_description_get_set_fields (description) & PANGO_FONT_MASK_SIZE) == 0 ||
      !(pixels > 0.0 && pixels <= MAX_PIXEL_SIZE))
    {
      pango_font_description_free (description);
      return NULL;
    }
  return description;
}

/* All or nothing: a record with one field out of place is not used. */
static gboolean
parse_record (const char *data,
              gsize       length,
              Record     *record)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *language = NULL;
  g_auto(GStrv) descriptions = NULL;
  gsize n_descriptions = 0;
  int antialias, subpixel_order, hint_style, hint_metrics;

  if (length > MAX_RECORD_BYTES ||
      !g_key_file_load_from_data (file, data, length, G_KEY_FILE_NONE, NULL))
    return FALSE;

  language = g_key_file_get_string (file, GROUP, "Language", NULL);
  record->resolution = g_key_file_get_double (file, GROUP, "Resolution", &error);
  descriptions = g_key_file_get_string_list (file, GROUP, "Descriptions", &n_descriptions, NULL);
  if (!language_is_valid (language) || error != NULL ||
      !(record->resolution >= 24.0 && record->resolution <= 960.0) ||
      !get_int_in (file, "Antialias", CAIRO_ANTIALIAS_BEST, &antialias) ||
      !get_int_in (file, "SubpixelOrder", CAIRO_SUBPIXEL_ORDER_VBGR, &subpixel_order) ||
      !get_int_in (file, "HintStyle", CAIRO_HINT_STYLE_FULL, &hint_style) ||
      !get_int_in (file, "HintMetrics", CAIRO_HINT_METRICS_ON, &hint_metrics) ||
      descriptions == NULL || n_descriptions == 0 || n_descriptions > MAX_FONTS)
    return FALSE;

  record->language = pango_language_from_string (language);
  record->options = cairo_font_options_create ();
  cairo_font_options_set_antialias (record->options, antialias);
  cairo_font_options_set_subpixel_order (record->options, subpixel_order);
  cairo_font_options_set_hint_style (record->options, hint_style);
  cairo_font_options_set_hint_metrics (record->options, hint_metrics);
  record->descriptions = g_ptr_array_new_with_free_func ((GDestroyNotify) pango_font_description_free);
  for (gsize i = 0; i < n_descriptions; i++)
    {
      PangoFontDescription *description = parse_description (descriptions[i], record->resolution);

      if (description == NULL)
        return FALSE;
      g_ptr_array_add (record->descriptions, description);
    }
  return TRUE;
}

static char *
read_record (const char *path,
             gsize      *length)
{
  GStatBuf info;
  char *data = NULL;

  /* Not a file, or far too large to be a record: not read at all. */
  if (g_stat (path, &info) != 0 || !S_ISREG (info.st_mode) || info.st_size > MAX_RECORD_BYTES ||
      !g_file_get_contents (path, &data, length, NULL))
    return NULL;
  return data;
}

/* Loads each recorded font into a font map of the thread's own, shapes the
 * sample with it and draws it, so that the fonts' files, shaping tables and
 * glyphs are ready in that map. */
static gpointer
warm_up (gpointer user_data)
{
  TfFontWarmup *self = user_data;
  g_auto(Record) record = { 0 };
  g_autofree char *data = NULL;
  PangoContext *context;
  cairo_surface_t *surface;
  cairo_t *cr;
  gsize length = 0;

  data = read_record (self->path, &length);
  if (data == NULL || !parse_record (data, length, &record))
    return NULL;
  self->recorded = g_steal_pointer (&data);

  self->font_map = pango_cairo_font_map_new ();
  context = pango_font_map_create_context (self->font_map);
  pango_cairo_context_set_font_options (context, record.options);
  pango_cairo_context_set_resolution (context, record.resolution);
  pango_context_set_language (context, record.language);

  /* Large enough that no sample line is clipped away undrawn. */
  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 640, 160);
  cr = cairo_create (surface);
  for (guint i = 0; i < record.descriptions->len; i++)
    {
      const PangoFontDescription *description = g_ptr_array_index (record.descriptions, i);
      g_autoptr(PangoLayout) layout = pango_layout_new (context);
      PangoFont *font = pango_font_map_load_font (self->font_map, context, description);

      if (font != NULL)
        g_ptr_array_add (self->fonts, font);
      pango_layout_set_font_description (layout, description);
      pango_layout_set_width (layout, 600 * PANGO_SCALE);
      pango_layout_set_text (layout, sample, -1);
      cairo_move_to (cr, 0, 0);
      pango_cairo_show_layout (cr, layout);
    }
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  g_object_unref (context);
  return NULL;
}

TfFontWarmup *
tf_font_warmup_new (const char *path)
{
  TfFontWarmup *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (TfFontWarmup, 1);
  self->path = g_strdup (path);
  self->fonts = g_ptr_array_new_with_free_func (g_object_unref);
  self->thread = g_thread_new ("tf-font-warmup", warm_up, self);
  return self;
}

static void
join (TfFontWarmup *self)
{
  if (self->thread != NULL)
    g_thread_join (g_steal_pointer (&self->thread));
}

PangoFontMap *
tf_font_warmup_take_font_map (TfFontWarmup *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  join (self);
  if (self->fonts->len == 0)
    g_clear_object (&self->font_map);
  return g_steal_pointer (&self->font_map);
}

GPtrArray *
tf_font_warmup_get_fonts (TfFontWarmup *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  join (self);
  return self->fonts;
}

static gboolean
same_context (PangoContext *a,
              PangoContext *b)
{
  const cairo_font_options_t *options_a = pango_cairo_context_get_font_options (a);
  const cairo_font_options_t *options_b = pango_cairo_context_get_font_options (b);

  return pango_context_get_language (a) == pango_context_get_language (b) &&
         pango_cairo_context_get_resolution (a) == pango_cairo_context_get_resolution (b) &&
         (options_a == options_b ||
          (options_a != NULL && options_b != NULL && cairo_font_options_equal (options_a, options_b)));
}

/* The labels and texts on screen; their contexts hold what GTK's style gave
 * them. Contexts whose settings differ from the first one's are left out. */
static void
collect (GtkWidget     *widget,
         PangoContext **first,
         GPtrArray     *descriptions)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  if (GTK_IS_LABEL (widget) || GTK_IS_TEXT (widget))
    {
      PangoContext *context = gtk_widget_get_pango_context (widget);
      g_autofree char *description = NULL;

      if (*first == NULL)
        *first = context;
      description = pango_font_description_to_string (pango_context_get_font_description (context));
      if (same_context (*first, context) && descriptions->len < MAX_FONTS &&
          !g_ptr_array_find_with_equal_func (descriptions, description, g_str_equal, NULL))
        g_ptr_array_add (descriptions, g_steal_pointer (&description));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, first, descriptions);
}

static char *
format_record (GtkWidget *root)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GPtrArray) descriptions = g_ptr_array_new_with_free_func (g_free);
  const cairo_font_options_t *options;
  cairo_font_options_t *defaults = NULL;
  PangoContext *context = NULL;

  collect (root, &context, descriptions);
  if (context == NULL)
    return NULL;

  options = pango_cairo_context_get_font_options (context);
  if (options == NULL)
    options = defaults = cairo_font_options_create ();
  g_key_file_set_string (file, GROUP, "Language",
                         pango_language_to_string (pango_context_get_language (context)));
  g_key_file_set_double (file, GROUP, "Resolution", pango_cairo_context_get_resolution (context));
  g_key_file_set_integer (file, GROUP, "Antialias", cairo_font_options_get_antialias (options));
  g_key_file_set_integer (file, GROUP, "SubpixelOrder", cairo_font_options_get_subpixel_order (options));
  g_key_file_set_integer (file, GROUP, "HintStyle", cairo_font_options_get_hint_style (options));
  g_key_file_set_integer (file, GROUP, "HintMetrics", cairo_font_options_get_hint_metrics (options));
  g_ptr_array_add (descriptions, NULL);
  g_key_file_set_string_list (file, GROUP, "Descriptions",
                              (const char * const *) descriptions->pdata, descriptions->len - 1);
  g_clear_pointer (&defaults, cairo_font_options_destroy);
  return g_key_file_to_data (file, NULL, NULL);
}

typedef struct {
  char *path;
  char *data;
} Write;

static void
write_free (Write *write)
{
  g_free (write->path);
  g_free (write->data);
  g_free (write);
}

static void
write_in_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Write *write = task_data;
  g_autofree char *dir = g_path_get_dirname (write->path);
  g_autoptr(GError) error = NULL;

  /* Only a faster start depends on it: a failure is not the user's concern. */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_debug ("Could not make %s: %s", dir, g_strerror (errno));
  else if (!g_file_set_contents_full (write->path, write->data, -1,
                                      G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not record the fonts: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

gboolean
tf_font_warmup_record (TfFontWarmup *self,
                       GtkWidget    *root)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *data = NULL;
  Write *write;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (GTK_IS_WIDGET (root), FALSE);

  join (self);
  data = format_record (root);
  if (data == NULL || g_strcmp0 (data, self->recorded) == 0)
    return FALSE;

  g_free (self->recorded);
  self->recorded = g_strdup (data);
  write = g_new0 (Write, 1);
  write->path = g_strdup (self->path);
  write->data = g_steal_pointer (&data);
  task = g_task_new (NULL, NULL, NULL, NULL);
  g_task_set_source_tag (task, tf_font_warmup_record);
  g_task_set_task_data (task, write, (GDestroyNotify) write_free);
  g_task_run_in_thread (task, write_in_thread);
  return TRUE;
}

void
tf_font_warmup_free (TfFontWarmup *self)
{
  if (self == NULL)
    return;

  join (self);
  g_clear_object (&self->font_map);
  g_ptr_array_unref (self->fonts);
  g_free (self->recorded);
  g_free (self->path);
  g_free (self);
}
