/*
 * ipc — the IPC engine (see ipc.h for the semantics).
 *
 * Every function here runs to completion in recapd's single event loop: a
 * system call either finishes at once (thread_complete) or leaves the
 * thread in a recorded wait state (SEND / RECV / WAIT) from which a partner,
 * an IRQ, a timeout or a cancellation finishes it later. Nothing blocks.
 *
 * Invariants (in addition to thread.h's):
 *  - A thread is on ipc_timeouts iff its deadline is > IPC_DEADLINE_ZERO.
 *  - A message transfer happens only between a sender in (or entering) the
 *    send phase and a receiver that waits for it; both finish that phase.
 */
#include <string.h>
#include <time.h>

#include <l4/sys/consts.h>
#include <l4/sys/ipc.h>
#include <l4/sys/types.h>

#include "factory.h"
#include "hostobj.h"
#include "ipc.h"
#include "ipc_gate.h"
#include "irq.h"
#include "kerr.h"
#include "log.h"
#include "task.h"
#include "thread.h"

/* Deadline values with a meaning of their own. */
#define IPC_DEADLINE_NEVER 0
#define IPC_DEADLINE_ZERO 1

/* Threads with a finite timeout pending: the kernel's timeout queue. */
static struct list ipc_timeouts = { { &ipc_timeouts.head, &ipc_timeouts.head } };

uint64_t ipc_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * l4_timeout_s: 0 is "never"; bit 15 marks an absolute timeout (not
 * supported: treated as never); otherwise mantissa (bits 0-9) << exponent
 * (bits 10-14) microseconds, where a zero mantissa means "zero timeout".
 */
uint64_t ipc_timeout_deadline(unsigned t16)
{
	t16 &= 0xffff;
	if (t16 == 0 || (t16 & 0x8000))
		return IPC_DEADLINE_NEVER;
	uint64_t man = t16 & 0x3ff, exp = (t16 >> 10) & 0x1f;
	if (man == 0)
		return IPC_DEADLINE_ZERO;
	return ipc_now() + (man << exp) * 1000ull;
}

static unsigned ipc_snd_timeout(struct thread const *th)
{
	return (unsigned)(th->req.timeout >> 16) & 0xffff;
}

static unsigned ipc_rcv_timeout(struct thread const *th)
{
	return (unsigned)th->req.timeout & 0xffff;
}

void ipc_set_deadline(struct thread *th, uint64_t deadline)
{
	list_del(&th->timeout_link);
	th->deadline = deadline;
	if (deadline > IPC_DEADLINE_ZERO)
		list_add_tail(&ipc_timeouts, &th->timeout_link);
}

uint64_t ipc_next_deadline(void)
{
	uint64_t next = 0;
	list_for_each(n, &ipc_timeouts) {
		struct thread *th = list_entry(n, struct thread, timeout_link);
		if (!next || th->deadline < next)
			next = th->deadline;
	}
	return next;
}

/* ---- leaving a wait state ------------------------------------------------ */

/* Take th out of whatever wait it is in, without finishing its call. */
void ipc_unwait(struct thread *th)
{
	if (th->ipc == THREAD_IPC_SEND)
		list_del(&th->send_link.node);
	if (th->partner) {
		kobj_unpin(&th->partner->kobj);
		th->partner = NULL;
	}
	th->recv_irq = NULL;
	th->ipc = THREAD_IPC_NONE;
	ipc_set_deadline(th, IPC_DEADLINE_NEVER);
}

void ipc_set_partner(struct thread *th, struct thread *partner)
{
	if (partner)
		kobj_pin(&partner->kobj);
	if (th->partner)
		kobj_unpin(&th->partner->kobj);
	th->partner = partner;
}

void ipc_set_reply_to(struct thread *th, struct thread *caller)
{
	if (caller)
		kobj_pin(&caller->kobj);
	if (th->reply_to)
		kobj_unpin(&th->reply_to->kobj);
	th->reply_to = caller;
}

static void ipc_fail(struct thread *th, l4_umword_t err)
{
	ipc_unwait(th);
	thread_complete_error(th, err);
}

