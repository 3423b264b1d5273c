/*
 * signal.c — cr's SIGNAL session object: every signal context, with the
 * thread it is bound to and its label, so that a restore binds a new IRQ
 * the same way.
 */
#include <recap/err.h>
#include <recap/signal_session.h>

#include "forward.h"
#include "intercept.h"

static int context_find(struct cr_child *c, struct recap_cap cap)
{
	for (unsigned i = 0; i < CR_MAX_CONTEXTS; i++)
		if (c->contexts[i].used && c->contexts[i].irq.badge == cap.badge &&
		    cr_cap_same(c->contexts[i].irq, cap))
			return (int)i;
	for (unsigned i = 0; i < CR_MAX_CONTEXTS; i++)	/* model.c */
		if (c->contexts[i].used && cr_cap_same(c->contexts[i].irq, cap))
			return (int)i;
	return -1;
}

static int context_add(struct cr_child *c, unsigned long thread,
		       l4_umword_t label, struct recap_cap irq)
{
	for (unsigned i = 0; i < CR_MAX_CONTEXTS; i++) {
		if (c->contexts[i].used)
			continue;
		c->contexts[i] = (struct cr_context){ .used = true,
						      .thread = thread,
						      .label = label,
						      .irq = irq };
		return RECAP_OK;
	}
	return RECAP_ERR_NOMEM;
}

int cr_intercept_signal(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_child *c = s->child;
	unsigned long thread = 0;
	l4_umword_t label = 0;
	struct cr_call call;
	struct rpc_msg m;
	int ctx = -1;
	int err = cr_call_take(req, &call);

	if (err != RECAP_OK)
		return err;
	if (call.op == RECAP_SIGNAL_ALLOC_CONTEXT) {
		cr_call_args(&call, &m);
		thread = rpc_msg_get_word(&m);
		label = rpc_msg_get_word(&m);
	} else if (call.op == RECAP_SIGNAL_FREE_CONTEXT && call.narg_caps == 1) {
		ctx = context_find(c, call.arg_caps[0]);
	}
	if (cr_call_make(c->env, s->real, &call) != RECAP_OK)
		return call.result;
	if (call.op == RECAP_SIGNAL_ALLOC_CONTEXT) {
		if (call.nret_caps != 1)
			return RECAP_ERR_INVAL;
		err = context_add(c, thread, label, call.ret_caps[0]);
		if (err != RECAP_OK)
			return err;
	} else if (ctx >= 0) {
		c->contexts[ctx].used = false;
	}
	return cr_call_answer(req, &call);
}
