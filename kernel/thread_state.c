/*
 * thread_state — a thread's complete state, read and re-entered (l4x).
 *
 * Reading (thread paused): exact registers (normalised by the substrate so
 * that an interrupted Linux system call restarts), FPU/SSE, the UTCB, and
 * what the kernel has recorded about the thread's system call: still in its
 * send phase (not taken by a receiver), in a receive phase (waiting for a
 * reply, an IRQ, or a specific sender), in an open wait, or finished with a
 * result the thread has not read yet.
 *
 * Re-entering (into a paused thread, or a bound one never started — a new
 * incarnation in a new process): the same registers, and the system call is
 * put back where it was. The saved state names its partners by kernel object
 * id. A partner that still exists is found again; one that has itself been
 * re-created is found through the successor link its restore registered
 * (objtab); one that is still to be re-created is linked when it is. An old
 * incarnation that still exists as an object hands everything that pointed
 * at it (callers waiting for it, senders queued on it, implicit reply
 * capabilities) to the new one and is left idle.
 */
#include <string.h>
#include <sys/socket.h>

#include "ipc.h"
#include "irq.h"
#include "kerr.h"
#include "objtab.h"
#include "task.h"
#include "thread.h"

static l4_umword_t thread_state_remaining(struct thread const *th)
{
	if (th->deadline <= 1)
		return ~0UL;
	uint64_t now = ipc_now();
	return th->deadline > now ? (th->deadline - now) / 1000 : 0;
}

static void thread_state_pending(struct thread *th, struct l4x_pending *p)
{
	memset(p, 0, sizeof(*p));
	p->self_id = th->kobj.id;
	p->reply_to_id = th->reply_to ? th->reply_to->kobj.id : 0;
	p->remaining_us = ~0UL;

	switch (th->ipc) {
	case THREAD_IPC_SEND:
		p->kind = L4X_PENDING_SEND;
		break;
	case THREAD_IPC_RECV:
		p->kind = L4X_PENDING_RECV;
		p->partner_id = th->partner ? th->partner->kobj.id
			      : th->recv_irq ? th->recv_irq->kobj.id : 0;
		break;
	case THREAD_IPC_WAIT:
		p->kind = L4X_PENDING_WAIT;
		break;
	case THREAD_IPC_NONE: {
		/* An answer not read yet: take it and put it back (the thread is
		 * stopped; nothing else reads or writes its channel now). */
		struct l4x_sys_ret ret;
		if (thread_take_unread(th, &ret)) {
			thread_answer(th, &ret);
			p->kind = L4X_PENDING_RESULT;
			p->tag = ret.tag;
			p->result_label = ret.label;
		}
		return;
	}
	}
	p->dest = th->req.dest;
	p->label = th->req.label;
	p->tag = th->req.tag;
	p->timeout = th->req.timeout;
	p->remaining_us = thread_state_remaining(th);
}

int thread_state_get(struct thread *th, struct l4x_thread_state *s)
{
	if (!th->host || th->dead || !th->paused)
		return KERR_INVAL;
	/* In a fault its pager or handler has not answered yet (a managed
	 * region map's hole: core waits for the map's fault handler): not a
	 * state to save, but one that ends. */
	if (th->fault != THREAD_FAULT_NONE)
		return KERR_BUSY;
	memset(s, 0, sizeof(*s));
	if (host_thread_get_regs(th->host, &s->regs, s->fpu) < 0)
		return KERR_INVAL;
	memcpy(s->utcb, th->utcb, sizeof(s->utcb));
	thread_state_pending(th, &s->pending);
	return KERR_OK;
}

/* ---- re-entering ------------------------------------------------------------ */

struct thread_relink {
	struct thread *old, *now;
};

static void thread_relink_one(struct kobj *o, void *arg)
{
	struct thread_relink *rl = arg;
	struct thread *x = thread_of(o);
	if (x == rl->old)
		return;
	if (x->partner == rl->old) {
		if (x->ipc == THREAD_IPC_SEND) {
			list_del(&x->send_link.node);
			list_add_tail(&rl->now->senders, &x->send_link.node);
		}
		ipc_set_partner(x, rl->now);
	}
	if (x->reply_to == rl->old)
		ipc_set_reply_to(x, rl->now);
}

/* Everything that referred to the old incarnation now refers to the new one. */
static void thread_take_over(struct thread *old, struct thread *now)
{
	struct thread_relink rl = { old, now };
	objtab_for_each(KOBJ_THREAD, thread_relink_one, &rl);
	ipc_set_reply_to(old, NULL);
	ipc_unwait(old);
}

