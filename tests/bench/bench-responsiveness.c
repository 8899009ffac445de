/* bench-responsiveness.c — does the main loop ever stall?
 *
 * A timeout probe (every 5 ms, high priority) records the longest gap
 * between two of its runs while a real TfWindow (default Argon2id limits,
 * animations on) goes through each scenario; the frame clock's longest
 * interval between two frames is recorded as well (frames run while the
 * busy spinners turn). Target: no gap over 20 ms. Each scenario runs -n
 * times (default 5); min/median/max of the longest gap are printed, and of
 * the most CPU time the main thread spent within one gap: on a shared,
 * loaded machine a long gap is often the scheduler running something else,
 * and the CPU column tells our own work from that. The longest gap is
 * also split into the frame clock's phases (update, layout, paint, and
 * what ran outside the frame), wall clock and main-thread CPU: a phase
 * whose wall time exceeds its CPU time waited for something (the X
 * server, a lock, the disk).
 *
 * Scenarios: opening the store through a keyring that takes -d ms (default
 * 400) to answer each call (a new store, its key created in the keyring,
 * then the same store again), and right after each the window's idle
 * work once the Log In page is up (building the other pages, laying out
 * those a registration goes through); registration, once that is done
 * (typing every field a key at a time with the strength hint, then Create
 * Account → enrol page); enrolment (code → recovery codes); log-in
 * (typing, submit → Home) and a refused log-in; a password-reset request
 * with the SMTP server down (the outbox worker tries to send meanwhile;
 * the window's own worker, made from the empty mail settings, is replaced
 * by one on the bench's clock).
 *
 *   tests/tf-test-session --display -- bench-responsiveness [-n RUNS] [-d DELAY_MS]
 */
#include "tf-bench-util.h"

#include <adwaita.h>
#include <gio/gio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "../ui/tf-ui-test.h"
#include "tf-core.h"
#include "tf-outbox.h"
#include "tf-slow-keyring.h"
#include "tf-window.h"
#include "tf-window-private.h"

#define STALL_MS 20.0

typedef struct {
  gint64 last_probe;
  double max_gap;
  guint  stalls;
  gint64 last_frame;
  double max_frame;
  gint64 last_cpu;
  double max_cpu;           /* CPU time of the main thread within one gap */
  guint  cpu_stalls;        /* gaps the main thread itself was busy > 20 ms */
  /* The frame clock's phases of the last frame (end of GTK's handler of
   * each, wall clock and thread CPU), and those of the frame that ran
   * within the longest gap. */
  gint64 phase_at[5];
  gint64 phase_cpu[5];
  double gap_phase[4];      /* update, layout, paint (wall ms); outside */
  double gap_phase_cpu[4];
} Probe;

enum { PHASE_BEFORE, PHASE_UPDATE, PHASE_LAYOUT, PHASE_PAINT, PHASE_AFTER };

static Probe probe;
static gint64 now_seconds;

static gint64
bench_clock (gpointer user_data)
{
  return now_seconds;
}

/* CPU time of the calling thread, in µs: on a loaded machine a gap is
 * often time the scheduler gave to other processes, not work of ours. */
