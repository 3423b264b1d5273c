/*
 * timer.c — core's Timer sessions (timer.h).
 *
 * Times are nanoseconds of the host's monotonic clock. A session has at
 * most one timeout programmed: a deadline, and for a periodic one its
 * period. When the deadline has passed, core triggers the session's signal
 * context (signal_submit, by badge: a context freed meanwhile is skipped)
 * and, if periodic, moves the deadline on by whole periods from where it
 * was, never from when it was noticed: the timeouts keep their phase
 * however late core got round to them (no drift), and each period that
 * passed is one trigger, counted by the IRQ.
 *
 * Every session is on one list, armed or not; finding the earliest
 * deadline is a walk over it. Core serves a handful of sessions; a heap
 * ordered by deadline would pay off only with many.
 */
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include <recap/err.h>
#include <recap/timer_session.h>

#include "child.h"
#include "session.h"
#include "signal.h"
#include "timer.h"

#define NS_PER_US 1000ULL
#define NS_PER_MS 1000000ULL

struct timer_session {
	struct session s;
	uint64_t opened;		/* ns: the session's clock starts here */
	uint64_t deadline;		/* ns; 0: no timeout programmed */
	uint64_t period;		/* ns; 0: the timeout is a one-shot */
	recap_badge_t sigh;		/* the signal context; 0: none */
	struct timer_session *next;	/* all sessions */
};

static struct timer_session *sessions;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int program(struct timer_session *ts, l4_umword_t us, bool periodic)
{
	if (us > RECAP_TIMER_US_MAX)
		return RECAP_ERR_RANGE;
	if (periodic && us == 0) {
		ts->deadline = ts->period = 0;
		return RECAP_OK;
	}
	if (periodic && us < RECAP_TIMER_PERIOD_MIN_US)
		return RECAP_ERR_RANGE;
	ts->period = periodic ? us * NS_PER_US : 0;
	/* Never 0, which means "none": the clock is far from its start. */
	ts->deadline = now_ns() + us * NS_PER_US;
	return RECAP_OK;
}

static int timer_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct timer_session *ts =
		core_container_of(obj, struct timer_session, s.obj);
	l4_umword_t arg;
	uint64_t elapsed;
	recap_badge_t sigh;

	switch (req->op) {
	case RECAP_TIMER_ELAPSED_MS:
	case RECAP_TIMER_ELAPSED_US:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		elapsed = now_ns() - ts->opened;
		rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, req->op == RECAP_TIMER_ELAPSED_MS
						    ? elapsed / NS_PER_MS
						    : elapsed / NS_PER_US);
		return RECAP_OK;
	case RECAP_TIMER_TRIGGER_ONCE:
	case RECAP_TIMER_TRIGGER_PERIODIC:
		arg = rpc_msg_get_word(&req->msg);
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		return program(ts, arg, req->op == RECAP_TIMER_TRIGGER_PERIODIC);
	case RECAP_TIMER_SIGH:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		if (!recap_cap_valid(req->msg.caps[0])) {
			ts->sigh = 0;
			return RECAP_OK;
		}
		/* A capability that is no context leaves the old one. */
		sigh = signal_request_context(req, 0);
		if (!sigh)
			return RECAP_ERR_INVAL;
		ts->sigh = sigh;
		return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

l4_timeout_s timer_timeout(void)
{
	uint64_t first = 0, now;

	for (struct timer_session *ts = sessions; ts; ts = ts->next)
		if (ts->deadline && (!first || ts->deadline < first))
			first = ts->deadline;
	if (!first)
		return L4_IPC_TIMEOUT_NEVER;
	now = now_ns();
	if (first <= now)
		return L4_IPC_TIMEOUT_0;
	/* Rounded up, and l4_timeout_from_us rounds up again: core wakes at
	 * the deadline or after it, never before. */
	return l4_timeout_from_us((first - now + NS_PER_US - 1) / NS_PER_US);
}

void timer_expire(void)
{
	uint64_t now = now_ns();

	for (struct timer_session *ts = sessions; ts; ts = ts->next) {
		if (!ts->deadline || ts->deadline > now)
			continue;
		if (!ts->period) {
			ts->deadline = 0;
			if (ts->sigh)
				signal_submit(ts->sigh);
			continue;
		}
		for (; ts->deadline <= now; ts->deadline += ts->period)
			if (ts->sigh)
				signal_submit(ts->sigh);
	}
}

static void timer_destroy(struct session *s)
{
	struct timer_session *ts = core_container_of(s, struct timer_session, s);
	struct timer_session **p = &sessions;

	while (*p && *p != ts)
		p = &(*p)->next;
	if (*p)
		*p = ts->next;
	rpc_object_detach(&ts->s.obj);
	free(ts);
}

int timer_session_open(struct child *client, struct recap_cap *cap)
{
	struct timer_session *ts = calloc(1, sizeof(*ts));
	int err;

	if (!ts)
		return RECAP_ERR_NOMEM;
	err = rpc_object_attach(&ts->s.obj, RPC_OBJECT_RPC, timer_dispatch);
	if (err != RECAP_OK) {
		free(ts);
		return err;
	}
	ts->opened = now_ns();
	ts->s.destroy = timer_destroy;
	session_add(client, &ts->s);
	ts->next = sessions;
	sessions = ts;
	*cap = rpc_object_cap(&ts->s.obj);
	return RECAP_OK;
}
