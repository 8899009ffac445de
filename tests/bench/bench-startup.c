/* bench-startup.c — start-up time and memory of `twofold` against the floor
 * (tests/bench/floor-window.c, a minimal libadwaita window) under Xvfb, the
 * same renderer (GSK_RENDERER=cairo) for all.
 *
 * For each run the program is forked and exec'd with TWOFOLD_BENCH_FD=3 on
 * a pipe; it writes a CLOCK_MONOTONIC timestamp when the watched page (the
 * Log In page for twofold, the status page for the floor) is mapped and its
 * first frame painted (src/app/tf-bench-hook.c). The figure is that time
 * minus the time just before fork (ms). The resident size (VmRSS) is read
 * from /proc at that moment. The time of the X MapNotify of the program's
 * top-level window is recorded too (same clock), which is how programs
 * without the hook are timed (gnome-calculator, when installed).
 *
 * Programs run round-robin (floor, twofold over an empty store, twofold over
 * a store of N accounts, twofold's first start, gnome-calculator), after two
 * warm-up rounds. In those, each program stays open a second after its first
 * frame, as a start that is used does, so what one start leaves for the next
 * (twofold's record of the fonts it drew, src/ui/tf-font-warmup.h) is
 * there. "First start" runs with a cache directory emptied before each run:
 * twofold as it starts the first time after installation.
 *
 * 101 rounds by default: the host's noise moves single starts by tens of
 * percent, and the 100 000 / empty target is 5 %. Each ratio is printed
 * with the 95 % interval of its median, so a run says how far it can be
 * trusted.
 *
 *   tests/tf-test-session --display -- bench-startup [-n RUNS] [-a ACCOUNTS]
 *   meson test -C BUILD --benchmark startup
 */
#include "tf-bench-util.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#ifdef HAVE_X11
#include <X11/Xlib.h>
#endif

#include "tf-core.h"

typedef struct {
  const char *name;
  char       *argv0;
  char       *config_home;   /* XDG_CONFIG_HOME with the keyfile settings, or NULL */
  char       *cache_home;    /* XDG_CACHE_HOME, emptied before each run, or NULL */
  gboolean    hooked;
  GArray     *paint_ms;
  GArray     *map_ms;
  GArray     *rss_mib;
  GArray     *cpu_ms;
} Program;

#ifdef HAVE_X11
static Display *display;
#endif

