/* tf-fuzz.h
 *
 * What every fuzz target shares. Each tests/fuzz/fuzz-<name>.c defines
 * LLVMFuzzerTestOneInput () for one entry point of the core and checks the
 * entry point's contract on every input; a broken invariant aborts, which
 * libFuzzer reports as a crash and saves as a reproducer. tf-fuzz.c holds
 * LLVMFuzzerInitialize (); fuzz-replay.c is a main () that feeds files to a
 * target without libFuzzer, so the seed corpus also runs as an ordinary test
 * in every build (gcc, sanitizers, valgrind).
 */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

G_BEGIN_DECLS

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* Not g_assert (): that one can be compiled out, and these are the test. */
#define tf_fuzz_check(cond) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        fprintf (stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
        abort (); \
      } \
  } G_STMT_END

G_END_DECLS