void ipc_expire(uint64_t now)
{
	list_for_each_safe(n, tmp, &ipc_timeouts) {
		struct thread *th = list_entry(n, struct thread, timeout_link);
		if (th->deadline > now)
			continue;
		if (th->ipc == THREAD_IPC_SEND) {
			ipc_fail(th, L4_IPC_SETIMEOUT);
		} else {
			/* A caller giving up on its reply: the callee's reply
			 * capability dies with it. */
			if (th->partner && th->partner->reply_to == th)
				ipc_set_reply_to(th->partner, NULL);
			ipc_fail(th, L4_IPC_RETIMEOUT);
		}
	}
}

/* ---- message transfer ---------------------------------------------------- */

/*
 * Copy the message of snd (tag in snd->req.tag) into rcv's UTCB, carrying
 * out its map items into rcv's receive buffers. Returns 0 or an IPC error
 * code for the sender (L4_IPC_SEMSGCUT, L4_IPC_SEMAPFAILED) — a failure in
 * the receiver's buffers is reported to both.
 */
static l4_umword_t ipc_transfer(struct thread *snd, struct thread *rcv)
{
	l4_msgtag_t tag = { .raw = (long)snd->req.tag };
	unsigned words = l4_msgtag_words(tag), items = l4_msgtag_items(tag);
	if (words + 2 * items > L4_UTCB_GENERIC_DATA_SIZE)
		return L4_IPC_SEMSGCUT;

	l4_msg_regs_t *smr = l4_utcb_mr_u(snd->utcb);
	l4_msg_regs_t *rmr = l4_utcb_mr_u(rcv->utcb);
	l4_buf_regs_t *rbr = l4_utcb_br_u(rcv->utcb);
	if (snd != rcv)
		memcpy(rmr->mr, smr->mr, (words + 2 * items) * sizeof(l4_umword_t));

	unsigned buf = 0;
	for (unsigned i = 0; i < items; i++) {
		l4_umword_t ctl = rmr->mr[words + 2 * i];
		l4_fpage_t fp = { .raw = rmr->mr[words + 2 * i + 1] };
		if (!(ctl & L4_ITEM_MAP) || l4_fpage_type(fp) != L4_FPAGE_OBJ)
			continue;	/* memory items: recap maps memory via l4x */
		if (buf >= L4_UTCB_GENERIC_BUFFERS_SIZE)
			return L4_IPC_SEMAPFAILED;
		l4_umword_t br = rbr->br[buf++];
		if ((br & L4_RCV_ITEM_SINGLE_CAP) != L4_RCV_ITEM_SINGLE_CAP)
			return L4_IPC_SEMAPFAILED;
		unsigned long src = (unsigned long)(fp.raw >> L4_CAP_SHIFT);
		unsigned long dst = (unsigned long)(br >> L4_CAP_SHIFT);
		int r = cap_transfer(&rcv->task->caps, dst, &snd->task->caps, src,
				     (unsigned)l4_fpage_rights(fp),
				     (unsigned)(ctl & 0xf0),
				     (ctl & L4_MAP_ITEM_GRANT) != 0);
		if (r < 0)
			return L4_IPC_SEMAPFAILED;
		/* Releasing the slot's occupant may have destroyed the sender
		 * or the receiver (the slot held its thread capability with D,
		 * or the last reference to its task): their tasks may be gone
		 * with them, so stop here (ipc_rendezvous sorts it out). */
		if (snd->kobj.destroyed || rcv->kobj.destroyed)
			return L4_IPC_SEMAPFAILED;
		/* Return item: "map something", or "nothing" for an empty source. */
		rmr->mr[words + 2 * i] = (br & ~0xfffUL) | L4_ITEM_MAP |
			(capspace_slot(&rcv->task->caps, dst) ? 0 : 2);
	}
	return 0;
}

/* ---- send ---------------------------------------------------------------- */