static gint64
thread_cpu_time (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Keeps what the frame that ran within this gap, if one did, was made of:
 * the wall and CPU time of its phases, and the rest of the gap. */
static void
record_longest_gap (double gap,
                    double busy)
{
  gboolean framed = probe.phase_at[PHASE_BEFORE] >= probe.last_probe &&
                    probe.phase_at[PHASE_AFTER] >= probe.phase_at[PHASE_BEFORE];
  double in_frame = 0, in_frame_cpu = 0;

  for (guint i = 0; i < 3; i++)
    {
      probe.gap_phase[i] = framed ? (probe.phase_at[i + 1] - probe.phase_at[i]) / 1000.0 : 0;
      probe.gap_phase_cpu[i] = framed ? (probe.phase_cpu[i + 1] - probe.phase_cpu[i]) / 1000.0 : 0;
      in_frame += probe.gap_phase[i];
      in_frame_cpu += probe.gap_phase_cpu[i];
    }
  probe.gap_phase[3] = gap - in_frame;
  probe.gap_phase_cpu[3] = busy - in_frame_cpu;
  probe.max_gap = gap;
}

static gboolean
probe_tick (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_time ();

  /* Both stamps are taken together: the first tick after a reset has no
   * gap to measure. */
  if (probe.last_probe != 0)
    {
      double gap = (now - probe.last_probe) / 1000.0;
      double busy = (cpu - probe.last_cpu) / 1000.0;

      probe.max_cpu = MAX (probe.max_cpu, busy);
      if (busy > STALL_MS)
        probe.cpu_stalls++;
      if (gap > probe.max_gap)
        record_longest_gap (gap, busy);
      if (gap > STALL_MS)
        probe.stalls++;
    }
  probe.last_probe = now;
  probe.last_cpu = cpu;
  return G_SOURCE_CONTINUE;
}

static void
on_frame (GdkFrameClock *clock,
          gpointer       user_data)
{
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  /* Only back-to-back frames: an idle clock is not a stall. */
  if (probe.last_frame != 0 && now - probe.last_frame < 200000)
    probe.max_frame = MAX (probe.max_frame, (now - probe.last_frame) / 1000.0);
  probe.last_frame = now;
}

static void
on_phase (GdkFrameClock *clock,
          gpointer       user_data)
{
  guint phase = GPOINTER_TO_UINT (user_data);

  probe.phase_at[phase] = g_get_monotonic_time ();
  probe.phase_cpu[phase] = thread_cpu_time ();
}

static void
probe_restart (void)
{
  memset (&probe, 0, sizeof probe);
}

static void
probe_reset (void)
{
  /* Let whatever ran before settle first. */
  tf_ui_run_for (100);
  probe_restart ();
}


typedef struct {
  const char *name;
  GArray     *gaps;
  GArray     *frames;
  GArray     *stalls;
  GArray     *cpu;
  GArray     *cpu_stalls;
  GArray     *phase[4];
  GArray     *phase_cpu[4];
} Scenario;

static const char *phase_names[4] = { "update", "layout", "paint", "outside the frame" };

static Scenario *
scenario_new (const char *name)
{
  Scenario *s = g_new0 (Scenario, 1);

  s->name = name;
  s->gaps = g_array_new (FALSE, FALSE, sizeof (double));
  s->frames = g_array_new (FALSE, FALSE, sizeof (double));
  s->stalls = g_array_new (FALSE, FALSE, sizeof (double));
  s->cpu = g_array_new (FALSE, FALSE, sizeof (double));
  s->cpu_stalls = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < 4; i++)
    {
      s->phase[i] = g_array_new (FALSE, FALSE, sizeof (double));
      s->phase_cpu[i] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  return s;
}

static void
scenario_record (Scenario *s)
{
  double stalls = probe.stalls;
  double cpu_stalls = probe.cpu_stalls;

  g_array_append_val (s->gaps, probe.max_gap);
  g_array_append_val (s->frames, probe.max_frame);
  g_array_append_val (s->stalls, stalls);
  g_array_append_val (s->cpu, probe.max_cpu);
  g_array_append_val (s->cpu_stalls, cpu_stalls);
  for (guint i = 0; i < 4; i++)
    {
      g_array_append_val (s->phase[i], probe.gap_phase[i]);
      g_array_append_val (s->phase_cpu[i], probe.gap_phase_cpu[i]);
    }
}

static void
watch_frames (TfWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  g_signal_connect (clock, "update", G_CALLBACK (on_frame), NULL);
  /* After GTK's own handlers: each stamp is the end of that phase. */
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_phase), GUINT_TO_POINTER (PHASE_BEFORE));
  g_signal_connect_after (clock, "update", G_CALLBACK (on_phase), GUINT_TO_POINTER (PHASE_UPDATE));
  g_signal_connect_after (clock, "layout", G_CALLBACK (on_phase), GUINT_TO_POINTER (PHASE_LAYOUT));
  g_signal_connect_after (clock, "paint", G_CALLBACK (on_phase), GUINT_TO_POINTER (PHASE_PAINT));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_phase), GUINT_TO_POINTER (PHASE_AFTER));
}

