/* test-window.c — the window as a whole: every interactive widget of every
 * page has an accessible name and text buttons have mnemonics, focus moves
 * in a sensible order, Escape goes back, the back button shows only where
 * there is a way back, the main menu, the shortcuts and About windows; the pages a log-in
 * or a registration goes to are made ready while the Log In page waits, and
 * a busy button shows its spinner only when the wait lasts. */
#include "tf-ui-test.h"

#include "tf-enrol-page.h"
#include "tf-recovery-codes-page.h"
#include "tf-store-private.h"
#include "tf-submit-button.h"
#include "tf-window-private.h"

static void
collect_unnamed (GtkWidget *widget,
                 GString   *problems)
{
  /* Only what is on show: other pages of the stack are not child-visible. */
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;

  /* Scrolled windows and list boxes pass focus on to what they hold. */
  if (gtk_widget_get_focusable (widget) &&
      !GTK_IS_SCROLLED_WINDOW (widget) && !GTK_IS_LIST_BOX (widget) &&
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      !gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                         GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    g_string_append_printf (problems, "%s (in %s) has no accessible name\n",
                            G_OBJECT_TYPE_NAME (widget),
                            G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)));

  /* GTK 4.8 reads both, one after the other: "Log In Log In". (An icon
   * button is labelled by its image, which adds nothing to the name.) */
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      tf_ui_get_labelling_label (widget) != NULL)
    g_string_append_printf (problems, "%s (in %s) has an accessible label and is labelled by "
                            "“%s”: its name is read twice\n",
                            G_OBJECT_TYPE_NAME (widget),
                            G_OBJECT_TYPE_NAME (gtk_widget_get_parent (widget)),
                            gtk_label_get_text (GTK_LABEL (tf_ui_get_labelling_label (widget))));

  /* Text buttons are pressed with Alt and their underlined letter, and are
   * named by their text without the underscore (a GtkButton's own "label"
   * with use-underline is named "_Log In Log In" by GTK 4.8). */
  if ((GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget)) && !GTK_IS_MENU_BUTTON (widget))
    {
      GtkWidget *label = tf_ui_find_type (widget, GTK_TYPE_LABEL);

      if (label != NULL && *gtk_label_get_label (GTK_LABEL (label)) != '\0' &&
          gtk_label_get_mnemonic_keyval (GTK_LABEL (label)) == GDK_KEY_VoidSymbol)
        g_string_append_printf (problems, "button “%s” has no mnemonic\n",
                                gtk_label_get_label (GTK_LABEL (label)));
      if (label != NULL && *gtk_label_get_text (GTK_LABEL (label)) != '\0' &&
          !tf_ui_is_named (widget, gtk_label_get_text (GTK_LABEL (label))))
        g_string_append_printf (problems, "button “%s” is not named “%s”\n",
                                gtk_label_get_label (GTK_LABEL (label)),
                                gtk_label_get_text (GTK_LABEL (label)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_unnamed (child, problems);
}

static void
assert_page_named (TfUiFixture *fixture,
                   const char  *name)
{
  g_autoptr(GString) problems = g_string_new (NULL);

  tf_ui_wait_for_page (fixture->window, name);
  /* The header bar too: back button and menu. */
  collect_unnamed (GTK_WIDGET (fixture->window), problems);
  if (problems->len > 0)
    g_error ("On the %s page:\n%s", name, problems->str);
}

static void
test_accessible_names_everywhere (TfUiFixture   *fixture,
                                  gconstpointer  data)
{
  gint64 id = tf_ui_make_pending_user (fixture, "ada", "Ada");
  GtkWidget *enrol = tf_window_get_page (fixture->window, "enrol");
  GtkWidget *recovery = tf_window_get_page (fixture->window, "recovery");
  g_autofree char *code = NULL;
  GtkWidget *window = GTK_WIDGET (fixture->window);

  assert_page_named (fixture, "login");
  gtk_widget_activate_action (window, "win.show-register", NULL);
  assert_page_named (fixture, "register");
  gtk_widget_activate_action (window, "win.back", NULL);

  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD, "");
  tf_ui_wait_for_boolean (enrol, "ready", TRUE);
  assert_page_named (fixture, "enrol");

  code = tf_ui_code (fixture, id, fixture->now, FALSE);
  tf_ui_set_text (enrol, "Code", code);
  gtk_widget_activate_action (enrol, "enrol.confirm", NULL);
  assert_page_named (fixture, "recovery");
  tf_recovery_codes_page_set_saved (TF_RECOVERY_CODES_PAGE (recovery), TRUE);
  gtk_widget_activate_action (recovery, "recovery.continue", NULL);
  fixture->now += 30;

  g_free (code);
  code = tf_ui_code (fixture, id, fixture->now, FALSE);
  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD, code);
  assert_page_named (fixture, "home");

  gtk_widget_activate_action (window, "win.change-password", NULL);
  assert_page_named (fixture, "change-password");
  gtk_widget_activate_action (window, "win.back", NULL);
  gtk_widget_activate_action (window, "win.regenerate-codes", NULL);
  assert_page_named (fixture, "confirm");
}

