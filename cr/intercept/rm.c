/*
 * rm.c — cr's region-map object: passes every call on. A checkpoint reads
 * the address space from core's region map (RM REGION), not from a
 * record of what the child asked, so nothing here needs remembering: the
 * object exists so that the child's RM capability is cr's, and a restore
 * can give it a new address space behind the same slot.
 *
 * Managed region maps the child creates (CREATE) are noted with their
 * session: a checkpoint asks core for each one's layout, and a restore
 * makes them again through the same session.
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

/* Note the managed map a CREATE returned (cr's copy, in call). */
static int note_create(struct cr_session *s, struct cr_call const *call)
{
	struct cr_child *c = s->child;
	struct recap_cap map = call->ret_caps[0];

	if (call->result != RECAP_OK || call->nret_caps != 1)
		return RECAP_OK;
	/* Maps whose session closed are gone (core destroyed them), and
	 * cr's slot of one may name the new map now. */
	for (unsigned i = 0; i < CR_MAX_MANAGED; i++)
		if (c->managed[i].used &&
		    (c->managed[i].cap.sel == map.sel ||
		     !cr_own_object_id(c->env, c->managed[i].cap)))
			c->managed[i].used = false;
	for (unsigned i = 0; i < CR_MAX_MANAGED; i++) {
		if (c->managed[i].used)
			continue;
		c->managed[i] = (struct cr_managed){
			.used = true, .session = (int)(s - c->sessions),
			.cap = map };
		return RECAP_OK;
	}
	return RECAP_ERR_NOMEM;
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
	/* A map cr could not save is refused, not handed out. */
	if (call.op == RECAP_RM_CREATE && (err = note_create(s, &call)))
		return err;
	return cr_call_answer(req, &call);
}
