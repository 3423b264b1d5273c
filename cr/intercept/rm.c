/*
 * rm.c — cr's region-map object: passes every call on. A checkpoint reads
 * the address space from core's region map (RM REGION), not from a
 * record of what the child asked, so nothing here needs remembering: the
 * object exists so that the child's RM capability is cr's, and a restore
 * can give it a new address space behind the same slot.
 *
 * One exception: a DETACH ends the kernel's dirty tracking of that range
 * (the pages written there since the last checkpoint are forgotten with
 * the mapping), so the dataspace is noted to be saved whole by the next
 * incremental checkpoint (model.h, cr_incr_detached).
 */
#include <recap/err.h>
#include <recap/region_map.h>

#include "../real.h"
#include "forward.h"
#include "intercept.h"

/* Note the dataspace attached at addr of the region map behind s. */
static void note_detach(struct cr_session *s, unsigned long addr)
{
	struct cr_region r;

	if (cr_real_region(s->child->env, s->real, addr, &r) != RECAP_OK ||
	    addr < r.addr || addr - r.addr >= r.size || !recap_cap_valid(r.ds))
		return;
	cr_incr_detached(s->child, cr_own_object_id(s->child->env, r.ds));
}

int cr_intercept_rm(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_call call;
	int err = cr_call_take(req, &call);

	if (err != RECAP_OK)
		return err;
	if (call.op == RECAP_RM_DETACH && call.nargs >= 1)
		note_detach(s, call.args[0]);
	cr_call_make(s->child->env, s->real, &call);
	return cr_call_answer(req, &call);
}
