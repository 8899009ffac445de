/* test-action-row.c — TfActionRow: what it shows, that it is laid out as
 * AdwActionRow is, that laying it out never asks its title box a width for
 * a height (tf-action-row.h), and that it activates its action. */
#include "tf-ui-probe.h"
#include "tf-ui-test.h"

#include "tf-action-row.h"

#define TITLE "Failed attempts since then"
#define SUBTITLE "2 failed attempts. If they were not you, change your password."

static const char row_ui[] =
  "<interface>"
  "  <object class='TfActionRow' id='row'>"
  "    <property name='title'>Recovery codes</property>"
  "    <property name='subtitle'>Only 3 left.</property>"
  "    <child type='suffix'>"
  "      <object class='GtkImage' id='icon'>"
  "        <property name='icon-name'>dialog-warning-symbolic</property>"
  "      </object>"
  "    </child>"
  "    <child>"
  "      <object class='GtkLabel' id='extra'/>"
  "    </child>"
  "  </object>"
  "</interface>";

static void
test_shows (void)
{
  g_autoptr(GtkBuilder) builder = NULL;
  TfActionRow *row;
  GtkWidget *icon, *subtitle;

  g_type_ensure (TF_TYPE_ACTION_ROW);
  builder = gtk_builder_new_from_string (row_ui, -1);
  row = TF_ACTION_ROW (gtk_builder_get_object (builder, "row"));
  icon = GTK_WIDGET (gtk_builder_get_object (builder, "icon"));

  g_assert_cmpstr (tf_action_row_get_subtitle (row), ==, "Only 3 left.");
  g_assert_true (gtk_widget_get_visible (tf_ui_find_label (GTK_WIDGET (row), "Recovery codes")));
  subtitle = tf_ui_find_label (GTK_WIDGET (row), "Only 3 left.");
  g_assert_nonnull (subtitle);
  g_assert_true (gtk_widget_get_visible (subtitle));

  /* The suffix is inside the row, and shown; a child with no type is one
   * more, after it. */
  g_assert_true (gtk_widget_is_ancestor (icon, GTK_WIDGET (row)));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (icon)));
  g_assert_true (gtk_widget_get_next_sibling (icon) ==
                 GTK_WIDGET (gtk_builder_get_object (builder, "extra")));

  /* The name comes from the title, as the other tests find rows. */
  g_assert_true (tf_ui_is_named (GTK_WIDGET (row), "Recovery codes"));

  /* Plain text, not markup: what the Home page computes is shown as is. */
  tf_action_row_set_subtitle (row, "Fish & <b>chips</b>");
  g_assert_cmpstr (tf_action_row_get_subtitle (row), ==, "Fish & <b>chips</b>");
  g_assert_true (tf_ui_find_label (GTK_WIDGET (row), "Fish & <b>chips</b>") == subtitle);

  /* Empty or NULL hides it. */
  tf_action_row_set_subtitle (row, "");
  g_assert_false (gtk_widget_get_visible (subtitle));
  tf_action_row_set_subtitle (row, NULL);
  g_assert_cmpstr (tf_action_row_get_subtitle (row), ==, "");
  g_assert_false (gtk_widget_get_visible (subtitle));
}

/* A boxed list of one row: title, wrapping subtitle and a suffix icon. */
static GtkWidget *
boxed (GtkWidget *row)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  g_object_set (row, "title", TITLE, "subtitle", SUBTITLE, NULL);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  return list;
}

static GtkWidget *
warning_icon (void)
{
  return gtk_image_new_from_icon_name ("dialog-warning-symbolic");
}

static void
assert_same_bounds (GtkWidget  *ours,
                    GtkWidget  *theirs,
                    GtkWidget  *our_row,
                    GtkWidget  *their_row,
                    const char *what,
                    int         width)
{
  graphene_rect_t a, b;

  g_assert_true (gtk_widget_compute_bounds (ours, our_row, &a));
  g_assert_true (gtk_widget_compute_bounds (theirs, their_row, &b));
  if (!graphene_rect_equal (&a, &b))
    g_error ("%s at a window %d px wide: %gx%g+%g+%g, AdwActionRow's %gx%g+%g+%g", what, width,
             a.size.width, a.size.height, a.origin.x, a.origin.y,
             b.size.width, b.size.height, b.origin.x, b.origin.y);
}