static void
write_settings (const char *config_home,
                const char *store_path,
                const char *key_path)
{
  g_autofree char *dir = g_build_filename (config_home, "glib-2.0", "settings", NULL);
  g_autofree char *file = g_build_filename (dir, "keyfile", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  contents = g_strdup_printf ("[org/twofold/Twofold]\nstore-path='%s'\nkey-file='%s'\n",
                              store_path, key_path);
  g_file_set_contents (file, contents, -1, &error);
  g_assert_no_error (error);
}

static double
read_rss_mib (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", pid);
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents (path, &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  if (line == NULL)
    return -1;
  return g_ascii_strtod (line + strlen ("VmRSS:"), NULL) / 1024.0;
}

/* CPU time used so far by all threads of @pid, from schedstat (ns). */
static double
read_cpu_ms (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/task", pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *task;
  double total = 0;

  if (dir == NULL)
    return -1;
  while ((task = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *file = g_strdup_printf ("%s/%s/schedstat", path, task);
      g_autofree char *contents = NULL;

      if (g_file_get_contents (file, &contents, NULL, NULL))
        total += g_ascii_strtod (contents, NULL) / 1e6;
    }
  return total;
}

static void
drain_x_events (void)
{
#ifdef HAVE_X11
  if (display == NULL)
    return;
  XSync (display, False);
  while (XPending (display) > 0)
    {
      XEvent event;

      XNextEvent (display, &event);
    }
#endif
}

/* One run: TRUE when it produced figures. */
static gboolean
run_once (Program  *program,
          gboolean  record)
{
  int fds[2];
  gint64 start, painted = 0, mapped = 0, deadline;
  double rss = -1, cpu = -1;
  GPid pid;
  char buffer[64];
  gsize filled = 0;
  int status;

  drain_x_events ();
  if (program->cache_home != NULL)
    tf_bench_rmtree (program->cache_home);
  g_assert_cmpint (pipe2 (fds, O_CLOEXEC), ==, 0);

  start = g_get_monotonic_time ();
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      char *argv[] = { program->argv0, NULL };

      /* dup2 clears close-on-exec on the copy. */
      if (dup2 (fds[1], 3) < 0)
        _exit (127);
      if (program->config_home != NULL)
        g_setenv ("XDG_CONFIG_HOME", program->config_home, TRUE);
      if (program->cache_home != NULL)
        g_setenv ("XDG_CACHE_HOME", program->cache_home, TRUE);
      g_setenv ("TWOFOLD_BENCH_FD", "3", TRUE);
      execv (argv[0], argv);
      _exit (127);
    }
  close (fds[1]);

  deadline = start + 30 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      struct pollfd polls[2] = { { fds[0], POLLIN, 0 }, { -1, POLLIN, 0 } };
      gboolean done = (painted > 0 || !program->hooked) && mapped > 0;

#ifdef HAVE_X11
      if (display != NULL)
        polls[1].fd = ConnectionNumber (display);
#endif
      if (done || (painted > 0 && polls[1].fd < 0))
        break;
      if (poll (polls, 2, 100) < 0 && errno != EINTR)
        break;

      if (polls[0].revents & (POLLIN | POLLHUP))
        {
          gssize n = read (fds[0], buffer + filled, sizeof buffer - 1 - filled);

          if (n > 0)
            {
              filled += n;
              buffer[filled] = '\0';
              if (strchr (buffer, '\n') != NULL && painted == 0)
                {
                  painted = g_ascii_strtoll (buffer, NULL, 10);
                  rss = read_rss_mib (pid);
                  cpu = read_cpu_ms (pid);
                }
            }
          else if (n == 0 && painted == 0 && program->hooked)
            break;  /* The program ended, or closed the pipe without a word. */
        }
#ifdef HAVE_X11
      while (display != NULL && XPending (display) > 0)
        {
          XEvent event;

          XNextEvent (display, &event);
          if (event.type == MapNotify && !event.xmap.override_redirect && mapped == 0)
            {
              mapped = g_get_monotonic_time ();
              if (!program->hooked)
                {
                  rss = read_rss_mib (pid);
                  cpu = read_cpu_ms (pid);
                }
            }
        }
#endif
    }
  close (fds[0]);

  /* A warm-up start is left open a moment, as a start that is used is. */
  if (!record)
    g_usleep (G_USEC_PER_SEC);
  kill (pid, SIGTERM);
  waitpid (pid, &status, 0);

  if ((program->hooked && painted == 0) || (!program->hooked && mapped == 0))
    {
      g_printerr ("%s: no figure from this run (status %d)\n", program->name, status);
      return FALSE;
    }

  if (record)
    {
      double paint_ms = (painted - start) / 1000.0;
      double map_ms = (mapped - start) / 1000.0;

      if (program->hooked)
        g_array_append_val (program->paint_ms, paint_ms);
      if (mapped > 0)
        g_array_append_val (program->map_ms, map_ms);
      if (rss > 0)
        g_array_append_val (program->rss_mib, rss);
      if (cpu > 0)
        g_array_append_val (program->cpu_ms, cpu);
    }
  return TRUE;
}

static Program *
program_new (const char *name,
             const char *argv0,
             const char *config_home,
             gboolean    hooked)
{
  Program *program = g_new0 (Program, 1);

  program->name = name;
  program->argv0 = g_strdup (argv0);
  program->config_home = g_strdup (config_home);
  program->hooked = hooked;
  program->paint_ms = g_array_new (FALSE, FALSE, sizeof (double));
  program->map_ms = g_array_new (FALSE, FALSE, sizeof (double));
  program->rss_mib = g_array_new (FALSE, FALSE, sizeof (double));
  program->cpu_ms = g_array_new (FALSE, FALSE, sizeof (double));
  return program;
}

/* The per-round ratios a[i] / b[i] (same round, adjacent runs). */
static TfBenchStats
ratio_stats (GArray *a,
             GArray *b)
{
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < MIN (a->len, b->len); i++)
    {
      double r = g_array_index (a, double, i) / g_array_index (b, double, i);

      g_array_append_val (ratios, r);
    }
  return tf_bench_stats (ratios);
}

