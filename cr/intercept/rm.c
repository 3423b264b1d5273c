/*
 * rm.c — cr's region-map object: passes every call on. A checkpoint reads
 * the address space from core's region map (RM REGION), not from a
 * record of what the child asked, so nothing here needs remembering: the
 * object exists so that the child's RM capability is cr's, and a restore
 * can give it a new address space behind the same slot.
 */
#include "forward.h"
#include "intercept.h"

int cr_intercept_rm(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_call call;

	return cr_forward(s->child->env, s->real, req, &call);
}
