/*
 * forward.c — a child's call passed on to the real object (forward.h).
 *
 * The words are copied as they are: strings are words on the wire too, so
 * nothing needs to know the call's signature to pass it on. The copies
 * matter because the call, the forwarded call, its reply and the answer
 * all live in the same message registers, one after the other.
 */
#include <recap/err.h>
#include <recap/rpc.h>
#include <recap/string.h>

#include "forward.h"

int cr_call_take(struct recap_rpc_request *req, struct cr_call *call)
{
	struct rpc_msg *m = &req->msg;

	if (m->err != RECAP_OK || m->pos != recap_rpc_opcode_word(m->ncaps) + 1)
		return RECAP_ERR_INVAL;
	call->op = req->op;
	call->nargs = m->limit - m->pos;
	for (unsigned i = 0; i < call->nargs; i++)
		call->args[i] = m->mr[m->pos + i];
	call->narg_caps = m->ncaps;
	for (unsigned i = 0; i < m->ncaps; i++)
		call->arg_caps[i] = m->caps[i];
	call->result = RECAP_ERR_IPC;
	call->nret = 0;
	call->nret_caps = 0;
	return RECAP_OK;
}

int cr_call_make(struct recap_env *env, struct recap_cap dst, struct cr_call *call)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, dst, call->op, call->arg_caps, call->narg_caps);
	for (unsigned i = 0; i < call->nargs; i++)
		rpc_msg_put_word(&m, call->args[i]);
	err = recap_rpc_call(env, dst, &m);
	call->result = err;
	call->nret = 0;
	call->nret_caps = 0;
	if (err != RECAP_OK)
		return err;
	call->nret = m.limit - m.pos;
	for (unsigned i = 0; i < call->nret; i++)
		call->ret[i] = m.mr[m.pos + i];
	call->nret_caps = m.ncaps;
	for (unsigned i = 0; i < m.ncaps; i++)
		call->ret_caps[i] = m.caps[i];
	return RECAP_OK;
}

int cr_call_answer(struct recap_rpc_request *req, struct cr_call const *call)
{
	if (call->result != RECAP_OK)
		return call->result;
	recap_rpc_reply_start(req, call->ret_caps, call->nret_caps);
	for (unsigned i = 0; i < call->nret; i++)
		rpc_msg_put_word(&req->msg, call->ret[i]);
	return RECAP_OK;
}

static void cursor(struct rpc_msg *m, l4_umword_t *words, unsigned n,
		   struct recap_cap const *caps, unsigned ncaps)
{
	RECAP_STRING_NAME(memset)(m, 0, sizeof(*m));
	m->mr = words;
	m->limit = n;
	m->ncaps = ncaps;
	for (unsigned i = 0; i < ncaps; i++)
		m->caps[i] = caps[i];
	m->err = RECAP_OK;
}

void cr_call_args(struct cr_call *call, struct rpc_msg *m)
{
	cursor(m, call->args, call->nargs, call->arg_caps, call->narg_caps);
}

void cr_call_reply(struct cr_call *call, struct rpc_msg *m)
{
	cursor(m, call->ret, call->nret, call->ret_caps, call->nret_caps);
}

int cr_forward(struct recap_env *env, struct recap_cap dst,
	       struct recap_rpc_request *req, struct cr_call *call)
{
	int err = cr_call_take(req, call);

	if (err != RECAP_OK)
		return err;
	cr_call_make(env, dst, call);
	return cr_call_answer(req, call);
}
