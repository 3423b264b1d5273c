/*
 * ipc_gate — the IPC gate kernel object (see ipc_gate.h).
 *
 * Kernel protocol (L4_PROTO_KOBJECT, only through a capability carrying
 * L4_FPAGE_C_IPCGATE_SVR — Fiasco's newer rule, so that a client holding
 * R|W|S cannot rebind the gate it was given):
 *   bind      mr0 = L4_RCV_EP_BIND_OP, mr1 = label, map item naming the thread
 *   get_info  mr0 = L4_IPC_GATE_GET_INFO_OP -> mr0 = label
 *   hold      mr0 = L4X_IPC_GATE_HOLD_OP, mr1 = 1 / 0 (recap, l4/sys/x.h):
 *             the gate keeps its callers over its thread's death, until
 *             it is bound again; letting go of an unbound gate fails them
 */
#include <stdlib.h>

#include <l4/sys/consts.h>
#include <l4/sys/ipc_gate.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/sys/x.h>

#include "ipc.h"
#include "ipc_gate.h"
#include "kerr.h"
#include "objtab.h"
#include "thread.h"

static void ipc_gate_destroy(struct kobj *o)
{
	struct ipc_gate *g = (struct ipc_gate *)o;
	ipc_gate_fail_parked(g);
	if (g->thread)
		kobj_unpin(&g->thread->kobj);
	g->thread = NULL;
}

static void ipc_gate_free(struct kobj *o)
{
	objtab_remove(o);
	free(o);
}

static unsigned long ipc_gate_obj_id(struct kobj const *o)
{
	return ((struct ipc_gate const *)o)->label;
}

static const struct kobj_ops ipc_gate_ops = {
	.name = "gate",
	.destroy = ipc_gate_destroy,
	.free = ipc_gate_free,
	.obj_id = ipc_gate_obj_id,
};

int ipc_gate_bind(struct ipc_gate *g, struct thread *thread, l4_umword_t label)
{
	if (label & 3)
		return KERR_INVAL;
	if (thread)
		kobj_pin(&thread->kobj);
	if (g->thread)
		kobj_unpin(&g->thread->kobj);
	g->thread = thread;
	g->label = label;
	/* Calls that waited for a thread while the gate was held. */
	if (thread)
		ipc_gate_unpark(g, thread);
	return KERR_OK;
}

int ipc_gate_create(struct thread *thread, l4_umword_t label, struct ipc_gate **out)
{
	if (label & 3)
		return KERR_INVAL;
	struct ipc_gate *g = calloc(1, sizeof(*g));
	if (!g)
		return KERR_NOMEM;
	kobj_init(&g->kobj, KOBJ_GATE, &ipc_gate_ops);
	list_init(&g->senders);
	objtab_add(&g->kobj);
	ipc_gate_bind(g, thread, label);
	*out = g;
	return KERR_OK;
}

l4_umword_t ipc_gate_label_for(struct ipc_gate const *g, unsigned rights)
{
	return g->label | (rights & (L4_CAP_FPAGE_W | L4_CAP_FPAGE_S));
}

l4_msgtag_t ipc_gate_invoke(struct ipc_gate *g, unsigned rights,
			    struct thread *caller, l4_msgtag_t tag)
{
	l4_msg_regs_t *mr = l4_utcb_mr_u(caller->utcb);
	unsigned words = l4_msgtag_words(tag);
	if (words < 1)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);

	switch (mr->mr[0]) {
	case L4_RCV_EP_BIND_OP: {
		if (!(rights & L4_CAP_FPAGE_S))
			return l4_msgtag(KERR_PERM, 0, 0, 0);
		if (words < 2 || l4_msgtag_items(tag) < 1)
			return l4_msgtag(KERR_INVAL, 0, 0, 0);
		struct thread *t = thread_from_item(caller, &mr->mr[words]);
		if (!t)
			return l4_msgtag(KERR_INVAL, 0, 0, 0);
		return l4_msgtag(ipc_gate_bind(g, t, mr->mr[1]), 0, 0, 0);
	}
	case L4X_IPC_GATE_HOLD_OP:
		if (!(rights & L4_CAP_FPAGE_S))
			return l4_msgtag(KERR_PERM, 0, 0, 0);
		if (words < 2)
			return l4_msgtag(KERR_INVAL, 0, 0, 0);
		g->held = mr->mr[1] != 0;
		if (!g->held && !g->thread)
			ipc_gate_fail_parked(g);
		return l4_msgtag(0, 0, 0, 0);
	case L4_IPC_GATE_GET_INFO_OP:
		mr->mr[0] = g->label;
		return l4_msgtag(0, 1, 0, 0);
	default:
		return l4_msgtag(KERR_NOSYS, 0, 0, 0);
	}
}

static void ipc_gate_unbind_if(struct kobj *o, void *arg)
{
	struct ipc_gate *g = (struct ipc_gate *)o;
	if (g->thread == arg) {
		if (g->held)
			ipc_gate_park(g, g->thread);
		kobj_unpin(&g->thread->kobj);
		g->thread = NULL;
	}
}

void ipc_gate_thread_gone(struct thread *t)
{
	objtab_for_each(KOBJ_GATE, ipc_gate_unbind_if, t);
}
