/* tf-throttle.h
 *
 * Contract: the throttling policy of DESIGN.md as pure functions over a
 * TfThrottleState, so the store can apply them inside one write transaction.
 * - 5 free failures; from the 6th on, a wait of 30 s doubling with each
 *   further failure, capped at 15 minutes.
 * - At most 100 evaluated attempts per key per hour (a window that starts
 *   with the first attempt after the previous window ended).
 * - Waits are absolute times: setting the clock back never shortens one, and
 *   a clock earlier than the window start keeps the current window.
 */
#pragma once

#include "tf-store.h"

G_BEGIN_DECLS

#define TF_THROTTLE_FREE_FAILURES 5
#define TF_THROTTLE_FIRST_DELAY 30
#define TF_THROTTLE_MAX_DELAY (15 * 60)
#define TF_THROTTLE_WINDOW (60 * 60)
#define TF_THROTTLE_WINDOW_ATTEMPTS 100

/* The wait after the given number of consecutive failures (0 while free). */
gint64   tf_throttle_delay_for         (guint                  failures);

/* The time before which an attempt is refused, or 0 when it may be
 * evaluated now. */
gint64   tf_throttle_blocked_until     (const TfThrottleState *state,
                                        gint64                 now);

/* Counts one evaluated attempt in the hourly window. */
void     tf_throttle_count_attempt     (TfThrottleState       *state,
                                        gint64                 now);
/* Records one failure and sets the next allowed time. */
void     tf_throttle_record_failure    (TfThrottleState       *state,
                                        gint64                 now);

G_END_DECLS
