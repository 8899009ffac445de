/* test-status-page.c — TfStatusPage: what it shows, that it centres its
 * content, and that laying it out never asks its content a width for a
 * height (the binary search over Pango layouts that AdwStatusPage's
 * valign=center costs in GTK 4.8, tf-status-page.h). */
#include "tf-ui-test.h"

#include "tf-status-page.h"

/* A height-for-width widget that counts the requests for its width at a
 * given height: a wrapped label answers each with a binary search. */
#define PROBE_TYPE (probe_get_type ())
G_DECLARE_FINAL_TYPE (Probe, probe, TEST, PROBE, GtkWidget)

struct _Probe
{
  GtkWidget parent_instance;
  guint width_for_height;
};

G_DEFINE_FINAL_TYPE (Probe, probe, GTK_TYPE_WIDGET)

static GtkSizeRequestMode
probe_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
probe_measure (GtkWidget      *widget,
               GtkOrientation  orientation,
               int             for_size,
               int            *minimum,
               int            *natural,
               int            *minimum_baseline,
               int            *natural_baseline)
{
  Probe *self = TEST_PROBE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      if (for_size >= 0)
        self->width_for_height++;
      *minimum = 100;
      *natural = 300;
    }
  else
    {
      /* 30 000 square pixels, like a paragraph that wraps. */
      *minimum = *natural = 30000 / MAX (for_size > 0 ? for_size : 100, 100);
    }
}

static void
probe_class_init (ProbeClass *klass)
{
  GTK_WIDGET_CLASS (klass)->get_request_mode = probe_get_request_mode;
  GTK_WIDGET_CLASS (klass)->measure = probe_measure;
}

static void
probe_init (Probe *self)
{
}

/* The label under root whose text is text, shown or not. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  GtkWidget *child;

  if (GTK_IS_LABEL (root) && g_str_equal (gtk_label_get_text (GTK_LABEL (root)), text))
    return root;
  for (child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
laid_out (gpointer user_data)
{
  GtkWidget *widget = user_data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_height (widget) > 0;
}

/* Presents content in a window, then resizes the window twice: each size
 * is a new allocation of everything in it. */
static GtkWidget *
present_and_resize (GtkWidget *content,
                    GtkWidget *probe)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 400, 600);
  gtk_window_set_child (GTK_WINDOW (window), content);
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_wait_for (laid_out, probe, "the probe laid out");

  gtk_window_set_default_size (GTK_WINDOW (window), 500, 700);
  tf_ui_run_for (200);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  tf_ui_run_for (200);
  g_assert_true (gtk_widget_get_height (probe) > 0);

  return window;
}

static void
test_no_width_for_height (void)
{
  GtkWidget *page = g_object_new (TF_TYPE_STATUS_PAGE,
                                  "icon-name", "dialog-password-symbolic",
                                  "title", "A title that is long enough to wrap on a narrow window",
                                  "description", "A description that wraps over several lines, "
                                                 "as the pages' descriptions do at a kiosk's width.",
                                  NULL);
  Probe *probe = g_object_new (PROBE_TYPE, NULL);
  GtkWidget *window;

  tf_status_page_set_child (TF_STATUS_PAGE (page), GTK_WIDGET (probe));
  window = present_and_resize (page, GTK_WIDGET (probe));
  g_assert_cmpuint (probe->width_for_height, ==, 0);
  tf_ui_destroy_window (GTK_WINDOW (window));
}

/* The probe can fail: in the arrangement TfStatusPage avoids, a vertical
 * box centred with valign=center as AdwStatusPage's is, GTK 4.8 asks. */
static void
test_probe_sees_centred_box (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  Probe *probe = g_object_new (PROBE_TYPE, NULL);
  GtkWidget *window;

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (probe));
  window = present_and_resize (box, GTK_WIDGET (probe));
  g_assert_cmpuint (probe->width_for_height, >, 0);
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
  window = present_and_resize (page, label);

  title_label = find_label (page, "Centred");
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
  g_assert_false (gtk_widget_get_visible (find_label (GTK_WIDGET (page), "")));

  tf_status_page_set_title (page, "Title");
  g_assert_cmpstr (tf_status_page_get_title (page), ==, "Title");
  g_assert_true (gtk_widget_get_visible (find_label (GTK_WIDGET (page), "Title")));

  /* The description is markup: the text has the entity resolved, the
   * getter gives back what was set. */
  tf_status_page_set_description (page, "Fish &amp; chips");
  g_assert_cmpstr (tf_status_page_get_description (page), ==, "Fish &amp; chips");
  description = find_label (GTK_WIDGET (page), "Fish & chips");
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