/* A paused or frozen receiver takes nothing: its state is being read. */
static bool ipc_waits_for(struct thread const *rcv, struct thread const *snd)
{
	if (rcv->paused || rcv->dead)
		return false;
	return rcv->ipc == THREAD_IPC_WAIT ||
	       (rcv->ipc == THREAD_IPC_RECV && rcv->partner == snd);
}

static l4_umword_t sys_flags(struct thread const *th)
{
	return th->req.dest & 0xf;
}

/* The send phase of snd is over: continue with its receive phase, or finish. */
static void ipc_after_send(struct thread *snd)
{
	if (sys_flags(snd) & L4_SYSF_RECV)
		ipc_receive_phase(snd);
	else
		thread_complete(snd, l4_msgtag(0, 0, 0, 0), 0);
}

/*
 * The transfer destroyed the sender or the receiver (or both). Their
 * destruction (ipc_thread_gone) already failed what waited on them: a
 * destroyed receiver fails its queued senders, a destroyed sender fails
 * a caller waiting for its reply. Finish the survivor if nothing did.
 */
static void ipc_rendezvous_broken(struct thread *snd, struct thread *rcv, bool snd_queued,
				  bool rcv_owed)
{
	bool snd_dead = snd->kobj.destroyed, rcv_dead = rcv->kobj.destroyed;
	if (!snd_dead && !(rcv_dead && snd_queued)) {
		if (snd->ipc == THREAD_IPC_SEND)
			ipc_unwait(snd);
		thread_complete_error(snd, rcv_dead ? L4_IPC_ENOT_EXISTENT : L4_IPC_SEMAPFAILED);
	}
	if (!rcv_dead && !(snd_dead && rcv_owed)) {
		ipc_unwait(rcv);
		thread_complete_error(rcv, L4_IPC_RECANCELED);
	}
}

static void ipc_rendezvous_pinned(struct thread *snd, struct thread *rcv);

/* snd meets rcv, which waits for it: move the message, finish both phases. */
static void ipc_rendezvous(struct thread *snd, struct thread *rcv)
{
	/* Either may be destroyed by the capability transfer: keep both. */
	kobj_pin(&snd->kobj);
	kobj_pin(&rcv->kobj);
	ipc_rendezvous_pinned(snd, rcv);
	kobj_unpin(&rcv->kobj);
	kobj_unpin(&snd->kobj);
}

static void ipc_rendezvous_pinned(struct thread *snd, struct thread *rcv)
{
	bool snd_queued = snd->ipc == THREAD_IPC_SEND && snd->partner == rcv;
	bool rcv_owed = snd->reply_to == rcv && rcv->ipc == THREAD_IPC_RECV &&
			rcv->partner == snd;
	l4_umword_t err = ipc_transfer(snd, rcv);
	l4_msgtag_t tag = { .raw = (long)snd->req.tag };
	bool call = snd->in_call;

	if (snd->kobj.destroyed || rcv->kobj.destroyed) {
		ipc_rendezvous_broken(snd, rcv, snd_queued, rcv_owed);
		return;
	}
	ipc_unwait(rcv);
	if (snd->ipc == THREAD_IPC_SEND)
		ipc_unwait(snd);
	if (err) {
		thread_complete_error(rcv, err == L4_IPC_SEMSGCUT ? L4_IPC_REMSGCUT
								  : L4_IPC_REMAPFAILED);
		thread_complete_error(snd, err);
		return;
	}
	if (call)
		ipc_set_reply_to(rcv, snd);
	tag.raw &= ~(long)L4_MSGTAG_ERROR;
	thread_complete(rcv, tag, snd->snd_label);

	if (!call) {
		ipc_after_send(snd);
		return;
	}
	/* The receive half of a call: a closed wait for the callee's reply. */
	uint64_t dl = ipc_timeout_deadline(ipc_rcv_timeout(snd));
	if (dl == IPC_DEADLINE_ZERO) {
		ipc_set_reply_to(rcv, NULL);
		thread_complete_error(snd, L4_IPC_RETIMEOUT);
		return;
	}
	snd->ipc = THREAD_IPC_RECV;
	ipc_set_partner(snd, rcv);
	ipc_set_deadline(snd, dl);
}

