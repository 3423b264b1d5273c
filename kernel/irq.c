/*
 * irq — the IRQ kernel object (see irq.h for its invariants).
 *
 * Operations (L4_PROTO_IRQ unless noted):
 *   trigger     send, no words or mr0 = L4_IRQ_OP_TRIGGER: count one trigger
 *   receive     call, mr0 = L4_IRQ_OP_EOI: closed wait for this IRQ
 *   wait        send-and-wait, mr0 = L4_IRQ_OP_EOI: open wait
 *   unmask      send, mr0 = L4_IRQ_OP_EOI: nothing to do for a soft IRQ
 *   attach      L4_PROTO_KOBJECT op L4_RCV_EP_BIND_OP, or L4_PROTO_IRQ_SENDER
 *               op ATTACH: mr1 label, map item naming the thread
 *   detach      L4_PROTO_IRQ_SENDER op DETACH
 */
#include <stdlib.h>
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/irq.h>
#include <l4/sys/rcv_endpoint.h>

#include "ipc.h"
#include "irq.h"
#include "kerr.h"
#include "loop.h"
#include "objtab.h"
#include "thread.h"

static void irq_unbind_fd(struct irq *q)
{
	if (q->host_fd < 0)
		return;
	loop_unwatch(q->host_fd);
	close(q->host_fd);
	q->host_fd = -1;
}

static void irq_destroy(struct kobj *o)
{
	irq_unbind_fd((struct irq *)o);
	irq_detach((struct irq *)o);
}

static void irq_fd_ready(void *arg)
{
	irq_trigger(arg);	/* stays masked (one-shot) until the EOI */
}

int irq_bind_fd(struct irq *q, int fd)
{
	irq_unbind_fd(q);
	if (loop_watch_once(fd, irq_fd_ready, q) < 0)
		return KERR_INVAL;
	q->host_fd = fd;
	return KERR_OK;
}

/*
 * The receiver acknowledged the IRQ. A descriptor-bound IRQ is a level:
 * whatever it signalled before is void now, and it triggers again as soon
 * as (or if still) the descriptor is readable.
 */
static void irq_eoi(struct irq *q)
{
	if (q->host_fd < 0)
		return;
	q->count = 0;
	list_del(&q->queue_link.node);
	loop_rearm(q->host_fd);
}

static void irq_free(struct kobj *o)
{
	objtab_remove(o);
	free(o);
}

static unsigned long irq_obj_id(struct kobj const *o)
{
	return ((struct irq const *)o)->label;
}

static const struct kobj_ops irq_ops = {
	.name = "irq",
	.destroy = irq_destroy,
	.free = irq_free,
	.obj_id = irq_obj_id,
};

int irq_create(struct irq **out)
{
	struct irq *q = calloc(1, sizeof(*q));
	if (!q)
		return KERR_NOMEM;
	kobj_init(&q->kobj, KOBJ_IRQ, &irq_ops);
	q->queue_link.kind = SENDER_IRQ;
	q->host_fd = -1;
	objtab_add(&q->kobj);
	*out = q;
	return KERR_OK;
}

/* A paused or frozen thread takes nothing (as for messages, ipc.c): a
 * checkpoint reads its state and the IRQ's count while it is paused, and a
 * trigger taken in between would be in neither. It stays counted until
 * the thread runs again (ipc_resumed). */
static bool irq_waited_for(struct irq const *q, struct thread const *t)
{
	if (t->paused || t->dead)
		return false;
	return t->ipc == THREAD_IPC_WAIT ||
	       (t->ipc == THREAD_IPC_RECV && t->recv_irq == q);
}

void irq_trigger(struct irq *q)
{
	q->count++;
	struct thread *t = q->thread;
	if (!t)
		return;
	if (irq_waited_for(q, t)) {
		q->count--;
		list_del(&q->queue_link.node);
		ipc_deliver_irq(t, q->label);
	} else if (!list_linked(&q->queue_link.node)) {
		list_add_tail(&t->senders, &q->queue_link.node);
	}
}

int irq_consume(struct irq *q)
{
	if (!q->count)
		return 0;
	q->count--;
	return 1;
}

int irq_attach(struct irq *q, struct thread *t, l4_umword_t label)
{
	irq_detach(q);
	kobj_pin(&t->kobj);
	q->thread = t;
	q->label = label;
	if (q->count)
		list_add_tail(&t->senders, &q->queue_link.node);
	return KERR_OK;
}

void irq_detach(struct irq *q)
{
	struct thread *t = q->thread;
	if (!t)
		return;
	list_del(&q->queue_link.node);
	if (t->recv_irq == q && t->ipc == THREAD_IPC_RECV) {
		ipc_cancel(t, true);
	}
	q->thread = NULL;
	kobj_unpin(&t->kobj);
}

static l4_msgtag_t irq_result(long r)
{
	return l4_msgtag(r, 0, 0, 0);
}

l4_msgtag_t irq_invoke(struct irq *q, unsigned rights, struct thread *caller,
		       l4_msgtag_t tag, l4_umword_t flags, bool *blocked)
{
	l4_msg_regs_t *mr = l4_utcb_mr_u(caller->utcb);
	long proto = l4_msgtag_label(tag);
	unsigned words = l4_msgtag_words(tag);
	(void)rights;

	if (proto == L4_PROTO_IRQ) {
		l4_umword_t op = words ? mr->mr[0] : L4_IRQ_OP_TRIGGER;
		if (op == L4_IRQ_OP_TRIGGER) {
			irq_trigger(q);
			return irq_result(0);
		}
		if (op != L4_IRQ_OP_EOI)
			return irq_result(KERR_NOSYS);
		irq_eoi(q);
		if (!(flags & L4_SYSF_RECV))
			return irq_result(0);	/* unmask: soft IRQs are never masked */
		if (q->thread != caller)
			return irq_result(KERR_NOENT);
		*blocked = true;
		if (flags & L4_SYSF_OPEN_WAIT)
			ipc_receive_phase(caller);
		else
			ipc_receive_from_irq(caller, q);
		return irq_result(0);
	}

	bool bind = (proto == L4_PROTO_KOBJECT && words >= 2 &&
		     mr->mr[0] == L4_RCV_EP_BIND_OP) ||
		    (proto == L4_PROTO_IRQ_SENDER && words >= 2 &&
		     mr->mr[0] == L4_IRQ_SENDER_OP_ATTACH);
	if (bind) {
		if (l4_msgtag_items(tag) < 1)
			return irq_result(KERR_INVAL);
		struct thread *t = thread_from_item(caller, &mr->mr[words]);
		if (!t)
			return irq_result(KERR_INVAL);
		return irq_result(irq_attach(q, t, mr->mr[1]));
	}
	if (proto == L4_PROTO_IRQ_SENDER && words >= 1 &&
	    mr->mr[0] == L4_IRQ_SENDER_OP_DETACH) {
		irq_detach(q);
		return irq_result(0);
	}
	return irq_result(proto == L4_PROTO_IRQ_SENDER || proto == L4_PROTO_KOBJECT
				  ? KERR_NOSYS : KERR_BADPROTO);
}

static void irq_detach_if(struct kobj *o, void *arg)
{
	struct irq *q = (struct irq *)o;
	if (q->thread == arg)
		irq_detach(q);
}

void irq_thread_gone(struct thread *t)
{
	objtab_for_each(KOBJ_IRQ, irq_detach_if, t);
}
