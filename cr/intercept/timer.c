/*
 * timer.c — cr's Timer session object: the programmed timeout and the
 * context it signals, and the session's time.
 *
 * A restored session continues the old one's time: the real session is
 * new and starts at zero, so cr adds the time the old one had reached
 * (cr_timer.elapsed_offset_us) to every ELAPSED answer.
 */
#include <recap/err.h>
#include <recap/timer_session.h>

#include "forward.h"
#include "intercept.h"

int cr_timer_now_us(struct cr_session *s, unsigned long *now)
{
	struct cr_call call = { .op = RECAP_TIMER_ELAPSED_US };
	int err = cr_call_make(s->child->env, s->real, &call);

	if (err == RECAP_OK && call.nret < 1)
		err = RECAP_ERR_INVAL;
	if (err == RECAP_OK)
		*now = call.ret[0] + (unsigned long)s->timer.elapsed_offset_us;
	return err;
}

/* lo: the session's time before core was asked (TRIGGER_*). */
static void record(struct cr_session *s, struct cr_call *call, unsigned long lo)
{
	struct cr_timer *t = &s->timer;
	struct rpc_msg m;
	unsigned long us;

	cr_call_args(call, &m);
	switch (call->op) {
	case RECAP_TIMER_TRIGGER_ONCE:
	case RECAP_TIMER_TRIGGER_PERIODIC:
		us = rpc_msg_get_word(&m);
		t->mode = call->op == RECAP_TIMER_TRIGGER_ONCE ? CR_TIMER_ONCE
			: us ? CR_TIMER_PERIODIC : CR_TIMER_NONE;
		t->us = us;
		/* Read after core programmed it too: core's deadline is
		 * between lo + us and this + us (checkpoint/sessions.c). */
		t->programmed_lo_us = lo;
		if (cr_timer_now_us(s, &t->programmed_at_us) != RECAP_OK)
			t->programmed_at_us = lo;
		break;
	case RECAP_TIMER_SIGH:
		t->sigh = call->narg_caps == 1 ? call->arg_caps[0].badge
					       : RECAP_BADGE_INVALID;
		break;
	}
}

/* ELAPSED answers in the restored session's time. */
static void shift_elapsed(struct cr_session *s, struct cr_call *call)
{
	long off = s->timer.elapsed_offset_us;

	if (!off || call->nret < 1)
		return;
	if (call->op == RECAP_TIMER_ELAPSED_US)
		call->ret[0] += (unsigned long)off;
	else if (call->op == RECAP_TIMER_ELAPSED_MS)
		call->ret[0] += (unsigned long)off / 1000;
}

int cr_intercept_timer(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_call call;
	unsigned long lo = 0;
	int err = cr_call_take(req, &call);

	if (err != RECAP_OK)
		return err;
	if ((call.op == RECAP_TIMER_TRIGGER_ONCE ||
	     call.op == RECAP_TIMER_TRIGGER_PERIODIC) &&
	    cr_timer_now_us(s, &lo) != RECAP_OK)
		lo = 0;
	if (cr_call_make(s->child->env, s->real, &call) != RECAP_OK)
		return call.result;
	shift_elapsed(s, &call);
	record(s, &call, lo);
	return cr_call_answer(req, &call);
}
