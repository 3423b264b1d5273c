/*
 * factory — the Factory kernel object (see factory.h).
 *
 * Message: mr0 = protocol of the object to create (L4_PROTO_TASK,
 * L4_PROTO_THREAD, 0 for a gate, L4_PROTO_IRQ_SENDER), further words per
 * kind; the caller's br[0] names the slot for the new capability.
 * Decode first (everything checked), then create; a creation that fails
 * leaves the caller's capability space untouched.
 */
#include <stdlib.h>

#include <l4/sys/consts.h>
#include <l4/sys/factory.h>

#include "factory.h"
#include "ipc_gate.h"
#include "irq.h"
#include "kerr.h"
#include "objtab.h"
#include "task.h"
#include "thread.h"

static void factory_free(struct kobj *o)
{
	objtab_remove(o);
	free(o);
}

static const struct kobj_ops factory_ops = { .name = "factory", .free = factory_free };

int factory_create(struct factory **out)
{
	struct factory *f = calloc(1, sizeof(*f));
	if (!f)
		return KERR_NOMEM;
	kobj_init(&f->kobj, KOBJ_FACTORY, &factory_ops);
	objtab_add(&f->kobj);
	*out = f;
	return KERR_OK;
}

/* Create the object the message asks for. */
static int factory_make(struct thread *caller, l4_msgtag_t tag, struct kobj **out)
{
	l4_msg_regs_t *mr = l4_utcb_mr_u(caller->utcb);
	unsigned words = l4_msgtag_words(tag);
	long proto = (long)mr->mr[0];
	int r;

	switch (proto) {
	case L4_PROTO_TASK: {
		if (words < 2)
			return KERR_INVAL;
		struct task *t;
		l4_fpage_t utcb_area = { .raw = mr->mr[1] };
		r = task_create(utcb_area, true, &t);
		*out = r ? NULL : &t->kobj;
		return r;
	}
	case L4_PROTO_THREAD: {
		struct thread *th;
		r = thread_create(&th);
		*out = r ? NULL : &th->kobj;
		return r;
	}
	case 0: {	/* IPC gate, optionally bound to a thread */
		if (words < 2)
			return KERR_INVAL;
		struct thread *th = NULL;
		if (l4_msgtag_items(tag) >= 1) {
			th = thread_from_item(caller, &mr->mr[words]);
			if (!th)
				return KERR_INVAL;
		}
		struct ipc_gate *g;
		r = ipc_gate_create(th, mr->mr[1], &g);
		*out = r ? NULL : &g->kobj;
		return r;
	}
	case L4_PROTO_IRQ_SENDER: {
		struct irq *q;
		r = irq_create(&q);
		*out = r ? NULL : &q->kobj;
		return r;
	}
	default:
		return KERR_NOSYS;
	}
}

l4_msgtag_t factory_invoke(struct factory *f, unsigned rights,
			   struct thread *caller, l4_msgtag_t tag)
{
	(void)f;
	if (l4_msgtag_label(tag) != L4_PROTO_FACTORY)
		return l4_msgtag(KERR_BADPROTO, 0, 0, 0);
	if (!(rights & L4_CAP_FPAGE_S))
		return l4_msgtag(KERR_PERM, 0, 0, 0);
	if (l4_msgtag_words(tag) < 1)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);

	l4_umword_t br = l4_utcb_br_u(caller->utcb)->br[0];
	if ((br & L4_RCV_ITEM_SINGLE_CAP) != L4_RCV_ITEM_SINGLE_CAP)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);
	unsigned long slot = br >> L4_CAP_SHIFT;
	if (slot >= CAPSPACE_SLOTS)
		return l4_msgtag(KERR_RANGE, 0, 0, 0);

	struct kobj *o;
	int r = factory_make(caller, tag, &o);
	if (r)
		return l4_msgtag(r, 0, 0, 0);
	r = capspace_insert_root(&caller->task->caps, slot, o);
	if (r) {
		kobj_destroy(o);
		return l4_msgtag(r, 0, 0, 0);
	}
	return l4_msgtag(0, 0, 0, 0);
}
