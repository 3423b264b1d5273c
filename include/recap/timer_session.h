/*
 * recap/timer_session.h — the Timer service (Genode's Timer::Session):
 * time since the session was opened, and timeouts delivered as signals.
 *
 *   ELAPSED_MS        -                 -> word: ms since the session opened
 *   ELAPSED_US        -                 -> word: µs since the session opened
 *   TRIGGER_ONCE      word us           -> -  one timeout, us from now
 *   TRIGGER_PERIODIC  word us           -> -  a timeout every us, the first
 *                                              us from now; 0 stops
 *   SIGH              cap context       -> -  the signal context timeouts
 *                                              trigger; invalid: none
 *
 * A session has one timeout programmed at a time: TRIGGER_ONCE and
 * TRIGGER_PERIODIC replace whatever was programmed before. A timeout never
 * fires early: the signal comes once the session's clock has passed the
 * deadline (ELAPSED read after the signal is at least the deadline). A
 * periodic timeout does not drift: each deadline is the previous one plus
 * the period, however late the previous one was delivered; if core falls
 * behind by several periods, each one is signalled (the context's IRQ
 * counts them). Timeouts without a signal context pass unseen.
 *
 * The clock is the host's monotonic clock, in core.
 *
 * Errors: RECAP_ERR_RANGE (us above RECAP_TIMER_US_MAX, a period below
 * RECAP_TIMER_PERIOD_MIN_US), RECAP_ERR_INVAL (malformed, or a capability
 * that is not a live signal context of core's).
 *
 * Client side: recap/timer.h.
 */
#pragma once

#define RECAP_TIMER_US_MAX (1UL << 40)		/* about 12.7 days */
#define RECAP_TIMER_PERIOD_MIN_US 1000UL	/* 1 ms: at most 1000 signals a second */

enum recap_timer_op {
	RECAP_TIMER_ELAPSED_MS = 1,
	RECAP_TIMER_ELAPSED_US = 2,
	RECAP_TIMER_TRIGGER_ONCE = 3,
	RECAP_TIMER_TRIGGER_PERIODIC = 4,
	RECAP_TIMER_SIGH = 5,
};