/* Link th's wanted partner / reply_to if the thread with that id exists now. */
static void thread_resolve_links(struct thread *th)
{
	if (th->want_reply_to_id) {
		struct kobj *o = objtab_resolve(th->want_reply_to_id);
		if (o && o->kind == KOBJ_THREAD) {
			ipc_set_reply_to(th, thread_of(o));
			th->want_reply_to_id = 0;
		}
	}
	if (th->want_partner_id && th->ipc == THREAD_IPC_RECV) {
		struct kobj *o = objtab_resolve(th->want_partner_id);
		if (o && o->kind == KOBJ_THREAD) {
			th->want_partner_id = 0;
			ipc_unwait(th);
			ipc_receive_from_thread(th, thread_of(o));
		}
	}
}

static void thread_resolve_links_cb(struct kobj *o, void *arg)
{
	(void)arg;
	thread_resolve_links(thread_of(o));
}

/* Put the saved system call back in the kernel. */
static void thread_reenter(struct thread *th, struct l4x_pending const *p)
{
	th->req = (struct l4x_sys_req){ .dest = p->dest, .label = p->label,
					.tag = p->tag, .timeout = p->timeout };
	switch (p->kind) {
	case L4X_PENDING_SEND:
		ipc_syscall(th);
		break;
	case L4X_PENDING_RECV: {
		struct kobj *o = objtab_resolve(p->partner_id);
		if (!p->partner_id && !l4_is_valid_cap(p->dest)) {
			/* A sleep (nothing can come from the invalid cap): for
			 * the time it had left, not for ever. */
			ipc_receive_phase(th);
			if (th->ipc == THREAD_IPC_RECV && p->remaining_us != ~0UL)
				ipc_set_deadline(th, ipc_now() + p->remaining_us * 1000ull);
		} else if (o && o->kind == KOBJ_IRQ && ((struct irq *)o)->thread == th) {
			ipc_receive_from_irq(th, (struct irq *)o);
		} else if (o && o->kind == KOBJ_THREAD) {
			ipc_receive_from_thread(th, thread_of(o));
		} else {
			/* The partner is still to come: wait for it by id. */
			th->want_partner_id = p->partner_id;
			th->ipc = THREAD_IPC_RECV;
		}
		break;
	}
	case L4X_PENDING_WAIT:
		ipc_receive_phase(th);
		break;
	case L4X_PENDING_RESULT: {
		struct l4x_sys_ret ret = { .tag = p->tag, .label = p->result_label };
		thread_answer(th, &ret);
		break;
	}
	default:
		break;
	}
}

int thread_state_set(struct thread *th, struct l4x_thread_state const *s)
{
	if (!th->task || !th->utcb || th->dead)
		return KERR_INVAL;
	if (th->started && !(th->host && th->paused))
		return KERR_BUSY;
	if (th->fault != THREAD_FAULT_NONE)
		return KERR_BUSY;
	struct l4x_pending const *p = &s->pending;
	if (p->kind > L4X_PENDING_RESULT)
		return KERR_INVAL;

	/* Whatever this thread was doing is replaced. */
	ipc_cancel(th, false);
	thread_drop_unread(th);

	memcpy(th->utcb, s->utcb, sizeof(s->utcb));
	l4_utcb_tcr_u(th->utcb)->free_marker = th->utcb_addr;
	struct l4x_regs regs = s->regs;
	regs.orig_rax = ~0UL;
	int r = th->started ? (host_thread_set_regs(th->host, &regs, s->fpu) < 0 ? KERR_INVAL : 0)
			    : thread_start(th, &regs, s->fpu, true);
	if (r)
		return r;

	if (p->self_id && p->self_id != th->kobj.id) {
		struct kobj *old = objtab_resolve(p->self_id);
		objtab_set_successor(p->self_id, &th->kobj);
		if (old && old->kind == KOBJ_THREAD && old != &th->kobj)
			thread_take_over(thread_of(old), th);
	}
	if (p->reply_to_id)
		th->want_reply_to_id = p->reply_to_id;
	thread_resolve_links(th);
	thread_reenter(th, p);
	/* Threads re-created earlier may have been waiting for this one. */
	objtab_for_each(KOBJ_THREAD, thread_resolve_links_cb, NULL);
	return KERR_OK;
}