static void
test_problem_page_named (TfUiFixture   *fixture,
                         gconstpointer  data)
{
  g_autoptr(GString) problems = g_string_new (NULL);
  TfWindow *window;

  g_settings_set_string (fixture->settings, "key-file", "");
  window = tf_window_new (NULL, fixture->settings, NULL);
  tf_ui_fixture_present (fixture, window);
  tf_ui_wait_for_page (window, "problem");
  collect_unnamed (GTK_WIDGET (window), problems);
  g_assert_cmpstr (problems->str, ==, "");
}

static GPtrArray *
focus_chain (GtkWidget *window,
             guint      steps)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < steps; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (window, GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      g_ptr_array_add (names, g_strdup (focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "none"));
      for (const char *const *l = (const char *const[]) { "Username", "Password", "Code",
                                                          "Log In", "Create Account", NULL };
           *l != NULL; l++)
        {
          if (focus != NULL && tf_ui_is_named (focus, *l))
            {
              g_free (g_ptr_array_index (names, names->len - 1));
              g_ptr_array_index (names, names->len - 1) = g_strdup (*l);
            }
        }
    }

  return names;
}

static guint
position_of (GPtrArray  *names,
             const char *name)
{
  guint index;

  if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, &index))
    g_error ("%s never got the focus", name);

  return index;
}

static void
test_focus_order (TfUiFixture   *fixture,
                  gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  g_autoptr(GPtrArray) chain = NULL;

  /* The form has the focus first. */
  g_assert_true (gtk_widget_is_focus (tf_ui_find (tf_window_get_page (fixture->window, "login"),
                                                  "Username")));
  gtk_root_set_focus (GTK_ROOT (window), NULL);
  chain = focus_chain (window, 12);

  g_assert_cmpuint (position_of (chain, "Username"), <, position_of (chain, "Password"));
  g_assert_cmpuint (position_of (chain, "Password"), <, position_of (chain, "Code"));
  g_assert_cmpuint (position_of (chain, "Code"), <, position_of (chain, "Log In"));
  g_assert_cmpuint (position_of (chain, "Log In"), <, position_of (chain, "Create Account"));
}

static gboolean
activate_escape (GtkWidget *window)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (window);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Escape &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            {
              g_assert_true (GTK_IS_NAMED_ACTION (action));
              g_assert_cmpstr (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), ==,
                               "win.back");
              return gtk_shortcut_action_activate (action, GTK_SHORTCUT_ACTION_EXCLUSIVE, window,
                                                   NULL);
            }
        }
    }

  g_error ("Escape is bound to nothing");
  return FALSE;
}

static void
test_escape_goes_back (TfUiFixture   *fixture,
                       gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *header_back;

  /* Nowhere to go back to from the log-in page. */
  g_assert_null (tf_ui_lookup (window, "Back"));
  activate_escape (window);
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "login");

  gtk_widget_activate_action (window, "win.show-register", NULL);
  tf_ui_wait_for_page (fixture->window, "register");
  header_back = tf_ui_find (window, "Back");
  g_assert_true (GTK_IS_BUTTON (header_back));
  g_assert_true (activate_escape (window));
  tf_ui_wait_for_page (fixture->window, "login");
  g_assert_null (tf_ui_lookup (window, "Back"));
}

