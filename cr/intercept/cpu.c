/*
 * cpu.c — cr's CPU session object: the child's threads, by the index core
 * gave them, with their names, gate badges and where they were started.
 * The kernel ids the child sees of them are cr's (ids.c): THREAD_ID's
 * answer, and the pending call in the dataspace of STATE_GET and
 * STATE_SET.
 */
#include <recap/cpu_session.h>
#include <recap/err.h>
#include <recap/region_map.h>
#include <recap/string.h>

#include "../capspace_record.h"
#include "../cr.h"
#include "../real.h"
#include "forward.h"
#include "ids.h"
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

/* The child's dataspace d, attached in cr at *state. */
static int child_state(struct cr_child *c, int d, struct l4x_thread_state **state)
{
	unsigned long addr;
	int err;

	if (c->ds[d].size < sizeof(**state))
		return RECAP_ERR_RANGE;
	err = recap_rm_attach(c->env, c->ds[d].cap, 0, 0, RECAP_RM_ANYWHERE,
			      L4_FPAGE_RW, &addr);
	*state = (struct l4x_thread_state *)addr;
	return err;
}

/* STATE_GET: core wrote this run's ids; the child sees cr's. */
static void got_state(struct cr_child *c, int d)
{
	struct l4x_thread_state *state;

	if (d < 0 || child_state(c, d, &state) != RECAP_OK)
		return;
	cr_ids_pending_to_child(c, &state->pending);
	recap_rm_detach(c->env, (unsigned long)state);
}

/*
 * STATE_SET of thread t from the child's dataspace d, its ids made this
 * run's in a copy in cr's scratch buffer (cr.h): the child's dataspace
 * keeps what it wrote. False if d cannot be read (too small): then the
 * child's own call goes to core, whose answer it gets.
 */
static bool set_state(struct cr_session *s, int t, int d, int *result)
{
	struct cr_child *c = s->child;
	struct cr_buffer *b = &c->cr->scratch;
	struct l4x_thread_state *state, *copy;

	if (child_state(c, d, &state) != RECAP_OK)
		return false;
	*result = cr_buffer_get(c->cr, b, sizeof(*copy));
	if (*result != RECAP_OK) {
		recap_rm_detach(c->env, (unsigned long)state);
		return true;
	}
	copy = b->buf;
	RECAP_STRING_NAME(memcpy)(copy, state, sizeof(*copy));
	recap_rm_detach(c->env, (unsigned long)state);
	cr_ids_pending_from_child(c, &copy->pending);
	*result = cr_real_thread_state(c->env, s->real, RECAP_CPU_STATE_SET,
				       c->threads[t].cap, b->ds.cap);
	return true;
}

/* The kernel unbinds a killed thread's gates: they lead nowhere now, and
 * a later thread at the same index must not get them on a restore. */
static void gates_orphan(struct cr_child *c, unsigned t)
{
	for (unsigned i = 0; i < CR_MAX_RPC_GATES; i++)
		if (c->rpc_gates[i].used && c->rpc_gates[i].thread == t)
			c->rpc_gates[i].thread = CAPS_THREAD_GONE;
}

int cr_intercept_cpu(struct recap_rpc_object *obj, struct recap_rpc_request *req)
{
	struct cr_session *s = cr_session_of(obj);
	struct cr_child *c = s->child;
	char name[CR_THREAD_NAME_MAX + 1] = "";
	unsigned long ip = 0, sp = 0;
	struct cr_call call;
	struct rpc_msg m;
	int t = -1, d = -1;
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
		if (call.op == RECAP_CPU_STATE_SET && call.narg_caps == 2)
			d = cr_ds_find(c, call.arg_caps[1]);
		break;
	case RECAP_CPU_STATE_GET:
		if (call.narg_caps == 2)
			d = cr_ds_find(c, call.arg_caps[1]);
		/* fall through */
	case RECAP_CPU_THREAD_ID:
		if (call.narg_caps >= 1)
			t = cr_thread_find(c, call.arg_caps[0]);
		break;
	}
	if (call.op == RECAP_CPU_STATE_SET && d >= 0 && set_state(s, t, d, &err)) {
		if (err != RECAP_OK)
			return err;
		call.result = RECAP_OK;
		call.nret = call.nret_caps = 0;
	} else if (cr_call_make(c->env, s->real, &call) != RECAP_OK) {
		return call.result;
	}
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
		gates_orphan(c, (unsigned)t);
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
	case RECAP_CPU_STATE_GET:
		if (t >= 0)
			got_state(c, d);
		break;
	case RECAP_CPU_THREAD_ID:
		if (t >= 0 && call.nret == 1) {
			c->threads[t].id = call.ret[0];
			call.ret[0] = cr_ids_thread_vid(c, (unsigned)t);
		}
		break;
	}
	return cr_call_answer(req, &call);
}
