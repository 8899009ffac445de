/* tf-ui-util.c */
#define G_LOG_DOMAIN "tf-ui-util"

#include "config.h"

#include "tf-ui-util.h"

#include "tf-resources.h"

#include <glib/gi18n.h>
#include <string.h>

static void ensure_style (GdkDisplay *display);

void
tf_ui_ensure_resources (void)
{
  GdkDisplay *display = gdk_display_get_default ();

  /* Referencing the resource pulls its object file out of the static
   * library; the constructor in it registers the resources. */
  (void) tf_get_resource ();

  /* Before anything is styled: a provider added later restyles every
   * widget on the display (21 ms at the first log-in otherwise). */
  if (display != NULL)
    ensure_style (display);
}

char *
tf_ui_strip_mnemonic (const char *label)
{
  GString *out;

  if (label == NULL)
    return NULL;

  out = g_string_sized_new (strlen (label));
  for (const char *p = label; *p != '\0'; p++)
    {
      /* "__" stands for a literal underscore. */
      if (*p == '_')
        {
          if (p[1] == '_')
            p++;
          else
            continue;
        }
      g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

void
tf_ui_set_accessible_label (GtkWidget  *widget,
                            const char *label)
{
  g_autofree char *plain = tf_ui_strip_mnemonic (label);

  g_return_if_fail (GTK_IS_WIDGET (widget));

  if (plain != NULL && *plain != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, plain,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

void
tf_ui_label_entry_row (AdwEntryRow *row)
{
  const char *title;
  GtkEditable *delegate;

  g_return_if_fail (ADW_IS_ENTRY_ROW (row));

  title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));
  if (delegate != NULL)
    tf_ui_set_accessible_label (GTK_WIDGET (delegate), title);
}

/* A form greys out and back at once (style.css says why). */
#define INSTANT_CLASS "tf-instant"

/* The app's style.css, once per display. */
static void
ensure_style (GdkDisplay *display)
{
  static GQuark installed;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (installed == 0)
    installed = g_quark_from_static_string ("tf-style");
  if (g_object_get_qdata (G_OBJECT (display), installed) != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PREFIX "/ui/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_qdata_full (G_OBJECT (display), installed, g_steal_pointer (&provider),
                           g_object_unref);
}

static gboolean
drop_instant_class (GtkWidget     *form,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  /* The frame that restyled the form has run: hover fades come back. */
  if (gtk_widget_get_sensitive (form))
    gtk_widget_remove_css_class (form, INSTANT_CLASS);
  g_object_set_data (G_OBJECT (form), "tf-instant-tick", NULL);
  return G_SOURCE_REMOVE;
}

/* AdwEntryRow replays its 150 ms title animation on every change of its
 * text's state (focus, sensitivity, emptied text), even when nothing moves:
 * nine frames drawn while Argon2id runs, and the answer's frame then waits
 * for the frame clock's next 16.7 ms slot (BENCHMARKS.md, change 25).
 * AdwAnimation ends at once when its widget is unmapped: unmapping the
 * greyed form for a moment ends them all. Run ahead of the next frame
 * (GDK_PRIORITY_REDRAW is lower), so whatever the page changed in the form
 * after greying it (emptied secret fields) ends too. */
static gboolean
end_row_animations (gpointer user_data)
{
  GtkWidget *form = user_data;

  if (!gtk_widget_get_sensitive (form) && gtk_widget_get_mapped (form))
    {
      gtk_widget_set_visible (form, FALSE);
      gtk_widget_set_visible (form, TRUE);
    }
  return G_SOURCE_REMOVE;
}

void
tf_ui_set_form_sensitive (GtkWidget *form,
                          gboolean   sensitive)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_if_fail (GTK_IS_WIDGET (form));

  root = gtk_widget_get_root (form);
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  if (!sensitive && focus != NULL && (focus == form || gtk_widget_is_ancestor (focus, form)))
    gtk_root_set_focus (root, NULL);

  if (gtk_widget_get_sensitive (form) == !!sensitive)
    return;

  ensure_style (gtk_widget_get_display (form));
  gtk_widget_add_css_class (form, INSTANT_CLASS);
  gtk_widget_set_sensitive (form, sensitive);
  if (!sensitive && gtk_widget_get_mapped (form))
    g_idle_add_full (G_PRIORITY_HIGH_IDLE, end_row_animations, g_object_ref (form),
                     g_object_unref);
  if (sensitive && g_object_get_data (G_OBJECT (form), "tf-instant-tick") == NULL)
    {
      if (gtk_widget_get_mapped (form))
        {
          gtk_widget_add_tick_callback (form, drop_instant_class, NULL, NULL);
          g_object_set_data (G_OBJECT (form), "tf-instant-tick", GINT_TO_POINTER (1));
        }
      else
        {
          /* Not on screen: it is restyled when shown, with nothing to fade. */
          gtk_widget_remove_css_class (form, INSTANT_CLASS);
        }
    }
}

static void
start_spinner (GtkSpinner *spinner)
{
  gtk_spinner_start (spinner);
}

static void
stop_spinner (GtkSpinner *spinner)
{
  gtk_spinner_stop (spinner);
}

void
tf_ui_spin_while_mapped (GtkSpinner *spinner)
{
  g_return_if_fail (GTK_IS_SPINNER (spinner));

  /* A spinning spinner's "spin 1s linear infinite" keeps the window's CSS
   * animated, and so its frame clock running, even in a page that is built
   * but not shown (tf-window-pages.c): 60 frames a second on an idle Log In
   * page. */
  g_signal_connect (spinner, "map", G_CALLBACK (start_spinner), NULL);
  g_signal_connect (spinner, "unmap", G_CALLBACK (stop_spinner), NULL);
  gtk_spinner_set_spinning (spinner, gtk_widget_get_mapped (GTK_WIDGET (spinner)));
}

gboolean
tf_ui_lay_out_hidden (GtkWidget *widget,
                      int        width,
                      int        height)
{
  int min_width, min_height, natural_height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), FALSE);

  /* One on show is its parent's to lay out; with no size yet, there is
   * nothing to lay it out for. */
  if (width <= 0 || height == 0 || gtk_widget_get_mapped (widget))
    return FALSE;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1,
                      &min_width, NULL, NULL, NULL);
  width = MAX (width, min_width);
  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width,
                      &min_height, &natural_height, NULL, NULL);
  height = height < 0 ? natural_height : MAX (height, min_height);
  gtk_widget_allocate (widget, width, height, -1, NULL);
  return TRUE;
}

