/*
 * log.c — cr's LOG session object: nothing to record beyond the session's
 * label, which its creation arguments hold.
 */
#include "forward.h"
#include "intercept.h"

int cr_intercept_log(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_call call;

	return cr_forward(s->child->env, s->real, req, &call);
}