/* Send th's message to thread rcv with label; queue if rcv is not ready. */
static void ipc_send_to(struct thread *th, struct thread *rcv, l4_umword_t label)
{
	th->snd_label = label;
	th->in_call = (sys_flags(th) & (L4_SYSF_RECV | L4_SYSF_OPEN_WAIT)) == L4_SYSF_RECV;
	if (ipc_waits_for(rcv, th)) {
		ipc_rendezvous(th, rcv);
		return;
	}
	uint64_t dl = ipc_timeout_deadline(ipc_snd_timeout(th));
	if (dl == IPC_DEADLINE_ZERO) {
		thread_complete_error(th, L4_IPC_SETIMEOUT);
		return;
	}
	th->ipc = THREAD_IPC_SEND;
	ipc_set_partner(th, rcv);
	list_add_tail(&rcv->senders, &th->send_link.node);
	ipc_set_deadline(th, dl);
}

/* A call through a held gate with no thread: it waits on the gate. */
static void ipc_send_parked(struct thread *th, struct ipc_gate *g, l4_umword_t label)
{
	th->snd_label = label;
	th->in_call = (sys_flags(th) & (L4_SYSF_RECV | L4_SYSF_OPEN_WAIT)) == L4_SYSF_RECV;
	uint64_t dl = ipc_timeout_deadline(ipc_snd_timeout(th));
	if (dl == IPC_DEADLINE_ZERO) {
		thread_complete_error(th, L4_IPC_SETIMEOUT);
		return;
	}
	th->ipc = THREAD_IPC_SEND;
	ipc_set_partner(th, NULL);
	list_add_tail(&g->senders, &th->send_link.node);
	ipc_set_deadline(th, dl);
}

/* A kernel object answered th's invocation with tag (result in th's UTCB). */
static void ipc_kernel_reply(struct thread *th, l4_msgtag_t tag)
{
	thread_complete(th, tag, 0);
}

static void ipc_reply(struct thread *th)
{
	struct thread *caller = th->reply_to;
	if (caller)
		kobj_pin(&caller->kobj);
	ipc_set_reply_to(th, NULL);
	if (!caller || caller->ipc != THREAD_IPC_RECV || caller->partner != th) {
		if (caller)
			kobj_unpin(&caller->kobj);
		thread_complete_error(th, L4_IPC_ENOT_EXISTENT);
		return;
	}
	th->snd_label = 0;
	th->in_call = false;
	ipc_rendezvous(th, caller);
	kobj_unpin(&caller->kobj);
}

/* Invoke a kernel object or send to a thread / through a gate. */
static void ipc_invoke(struct thread *th, struct cap_slot *slot)
{
	l4_msgtag_t tag = { .raw = (long)th->req.tag };
	long proto = l4_msgtag_label(tag);
	unsigned rights = slot->rights | L4_CAP_FPAGE_R;
	struct kobj *o = slot->obj;

	switch (o->kind) {
	case KOBJ_THREAD:
		if (proto == L4_PROTO_THREAD)
			ipc_kernel_reply(th, thread_invoke(thread_of(o), rights, th, tag));
		else
			ipc_send_to(th, thread_of(o), th->req.label);
		return;
	case KOBJ_GATE: {
		struct ipc_gate *g = (struct ipc_gate *)o;
		if (proto == L4_PROTO_KOBJECT && (slot->ctl & L4_FPAGE_C_IPCGATE_SVR))
			ipc_kernel_reply(th, ipc_gate_invoke(g, rights, th, tag));
		else if (!g->thread && g->held)
			ipc_send_parked(th, g, ipc_gate_label_for(g, rights));
		else if (!g->thread)
			thread_complete_error(th, L4_IPC_ENOT_EXISTENT);
		else
			ipc_send_to(th, g->thread, ipc_gate_label_for(g, rights));
		return;
	}
	case KOBJ_IRQ: {
		bool blocked = false;
		l4_msgtag_t r = irq_invoke((struct irq *)o, rights, th, tag,
					   sys_flags(th), &blocked);
		if (!blocked)
			ipc_kernel_reply(th, r);
		return;
	}
	case KOBJ_TASK:
		ipc_kernel_reply(th, task_invoke(task_of(o), rights, th, tag));
		return;
	case KOBJ_FACTORY:
		ipc_kernel_reply(th, factory_invoke((struct factory *)o, rights, th, tag));
		return;
	case KOBJ_LOG:
		ipc_kernel_reply(th, log_invoke((struct log *)o, rights, th, tag));
		return;
	case KOBJ_HOST:
		ipc_kernel_reply(th, hostobj_invoke((struct hostobj *)o, rights, th, tag));
		return;
	default:
		thread_complete_error(th, L4_IPC_ENOT_EXISTENT);
	}
}