/* The same texts and suffix in a TfActionRow and an AdwActionRow, side by
 * side in one window: every part in the same place, at widths where the
 * subtitle takes one, two and three lines. */
static void
test_same_layout (void)
{
  GtkWidget *ours = tf_action_row_new ();
  GtkWidget *theirs = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *our_icon = warning_icon (), *their_icon = warning_icon ();
  GtkWidget *window = gtk_window_new ();
  const int widths[] = { 640, 360, 220 };
  int heights[G_N_ELEMENTS (widths)];

  tf_action_row_add_suffix (TF_ACTION_ROW (ours), our_icon);
  adw_action_row_add_suffix (ADW_ACTION_ROW (theirs), their_icon);
  gtk_box_append (GTK_BOX (box), boxed (ours));
  gtk_box_append (GTK_BOX (box), boxed (theirs));
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));

  for (guint i = 0; i < G_N_ELEMENTS (widths); i++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), widths[i], 400);
      tf_ui_run_for (200);
      g_assert_cmpint (gtk_widget_get_width (ours), >, 0);
      g_assert_cmpint (gtk_widget_get_height (ours), ==, gtk_widget_get_height (theirs));
      g_assert_cmpint (gtk_widget_get_width (ours), ==, gtk_widget_get_width (theirs));
      assert_same_bounds (tf_ui_find_label (ours, TITLE), tf_ui_find_label (theirs, TITLE),
                          ours, theirs, "the title", widths[i]);
      assert_same_bounds (tf_ui_find_label (ours, SUBTITLE), tf_ui_find_label (theirs, SUBTITLE),
                          ours, theirs, "the subtitle", widths[i]);
      assert_same_bounds (our_icon, their_icon, ours, theirs, "the suffix", widths[i]);
      heights[i] = gtk_widget_get_height (ours);
    }
  /* The texts wrapped: each narrower window made the rows taller. */
  g_assert_cmpint (heights[0], <, heights[1]);
  g_assert_cmpint (heights[1], <, heights[2]);

  tf_ui_destroy_window (GTK_WINDOW (window));
}

/* A probe in the row's title box, beside its labels, laid out at three
 * window sizes: how often it is asked its width for a height. */
static guint
title_box_width_for_height (GtkWidget *row)
{
  GtkWidget *probe = tf_ui_probe_new ();
  GtkWidget *window;
  guint asked;

  g_object_set (row, "title", TITLE, "subtitle", SUBTITLE, NULL);
  gtk_widget_set_parent (probe, gtk_widget_get_parent (tf_ui_find_label (row, TITLE)));
  window = tf_ui_present_and_resize (boxed (row), probe);
  asked = tf_ui_probe_get_width_for_height (TF_UI_PROBE (probe));
  tf_ui_destroy_window (GTK_WINDOW (window));
  return asked;
}

static void
test_no_width_for_height (void)
{
  g_assert_cmpuint (title_box_width_for_height (tf_action_row_new ()), ==, 0);
}

/* The probe can fail: AdwActionRow's title box is asked. */
static void
test_probe_sees_adw_action_row (void)
{
  g_assert_cmpuint (title_box_width_for_height (adw_action_row_new ()), >, 0);
}

static void
count_activation (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  (*(guint *) user_data)++;
}

/* An activatable row runs its action, as the Home page's do. */
static void
test_activates_action (void)
{
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) action = g_simple_action_new ("go", NULL);
  GtkWidget *row = tf_action_row_new ();
  GtkWidget *window = gtk_window_new ();
  guint activated = 0;

  g_signal_connect (action, "activate", G_CALLBACK (count_activation), &activated);
  g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
  gtk_widget_insert_action_group (window, "test", G_ACTION_GROUP (group));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "test.go");
  gtk_window_set_child (GTK_WINDOW (window), boxed (row));
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_run_for (100);

  g_assert_true (gtk_widget_activate (row));
  g_assert_cmpuint (activated, ==, 1);
  tf_ui_destroy_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

  g_test_add_func ("/twofold/ui/action-row/shows", test_shows);
  g_test_add_func ("/twofold/ui/action-row/same-layout", test_same_layout);
  g_test_add_func ("/twofold/ui/action-row/no-width-for-height", test_no_width_for_height);
  g_test_add_func ("/twofold/ui/action-row/probe-sees-adw-action-row",
                   test_probe_sees_adw_action_row);
  g_test_add_func ("/twofold/ui/action-row/activates-action", test_activates_action);

  return g_test_run ();
}
