/*
 * timer.c — the Timer session client (recap/timer.h): one RPC per call,
 * protocol recap/timer_session.h.
 */
#include <recap/err.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>
#include <recap/timer.h>
#include <recap/timer_session.h>

int recap_timer_open(struct recap_env *env, struct recap_cap *timer)
{
	return recap_parent_session(env, "Timer", "", timer);
}

/* A call with up to one word argument and no result data. */
static int call(struct recap_env *env, struct recap_cap timer, l4_umword_t op,
		struct recap_cap const *caps, unsigned ncaps, l4_umword_t const *arg)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, timer, op, caps, ncaps);
	if (arg)
		rpc_msg_put_word(&m, *arg);
	err = recap_rpc_call(env, timer, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

static int elapsed(struct recap_env *env, struct recap_cap timer,
		   l4_umword_t op, unsigned long *value)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, timer, op, NULL, 0);
	err = recap_rpc_call(env, timer, &m);
	if (err != RECAP_OK)
		return err;
	*value = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}

int recap_timer_elapsed_ms(struct recap_env *env, struct recap_cap timer,
			   unsigned long *ms)
{
	return elapsed(env, timer, RECAP_TIMER_ELAPSED_MS, ms);
}

int recap_timer_elapsed_us(struct recap_env *env, struct recap_cap timer,
			   unsigned long *us)
{
	return elapsed(env, timer, RECAP_TIMER_ELAPSED_US, us);
}

int recap_timer_trigger_once(struct recap_env *env, struct recap_cap timer,
			     unsigned long us)
{
	l4_umword_t w = us;

	return call(env, timer, RECAP_TIMER_TRIGGER_ONCE, NULL, 0, &w);
}

int recap_timer_trigger_periodic(struct recap_env *env, struct recap_cap timer,
				 unsigned long us)
{
	l4_umword_t w = us;

	return call(env, timer, RECAP_TIMER_TRIGGER_PERIODIC, NULL, 0, &w);
}

int recap_timer_sigh(struct recap_env *env, struct recap_cap timer,
		     struct recap_cap context)
{
	return call(env, timer, RECAP_TIMER_SIGH, &context, 1, NULL);
}