void ipc_syscall(struct thread *th)
{
	l4_umword_t flags = sys_flags(th);
	th->in_call = false;

	if (flags & L4_SYSF_REPLY) {
		ipc_reply(th);
		return;
	}
	if (flags & L4_SYSF_SEND) {
		struct cap_slot *slot = capspace_lookup(&th->task->caps, th->req.dest);
		if (!slot)
			thread_complete_error(th, L4_IPC_ENOT_EXISTENT);
		else
			ipc_invoke(th, slot);
		return;
	}
	if (flags & L4_SYSF_RECV) {
		ipc_receive_phase(th);
		return;
	}
	thread_complete(th, l4_msgtag(0, 0, 0, 0), 0);
}

/* ---- receive -------------------------------------------------------------- */

void ipc_deliver_irq(struct thread *rcv, l4_umword_t label)
{
	ipc_unwait(rcv);
	thread_complete(rcv, l4_msgtag(L4_PROTO_IRQ, 0, 0, 0), label);
}

/* Take the first queued sender of th (a thread or an IRQ), if any. */
static bool ipc_take_sender(struct thread *th)
{
	list_for_each_safe(n, tmp, &th->senders) {
		struct irq *q = irq_of_queue_link(n);
		if (q) {
			list_del(&q->queue_link.node);
			if (!irq_consume(q))
				continue;
			if (q->count)
				list_add_tail(&th->senders, &q->queue_link.node);
			ipc_deliver_irq(th, q->label);
			return true;
		}
		struct thread *s = list_entry(n, struct thread, send_link.node);
		/* A paused sender's state is being read (a checkpoint records
		 * its call as not sent): its message stays queued until it runs
		 * again (ipc_resumed), or a restore would send it a second time. */
		if (s->paused)
			continue;
		ipc_rendezvous(s, th);
		return true;
	}
	return false;
}

static void ipc_wait(struct thread *th, enum thread_ipc how)
{
	uint64_t dl = ipc_timeout_deadline(ipc_rcv_timeout(th));
	if (dl == IPC_DEADLINE_ZERO) {
		/* Forget whom we were to wait for (partner, recv_irq): left
		 * behind, they would let that partner or IRQ end a later,
		 * different closed wait. */
		ipc_fail(th, L4_IPC_RETIMEOUT);
		return;
	}
	th->ipc = how;
	ipc_set_deadline(th, dl);
}

/* A closed wait for thread from: take it if it is already queued on th. */
void ipc_receive_from_thread(struct thread *th, struct thread *from)
{
	if (from->ipc == THREAD_IPC_SEND && from->partner == th && !from->paused) {
		ipc_rendezvous(from, th);
		return;
	}
	ipc_set_partner(th, from);
	ipc_wait(th, THREAD_IPC_RECV);
}

void ipc_receive_from_irq(struct thread *th, struct irq *q)
{
	if (irq_consume(q)) {
		if (!q->count)
			list_del(&q->queue_link.node);
		ipc_deliver_irq(th, q->label);
		return;
	}
	th->recv_irq = q;
	ipc_wait(th, THREAD_IPC_RECV);
}

