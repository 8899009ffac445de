/* tf-field.c */
#define G_LOG_DOMAIN "tf-field"

#include "config.h"

#include "tf-field.h"
#include "tf-ui-util.h"

struct _TfField
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkListBox *list;
  GtkLabel *error_label;

  /* Borrowed (a child of list) */
  AdwEntryRow *row;

  /* Owned */
  char *title;
  GtkInputPurpose input_purpose;
  gboolean password;
  gboolean touched;
  gboolean clearing;
};

G_DEFINE_FINAL_TYPE (TfField, tf_field, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TITLE,
  PROP_PASSWORD,
  PROP_TEXT,
  PROP_ERROR,
  PROP_INPUT_PURPOSE,
  PROP_TOUCHED,
  N_PROPS
};

enum {
  VALIDATE,
  ENTRY_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

const char *
tf_field_get_text (TfField *self)
{
  g_return_val_if_fail (TF_IS_FIELD (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->row));
}

void
tf_field_set_text (TfField    *self,
                   const char *text)
{
  g_return_if_fail (TF_IS_FIELD (self));

  gtk_editable_set_text (GTK_EDITABLE (self->row), text != NULL ? text : "");
}

const char *
tf_field_get_error (TfField *self)
{
  g_return_val_if_fail (TF_IS_FIELD (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_label (self->error_label);
}

void
tf_field_set_error (TfField    *self,
                    const char *error)
{
  GtkAccessible *text;
  gboolean shown;

  g_return_if_fail (TF_IS_FIELD (self));

  shown = error != NULL && *error != '\0';
  if (!shown && !gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return;

  text = GTK_ACCESSIBLE (gtk_editable_get_delegate (GTK_EDITABLE (self->row)));
  gtk_label_set_label (self->error_label, shown ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), shown);

  if (shown)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->row), "error");
      gtk_accessible_update_property (text, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, error, -1);
      gtk_accessible_update_state (text, GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->row), "error");
      gtk_accessible_reset_property (text, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_reset_state (text, GTK_ACCESSIBLE_STATE_INVALID);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

gboolean
tf_field_get_touched (TfField *self)
{
  g_return_val_if_fail (TF_IS_FIELD (self), FALSE);

  return self->touched;
}

void
tf_field_clear (TfField *self)
{
  g_return_if_fail (TF_IS_FIELD (self));

  self->clearing = TRUE;
  tf_ui_clear_editable (GTK_EDITABLE (self->row));
  self->clearing = FALSE;
  tf_field_set_error (self, NULL);

  if (self->touched)
    {
      self->touched = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOUCHED]);
    }
}

AdwEntryRow *
tf_field_get_row (TfField *self)
{
  g_return_val_if_fail (TF_IS_FIELD (self), NULL);

  return self->row;
}

static void
on_row_changed (TfField     *self,
                GtkEditable *editable)
{
  if (!self->clearing && !self->touched)
    {
      self->touched = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOUCHED]);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);

  if (!self->clearing && tf_field_get_error (self) != NULL)
    g_signal_emit (self, signals[VALIDATE], 0);
}

static void
on_focus_leave (TfField                 *self,
                GtkEventControllerFocus *controller)
{
  if (self->touched)
    g_signal_emit (self, signals[VALIDATE], 0);
}

static void
on_entry_activated (TfField     *self,
                    AdwEntryRow *row)
{
  g_signal_emit (self, signals[ENTRY_ACTIVATED], 0);
}

static gboolean
tf_field_grab_focus (GtkWidget *widget)
{
  TfField *self = TF_FIELD (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->row));
}

static void
tf_field_constructed (GObject *object)
{
  TfField *self = TF_FIELD (object);
  GtkEventController *focus;

  G_OBJECT_CLASS (tf_field_parent_class)->constructed (object);

  if (self->password)
    self->row = ADW_ENTRY_ROW (adw_password_entry_row_new ());
  else
    self->row = ADW_ENTRY_ROW (adw_entry_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), self->title);
  /* A password row keeps its own (password) purpose. */
  if (!self->password)
    adw_entry_row_set_input_purpose (self->row, self->input_purpose);
  gtk_list_box_append (self->list, GTK_WIDGET (self->row));
  tf_ui_label_entry_row (self->row);

  g_signal_connect_object (self->row, "changed", G_CALLBACK (on_row_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->row, "entry-activated", G_CALLBACK (on_entry_activated), self,
                           G_CONNECT_SWAPPED);

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (on_focus_leave), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->row), focus);
}

static void
tf_field_dispose (GObject *object)
{
  TfField *self = TF_FIELD (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TF_TYPE_FIELD);
  self->row = NULL;

  G_OBJECT_CLASS (tf_field_parent_class)->dispose (object);
}

static void
tf_field_finalize (GObject *object)
{
  TfField *self = TF_FIELD (object);

  g_free (self->title);

  G_OBJECT_CLASS (tf_field_parent_class)->finalize (object);
}

static void
tf_field_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  TfField *self = TF_FIELD (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_PASSWORD:
      g_value_set_boolean (value, self->password);
      break;
    case PROP_TEXT:
      g_value_set_string (value, tf_field_get_text (self));
      break;
    case PROP_ERROR:
      g_value_set_string (value, tf_field_get_error (self));
      break;
    case PROP_INPUT_PURPOSE:
      g_value_set_enum (value, self->input_purpose);
      break;
    case PROP_TOUCHED:
      g_value_set_boolean (value, self->touched);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_field_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  TfField *self = TF_FIELD (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_free (self->title);
      self->title = g_value_dup_string (value);
      if (self->row != NULL)
        {
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->row), self->title);
          tf_ui_label_entry_row (self->row);
        }
      break;
    case PROP_PASSWORD:
      self->password = g_value_get_boolean (value);
      break;
    case PROP_TEXT:
      tf_field_set_text (self, g_value_get_string (value));
      break;
    case PROP_ERROR:
      tf_field_set_error (self, g_value_get_string (value));
      break;
    case PROP_INPUT_PURPOSE:
      self->input_purpose = g_value_get_enum (value);
      if (self->row != NULL && !self->password)
        adw_entry_row_set_input_purpose (self->row, self->input_purpose);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_field_class_init (TfFieldClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tf_field_constructed;
  object_class->dispose = tf_field_dispose;
  object_class->finalize = tf_field_finalize;
  object_class->get_property = tf_field_get_property;
  object_class->set_property = tf_field_set_property;
  widget_class->grab_focus = tf_field_grab_focus;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSWORD] =
    g_param_spec_boolean ("password", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INPUT_PURPOSE] =
    g_param_spec_enum ("input-purpose", NULL, NULL,
                       GTK_TYPE_INPUT_PURPOSE, GTK_INPUT_PURPOSE_FREE_FORM,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOUCHED] =
    g_param_spec_boolean ("touched", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[VALIDATE] =
    g_signal_new ("validate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ENTRY_ACTIVATED] =
    g_signal_new ("entry-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  tf_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/tf-field.ui");
  gtk_widget_class_bind_template_child (widget_class, TfField, list);
  gtk_widget_class_bind_template_child (widget_class, TfField, error_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
tf_field_init (TfField *self)
{
  GtkLayoutManager *layout;

  self->input_purpose = GTK_INPUT_PURPOSE_FREE_FORM;
  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
}
