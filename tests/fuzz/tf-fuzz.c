/* tf-fuzz.c */
#include "tf-fuzz.h"

#include "tf-core.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A g_return_if_fail () hit by some input is a contract violation too:
   * make criticals and warnings abort, whatever G_DEBUG says.
   */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  tf_core_init ();

  return 0;
}