/* Sets @text into the labelled field one character more at a time, letting
 * the main loop run in between as a typist would (about 12 keys a second). */
static void
type_text (GtkWidget  *root,
           const char *label,
           const char *text)
{
  gsize length = strlen (text);

  for (gsize i = 1; i <= length; i++)
    {
      g_autofree char *prefix = g_strndup (text, i);

      tf_ui_set_text (root, label, prefix);
      tf_ui_run_for (80);
    }
}

static TfWindow *
new_window (GSettings *settings,
            TfAuth    *auth)
{
  TfWindow *window = tf_window_new (NULL, settings, auth);

  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  watch_frames (window);
  return window;
}

static gboolean
outbox_round_done (gpointer user_data)
{
  TfOutboxWorker *worker = user_data;

  return tf_outbox_worker_get_rounds (worker) >= GPOINTER_TO_UINT (
    g_object_get_data (G_OBJECT (worker), "bench-target"));
}

static gboolean
window_worker_started (gpointer user_data)
{
  TfWindow *window = user_data;

  return window->outbox_worker != NULL;
}

static gboolean request_done;

static void
request_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  tf_auth_request_reset_finish (TF_AUTH (source), result, &error);
  g_assert_no_error (error);
  request_done = TRUE;
}

static gboolean
is_true (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/* A port on 127.0.0.1 where nothing listens: "SMTP down". */
static guint
closed_port (void)
{
  struct sockaddr_in address = { .sin_family = AF_INET };
  socklen_t length = sizeof address;
  int fd = socket (AF_INET, SOCK_STREAM, 0);
  guint port;

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &length), ==, 0);
  port = ntohs (address.sin_port);
  close (fd);
  return port;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GPtrArray) scenarios = g_ptr_array_new ();
  g_autofree char *dir = NULL;
  guint runs = 5, delay_ms = 400;
  Scenario *open_new = scenario_new ("open a new store, slow keyring");
  Scenario *open_again = scenario_new ("open it again, slow keyring");
  Scenario *preparing = scenario_new ("Log In up: next pages made ready");
  Scenario *typing = scenario_new ("registration: typing the form");
  Scenario *registering = scenario_new ("registration: submit → enrol");
  Scenario *enrolling = scenario_new ("enrolment: code → recovery codes");
  Scenario *login_ok = scenario_new ("log-in: typing, submit → Home");
  Scenario *login_bad = scenario_new ("log-in refused");
  Scenario *reset = scenario_new ("reset request, SMTP down");

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "-n"))
        runs = (guint) atoi (argv[i + 1]);
      else if (g_str_equal (argv[i], "-d"))
        delay_ms = (guint) atoi (argv[i + 1]);
    }
  argc = 1;
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  tf_core_init ();
  settings = tf_settings_new (&error);
  g_assert_no_error (error);
  dir = tf_bench_tmpdir ();
  g_timeout_add_full (G_PRIORITY_HIGH, 5, probe_tick, NULL, NULL);

  g_ptr_array_add (scenarios, open_new);
  g_ptr_array_add (scenarios, open_again);
  g_ptr_array_add (scenarios, preparing);
  g_ptr_array_add (scenarios, typing);
  g_ptr_array_add (scenarios, registering);
  g_ptr_array_add (scenarios, enrolling);
  g_ptr_array_add (scenarios, login_ok);
  g_ptr_array_add (scenarios, login_bad);
  g_ptr_array_add (scenarios, reset);

  printf ("Main-loop stalls (5 ms probe), %u runs per scenario, keyring delay %u ms:\n",
          runs, delay_ms);
  fflush (stdout);

  /* The window opens the store itself, through the slow keyring. */
  if (delay_ms > 0)
  {
    TfSlowKeyring *keyring = tf_slow_keyring_new (delay_ms);

    for (guint run = 0; run < runs; run++)
      {
        g_autofree char *store = g_strdup_printf ("%s/keyring-%u/twofold.db", dir, run);
        TfWindow *window;

        g_settings_set_string (settings, "store-path", store);
        g_settings_set_string (settings, "key-file", "");
        for (guint again = 0; again < 2; again++)
          {
            gint64 start = g_get_monotonic_time ();

            probe_reset ();
            window = new_window (settings, NULL);
            tf_ui_wait_for_page (window, "login");
            scenario_record (again ? open_again : open_new);
            if (run == 0)
              printf ("  (%s took %.0f ms)\n", again ? open_again->name : open_new->name,
                      (g_get_monotonic_time () - start) / 1000.0);
            /* Then, without a pause, the window's idle work: building the
             * other pages and laying out those a registration goes through. */
            probe_restart ();
            start = g_get_monotonic_time ();
            tf_ui_wait_for_pages_prepared (window);
            scenario_record (preparing);
            if (run == 0)
              printf ("  (%s took %.0f ms)\n", preparing->name,
                      (g_get_monotonic_time () - start) / 1000.0);
            tf_ui_destroy_window (GTK_WINDOW (window));
          }
      }
    printf ("  (%u keyring calls forwarded)\n", tf_slow_keyring_get_forwarded (keyring));
    tf_slow_keyring_free (keyring);
  }

  /* The flows, over a store with a key file and the default limits. */
  {
    g_autofree char *store = g_build_filename (dir, "flows", "twofold.db", NULL);
    g_autofree char *key = g_build_filename (dir, "flows.key", NULL);
    g_autoptr(TfAuth) auth = NULL;
    g_autoptr(TfOutboxWorker) worker = NULL;
    g_autoptr(TfMailerConfig) config = tf_mailer_config_new ();
    TfWindow *window;
    gint64 alice;

    alice = tf_bench_fill_store (store, key, 0);
    auth = tf_auth_open (store, key, "Twofold", "bench", FALSE, 5000, NULL, &error);
    g_assert_no_error (error);
    now_seconds = g_get_real_time () / G_USEC_PER_SEC + 60;
    tf_auth_set_clock (auth, bench_clock, NULL);
    /* Reset codes go to verified addresses only. */
    g_assert_true (tf_store_set_email_verified (tf_auth_get_store (auth), alice, now_seconds,
                                                &error));

    config->host = g_strdup ("127.0.0.1");
    config->port = closed_port ();
    config->security = TF_SMTP_SECURITY_NONE;
    config->from_address = g_strdup ("twofold@example.org");
    worker = tf_outbox_worker_new (tf_auth_get_store (auth), config);
    tf_outbox_worker_set_clock (worker, (TfOutboxClockFunc) bench_clock, NULL);
    tf_auth_set_outbox_worker (auth, worker);
    tf_outbox_worker_start (worker);

    window = new_window (settings, auth);
    tf_ui_wait_for_page (window, "login");
    /* As a person takes a moment before choosing Create Account. */
    tf_ui_wait_for_pages_prepared (window);
    /* The window starts its own worker from the (empty) mail settings and
     * hands it to the service; the one pointed at the closed port, on the
     * bench's clock, has to be the one the service wakes. */
    tf_ui_wait_for (window_worker_started, window, "the window's outbox worker");
    tf_auth_set_outbox_worker (auth, worker);

    for (guint run = 0; run < runs; run++)
      {
        g_autofree char *username = g_strdup_printf ("grace%u", run);
        GtkWidget *page;
        g_autoptr(TfUser) user = NULL;
        char code[TF_OTP_CODE_SIZE];

        /* Registration. */
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-register", NULL));
        tf_ui_wait_for_page (window, "register");
        page = tf_window_get_page (window, "register");
        probe_reset ();
        type_text (page, "First name", "Grace");
        type_text (page, "Last name", "Hopper");
        type_text (page, "Username", username);
        type_text (page, "Email", "grace@example.org");
        type_text (page, "Password", "compile the nanoseconds");
        type_text (page, "Confirm password", "compile the nanoseconds");
        scenario_record (typing);

        probe_reset ();
        g_assert_true (gtk_widget_activate_action (page, "register.submit", NULL));
        tf_ui_wait_for_page (window, "enrol");
        tf_ui_run_for (300);
        scenario_record (registering);

        /* Enrolment. */
        user = tf_store_find_user (tf_auth_get_store (auth), username, &error);
        g_assert_no_error (error);
        now_seconds += 30;
        tf_bench_code (auth, user->id, now_seconds, code);
        page = tf_window_get_page (window, "enrol");
        probe_reset ();
        type_text (page, "Code", code);
        g_assert_true (gtk_widget_activate_action (page, "enrol.confirm", NULL));
        tf_ui_wait_for_page (window, "recovery");
        tf_ui_run_for (300);
        scenario_record (enrolling);
        page = tf_window_get_page (window, "recovery");
        gtk_check_button_set_active (GTK_CHECK_BUTTON (tf_ui_find (page, "I have saved these codes")),
                                     TRUE);
        g_assert_true (gtk_widget_activate_action (page, "recovery.continue", NULL));
        tf_ui_wait_for_page (window, "login");

        /* Log-in. */
        now_seconds += 30;
        tf_bench_code (auth, alice, now_seconds, code);
        page = tf_window_get_page (window, "login");
        probe_reset ();
        type_text (page, "Username", TF_BENCH_USER);
        type_text (page, "Password", TF_BENCH_PASSWORD);
        type_text (page, "Code", code);
        g_assert_true (gtk_widget_activate_action (page, "login.submit", NULL));
        tf_ui_wait_for_page (window, "home");
        tf_ui_run_for (300);
        scenario_record (login_ok);
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.log-out", NULL));
        tf_ui_wait_for_page (window, "login");

        /* A refused log-in. */
        probe_reset ();
        tf_ui_set_text (page, "Username", TF_BENCH_USER);
        tf_ui_set_text (page, "Password", "not the password at all");
        tf_ui_set_text (page, "Code", "000000");
        g_assert_true (gtk_widget_activate_action (page, "login.submit", NULL));
        tf_ui_wait_for_boolean (page, "busy", FALSE);
        tf_ui_run_for (300);
        scenario_record (login_bad);
        tf_store_clear_throttle (tf_auth_get_store (auth), "user:" TF_BENCH_USER, NULL);
        tf_store_clear_throttle (tf_auth_get_store (auth), "seat:bench", NULL);

        /* A reset request while the SMTP server is down: the request
         * queues the code, the worker fails to connect. */
        {
          guint rounds = tf_outbox_worker_get_rounds (worker);

          g_object_set_data (G_OBJECT (worker), "bench-target", GUINT_TO_POINTER (rounds + 1));
          now_seconds += 3600;  /* A fresh hourly mail allowance. */
          probe_reset ();
          request_done = FALSE;
          tf_auth_request_reset_async (auth, TF_BENCH_USER, NULL, request_cb, NULL);
          tf_ui_wait_for (is_true, &request_done, "the reset request");
          tf_ui_wait_for (outbox_round_done, worker, "the outbox worker's attempt");
          tf_ui_run_for (100);
          scenario_record (reset);
        }
      }

    tf_ui_destroy_window (GTK_WINDOW (window));
    tf_outbox_worker_stop (worker);
  }

  printf ("  longest gap between two 5 ms probes (ms), and between frames while animating:\n");
  for (guint i = 0; i < scenarios->len; i++)
    {
      Scenario *s = g_ptr_array_index (scenarios, i);
      g_autofree char *frames = g_strdup_printf ("  … frame interval");
      g_autofree char *stalls = g_strdup_printf ("  … probes late > %.0f ms", STALL_MS);

      tf_bench_print (s->name, "ms", s->gaps);
      tf_bench_print (frames, "ms", s->frames);
      tf_bench_print (stalls, "", s->stalls);
      tf_bench_print ("  … main-thread CPU in one gap", "ms", s->cpu);
      tf_bench_print ("  … gaps with > 20 ms of CPU", "", s->cpu_stalls);
      for (guint p = 0; p < 4; p++)
        {
          g_autofree char *wall = g_strdup_printf ("  … longest gap: %s", phase_names[p]);

          tf_bench_print (wall, "ms", s->phase[p]);
          tf_bench_print ("      … of it main-thread CPU", "ms", s->phase_cpu[p]);
        }
    }
  printf ("  target: no gap over %.0f ms\n", STALL_MS);

  tf_bench_rmtree (dir);
  return 0;
}
