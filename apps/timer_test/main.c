/*
 * timer_test — the Timer service and signals, judged by lines that do not
 * depend on how fast the host is: every time check is a lower bound (a
 * timeout never comes early), never an upper one.
 *
 * In construct: ELAPSED never goes back; local submits to a context are
 * counted; a context destroyed with triggers pending never runs its
 * handler; the Timer refuses bad arguments; the SIGNAL service refuses
 * bad requests and caps the contexts of a session. Then, one stage per signal
 * handled by the entrypoint:
 *   1. three submitted signals arrive, as three calls;
 *   2. a 100 ms one-shot arrives no earlier than 100 ms;
 *   3. a one-shot replaced by a later one fires once, at the later time;
 *   4. five periods of a 20 ms periodic timeout: the fifth no earlier than
 *      100 ms after programming (no drift can make it early);
 *   5. the periodic timeout stopped, a second Timer session's 100 ms
 *      one-shot (to another context) arrives no earlier than 100 ms, and
 *      by then the first session has signalled no more periods than had
 *      passed when it was stopped;
 * then exits 0 ("done") or 1 (some line says UNEXPECTED).
 */
#include <recap/cap_map.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>
#include <recap/signal.h>
#include <recap/signal_session.h>
#include <recap/timer.h>
#include <recap/timer_session.h>

#define MS 1000UL	/* µs */

static struct recap_env *env;
static struct recap_cap timer, timer2;
static struct recap_signal_context local, tick, quiet, doomed;
static unsigned local_count, doomed_count, ticks;
static unsigned long armed_at;	/* µs, ELAPSED when the timeout was set */
static unsigned long armed2_at;	/* µs, timer2's ELAPSED likewise */
static unsigned long max_periods;	/* periods passed when stopped */
static int failures;

static void check(char const *what, int ok)
{
	recap_log(env, "%s%s", what, ok ? "" : ": UNEXPECTED");
	failures += !ok;
}

static void expect(char const *what, int got, int want)
{
	recap_log(env, "%s: %s%s", what, recap_err_str(got),
		  got == want ? "" : " UNEXPECTED");
	failures += got != want;
}

static void must(char const *what, int err)
{
	if (err == RECAP_OK)
		return;
	recap_log(env, "%s failed: %s", what, recap_err_str(err));
	recap_parent_exit(env, 1);
}

static unsigned long elapsed_us(struct recap_cap t)
{
	unsigned long us = 0;

	must("ELAPSED_US", recap_timer_elapsed_us(env, t, &us));
	return us;
}

static unsigned long now_us(void)
{
	return elapsed_us(timer);
}

static void finish(void)
{
	check("doomed context never ran", doomed_count == 0);
	recap_log(env, failures ? "failed" : "done");
	recap_parent_exit(env, failures ? 1 : 0);
}

static void on_local(void *arg)
{
	(void)arg;
	if (++local_count < 3)
		return;
	check("three submits, three signals", local_count == 3);
	/* Stage 2. */
	armed_at = now_us();
	must("TRIGGER_ONCE", recap_timer_trigger_once(env, timer, 100 * MS));
}

static void on_tick(void *arg)
{
	unsigned long since = now_us() - armed_at;

	(void)arg;
	switch (++ticks) {
	case 1:
		check("100 ms one-shot not early", since >= 100 * MS);
		/* Stage 3: the 30 ms timeout is replaced by one at 80 ms. */
		armed_at = now_us();
		must("TRIGGER_ONCE", recap_timer_trigger_once(env, timer, 30 * MS));
		must("TRIGGER_ONCE", recap_timer_trigger_once(env, timer, 80 * MS));
		break;
	case 2:
		check("replaced one-shot fires at the later time", since >= 80 * MS);
		/* Stage 4. */
		armed_at = now_us();
		must("TRIGGER_PERIODIC",
		     recap_timer_trigger_periodic(env, timer, 20 * MS));
		break;
	case 3: case 4: case 5: case 6:
		break;
	case 7:
		check("fifth period not early", since >= 100 * MS);
		/* Stage 5. */
		must("TRIGGER_PERIODIC", recap_timer_trigger_periodic(env, timer, 0));
		max_periods = (now_us() - armed_at) / (20 * MS);
		armed2_at = elapsed_us(timer2);
		must("TRIGGER_ONCE", recap_timer_trigger_once(env, timer2, 100 * MS));
		break;
	default:
		/* A period that fell due before the stop, handled late. */
		break;
	}
}

static void on_quiet(void *arg)
{
	(void)arg;
	check("second session's one-shot not early",
	      elapsed_us(timer2) - armed2_at >= 100 * MS);
	check("stopped periodic timer is quiet", ticks - 2 <= max_periods);
	finish();
}

static void on_doomed(void *arg)
{
	(void)arg;
	doomed_count++;
}