/* "median of per-round ratios M (95 % interval L–H)" */
static void
print_ratio (GArray *a,
             GArray *b)
{
  TfBenchStats s = ratio_stats (a, b);

  printf ("median of per-round ratios %.3f (95 %% interval %.3f–%.3f)",
          s.median, s.median_low, s.median_high);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) programs = g_ptr_array_new ();
  g_autofree char *dir = NULL;
  g_autofree char *empty_store = NULL;
  g_autofree char *empty_key = NULL;
  g_autofree char *big_store = NULL;
  g_autofree char *big_key = NULL;
  g_autofree char *empty_config = NULL;
  g_autofree char *big_config = NULL;
  g_autofree char *calculator = NULL;
  const char *build_root = g_getenv ("TF_BUILD_ROOT");
  g_autofree char *twofold = NULL;
  g_autofree char *floor_path = NULL;
  guint runs = 101;
  guint accounts = 100000;
  Program *floor_program, *empty_program, *big_program = NULL, *first_program, *calculator_program = NULL;

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "-n"))
        runs = (guint) atoi (argv[i + 1]);
      else if (g_str_equal (argv[i], "-a"))
        accounts = (guint) atoi (argv[i + 1]);
    }

  tf_core_init ();
  g_assert_nonnull (build_root);
  twofold = g_build_filename (build_root, "src", "app", "twofold", NULL);
  floor_path = g_build_filename (build_root, "tests", "bench", "floor-window", NULL);

  /* What the children get: the production defaults, not the tests' checks. */
  g_unsetenv ("G_DEBUG");
  g_unsetenv ("MALLOC_CHECK_");
  g_setenv ("GSETTINGS_BACKEND", "keyfile", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);

  dir = tf_bench_tmpdir ();
  empty_store = g_build_filename (dir, "empty", "twofold.db", NULL);
  empty_key = g_build_filename (dir, "empty.key", NULL);
  big_store = g_build_filename (dir, "big", "twofold.db", NULL);
  big_key = g_build_filename (dir, "big.key", NULL);
  empty_config = g_build_filename (dir, "config-empty", NULL);
  big_config = g_build_filename (dir, "config-big", NULL);

  /* The empty store exists already, as it does on every start but the first. */
  g_object_unref (tf_auth_open (empty_store, empty_key, NULL, NULL, TRUE, 5000, NULL, &error));
  g_assert_no_error (error);
  write_settings (empty_config, empty_store, empty_key);

  printf ("Start-up, %u runs each after 2 warm-up rounds (GSK_RENDERER=cairo, Xvfb):\n", runs);
  fflush (stdout);

  floor_program = program_new ("floor (libadwaita window)", floor_path, NULL, TRUE);
  g_ptr_array_add (programs, floor_program);
  empty_program = program_new ("twofold, empty store", twofold, empty_config, TRUE);
  g_ptr_array_add (programs, empty_program);
  if (accounts > 0)
    {
      tf_bench_copy_filled_store (big_store, big_key, accounts);
      write_settings (big_config, big_store, big_key);
      big_program = program_new ("twofold, N-account store", twofold, big_config, TRUE);
      g_ptr_array_add (programs, big_program);
    }
  first_program = program_new ("twofold, first start", twofold, empty_config, TRUE);
  first_program->cache_home = g_build_filename (dir, "cache-first-start", NULL);
  g_ptr_array_add (programs, first_program);