static void
test_shortcuts_window (TfUiFixture   *fixture,
                       gconstpointer  data)
{
  GtkShortcutsWindow *overlay;

  /* Built when first asked for (tf_window_show_help_overlay ()). */
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (fixture->window), "show-help-overlay"));
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fixture->window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-help-overlay",
                                             NULL));
  overlay = gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fixture->window));
  g_assert_true (GTK_IS_SHORTCUTS_WINDOW (overlay));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (overlay)) == GTK_WINDOW (fixture->window));
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);

  /* Then GtkApplicationWindow's own action shows the same window again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-help-overlay",
                                             NULL));
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (fixture->window)) ==
                 overlay);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  gtk_widget_set_visible (GTK_WIDGET (overlay), FALSE);
}

static GtkWidget *
find_type_name (GtkWidget  *widget,
                const char *type_name)
{
  if (g_strcmp0 (G_OBJECT_TYPE_NAME (widget), type_name) == 0 && gtk_widget_get_mapped (widget))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type_name (child, type_name);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
toast_shown (gpointer user_data)
{
  GtkWidget *toast = find_type_name (GTK_WIDGET (user_data), "AdwToastWidget");

  return toast != NULL && gtk_widget_get_height (toast) > 0;
}

static void
collect_buttons (GtkWidget *widget,
                 GPtrArray *buttons)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  if (GTK_IS_BUTTON (widget))
    {
      g_ptr_array_add (buttons, widget);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_buttons (child, buttons);
}

/* With a toast on show (one stays for seconds, and the log-out toast greets
 * the log-in page), every button of the page can still be scrolled clear
 * of it at the window's default size. */
static void
assert_buttons_clear_of_toast (TfUiFixture *fixture,
                               const char  *name)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *page = tf_window_get_page (fixture->window, name);
  GtkWidget *scrolled = tf_ui_find_type (page, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  graphene_rect_t toast;

  tf_ui_wait_for_page (fixture->window, name);
  tf_ui_wait_for (toast_shown, window, "the toast");
  g_assert_nonnull (scrolled);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  /* Laid out first (the page was just shown), then scrolled to its end and
   * laid out again. */
  tf_ui_run_for (300);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  tf_ui_run_for (300);

  g_assert_true (gtk_widget_compute_bounds (find_type_name (window, "AdwToastWidget"), window,
                                            &toast));
  collect_buttons (page, buttons);
  g_assert_cmpuint (buttons->len, >, 0);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (buttons, i);
      graphene_rect_t bounds;

      g_assert_true (gtk_widget_compute_bounds (button, window, &bounds));
      if (bounds.origin.y + bounds.size.height > toast.origin.y)
        g_error ("On the %s page (window %d × %d), %s “%s” ends at y = %.0f, under the "
                 "toast from y = %.0f", name, gtk_widget_get_width (window),
                 gtk_widget_get_height (window), G_OBJECT_TYPE_NAME (button),
                 gtk_widget_get_tooltip_text (button) != NULL
                 ? gtk_widget_get_tooltip_text (button)
                 : tf_ui_find_type (button, GTK_TYPE_LABEL) != NULL
                 ? gtk_label_get_text (GTK_LABEL (tf_ui_find_type (button, GTK_TYPE_LABEL))) : "",
                 bounds.origin.y + bounds.size.height, toast.origin.y);
    }
}

static void
test_toast_leaves_buttons_clear (TfUiFixture   *fixture,
                                 gconstpointer  data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);

  /* The toast and the page at rest, not sliding in. */
  g_object_set (gtk_widget_get_settings (window), "gtk-enable-animations", FALSE, NULL);
  gtk_widget_activate_action (window, "win.toast", "s", "Logged out");
  assert_buttons_clear_of_toast (fixture, "login");
  gtk_widget_activate_action (window, "win.show-register", NULL);
  assert_buttons_clear_of_toast (fixture, "register");
}

