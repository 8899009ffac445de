/* tf-throttle.c */
#define G_LOG_DOMAIN "tf-throttle"

#include "config.h"

#include "tf-throttle.h"

gint64
tf_throttle_delay_for (guint failures)
{
  guint doublings;

  if (failures <= TF_THROTTLE_FREE_FAILURES)
    return 0;

  doublings = failures - TF_THROTTLE_FREE_FAILURES - 1;
  /* 30 s × 2^5 already passes the cap; avoid shifting further. */
  if (doublings >= 5)
    return TF_THROTTLE_MAX_DELAY;

  return MIN ((gint64) TF_THROTTLE_FIRST_DELAY << doublings, TF_THROTTLE_MAX_DELAY);
}

static gboolean
window_is_current (const TfThrottleState *state,
                   gint64                 now)
{
  /* A clock set back before the window start keeps the window. */
  return state->window_start != 0 && now < state->window_start + TF_THROTTLE_WINDOW;
}

gint64
tf_throttle_blocked_until (const TfThrottleState *state,
                           gint64                 now)
{
  gint64 until = 0;

  g_return_val_if_fail (state != NULL, 0);

  if (state->next_allowed_at > now)
    until = state->next_allowed_at;

  if (window_is_current (state, now) && state->window_attempts >= TF_THROTTLE_WINDOW_ATTEMPTS)
    until = MAX (until, state->window_start + TF_THROTTLE_WINDOW);

  return until;
}

void
tf_throttle_count_attempt (TfThrottleState *state,
                           gint64           now)
{
  g_return_if_fail (state != NULL);

  if (!window_is_current (state, now))
    {
      state->window_start = now;
      state->window_attempts = 0;
    }

  state->window_attempts++;
}

void
tf_throttle_record_failure (TfThrottleState *state,
                            gint64           now)
{
  gint64 delay;

  g_return_if_fail (state != NULL);

  if (state->failures < G_MAXUINT)
    state->failures++;

  delay = tf_throttle_delay_for (state->failures);
  if (delay > 0)
    state->next_allowed_at = MAX (state->next_allowed_at, now + delay);
}
