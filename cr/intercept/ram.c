/*
 * ram.c — cr's RAM session object: allocations and frees are recorded, so
 * that a checkpoint finds every dataspace the child has, attached or not.
 */
#include <recap/err.h>
#include <recap/ram_session.h>

#include "forward.h"
#include "intercept.h"

int cr_intercept_ram(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_child *c = s->child;
	struct cr_call call;
	struct rpc_msg m;
	int ds = -1;
	int err = cr_call_take(req, &call);

	if (err != RECAP_OK)
		return err;
	/* The argument is in cr's receive window only until the call. */
	if (call.op == RECAP_RAM_FREE && call.narg_caps == 1) {
		ds = cr_ds_find(c, call.arg_caps[0]);
		if (ds < 0)
			return RECAP_ERR_NOENT;
	}
	if (cr_call_make(c->env, s->real, &call) != RECAP_OK)
		return call.result;
	if (call.op == RECAP_RAM_ALLOC) {
		unsigned long size;

		cr_call_reply(&call, &m);
		size = rpc_msg_get_word(&m);
		if (m.err != RECAP_OK || call.nret_caps != 1 ||
		    cr_ds_add(c, call.ret_caps[0], size, (int)(s - c->sessions),
			      true) < 0)
			return RECAP_ERR_NOMEM;
	} else if (call.op == RECAP_RAM_FREE) {
		cr_ds_remove(c, (unsigned)ds);
	}
	return cr_call_answer(req, &call);
}