static void
test_about_window (TfUiFixture   *fixture,
                   gconstpointer  data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  AdwAboutWindow *about = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.about", NULL));
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_ABOUT_WINDOW (window))
        about = ADW_ABOUT_WINDOW (window);
    }

  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Twofold");
  /* Untranslated: no "translator-credits" shown as such (test-i18n.c has the
   * translated ones). */
  g_assert_null (adw_about_window_get_translator_credits (about));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (fixture->window));
  tf_ui_destroy_window (GTK_WINDOW (about));
}

static gboolean
menu_open (gpointer user_data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (user_data));

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
}

/* The main menu is made when first opened, and then holds what it always
 * did. */
static void
test_main_menu (TfUiFixture   *fixture,
                gconstpointer  data)
{
  GtkWidget *button = tf_ui_find_type (GTK_WIDGET (fixture->window), GTK_TYPE_MENU_BUTTON);
  GMenuModel *menu, *section;
  GtkPopover *popover;
  g_autofree char *label = NULL;
  g_autofree char *action = NULL;

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_menu_button_get_primary (GTK_MENU_BUTTON (button)));
  g_assert_null (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));

  /* As a click, Enter or Space on it opens it (F10 calls
   * gtk_menu_button_popup (), below). */
  g_assert_true (gtk_widget_activate (tf_ui_find_type (button, GTK_TYPE_TOGGLE_BUTTON)));
  tf_ui_wait_for (menu_open, button, "the main menu");
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_true (GTK_IS_POPOVER_MENU (popover));

  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_nonnull (menu);
  g_assert_cmpint (g_menu_model_get_n_items (menu), ==, 1);
  section = g_menu_model_get_item_link (menu, 0, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, 2);
  g_assert_true (g_menu_model_get_item_attribute (section, 0, G_MENU_ATTRIBUTE_LABEL, "s", &label));
  g_assert_cmpstr (label, ==, "_Keyboard Shortcuts");
  g_assert_true (g_menu_model_get_item_attribute (section, 1, G_MENU_ATTRIBUTE_ACTION, "s", &action));
  g_assert_cmpstr (action, ==, "win.about");
  g_object_unref (section);

  /* Closed and opened again: the same menu, not a second one. */
  gtk_popover_popdown (popover);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  g_assert_true (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)) == popover);
  gtk_popover_popdown (popover);
}

static void
test_toast_action (TfUiFixture   *fixture,
                   gconstpointer  data)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.toast", "s",
                                             "Secret key copied"));
  g_assert_cmpstr (tf_window_get_last_toast (fixture->window), ==, "Secret key copied");
}

/* The first widget of @type (a label with @text when not NULL) under
 * @widget, shown or not: tf_ui_find_type () only looks at what is on show. */
static GtkWidget *
find_any (GtkWidget  *widget,
          GType       type,
          const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) &&
      (text == NULL || g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), text) == 0))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_any (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_pages_prepared (TfUiFixture   *fixture,
                     gconstpointer  data)
{
  const char *pages[] = { "home", "register", "enrol", "recovery" };
  GtkWidget *login = tf_window_get_page (fixture->window, "login");
  GtkWidget *stack = gtk_widget_get_parent (login);
  GtkWidget *enrol, *code_row;

  tf_ui_make_pending_user (fixture, "ada", "Ada");
  tf_ui_wait_for_page (fixture->window, "login");
  tf_ui_wait_for_pages_prepared (fixture->window);

  /* Ready, not shown: the Log In page is still the one on screen, and
   * the others are laid out, hidden, at the size they will be shown at. */
  g_assert_cmpstr (tf_window_get_visible_page (fixture->window), ==, "login");
  g_assert_true (gtk_widget_get_mapped (login));
  g_assert_cmpint (gtk_widget_get_width (stack), >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      GtkWidget *page = tf_window_get_page (fixture->window, pages[i]);

      g_assert_true (gtk_widget_get_visible (page));
      g_assert_false (gtk_widget_get_mapped (page));
      g_assert_cmpint (gtk_widget_get_width (page), ==, gtk_widget_get_width (stack));
      g_assert_cmpint (gtk_widget_get_height (page), ==, gtk_widget_get_height (stack));
    }

  /* The Enrol page's form too, behind its spinner until an enrolment
   * comes; shown, the page keeps the stack's size. */
  enrol = tf_window_get_page (fixture->window, "enrol");
  code_row = find_any (enrol, ADW_TYPE_ENTRY_ROW, NULL);
  g_assert_false (gtk_widget_get_mapped (code_row));
  g_assert_cmpint (gtk_widget_get_width (code_row), >, 0);

  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD, "");
  tf_ui_wait_for_page (fixture->window, "enrol");
  tf_ui_wait_for_boolean (enrol, "ready", TRUE);
  g_assert_true (gtk_widget_get_mapped (code_row));
  g_assert_cmpint (gtk_widget_get_width (enrol), ==, gtk_widget_get_width (stack));
  g_assert_cmpint (gtk_widget_get_height (enrol), ==, gtk_widget_get_height (stack));
}

