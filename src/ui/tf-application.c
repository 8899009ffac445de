/* tf-application.c */
#define G_LOG_DOMAIN "tf-application"

#include "config.h"

#include "tf-application.h"
#include "tf-font-warmup.h"
#include "tf-settings.h"
#include "tf-window.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>

/* The session or the system ending the program. */
static const int end_signals[] = { SIGTERM, SIGINT, SIGHUP };

struct _TfApplication
{
  AdwApplication parent_instance;

  /* Owned */
  GSettings *settings;
  /* From startup until the first window has drawn its first frame. */
  TfFontWarmup *fonts;
  /* end_signals quit, as Quit does. */
  guint signal_ids[G_N_ELEMENTS (end_signals)];
  /* --kiosk; the kiosk setting counts too (tf_application_get_kiosk ()). */
  gboolean kiosk;
};

G_DEFINE_FINAL_TYPE (TfApplication, tf_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_KIOSK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TfApplication *
tf_application_new (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return g_object_new (TF_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "settings", settings,
                       NULL);
}

GSettings *
tf_application_get_settings (TfApplication *self)
{
  g_return_val_if_fail (TF_IS_APPLICATION (self), NULL);

  return self->settings;
}

gboolean
tf_application_get_kiosk (TfApplication *self)
{
  g_return_val_if_fail (TF_IS_APPLICATION (self), FALSE);

  return self->kiosk || g_settings_get_boolean (self->settings, "kiosk");
}

static int
tf_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  TfApplication *self = TF_APPLICATION (app);

  if (g_variant_dict_contains (options, "kiosk"))
    {
      self->kiosk = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIOSK]);
    }

  /* Go on and run. */
  return -1;
}

/* Low priority: after the window's first frame (as the window's own
 * after-the-first-frame work), which is what the next start loads ahead
 * (tf-font-warmup.h). Once. */
static gboolean
tf_application_record_fonts (gpointer user_data)
{
  TfApplication *self = TF_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL && self->fonts != NULL)
    tf_font_warmup_record (self->fonts, GTK_WIDGET (window));
  g_clear_pointer (&self->fonts, tf_font_warmup_free);
  return G_SOURCE_REMOVE;
}

static void
tf_application_activate (GApplication *app)
{
  TfApplication *self = TF_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = g_object_new (TF_TYPE_WINDOW,
                           "application", self,
                           "settings", self->settings,
                           "kiosk", tf_application_get_kiosk (self),
                           NULL);

  gtk_window_present (window);

  if (self->fonts != NULL)
    g_idle_add_full (G_PRIORITY_LOW, tf_application_record_fonts,
                     g_object_ref (self), g_object_unref);
}

static void
tf_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

/* The session or the system ends the program: quit as Quit does, so the
 * windows close and the store is closed cleanly. Killed, it leaves its
 * write-ahead log behind, and the next start has to check the whole store
 * before the Log In page (BENCHMARKS.md). */
static gboolean
tf_application_terminate (gpointer user_data)
{
  g_debug ("Asked to end: quitting");
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = tf_application_quit_action },
};

static void
tf_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };
  static const char *no_accels[] = { NULL };
  TfApplication *self = TF_APPLICATION (app);
  g_autofree char *store_path = tf_settings_dup_store_path (self->settings);
  g_autofree char *key_file = tf_settings_dup_key_file (self->settings);
  g_autofree char *issuer = tf_settings_dup_issuer (self->settings);
  g_autofree char *fonts_path = g_build_filename (g_get_user_cache_dir (), "twofold", "fonts", NULL);
  g_autoptr(PangoFontMap) font_map = NULL;
  GAction *quit;

  /* The fonts the last start drew load while GTK starts, as the store
   * opens; the map they are in becomes the main thread's before anything
   * uses one. */
  self->fonts = tf_font_warmup_new (fonts_path);
  /* The store opens (its quick_check reads the whole file) while GTK
   * starts; the window's own open, with the same arguments, takes it over
   * (tf_window_open_store ()). */
  tf_auth_open_prefetch (store_path, key_file, issuer, NULL, TRUE, TF_WINDOW_OPEN_TIMEOUT_MS);

  G_APPLICATION_CLASS (tf_application_parent_class)->startup (app);

  font_map = tf_font_warmup_take_font_map (self->fonts);
  if (font_map != NULL)
    pango_cairo_font_map_set_default (PANGO_CAIRO_FONT_MAP (font_map));

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (end_signals); i++)
    self->signal_ids[i] = g_unix_signal_add (end_signals[i], tf_application_terminate, app);

  if (!tf_application_get_kiosk (self))
    {
      gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
      gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                             help_accels);
      return;
    }

  /* A kiosk's gate has no way out: no Quit, and no shortcuts window. */
  quit = g_action_map_lookup_action (G_ACTION_MAP (app), "quit");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (quit), FALSE);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", no_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay",
                                         no_accels);
}

/* Windows are not destroyed by GTK when the application ends; destroyed,
 * they drop the service and the store closes cleanly (its write-ahead log
 * checkpointed and removed). */
static void
tf_application_shutdown (GApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));

  G_APPLICATION_CLASS (tf_application_parent_class)->shutdown (app);
}

static void
tf_application_constructed (GObject *object)
{
  G_OBJECT_CLASS (tf_application_parent_class)->constructed (object);

  /* GtkApplication would add <base path>/icons to the icon theme during
   * startup, just after the theme began loading in a thread; that throws
   * the loaded theme away, and the first icon drawn loads it again on the
   * main thread (~18 ms before the first frame, BENCHMARKS.md). Twofold
   * ships no themed icons; the window sets the shortcuts window up
   * (tf_window_constructed ()), startup its accelerator. */
  g_application_set_resource_base_path (G_APPLICATION (object), NULL);
}

static void
tf_application_dispose (GObject *object)
{
  TfApplication *self = TF_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->fonts, tf_font_warmup_free);
  for (guint i = 0; i < G_N_ELEMENTS (self->signal_ids); i++)
    g_clear_handle_id (&self->signal_ids[i], g_source_remove);

  G_OBJECT_CLASS (tf_application_parent_class)->dispose (object);
}

static void
tf_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TfApplication *self = TF_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_application_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TfApplication *self = TF_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_KIOSK:
      self->kiosk = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_application_class_init (TfApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->constructed = tf_application_constructed;
  object_class->dispose = tf_application_dispose;
  object_class->get_property = tf_application_get_property;
  object_class->set_property = tf_application_set_property;

  app_class->activate = tf_application_activate;
  app_class->handle_local_options = tf_application_handle_local_options;
  app_class->startup = tf_application_startup;
  app_class->shutdown = tf_application_shutdown;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* Set by --kiosk; read before startup, so later changes have no effect. */
  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tf_application_init (TfApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "kiosk", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _("Run full screen as the gate of a locked workstation"), NULL);
}
