/* tf-window-pages.c — the window's pages beyond Log In, built when first
 * needed or one per idle moment after the Log In page is up.
 *
 * The window's template holds only what the first frame shows (the Log
 * In page; the loading page is built when the store is still opening as
 * the window is made): building the other eleven pages took
 * ~30 ms of the main thread before the first frame, and styling and
 * measuring a page when it is first shown takes 20–45 ms more
 * (BENCHMARKS.md). So the Log In page, once it waits for typing, asks for
 * them (win.prepare-pages), and they are built one per idle moment; the
 * ones a log-in or a registration goes through are made visible (styled)
 * and laid out, hidden, at the stack's size, each in an idle moment of
 * its own, so that the frame that shows them has nothing to style or
 * measure. A flow that needs a page before then builds it on the spot. */
#define G_LOG_DOMAIN "tf-window"

#include "config.h"

#include "tf-window-private.h"

#include "tf-ui-util.h"

typedef struct
{
  const char *name;
  GType     (*get_type) (void);
  gsize       field;     /* offset of its pointer in TfWindow */
  const char *signal;    /* what it reports to the window, or NULL */
  GCallback   handler;
  gboolean    prepare;   /* made visible and laid out ahead of time (see above) */
} LazyPage;

/* In the order they are built at idle: the pages a log-in or a
 * registration goes through first. */
static const LazyPage lazy_pages[] = {
  { "home", tf_home_page_get_type, G_STRUCT_OFFSET (TfWindow, home_page),
    NULL, NULL, TRUE },
  { "register", tf_register_page_get_type, G_STRUCT_OFFSET (TfWindow, register_page),
    "registered", G_CALLBACK (tf_window_on_registered), TRUE },
  { "enrol", tf_enrol_page_get_type, G_STRUCT_OFFSET (TfWindow, enrol_page),
    "confirmed", G_CALLBACK (tf_window_on_enrol_confirmed), TRUE },
  { "recovery", tf_recovery_codes_page_get_type, G_STRUCT_OFFSET (TfWindow, recovery_page),
    "done", G_CALLBACK (tf_window_on_recovery_done), TRUE },
  { "forgot", tf_forgot_page_get_type, G_STRUCT_OFFSET (TfWindow, forgot_page),
    "continue", G_CALLBACK (tf_window_on_forgot_continue), FALSE },
  { "reset", tf_reset_page_get_type, G_STRUCT_OFFSET (TfWindow, reset_page),
    "password-reset", G_CALLBACK (tf_window_on_password_reset), FALSE },
  { "change-password", tf_change_password_page_get_type,
    G_STRUCT_OFFSET (TfWindow, change_password_page),
    "done", G_CALLBACK (tf_window_on_password_changed), FALSE },
  { "change-email", tf_change_email_page_get_type, G_STRUCT_OFFSET (TfWindow, change_email_page),
    "done", G_CALLBACK (tf_window_on_email_changed), FALSE },
  { "confirm", tf_confirm_page_get_type, G_STRUCT_OFFSET (TfWindow, confirm_page),
    "confirmed", G_CALLBACK (tf_window_on_confirmed), FALSE },
  { "in-use", tf_in_use_page_get_type, G_STRUCT_OFFSET (TfWindow, in_use_page),
    NULL, NULL, FALSE },
  { "problem", tf_problem_page_get_type, G_STRUCT_OFFSET (TfWindow, problem_page),
    NULL, NULL, FALSE },
  { "loading", tf_loading_page_get_type, G_STRUCT_OFFSET (TfWindow, loading_page),
    NULL, NULL, FALSE },
};

static GtkWidget **
page_slot (TfWindow       *self,
           const LazyPage *lazy)
{
  return G_STRUCT_MEMBER_P (self, lazy->field);
}

/* The service, for the pages that call it. */
static void
page_set_auth (GtkWidget *page,
               TfAuth    *auth)
{
  if (TF_IS_HOME_PAGE (page))
    tf_home_page_set_auth (TF_HOME_PAGE (page), auth);
  else if (TF_IS_REGISTER_PAGE (page))
    tf_register_page_set_auth (TF_REGISTER_PAGE (page), auth);
  else if (TF_IS_ENROL_PAGE (page))
    tf_enrol_page_set_auth (TF_ENROL_PAGE (page), auth);
  else if (TF_IS_FORGOT_PAGE (page))
    tf_forgot_page_set_auth (TF_FORGOT_PAGE (page), auth);
  else if (TF_IS_RESET_PAGE (page))
    tf_reset_page_set_auth (TF_RESET_PAGE (page), auth);
  else if (TF_IS_CHANGE_PASSWORD_PAGE (page))
    tf_change_password_page_set_auth (TF_CHANGE_PASSWORD_PAGE (page), auth);
  else if (TF_IS_CHANGE_EMAIL_PAGE (page))
    tf_change_email_page_set_auth (TF_CHANGE_EMAIL_PAGE (page), auth);
  else if (TF_IS_CONFIRM_PAGE (page))
    tf_confirm_page_set_auth (TF_CONFIRM_PAGE (page), auth);
}