static void
count_frame (GdkFrameClock *clock,
             guint         *frames)
{
  (*frames)++;
}

/* No spinner turns off screen: its CSS animation would keep the window's
 * frame clock running. */
static void
assert_no_hidden_spinner (GtkWidget *widget)
{
  if (GTK_IS_SPINNER (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget)))
    g_assert_true (gtk_widget_get_mapped (widget));
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_no_hidden_spinner (child);
}

/* Paints counted over half a second, once what focus changes started has
 * faded out; no text has focus, so no cursor blinks. */
static guint
count_idle_frames (TfWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  guint frames = 0;
  gulong handler;

  gtk_root_set_focus (GTK_ROOT (window), NULL);
  tf_ui_run_for (400);
  handler = g_signal_connect (clock, "paint", G_CALLBACK (count_frame), &frames);
  tf_ui_run_for (500);
  g_signal_handler_disconnect (clock, handler);
  return frames;
}

static void
test_idle_draws_nothing (TfUiFixture   *fixture,
                         gconstpointer  data)
{
  gint64 id;
  g_autofree char *code = NULL;

  /* As users have it (tf_ui_test_init () turns animations off). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  tf_ui_wait_for_page (fixture->window, "login");
  tf_ui_wait_for_pages_prepared (fixture->window);
  assert_no_hidden_spinner (GTK_WIDGET (fixture->window));

  g_assert_cmpuint (count_idle_frames (fixture->window), ==, 0);

  /* Nor does Home, where a kiosk session waits for hours. */
  id = tf_ui_make_active_user (fixture, "ada", "Ada", NULL);
  code = tf_ui_code (fixture, id, fixture->now, FALSE);
  tf_ui_log_in (fixture, "ada", TF_UI_PASSWORD, code);
  tf_ui_wait_for_page (fixture->window, "home");
  assert_no_hidden_spinner (GTK_WIDGET (fixture->window));
  g_assert_cmpuint (count_idle_frames (fixture->window), ==, 0);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

static gboolean
spinner_shown (gpointer user_data)
{
  GtkWidget *spinner = user_data;

  return gtk_widget_get_mapped (spinner) && gtk_spinner_get_spinning (GTK_SPINNER (spinner));
}

static void
test_spinner_when_the_wait_lasts (TfUiFixture   *fixture,
                                  gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *button = g_object_new (TF_TYPE_SUBMIT_BUTTON, "text", "_Log In", NULL);
  GtkWidget *spinner = find_any (button, GTK_TYPE_SPINNER, NULL);

  gtk_window_set_child (GTK_WINDOW (window), button);
  gtk_window_present (GTK_WINDOW (window));
  tf_ui_run_for (100);

  /* Busy at once (state and accessible state), spinning once it lasts. */
  tf_submit_button_set_busy (TF_SUBMIT_BUTTON (button), TRUE);
  g_assert_true (tf_submit_button_get_busy (TF_SUBMIT_BUTTON (button)));
  gtk_test_accessible_assert_state (button, GTK_ACCESSIBLE_STATE_BUSY, TRUE);
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  tf_ui_wait_for (spinner_shown, spinner, "the spinner");

  /* Done: the label is back and the spinner stops. */
  tf_submit_button_set_busy (TF_SUBMIT_BUTTON (button), FALSE);
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
  gtk_test_accessible_assert_state (button, GTK_ACCESSIBLE_STATE_BUSY, FALSE);

  /* A wait over before the spinner was due never shows it. */
  tf_submit_button_set_busy (TF_SUBMIT_BUTTON (button), TRUE);
  tf_submit_button_set_busy (TF_SUBMIT_BUTTON (button), FALSE);
  tf_ui_run_for (700);
  g_assert_false (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));

  tf_ui_destroy_window (GTK_WINDOW (window));
}