#ifdef HAVE_X11
  display = XOpenDisplay (NULL);
  if (display != NULL)
    {
      XSelectInput (display, DefaultRootWindow (display), SubstructureNotifyMask);
      XSync (display, False);
    }
  calculator = g_find_program_in_path ("gnome-calculator");
  if (calculator != NULL && display != NULL)
    {
      calculator_program = program_new ("gnome-calculator (X map only)", calculator, NULL, FALSE);
      g_ptr_array_add (programs, calculator_program);
    }
#endif

  for (guint round = 0; round < runs + 2; round++)
    for (guint k = 0; k < programs->len; k++)
      {
        /* Rotate who goes first, so no program always follows the same one. */
        Program *program = g_ptr_array_index (programs, (k + round) % programs->len);

        run_once (program, round >= 2);
      }

  printf ("\n  first frame with the page on screen, from fork (ms):\n");
  for (guint k = 0; k < programs->len; k++)
    {
      Program *program = g_ptr_array_index (programs, k);

      if (program->hooked)
        tf_bench_print (program->name, "ms", program->paint_ms);
    }
  printf ("  top-level window mapped (X MapNotify), from fork (ms):\n");
  for (guint k = 0; k < programs->len; k++)
    {
      Program *program = g_ptr_array_index (programs, k);

      if (program->map_ms->len > 0)
        tf_bench_print (program->name, "ms", program->map_ms);
    }
  printf ("  CPU time used by then, all threads (ms):\n");
  for (guint k = 0; k < programs->len; k++)
    {
      Program *program = g_ptr_array_index (programs, k);

      tf_bench_print (program->name, "ms", program->cpu_ms);
    }
  printf ("  resident size at that moment (MiB):\n");
  for (guint k = 0; k < programs->len; k++)
    {
      Program *program = g_ptr_array_index (programs, k);

      tf_bench_print (program->name, "MiB", program->rss_mib);
    }

  /* Ratios: per-round first, then the ratio of the medians (sorted copies). */
  {
    double rss_floor, rss_empty;

    printf ("\n  twofold / floor, first frame: ");
    print_ratio (empty_program->paint_ms, floor_program->paint_ms);
    printf (", ratio of medians %.3f (target ≤ 1.15)\n",
            tf_bench_stats (empty_program->paint_ms).median /
            tf_bench_stats (floor_program->paint_ms).median);
    if (big_program != NULL)
      {
        printf ("  twofold %u accounts / empty store: ", accounts);
        print_ratio (big_program->paint_ms, empty_program->paint_ms);
        printf (", ratio of medians %.3f (target ≤ 1.05)\n",
                tf_bench_stats (big_program->paint_ms).median /
                tf_bench_stats (empty_program->paint_ms).median);
      }
    printf ("  twofold's first start (nothing recorded) / floor: median of per-round ratios %.3f, "
            "ratio of medians %.3f\n",
            ratio_stats (first_program->paint_ms, floor_program->paint_ms).median,
            tf_bench_stats (first_program->paint_ms).median /
            tf_bench_stats (floor_program->paint_ms).median);
    printf ("  twofold, fonts recorded / first start: median of per-round ratios %.3f\n",
            ratio_stats (empty_program->paint_ms, first_program->paint_ms).median);
    if (calculator_program != NULL && calculator_program->map_ms->len > 0)
      printf ("  gnome-calculator / floor, X map: median of per-round ratios %.3f, "
              "ratio of medians %.3f\n",
              ratio_stats (calculator_program->map_ms, floor_program->map_ms).median,
              tf_bench_stats (calculator_program->map_ms).median /
              tf_bench_stats (floor_program->map_ms).median);
    else
      printf ("  gnome-calculator: not installed, not measured\n");
    rss_floor = tf_bench_stats (floor_program->rss_mib).median;
    rss_empty = tf_bench_stats (empty_program->rss_mib).median;
    printf ("  resident size, twofold − floor: %+.1f MiB (target ≤ +15 MiB)\n",
            rss_empty - rss_floor);
    printf ("  CPU time, twofold / floor: median of per-round ratios %.3f\n",
            ratio_stats (empty_program->cpu_ms, floor_program->cpu_ms).median);
  }

  tf_bench_rmtree (dir);
  return 0;
}
