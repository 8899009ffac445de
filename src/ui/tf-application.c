/* tf-application.c */
#define G_LOG_DOMAIN "tf-application"

#include "config.h"

#include "tf-application.h"
#include "tf-window.h"

struct _TfApplication
{
  AdwApplication parent_instance;

  /* Owned */
  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (TfApplication, tf_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SETTINGS,
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

static void
tf_application_activate (GApplication *app)
{
  TfApplication *self = TF_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (tf_window_new (self, self->settings, NULL));

  gtk_window_present (window);
}

static void
tf_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { .name = "quit", .activate = tf_application_quit_action },
};

static void
tf_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (tf_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
}

static void
tf_application_dispose (GObject *object)
{
  TfApplication *self = TF_APPLICATION (object);

  g_clear_object (&self->settings);

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
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_application_class_init (TfApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tf_application_dispose;
  object_class->get_property = tf_application_get_property;
  object_class->set_property = tf_application_set_property;

  app_class->activate = tf_application_activate;
  app_class->startup = tf_application_startup;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tf_application_init (TfApplication *self)
{
}