/* The outbox worker reads the store from its first round, so it starts
 * once the store's deferred check has passed: started before, it ran the
 * check itself, at its own priority instead of the check thread's, while
 * the window drew its first frame. The test holds the store's lock, so
 * the check cannot run until it lets go. */
static gboolean
verdict_asked (gpointer user_data)
{
  TfStore *store = user_data;
  gboolean held;

  g_mutex_lock (&store->hold_lock);
  held = store->check_held;
  g_mutex_unlock (&store->hold_lock);
  return !held;
}

static gboolean
window_has_worker (gpointer user_data)
{
  return TF_WINDOW (user_data)->outbox_worker != NULL;
}

static void
test_outbox_after_check (TfUiFixture   *fixture,
                         gconstpointer  data)
{
  TfWindow *window;
  TfStore *store;
  TfStoreCheckState state;

  /* An existing store, opened by the window: its check is deferred. */
  tf_ui_make_active_user (fixture, "ada", "Ada", NULL);
  g_clear_object (&fixture->auth);
  window = tf_window_new (NULL, fixture->settings, NULL);
  tf_ui_fixture_present (fixture, window);
  tf_ui_wait_for_page (window, "login");
  g_assert_nonnull (tf_window_get_auth (window));
  store = g_object_ref (tf_auth_get_store (tf_window_get_auth (window)));

  g_rec_mutex_lock (&store->lock);
  g_assert_cmpint (store->check_state, ==, TF_STORE_CHECK_RUNNING);
  tf_ui_wait_for (verdict_asked, store, "the window to ask for the verdict");
  /* The mail settings (empty) load in a moment; no worker meanwhile. */
  tf_ui_run_for (200);
  g_assert_null (window->outbox_worker);
  g_rec_mutex_unlock (&store->lock);

  tf_ui_wait_for (window_has_worker, window, "the outbox worker");
  g_rec_mutex_lock (&store->lock);
  state = store->check_state;
  g_rec_mutex_unlock (&store->lock);
  g_assert_cmpint (state, ==, TF_STORE_CHECK_PASSED);
  g_object_unref (store);
}

int
main (int   argc,
      char *argv[])
{
  tf_ui_test_init (&argc, &argv);

#define ADD(path, func, setup) \
  g_test_add ("/twofold/ui/window/" path, TfUiFixture, NULL, setup, func, tf_ui_fixture_teardown)

  ADD ("accessible-names", test_accessible_names_everywhere, tf_ui_fixture_setup);
  ADD ("problem-page-named", test_problem_page_named, tf_ui_fixture_setup_auth);
  ADD ("focus-order", test_focus_order, tf_ui_fixture_setup);
  ADD ("escape-goes-back", test_escape_goes_back, tf_ui_fixture_setup);
  ADD ("shortcuts-window", test_shortcuts_window, tf_ui_fixture_setup);
  ADD ("about-window", test_about_window, tf_ui_fixture_setup);
  ADD ("main-menu", test_main_menu, tf_ui_fixture_setup);
  ADD ("toast-leaves-buttons-clear", test_toast_leaves_buttons_clear, tf_ui_fixture_setup);
  ADD ("toast-action", test_toast_action, tf_ui_fixture_setup);
  ADD ("pages-prepared", test_pages_prepared, tf_ui_fixture_setup);
  ADD ("idle-draws-nothing", test_idle_draws_nothing, tf_ui_fixture_setup);
  ADD ("spinner-when-the-wait-lasts", test_spinner_when_the_wait_lasts, tf_ui_fixture_setup);
  ADD ("outbox-after-check", test_outbox_after_check, tf_ui_fixture_setup_auth);

  return g_test_run ();
}
