/* test-throttle.c — the policy alone; test-auth.c checks it through the store. */
#include "tf-core.h"
#include "tf-throttle.h"

static void
test_delays (void)
{
  for (guint f = 0; f <= 5; f++)
    g_assert_cmpint (tf_throttle_delay_for (f), ==, 0);
  g_assert_cmpint (tf_throttle_delay_for (6), ==, 30);
  g_assert_cmpint (tf_throttle_delay_for (7), ==, 60);
  g_assert_cmpint (tf_throttle_delay_for (8), ==, 120);
  g_assert_cmpint (tf_throttle_delay_for (9), ==, 240);
  g_assert_cmpint (tf_throttle_delay_for (10), ==, 480);
  g_assert_cmpint (tf_throttle_delay_for (11), ==, 900);
  g_assert_cmpint (tf_throttle_delay_for (12), ==, 900);
  g_assert_cmpint (tf_throttle_delay_for (G_MAXUINT), ==, 900);
}

static void
test_schedule (void)
{
  TfThrottleState state = { 0 };
  gint64 now = 1700000000;

  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpint (tf_throttle_blocked_until (&state, now), ==, 0);
      tf_throttle_count_attempt (&state, now);
      tf_throttle_record_failure (&state, now);
    }
  /* Five free failures; the sixth starts the wait. */
  g_assert_cmpint (tf_throttle_blocked_until (&state, now), ==, 0);
  tf_throttle_record_failure (&state, now);
  g_assert_cmpint (tf_throttle_blocked_until (&state, now), ==, now + 30);
  g_assert_cmpint (tf_throttle_blocked_until (&state, now + 29), ==, now + 30);
  g_assert_cmpint (tf_throttle_blocked_until (&state, now + 30), ==, 0);

  tf_throttle_record_failure (&state, now + 30);
  g_assert_cmpint (tf_throttle_blocked_until (&state, now + 30), ==, now + 90);
}

static void
test_clock_set_back (void)
{
  TfThrottleState state = { 0 };
  gint64 now = 1700000000;

  for (guint i = 0; i < 6; i++)
    tf_throttle_record_failure (&state, now);
  g_assert_cmpint (tf_throttle_blocked_until (&state, now), ==, now + 30);
  /* Setting the clock back an hour makes the wait longer, never shorter. */
  g_assert_cmpint (tf_throttle_blocked_until (&state, now - 3600), ==, now + 30);
  /* A failure recorded with a clock set back does not pull the wait earlier. */
  tf_throttle_record_failure (&state, now - 3600);
  g_assert_cmpint (state.next_allowed_at, >=, now + 30);
}

static void
test_hourly_window (void)
{
  TfThrottleState state = { 0 };
  gint64 start = 1700000000;

  for (guint i = 0; i < TF_THROTTLE_WINDOW_ATTEMPTS; i++)
    {
      g_assert_cmpint (tf_throttle_blocked_until (&state, start + i), ==, 0);
      tf_throttle_count_attempt (&state, start + i);
    }
  g_assert_cmpint (tf_throttle_blocked_until (&state, start + 100), ==, start + 3600);
  g_assert_cmpint (tf_throttle_blocked_until (&state, start + 3599), ==, start + 3600);
  /* A clock set back keeps the full window. */
  g_assert_cmpint (tf_throttle_blocked_until (&state, start - 500), >=, start + 3600);
  g_assert_cmpint (tf_throttle_blocked_until (&state, start + 3600), ==, 0);
  tf_throttle_count_attempt (&state, start + 3600);
  g_assert_cmpuint (state.window_attempts, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  tf_core_init ();

  g_test_add_func ("/twofold/throttle/delays", test_delays);
  g_test_add_func ("/twofold/throttle/schedule", test_schedule);
  g_test_add_func ("/twofold/throttle/clock-set-back", test_clock_set_back);
  g_test_add_func ("/twofold/throttle/hourly-window", test_hourly_window);

  return g_test_run ();
}
