/* test-status-page.c — TfStatusPage: what it shows, that it centres its
 * content, and that laying it out never asks its content a width for a
 * height (the binary search over Pango layouts that AdwStatusPage's
 * valign=center costs in GTK 4.8, tf-status-page.h). */
#include "tf-ui-probe.h"
#include "tf-ui-test.h"

#include "tf-status-page.h"

static void
test_no_width_for_height (void)
{
  GtkWidget *page = g_object_new (TF_TYPE_STATUS_PAGE,
                                  "icon-name", "dialog-password-symbolic",
                                  "title", "A title that is long enough to wrap on a narrow window",
                                  "description", "A description that wraps over several lines, "
                                                 "as the pages' descriptions do at a kiosk's width.",
                                  NULL);
  GtkWidget *probe = tf_ui_probe_new ();
  GtkWidget *window;

  tf_status_page_set_child (TF_STATUS_PAGE (page), probe);
  window = tf_ui_present_and_resize (page, probe);
  g_assert_cmpuint (tf_ui_probe_get_width_for_height (TF_UI_PROBE (probe)), ==, 0);
  tf_ui_destroy_window (GTK_WINDOW (window));
}

/* The probe can fail: in the arrangement TfStatusPage avoids, a vertical
 * box centred with valign=center as AdwStatusPage's is, GTK 4.8 asks. */
static void
test_probe_sees_centred_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *probe = tf_ui_probe_new ();
  GtkWidget *window;

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), probe);
  window = tf_ui_present_and_resize (box, probe);
  g_assert_cmpuint (tf_ui_probe_get_width_for_height (TF_UI_PROBE (probe)), >, 0);
  tf_ui_destroy_window (GTK_WINDOW (window));
}

static void
test_centred (void)
{
  GtkWidget *page = g_object_new (TF_TYPE_STATUS_PAGE, "title", "Centred", NULL);
  GtkWidget *label = gtk_label_new ("content");
  GtkWidget *window;
  graphene_rect_t title, content;
  GtkWidget *title_label;
  double above, below;

  tf_status_page_set_child (TF_STATUS_PAGE (page), label);
  window = tf_ui_present_and_resize (page, label);

  title_label = tf_ui_find_label (page, "Centred");
  g_assert_nonnull (title_label);
  g_assert_true (gtk_widget_compute_bounds (title_label, page, &title));
  g_assert_true (gtk_widget_compute_bounds (label, page, &content));
  above = title.origin.y;
  below = gtk_widget_get_height (page) - (content.origin.y + content.size.height);
  g_assert_cmpfloat (above, >, 100);
  g_assert_cmpfloat (ABS (above - below), <=, 1);
  tf_ui_destroy_window (GTK_WINDOW (window));
}

static void
test_shows (void)
{
  TfStatusPage *page = g_object_ref_sink (g_object_new (TF_TYPE_STATUS_PAGE, NULL));
  GtkWidget *first = gtk_label_new ("first");
  GtkWidget *second = gtk_label_new ("second");
  GtkWidget *description;

  /* Nothing set: the title and description are hidden. */
  g_assert_null (tf_status_page_get_title (page));
  g_assert_false (gtk_widget_get_visible (tf_ui_find_label (GTK_WIDGET (page), "")));

  tf_status_page_set_title (page, "Title");
  g_assert_cmpstr (tf_status_page_get_title (page), ==, "Title");
  g_assert_true (gtk_widget_get_visible (tf_ui_find_label (GTK_WIDGET (page), "Title")));

  /* The description is markup: the text has the entity resolved, the
   * getter gives back what was set. */
  tf_status_page_set_description (page, "Fish &amp; chips");
  g_assert_cmpstr (tf_status_page_get_description (page), ==, "Fish &amp; chips");
  description = tf_ui_find_label (GTK_WIDGET (page), "Fish & chips");
  g_assert_nonnull (description);
  g_assert_true (gtk_widget_get_visible (description));
  tf_status_page_set_description (page, NULL);
  g_assert_null (tf_status_page_get_description (page));
  g_assert_false (gtk_widget_get_visible (description));

  /* A new child takes the old one's place. */
  tf_status_page_set_child (page, first);
  g_assert_true (gtk_widget_is_ancestor (first, GTK_WIDGET (page)));
  g_object_ref (first);
  tf_status_page_set_child (page, second);
  g_assert_null (gtk_widget_get_parent (first));
  g_assert_true (gtk_widget_is_ancestor (second, GTK_WIDGET (page)));
  g_object_unref (first);

  g_object_unref (page);
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

  g_test_add_func ("/twofold/ui/status-page/shows", test_shows);
  g_test_add_func ("/twofold/ui/status-page/centred", test_centred);
  g_test_add_func ("/twofold/ui/status-page/no-width-for-height", test_no_width_for_height);
  g_test_add_func ("/twofold/ui/status-page/probe-sees-centred-box", test_probe_sees_centred_box);

  return g_test_run ();
}
