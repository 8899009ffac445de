/* bench-admin-list.c — `twofold-admin list --json` over a store of -a N
 * accounts (default 100 000, made by tf_bench_copy_filled_store), run -n
 * times (default 10): wall time from spawn to exit, min/median/max
 * (target ≤ 1 s), the CPU time (user + system) the command used — the
 * steadier figure on a shared, loaded machine — and the number of
 * accounts printed.
 *
 *   meson test -C BUILD --benchmark admin-list
 */
#include "tf-bench-util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "tf-core.h"

/* CPU time of the children waited for so far, in ms. */
static double
children_cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_CHILDREN, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  const char *build_root = g_getenv ("TF_BUILD_ROOT");
  g_autofree char *admin = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *store_path = NULL;
  g_autofree char *key_path = NULL;
  GArray *times = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *cpu = g_array_new (FALSE, FALSE, sizeof (double));
  guint runs = 10, accounts = 100000, printed = 0;

  for (int i = 1; i + 1 < argc; i += 2)
    {
      if (g_str_equal (argv[i], "-n"))
        runs = (guint) atoi (argv[i + 1]);
      else if (g_str_equal (argv[i], "-a"))
        accounts = (guint) atoi (argv[i + 1]);
    }

  tf_core_init ();
  g_assert_nonnull (build_root);
  admin = g_build_filename (build_root, "src", "admin", "twofold-admin", NULL);
  dir = tf_bench_tmpdir ();
  store_path = g_build_filename (dir, "store", "twofold.db", NULL);
  key_path = g_build_filename (dir, "master.key", NULL);

  printf ("twofold-admin list --json, %u runs after one warm-up:\n", runs);
  fflush (stdout);
  tf_bench_copy_filled_store (store_path, key_path, accounts);

  for (guint run = 0; run <= runs; run++)
    {
      const char *args[] = { admin, "--store", store_path, "--key-file", key_path,
                             "list", "--json", NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autoptr(GError) error = NULL;
      int status = 0;
      gint64 start = g_get_monotonic_time ();
      double cpu_start = children_cpu_ms ();
      double ms, cpu_ms;

      g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                    &out, &err, &status, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      cpu_ms = children_cpu_ms () - cpu_start;
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (status, NULL))
        g_error ("twofold-admin failed: %s", err);

      if (run == 0)
        {
          printed = 0;
          for (const char *p = out; (p = strstr (p, "\"username\":")) != NULL; p++)
            printed++;
          continue;
        }
      g_array_append_val (times, ms);
      g_array_append_val (cpu, cpu_ms);
    }

  printf ("  %u accounts printed (%u + 1 in the store)\n", printed, accounts);
  tf_bench_print ("list --json, spawn to exit", "ms", times);
  tf_bench_print ("… its CPU time (user + system)", "ms", cpu);
  printf ("  target: ≤ 1000 ms\n");
  tf_bench_rmtree (dir);
  return 0;
}
