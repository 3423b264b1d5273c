/*
 * cpu.c — cr's CPU session object: the child's threads, by the index core
 * gave them, with their names, gate badges and where they were started.
 */
#include <recap/cpu_session.h>
#include <recap/err.h>
#include <recap/string.h>

#include "forward.h"
#include "intercept.h"

static int created(struct cr_child *c, struct cr_call *call, char const *name)
{
	unsigned long index;
	recap_badge_t gate;
	struct rpc_msg m;

	cr_call_reply(call, &m);
	index = rpc_msg_get_word(&m);
	gate = rpc_msg_get_word(&m);
	if (m.err != RECAP_OK || call->nret_caps != 1 || index >= CR_MAX_THREADS)
		return RECAP_ERR_INVAL;
	c->threads[index] = (struct cr_thread){ .used = true,
						.cap = call->ret_caps[0],
						.gate_badge = gate };
	RECAP_STRING_NAME(strlcpy)(c->threads[index].name, name,
				   sizeof(c->threads[index].name));
	return RECAP_OK;
}

int cr_intercept_cpu(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_child *c = s->child;
	char name[CR_THREAD_NAME_MAX + 1] = "";
	unsigned long ip = 0, sp = 0;
	struct cr_call call;
	struct rpc_msg m;
	int t = -1;
	int err = cr_call_take(req, &call);

	if (err != RECAP_OK)
		return err;
	cr_call_args(&call, &m);
	switch (call.op) {
	case RECAP_CPU_CREATE_THREAD:
		rpc_msg_get_string(&m, name, sizeof(name));
		break;
	case RECAP_CPU_START:
		ip = rpc_msg_get_word(&m);
		sp = rpc_msg_get_word(&m);
		/* fall through */
	case RECAP_CPU_KILL_THREAD:
	case RECAP_CPU_PAUSE:
	case RECAP_CPU_RESUME:
	case RECAP_CPU_STATE_SET:
		if (m.err != RECAP_OK || call.narg_caps < 1)
			return RECAP_ERR_INVAL;
		t = cr_thread_find(c, call.arg_caps[0]);
		if (t < 0)
			return RECAP_ERR_NOENT;
		break;
	}
	if (cr_call_make(c->env, s->real, &call) != RECAP_OK)
		return call.result;
	switch (call.op) {
	case RECAP_CPU_CREATE_THREAD:
		err = created(c, &call, name);
		if (err != RECAP_OK)
			return err;
		break;
	case RECAP_CPU_START:
		c->threads[t].started = true;
		c->threads[t].ip = ip;
		c->threads[t].sp = sp;
		break;
	case RECAP_CPU_KILL_THREAD:
		c->threads[t].used = false;
		break;
	/* A thread the child paused itself stays paused through a
	 * checkpoint and a restore. */
	case RECAP_CPU_PAUSE:
		c->threads[t].held = true;
		break;
	case RECAP_CPU_RESUME:
		c->threads[t].held = false;
		break;
	case RECAP_CPU_STATE_SET:
		if (!c->threads[t].started)	/* core starts it paused */
			c->threads[t].started = c->threads[t].held = true;
		break;
	}
	return cr_call_answer(req, &call);
}