void
tf_ui_clear_editable (GtkEditable *editable)
{
  g_return_if_fail (GTK_IS_EDITABLE (editable));

  gtk_editable_set_text (editable, "");
  /* Undo would bring a password back. */
  gtk_editable_set_enable_undo (editable, FALSE);
  gtk_editable_set_enable_undo (editable, TRUE);
}

void
tf_ui_forget_clipboard (GtkWidget *widget)
{
  GdkClipboard *clipboard;

  g_return_if_fail (GTK_IS_WIDGET (widget));

  clipboard = gtk_widget_get_clipboard (widget);
  if (gdk_clipboard_is_local (clipboard))
    gdk_clipboard_set_content (clipboard, NULL);
}

char *
tf_ui_format_time (gint64 unix_time,
                   gint64 now)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (unix_time);
  g_autoptr(GDateTime) today = g_date_time_new_from_unix_local (now);
  gint days;

  if (when == NULL || today == NULL)
    return g_strdup ("");

  days = g_date_time_get_day_of_year (today) - g_date_time_get_day_of_year (when);
  if (g_date_time_get_year (today) != g_date_time_get_year (when))
    days = -1;

  /* Translators: strftime formats for the time of the last login. */
  if (days == 0)
    return g_date_time_format (when, _("Today at %H:%M"));
  if (days == 1)
    return g_date_time_format (when, _("Yesterday at %H:%M"));
  return g_date_time_format (when, _("%-d %B %Y at %H:%M"));
}

void
tf_ui_set_error_label (GtkLabel   *label,
                       const char *message)
{
  gboolean shown = message != NULL && *message != '\0';

  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_label (label, shown ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), shown);
}

const char *
tf_ui_get_error_label (GtkLabel *label)
{
  g_return_val_if_fail (GTK_IS_LABEL (label), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (label)))
    return NULL;

  return gtk_label_get_label (label);
}