/* SIGNAL requests by hand, to see what core refuses. */
static int alloc_raw(l4_umword_t thread, l4_umword_t label, struct recap_cap *cap)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, env->signal, RECAP_SIGNAL_ALLOC_CONTEXT, NULL, 0);
	rpc_msg_put_word(&m, thread);
	rpc_msg_put_word(&m, label);
	err = recap_rpc_call(env, env->signal, &m);
	if (err != RECAP_OK)
		return err;
	if (rpc_msg_end(&m) != RECAP_OK || m.ncaps != 1)
		return RECAP_ERR_INVAL;
	*cap = m.caps[0];
	return RECAP_OK;
}

static int free_raw(struct recap_cap cap)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, env->signal, RECAP_SIGNAL_FREE_CONTEXT, &cap, 1);
	err = recap_rpc_call(env, env->signal, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

static struct recap_cap raw[RECAP_SIGNAL_CONTEXTS_MAX];

static void signal_service_checks(void)
{
	unsigned n = 0, ok = 1;
	int err;

	expect("context with label 0", alloc_raw(0, 0, &raw[0]), RECAP_ERR_INVAL);
	expect("context on a thread that does not exist",
	       alloc_raw(77, RECAP_SIGNAL_LABEL_BIT | 8, &raw[0]), RECAP_ERR_NOENT);
	expect("free a capability that is no context", free_raw(timer),
	       RECAP_ERR_INVAL);
	/* Three contexts live (local, tick, quiet): the rest up to the cap. */
	do
		err = alloc_raw(0, RECAP_SIGNAL_LABEL_BIT | (n + 1) * 8, &raw[n]);
	while (err == RECAP_OK && ++n < RECAP_SIGNAL_CONTEXTS_MAX);
	check("a session holds at most RECAP_SIGNAL_CONTEXTS_MAX contexts",
	      err == RECAP_ERR_RANGE && n == RECAP_SIGNAL_CONTEXTS_MAX - 3);
	for (unsigned i = 0; i < n; i++) {
		ok &= free_raw(raw[i]) == RECAP_OK;
		cap_map_remove(&env->cap_map, raw[i].badge);
	}
	check("all of them freed", ok);
	expect("free a freed context", free_raw(raw[0]), RECAP_ERR_INVAL);
}

static void construct_checks(void)
{
	unsigned long ms = 0, prev_ms = 0, us = 0, prev_us = 0;
	int monotonic = 1;

	for (int i = 0; i < 200; i++) {
		must("ELAPSED_MS", recap_timer_elapsed_ms(env, timer, &ms));
		must("ELAPSED_US", recap_timer_elapsed_us(env, timer, &us));
		monotonic &= ms >= prev_ms && us >= prev_us && us / 1000 >= ms;
		prev_ms = ms;
		prev_us = us;
	}
	check("elapsed never goes back", monotonic);

	expect("periodic below the minimum",
	       recap_timer_trigger_periodic(env, timer, RECAP_TIMER_PERIOD_MIN_US - 1),
	       RECAP_ERR_RANGE);
	expect("one-shot beyond the maximum",
	       recap_timer_trigger_once(env, timer, RECAP_TIMER_US_MAX + 1),
	       RECAP_ERR_RANGE);
	expect("sigh with the timer's own capability",
	       recap_timer_sigh(env, timer, timer), RECAP_ERR_INVAL);
	expect("sigh with a context under another one's badge",
	       recap_timer_sigh(env, timer,
				(struct recap_cap){ .badge = local.cap.badge,
						    .sel = tick.cap.sel }),
	       RECAP_ERR_INVAL);

	/* Pending triggers go with their context. */
	must("submit", recap_signal_submit(recap_signal_context_cap(&doomed)));
	must("submit", recap_signal_submit(recap_signal_context_cap(&doomed)));
	{
		struct recap_cap gone = recap_signal_context_cap(&doomed);

		expect("destroy a context with signals pending",
		       recap_signal_context_destroy(env, &doomed), RECAP_OK);
		check("submit to a destroyed context fails",
		      recap_signal_submit(gone) != RECAP_OK);
	}
}

void component_construct(struct recap_env *e)
{
	env = e;
	must("Timer session", recap_timer_open(env, &timer));
	must("Timer session", recap_timer_open(env, &timer2));
	must("signal context", recap_signal_context_create(env, &local, on_local, NULL));
	must("signal context", recap_signal_context_create(env, &tick, on_tick, NULL));
	must("signal context", recap_signal_context_create(env, &quiet, on_quiet, NULL));
	must("signal context", recap_signal_context_create(env, &doomed, on_doomed, NULL));
	must("SIGH", recap_timer_sigh(env, timer, recap_signal_context_cap(&tick)));
	must("SIGH", recap_timer_sigh(env, timer2, recap_signal_context_cap(&quiet)));

	construct_checks();
	signal_service_checks();

	/* Stage 1: counted while construct runs, handled once it returns. */
	for (int i = 0; i < 3; i++)
		must("submit", recap_signal_submit(recap_signal_context_cap(&local)));
	recap_log(env, "submitted three signals");
}
