/*
 * counter — counts in its log: "count: 1", "count: 2", ... one line per
 * timeout of a periodic Timer, every period_ms milliseconds (250 unless
 * its config says otherwise). With limit="N" it exits after count N; 0 or
 * no limit counts for ever.
 *
 *	<start name="counter"> <config period_ms="250" limit="5"/> </start>
 *
 * Its state lives on the heap; the count advances in a signal handler run
 * by the entrypoint after component_construct has returned, as a Genode
 * component's would.
 */
#include <recap/config.h>
#include <recap/env.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/signal.h>
#include <recap/timer.h>
#include <recap/timer_session.h>

#define DEFAULT_PERIOD_MS 250UL

struct counter {
	struct recap_env *env;
	struct recap_cap timer;
	struct recap_signal_context tick;
	unsigned long count;
	unsigned long limit;		/* 0: none */
};

static void on_tick(void *arg)
{
	struct counter *c = arg;

	c->count++;
	recap_log(c->env, "count: %lu", c->count);
	if (c->limit && c->count >= c->limit)
		recap_parent_exit(c->env, 0);
}

static void fail(struct recap_env *env, char const *what, int err)
{
	recap_log(env, "counter: %s failed: %s", what, recap_err_str(err));
	recap_parent_exit(env, 1);
}

void component_construct(struct recap_env *env)
{
	unsigned long period_ms = recap_config_ulong(env, "period_ms",
						     DEFAULT_PERIOD_MS);
	struct counter *c;
	int err;

	if (period_ms == 0 || period_ms > RECAP_TIMER_US_MAX / 1000) {
		recap_log(env, "counter: period_ms %lu out of range, using %lu",
			  period_ms, DEFAULT_PERIOD_MS);
		period_ms = DEFAULT_PERIOD_MS;
	}
	err = recap_heap_alloc(env, sizeof(*c), (void **)&c);
	if (err != RECAP_OK)
		fail(env, "heap", err);
	c->env = env;
	c->count = 0;
	c->limit = recap_config_ulong(env, "limit", 0);

	err = recap_timer_open(env, &c->timer);
	if (err != RECAP_OK)
		fail(env, "Timer session", err);
	err = recap_signal_context_create(env, &c->tick, on_tick, c);
	if (err != RECAP_OK)
		fail(env, "signal context", err);
	err = recap_timer_sigh(env, c->timer, recap_signal_context_cap(&c->tick));
	if (err == RECAP_OK)
		err = recap_timer_trigger_periodic(env, c->timer, period_ms * 1000);
	if (err != RECAP_OK)
		fail(env, "programming the timer", err);
}
