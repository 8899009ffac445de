/* tf-strength-hint.c */
#define G_LOG_DOMAIN "tf-strength-hint"

#include "config.h"

#include "tf-strength-hint.h"
#include "tf-ui-util.h"

#include <glib/gi18n.h>

#include "tf-password.h"

struct _TfStrengthHint
{
  GtkWidget parent_instance;

  /* Template widgets */
  GtkLevelBar *level_bar;
  GtkLabel *label;

  /* Owned */
  int score;
};

G_DEFINE_FINAL_TYPE (TfStrengthHint, tf_strength_hint, GTK_TYPE_WIDGET)

const char *
tf_strength_hint_get_text (TfStrengthHint *self)
{
  g_return_val_if_fail (TF_IS_STRENGTH_HINT (self), NULL);

  return gtk_label_get_label (self->label);
}

int
tf_strength_hint_get_score (TfStrengthHint *self)
{
  g_return_val_if_fail (TF_IS_STRENGTH_HINT (self), -1);

  return self->score;
}

void
tf_strength_hint_update (TfStrengthHint *self,
                         const char     *password,
                         const char     *username,
                         const char     *first_name,
                         const char     *last_name,
                         const char     *email)
{
  g_autoptr(TfSecureBuffer) normalised = NULL;
  g_autoptr(GError) error = NULL;
  const char *text;
  double level;
  int score = -1;

  g_return_if_fail (TF_IS_STRENGTH_HINT (self));

  if (password == NULL || *password == '\0')
    {
      self->score = -1;
      gtk_level_bar_set_value (self->level_bar, 0.0);
      gtk_label_set_label (self->label, _("Use at least 12 characters. A few unrelated words "
                                          "are easy to remember."));
      return;
    }

  normalised = tf_password_normalize (password, -1, &error);
  if (normalised != NULL)
    score = tf_password_check_policy_score (normalised, username, first_name, last_name, email,
                                            &error);

  if (score < 0)
    {
      text = error != NULL ? error->message : _("This password is not allowed.");
      level = 0.1;
    }
  else if (score < 40)
    {
      text = _("Acceptable, but could be stronger");
      level = 0.4;
    }
  else if (score < 70)
    {
      text = _("Good password");
      level = 0.7;
    }
  else
    {
      text = _("Strong password");
      level = 1.0;
    }

  self->score = score;
  gtk_level_bar_set_value (self->level_bar, level);
  gtk_label_set_label (self->label, text);
}

static void
tf_strength_hint_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TF_TYPE_STRENGTH_HINT);

  G_OBJECT_CLASS (tf_strength_hint_parent_class)->dispose (object);
}

static void
tf_strength_hint_class_init (TfStrengthHintClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tf_strength_hint_dispose;

  tf_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/tf-strength-hint.ui");
  gtk_widget_class_bind_template_child (widget_class, TfStrengthHint, level_bar);
  gtk_widget_class_bind_template_child (widget_class, TfStrengthHint, label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
tf_strength_hint_init (TfStrengthHint *self)
{
  GtkLayoutManager *layout;

  gtk_widget_init_template (GTK_WIDGET (self));

  layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  /* Refused passwords (0.1) take the warning colour, acceptable ones the
   * accent colour and strong ones (1.0) the success colour. */
  gtk_level_bar_add_offset_value (self->level_bar, GTK_LEVEL_BAR_OFFSET_LOW, 0.35);

  tf_strength_hint_update (self, NULL, NULL, NULL, NULL, NULL);
}