void
tf_window_pages_set_auth (TfWindow *self,
                          TfAuth   *auth)
{
  for (guint i = 0; i < G_N_ELEMENTS (lazy_pages); i++)
    {
      GtkWidget *page = *page_slot (self, &lazy_pages[i]);

      if (page != NULL)
        page_set_auth (page, auth);
    }
}

static GtkWidget *
build_page (TfWindow       *self,
            const LazyPage *lazy)
{
  GtkWidget *page = g_object_new (lazy->get_type (), NULL);

  if (lazy->signal != NULL)
    g_signal_connect_object (page, lazy->signal, lazy->handler, self, G_CONNECT_SWAPPED);
  if (g_signal_lookup ("problem", G_OBJECT_TYPE (page)) != 0)
    g_signal_connect_object (page, "problem", G_CALLBACK (tf_window_on_problem), self,
                             G_CONNECT_SWAPPED);

  /* Hidden until shown, as the template's pages are (tf_window_init ()). */
  gtk_widget_set_visible (page, FALSE);
  gtk_stack_add_named (self->stack, page, lazy->name);
  *page_slot (self, lazy) = page;
  page_set_auth (page, self->auth);

  return page;
}

GtkWidget *
tf_window_ensure_page (TfWindow   *self,
                       const char *name)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->stack, name);

  if (page != NULL)
    return page;

  for (guint i = 0; i < G_N_ELEMENTS (lazy_pages); i++)
    if (g_str_equal (lazy_pages[i].name, name))
      return build_page (self, &lazy_pages[i]);

  return NULL;
}

/* At the size the stack gives its pages; FALSE when there is nothing to
 * do (the stack not laid out yet, the page on show). */
static gboolean
lay_out_page (TfWindow  *self,
              GtkWidget *page)
{
  GtkWidget *stack = GTK_WIDGET (self->stack);

  return tf_ui_lay_out_hidden (page, gtk_widget_get_width (stack), gtk_widget_get_height (stack));
}

/* What a page keeps hidden inside itself until it has something to show,
 * laid out in an idle moment of its own after the page. */
static gboolean
lay_out_inside (GtkWidget *page)
{
  if (TF_IS_ENROL_PAGE (page))
    return tf_enrol_page_lay_out_ahead (TF_ENROL_PAGE (page));
  return FALSE;
}

typedef enum {
  STEP_DONE,
  STEP_NEXT,          /* in the next idle moment */
  STEP_AFTER_FRAME,   /* once a frame has styled the page made visible */
} Step;

/* A page, or what it keeps behind a spinner, that has a width was laid
 * out already: ahead, or by the stack when it was shown. */
static Step
prepare_step (TfWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (lazy_pages); i++)
    {
      const LazyPage *lazy = &lazy_pages[i];
      GtkWidget *page = *page_slot (self, lazy);

      if (page == NULL)
        {
          build_page (self, lazy);
          return STEP_NEXT;
        }
      if (!lazy->prepare)
        continue;
      /* GTK styles a visible page in the next frame, hidden or not. Laid
       * out before that frame (its styles worked out on the spot), the
       * page had all its labels measured anew when it was shown. */
      if (!gtk_widget_get_visible (page))
        {
          gtk_widget_set_visible (page, TRUE);
          return STEP_AFTER_FRAME;
        }
      if (gtk_widget_get_width (page) == 0 && lay_out_page (self, page))
        return STEP_NEXT;
      if (lay_out_inside (page))
        return STEP_NEXT;
    }

  return STEP_DONE;
}

static gboolean
after_frame (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  TfWindow *self = TF_WINDOW (widget);

  /* Called as the frame begins, before its styling and layout: the idle
   * runs after them. */
  self->prepare_tick_id = 0;
  tf_window_prepare_pages (self);
  return G_SOURCE_REMOVE;
}

static gboolean
prepare_next (gpointer user_data)
{
  TfWindow *self = user_data;

  switch (prepare_step (self))
    {
    case STEP_NEXT:
      return G_SOURCE_CONTINUE;
    case STEP_AFTER_FRAME:
      self->prepare_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), after_frame,
                                                            NULL, NULL);
      break;
    case STEP_DONE:
    default:
      self->pages_prepared = TRUE;
      break;
    }

  self->prepare_id = 0;
  return G_SOURCE_REMOVE;
}

void
tf_window_prepare_pages (TfWindow *self)
{
  /* Low priority: after the frames (GDK_PRIORITY_REDRAW), so each step
   * gets a frame of its own. */
  if (self->prepare_id == 0 && self->prepare_tick_id == 0 && !self->pages_prepared)
    self->prepare_id = g_idle_add_full (G_PRIORITY_LOW, prepare_next, self, NULL);
}

void
tf_window_pages_stop (TfWindow *self)
{
  g_clear_handle_id (&self->prepare_id, g_source_remove);
  if (self->prepare_tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->prepare_tick_id);
  self->prepare_tick_id = 0;
}

void
tf_window_pages_dispose (TfWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (lazy_pages); i++)
    *page_slot (self, &lazy_pages[i]) = NULL;
}