void ipc_receive_phase(struct thread *th)
{
	if (sys_flags(th) & L4_SYSF_OPEN_WAIT) {
		if (!ipc_take_sender(th))
			ipc_wait(th, THREAD_IPC_WAIT);
		return;
	}
	if (!l4_is_valid_cap(th->req.dest)) {
		/* Nothing can come from the invalid cap: a sleep (l4_ipc_sleep). */
		ipc_wait(th, THREAD_IPC_RECV);
		return;
	}
	struct cap_slot *slot = capspace_lookup(&th->task->caps, th->req.dest);
	if (slot && slot->obj->kind == KOBJ_THREAD)
		ipc_receive_from_thread(th, thread_of(slot->obj));
	else if (slot && slot->obj->kind == KOBJ_IRQ &&
		 ((struct irq *)slot->obj)->thread == th)
		ipc_receive_from_irq(th, (struct irq *)slot->obj);
	else
		thread_complete_error(th, L4_IPC_ENOT_EXISTENT | 1 /* receive phase */);
}

/* ---- cancellation --------------------------------------------------------- */

void ipc_cancel(struct thread *th, bool notify_self)
{
	enum thread_ipc was = th->ipc;
	if (th->partner && th->partner->reply_to == th)
		ipc_set_reply_to(th->partner, NULL);
	ipc_unwait(th);
	if (notify_self && was != THREAD_IPC_NONE)
		thread_complete_error(th, was == THREAD_IPC_SEND ? L4_IPC_SECANCELED
								 : L4_IPC_RECANCELED);
}

void ipc_thread_gone(struct thread *th)
{
	ipc_cancel(th, false);
	/* Its senders can never be received: fail them. */
	while (!list_empty(&th->senders)) {
		struct list_node *n = list_first(&th->senders);
		struct irq *q = irq_of_queue_link(n);
		if (q) {
			list_del(n);
			continue;
		}
		ipc_fail(list_entry(n, struct thread, send_link.node), L4_IPC_ENOT_EXISTENT);
	}
	/* A caller waiting for its reply from th gets none. */
	if (th->reply_to) {
		struct thread *caller = th->reply_to;
		ipc_set_reply_to(th, NULL);
		if (caller->ipc == THREAD_IPC_RECV && caller->partner == th)
			ipc_fail(caller, L4_IPC_RECANCELED);
	}
}

/* ---- held gates (ipc_gate.h) --------------------------------------------- */

void ipc_gate_park(struct ipc_gate *g, struct thread *t)
{
	list_for_each_safe(n, tmp, &t->senders) {
		if (irq_of_queue_link(n))
			continue;
		struct thread *s = list_entry(n, struct thread, send_link.node);
		if ((s->snd_label & ~3UL) != g->label)
			continue;
		list_del(n);
		ipc_set_partner(s, NULL);
		list_add_tail(&g->senders, n);
	}
}

void ipc_gate_unpark(struct ipc_gate *g, struct thread *t)
{
	list_for_each_safe(n, tmp, &g->senders) {
		struct thread *s = list_entry(n, struct thread, send_link.node);
		list_del(n);
		ipc_set_partner(s, t);
		list_add_tail(&t->senders, n);
	}
	if (t->ipc == THREAD_IPC_WAIT)
		ipc_resumed(t);
}

void ipc_gate_fail_parked(struct ipc_gate *g)
{
	while (!list_empty(&g->senders))
		ipc_fail(list_entry(list_first(&g->senders), struct thread, send_link.node),
			 L4_IPC_ENOT_EXISTENT);
}

void ipc_resumed(struct thread *th)
{
	if (th->paused || th->dead)
		return;
	if (th->ipc == THREAD_IPC_WAIT) {
		ipc_take_sender(th);
		return;
	}
	struct thread *p = th->partner;
	if (th->ipc == THREAD_IPC_RECV && th->recv_irq && th->recv_irq->count) {
		ipc_receive_from_irq(th, th->recv_irq);	/* triggered while paused */
		return;
	}
	if (th->ipc == THREAD_IPC_RECV && p && p->ipc == THREAD_IPC_SEND && p->partner == th &&
	    !p->paused)
		ipc_rendezvous(p, th);
	else if (th->ipc == THREAD_IPC_SEND && p && ipc_waits_for(p, th))
		ipc_rendezvous(th, p);	/* its call, held while it was paused */
}
