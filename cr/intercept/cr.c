/*
 * cr.c — cr's object for a child's CR session: the child serves
 * checkpoint requests of its own (a checkpointer under cr, apps/cr_echo).
 * Core keeps nothing for the session a restore could not give again but
 * the context it signals when a request is queued; a request the child
 * has fetched and not answered would be lost, so a checkpoint then is
 * refused as busy (checkpoint/threads.c, ckpt_sessions_serving).
 */
#include <recap/cr_session.h>
#include <recap/err.h>

#include "forward.h"
#include "intercept.h"

int cr_intercept_cr(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_requests *q = &s->requests;
	struct cr_call call;
	int err = cr_call_take(req, &call);

	if (err != RECAP_OK)
		return err;
	/* The real session's answer: its result is the child's (an error
	 * comes back as the call's result, as for every forwarded call). */
	err = cr_call_make(s->child->env, s->real, &call);
	switch (call.op) {
	case RECAP_CR_SIGH:
		if (err == RECAP_OK)
			q->sigh = call.narg_caps == 1 ? call.arg_caps[0].badge
						      : RECAP_BADGE_INVALID;
		break;
	case RECAP_CR_FETCH:
		if (err == RECAP_OK)
			q->serving = true;
		break;
	case RECAP_CR_DONE:
		/* Answered, or gone (the command gave up, the deadline). */
		if (err == RECAP_OK || err == RECAP_ERR_NOENT)
			q->serving = false;
		break;
	}
	if (err != RECAP_OK)
		return err;
	return cr_call_answer(req, &call);
}
