/* fuzz-replay.c
 *
 * Runs one fuzz target over files and directories of inputs, without
 * libFuzzer: fuzz-replay-<name> tests/fuzz/corpus/<name>. A broken
 * invariant aborts, so this is how the committed corpus (seeds and the
 * reproducers of fixed bugs) stays a regression test in every build.
 */
#include "tf-fuzz.h"

#include <string.h>

static guint n_inputs;

static void
replay_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *copy = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      fprintf (stderr, "fuzz-replay: %s\n", error->message);
      exit (1);
    }

  /* An exact-size heap copy, so ASan sees a read one byte past the input. */
  copy = g_memdup2 (contents, length);
  fprintf (stderr, "fuzz-replay: %s\n", path);
  LLVMFuzzerTestOneInput (copy, length);
  n_inputs++;
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
replay_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      replay_file (path);
      return;
    }

  dir = g_dir_open (path, 0, &error);
  if (dir == NULL)
    {
      fprintf (stderr, "fuzz-replay: %s\n", error->message);
      exit (1);
    }

  /* Sorted, so two runs replay the same inputs in the same order. */
  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  for (guint i = 0; i < names->len; i++)
    replay_path (g_ptr_array_index (names, i));
}

int
main (int    argc,
      char **argv)
{
  if (argc < 2)
    {
      fprintf (stderr, "Usage: %s FILE-OR-DIRECTORY…\n", argv[0]);
      return 2;
    }

  LLVMFuzzerInitialize (&argc, &argv);
  for (int i = 1; i < argc; i++)
    replay_path (argv[i]);

  if (n_inputs == 0)
    {
      fprintf (stderr, "fuzz-replay: no inputs found\n");
      return 1;
    }

  printf ("fuzz-replay: %u inputs, no invariant broken\n", n_inputs);
  return 0;
}
