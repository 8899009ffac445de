/* tf-submit-button.c */
#define G_LOG_DOMAIN "tf-submit-button"

#include "config.h"

#include "tf-submit-button.h"
#include "tf-ui-util.h"

/* How long a busy button waits before its spinner turns. A log-in is over
 * in about 100 ms here, and a spinning spinner costs a frame every 16 ms —
 * on the main thread and in the X server — that the Argon2id worker on the
 * same cores waits for (BENCHMARKS.md, log-in latency). The button and the
 * form grey out at once, so the press is still acknowledged at once. */
#define SPINNER_DELAY_MS 500

struct _TfSubmitButton
{
  GtkButton parent_instance;

  /* Template widgets */
  GtkStack *stack;
  GtkLabel *label;
  GtkSpinner *spinner;

  /* Owned */
  gboolean busy;
  guint spinner_id;
};

G_DEFINE_FINAL_TYPE (TfSubmitButton, tf_submit_button, GTK_TYPE_BUTTON)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
tf_submit_button_get_text (TfSubmitButton *self)
{
  g_return_val_if_fail (TF_IS_SUBMIT_BUTTON (self), NULL);

  return gtk_label_get_label (self->label);
}

void
tf_submit_button_set_text (TfSubmitButton *self,
                           const char     *text)
{
  g_return_if_fail (TF_IS_SUBMIT_BUTTON (self));

  if (g_strcmp0 (text, gtk_label_get_label (self->label)) == 0)
    return;

  /* The label names the button (it is its mnemonic widget): an accessible
   * label on top would have the name read twice. */
  gtk_label_set_text_with_mnemonic (self->label, text != NULL ? text : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

gboolean
tf_submit_button_get_busy (TfSubmitButton *self)
{
  g_return_val_if_fail (TF_IS_SUBMIT_BUTTON (self), FALSE);

  return self->busy;
}

/* The spinner turns while it is the child on show (tf_ui_spin_while_mapped). */
static void
set_spinning (TfSubmitButton *self,
              gboolean        spinning)
{
  gtk_stack_set_visible_child (self->stack,
                               spinning ? GTK_WIDGET (self->spinner) : GTK_WIDGET (self->label));
}

static gboolean
show_spinner (gpointer user_data)
{
  TfSubmitButton *self = user_data;

  self->spinner_id = 0;
  set_spinning (self, TRUE);
  return G_SOURCE_REMOVE;
}

void
tf_submit_button_set_busy (TfSubmitButton *self,
                           gboolean        busy)
{
  g_return_if_fail (TF_IS_SUBMIT_BUTTON (self));

  busy = !!busy;
  if (self->busy == busy)
    return;

  self->busy = busy;
  g_clear_handle_id (&self->spinner_id, g_source_remove);
  if (busy)
    self->spinner_id = g_timeout_add (SPINNER_DELAY_MS, show_spinner, self);
  else
    set_spinning (self, FALSE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_BUSY, busy, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
tf_submit_button_dispose (GObject *object)
{
  g_clear_handle_id (&TF_SUBMIT_BUTTON (object)->spinner_id, g_source_remove);
  /* GtkButton unparents its child itself; the template must not do it first. */
  gtk_button_set_child (GTK_BUTTON (object), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_SUBMIT_BUTTON);

  G_OBJECT_CLASS (tf_submit_button_parent_class)->dispose (object);
}

static void
tf_submit_button_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TfSubmitButton *self = TF_SUBMIT_BUTTON (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, tf_submit_button_get_text (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_submit_button_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TfSubmitButton *self = TF_SUBMIT_BUTTON (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      tf_submit_button_set_text (self, g_value_get_string (value));
      break;
    case PROP_BUSY:
      tf_submit_button_set_busy (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tf_submit_button_class_init (TfSubmitButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_submit_button_dispose;
  object_class->get_property = tf_submit_button_get_property;
  object_class->set_property = tf_submit_button_set_property;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  tf_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-submit-button.ui");
  gtk_widget_class_bind_template_child (widget_class, TfSubmitButton, stack);
  gtk_widget_class_bind_template_child (widget_class, TfSubmitButton, label);
  gtk_widget_class_bind_template_child (widget_class, TfSubmitButton, spinner);
}

static void
tf_submit_button_init (TfSubmitButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  tf_ui_spin_while_mapped (self->spinner);
  gtk_label_set_mnemonic_widget (self->label, GTK_WIDGET (self));
}

void
tf_submit_button_set_form_busy (TfSubmitButton *self,
                                GtkWidget      *page,
                                GtkWidget      *form,
                                const char     *action,
                                gboolean        busy)
{
  g_return_if_fail (TF_IS_SUBMIT_BUTTON (self));

  tf_submit_button_set_busy (self, busy);
  tf_ui_set_form_sensitive (form, !busy);
  gtk_widget_action_set_enabled (page, action, !busy);
}
