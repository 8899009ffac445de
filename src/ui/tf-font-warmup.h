/* tf-font-warmup.h
 *
 * Contract: the fonts a window drew at its last start are loaded again, in
 * a thread of their own, while GTK starts.
 *
 * Finding, loading, shaping and rasterising the first page's fonts was
 * ~6 ms of the main thread before the first frame (BENCHMARKS.md), while
 * the second processor sat idle through GTK's own start. A start records
 * what its window drew (font descriptions, font options, resolution and
 * language: nothing the user typed) in a small key file; the next start
 * loads those fonts into a Pango font map of its own in a thread, and the
 * main thread makes that map its default before it builds a widget. Fonts
 * that do not match this start's settings are simply not used; a missing,
 * damaged or oversized record loads nothing.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _TfFontWarmup TfFontWarmup;

/* Starts loading, in a thread, the fonts recorded in @path. */
TfFontWarmup *tf_font_warmup_new           (const char   *path);
/* Waits for the thread (once); returns its font map with the fonts loaded
 * (transfer full), or NULL when nothing was recorded or loaded. */
PangoFontMap *tf_font_warmup_take_font_map (TfFontWarmup *warmup);
/* The fonts the thread loaded, after tf_font_warmup_take_font_map (). */
GPtrArray    *tf_font_warmup_get_fonts     (TfFontWarmup *warmup);
/* Records the fonts of the labels and texts @root shows now, for the next
 * start. The file is written in a thread, and only when it changes: TRUE
 * when a write was started. */
gboolean      tf_font_warmup_record        (TfFontWarmup *warmup,
                                            GtkWidget    *root);
void          tf_font_warmup_free          (TfFontWarmup *warmup);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TfFontWarmup, tf_font_warmup_free)

G_END_DECLS
