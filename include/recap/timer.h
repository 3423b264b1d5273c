/*
 * recap/timer.h — a component's Timer session (protocol and semantics:
 * recap/timer_session.h), Genode's Timer::Connection.
 *
 *	struct recap_cap timer;
 *	recap_timer_open(env, &timer);
 *	recap_timer_sigh(env, timer, recap_signal_context_cap(&tick));
 *	recap_timer_trigger_periodic(env, timer, 250 * 1000);
 *
 * Each call returns RECAP_OK or an error as recap_rpc_call() does.
 */
#pragma once

#include <recap/capability.h>
#include <recap/env.h>

/* Open a Timer session at the parent; its clock starts now. */
int recap_timer_open(struct recap_env *env, struct recap_cap *timer);

/* Time since the session was opened. */
int recap_timer_elapsed_ms(struct recap_env *env, struct recap_cap timer,
			   unsigned long *ms);
int recap_timer_elapsed_us(struct recap_env *env, struct recap_cap timer,
			   unsigned long *us);

/* One timeout, us from now, replacing whatever was programmed. */
int recap_timer_trigger_once(struct recap_env *env, struct recap_cap timer,
			     unsigned long us);

/* A timeout every us, the first us from now, replacing whatever was
 * programmed; 0 stops. */
int recap_timer_trigger_periodic(struct recap_env *env, struct recap_cap timer,
				 unsigned long us);

/* The signal context timeouts trigger (recap_cap_invalid(): none). */
int recap_timer_sigh(struct recap_env *env, struct recap_cap timer,
		     struct recap_cap context);
