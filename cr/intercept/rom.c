/*
 * rom.c — cr's ROM session object: the module's dataspace is recorded as
 * read-only, so a checkpoint notes it and a restore opens the module again
 * instead of saving its bytes.
 */
#include <recap/err.h>
#include <recap/rom_session.h>

#include "forward.h"
#include "intercept.h"

int cr_intercept_rom(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_child *c = s->child;
	struct cr_call call;
	struct rpc_msg m;
	unsigned long size;
	int err = cr_call_take(req, &call);

	if (err != RECAP_OK)
		return err;
	if (cr_call_make(c->env, s->real, &call) != RECAP_OK)
		return call.result;
	if (call.op == RECAP_ROM_DATASPACE) {
		cr_call_reply(&call, &m);
		size = rpc_msg_get_word(&m);
		if (m.err != RECAP_OK || call.nret_caps != 1 ||
		    cr_ds_add(c, call.ret_caps[0], size, (int)(s - c->sessions),
			      false) < 0)
			return RECAP_ERR_NOMEM;
	}
	/* Last: recording asks the kernel, through the message registers. */
	return cr_call_answer(req, &call);
}
