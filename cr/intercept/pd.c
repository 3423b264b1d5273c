/*
 * pd.c — cr's PD session object: the gates of the child's own entrypoints
 * (ALLOC_RPC_CAP: which thread, which badge) are what a restore must
 * recreate exactly, because the child's object pool finds its objects by
 * those badges. The native PD is cr's alone: a child under cr never holds
 * its own.
 */
#include <recap/err.h>
#include <recap/native_pd.h>
#include <recap/pd_session.h>

#include "forward.h"
#include "intercept.h"
#include "../cr.h"

static int gate_add(struct cr_child *c, int thread, struct recap_cap gate)
{
	for (unsigned i = 0; i < CR_MAX_RPC_GATES; i++) {
		if (c->rpc_gates[i].used)
			continue;
		c->rpc_gates[i] = (struct cr_rpc_gate){ .used = true,
							.thread = (unsigned)thread,
							.gate = gate };
		return RECAP_OK;
	}
	return RECAP_ERR_NOMEM;
}

static int gate_find(struct cr_child *c, struct recap_cap cap)
{
	for (unsigned i = 0; i < CR_MAX_RPC_GATES; i++)
		if (c->rpc_gates[i].used && c->rpc_gates[i].gate.badge == cap.badge &&
		    cr_cap_same(c->rpc_gates[i].gate, cap))
			return (int)i;
	for (unsigned i = 0; i < CR_MAX_RPC_GATES; i++)	/* model.c */
		if (c->rpc_gates[i].used && cr_cap_same(c->rpc_gates[i].gate, cap))
			return (int)i;
	return -1;
}

static int address_space(struct cr_child *c, struct recap_rpc_request *req)
{
	struct recap_cap rm;
	int err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
		return RECAP_ERR_INVAL;
	err = cr_session_open(c, "RM", "", 0, &rm);
	if (err != RECAP_OK)
		return err;
	recap_rpc_reply_start(req, &rm, 1);
	return RECAP_OK;
}

int cr_intercept_pd(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_child *c = s->child;
	struct cr_call call;
	int thread = -1, gate = -1;
	int err;

	if (req->op >= RECAP_NATIVE_PD_FIRST_OP && req->op <= RECAP_NATIVE_PD_LAST_OP)
		return RECAP_ERR_DENIED;
	/* Holding and adopting gates is cr's business (restore --replace). */
	if (req->op == RECAP_PD_HOLD_RPC_CAPS || req->op == RECAP_PD_ADOPT_RPC_CAP)
		return RECAP_ERR_DENIED;
	/* The address space is cr's RM object too, not core's session. */
	if (req->op == RECAP_PD_ADDRESS_SPACE)
		return address_space(c, req);
	err = cr_call_take(req, &call);
	if (err != RECAP_OK)
		return err;
	if (call.op == RECAP_PD_ALLOC_RPC_CAP && call.narg_caps == 1) {
		/* Core checks the capability; cr needs only the index. */
		thread = cr_thread_by_gate(c, call.arg_caps[0].badge);
	} else if (call.op == RECAP_PD_FREE_RPC_CAP && call.narg_caps == 1) {
		gate = gate_find(c, call.arg_caps[0]);
	}
	if (cr_call_make(c->env, s->real, &call) != RECAP_OK)
		return call.result;
	if (call.op == RECAP_PD_ALLOC_RPC_CAP) {
		if (thread < 0 || call.nret_caps != 1)
			return RECAP_ERR_INVAL;
		err = gate_add(c, thread, call.ret_caps[0]);
		if (err != RECAP_OK)
			return err;
	} else if (call.op == RECAP_PD_FREE_RPC_CAP && gate >= 0) {
		c->rpc_gates[gate].used = false;
	}
	return cr_call_answer(req, &call);
}
