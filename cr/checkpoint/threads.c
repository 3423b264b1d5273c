/*
 * threads.c — the child's threads in a checkpoint: paused, their states
 * read through core (CPU STATE_GET: registers, FPU/SSE, UTCB, pending
 * kernel call), the moment checked, the threads section written.
 */
#include <l4/sys/err.h>
#include <l4/sys/ipc.h>

#include <recap/cap_layout.h>
#include <recap/cpu_session.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/native_pd.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/string.h>

#include "ckpt.h"

#define MOMENT_TRIES 50			/* docs/cr.md: "Choose the moment" */
#define MOMENT_WAIT_US 10000

int ckpt_threads_pause(struct ckpt *k)
{
	struct cr_child *c = k->c;

	k->cr->pause_from_us = cr_clock_us(k->cr);
	for (unsigned i = 0; i < CR_MAX_THREADS; i++) {
		struct cr_thread *t = &c->threads[i];
		int err;

		if (!t->used || !t->started || t->held || k->paused[i])
			continue;
		err = cr_real_thread_op(k->env, c->child.cpu, RECAP_CPU_PAUSE, t->cap);
		if (err != RECAP_OK) {
			ckpt_threads_resume(k);
			return ckpt_fail(k, err, "cannot pause thread %u (%s)", i,
					 t->name);
		}
		k->paused[i] = true;
	}
	return RECAP_OK;
}

void ckpt_threads_resume(struct ckpt *k)
{
	bool any = false;

	for (unsigned i = 0; i < CR_MAX_THREADS; i++) {
		if (!k->paused[i])
			continue;
		cr_real_thread_op(k->env, k->c->child.cpu, RECAP_CPU_RESUME,
				  k->c->threads[i].cap);
		k->paused[i] = false;
		any = true;
	}
	/* From before the first PAUSE to after the last RESUME. */
	if (any)
		k->cr->paused_us += cr_clock_us(k->cr) - k->cr->pause_from_us;
}

/*
 * The triggers the thread's lock IRQ holds: a paused thread takes none
 * (docs/kernel.md), so a lock released to it while the child was being
 * paused is counted there, not in its state. No one adds any while the
 * child is paused: only its threads trigger lock IRQs.
 */
static uint64_t lock_pending(struct ckpt *k, uint64_t slot)
{
	struct recap_native_irq_info irq;

	return recap_native_pd_irq_info_at(k->env, k->c->child.pd, slot,
					   &irq) == RECAP_OK ? irq.pending : 0;
}

/*
 * Thread i's record but its state: its name, flags, slots, the ids the
 * child knows it by (cr/intercept/ids.c: a restore gives them back) and
 * its lock IRQ's triggers.
 */
static void record_begin(struct ckpt *k, unsigned i, uint64_t flags,
			 struct crfmt_thread *ft)
{
	struct cr_child const *c = k->c;

	crfmt_thread_init(ft);
	ft->index = i;
	RECAP_STRING_NAME(strlcpy)(ft->name, c->threads[i].name, sizeof(ft->name));
	ft->flags = flags;
	ft->slot_gate = recap_thread_slot(i, RECAP_THREAD_GATE);
	ft->slot_pager = recap_thread_slot(i, RECAP_THREAD_PAGER);
	ft->slot_irq = recap_thread_slot(i, RECAP_THREAD_IRQ);
	ft->vid = c->threads[i].vid;
	ft->irq_vid = c->threads[i].irq_vid;
	ft->vid_next = c->vid_next;
	ft->irq_pending = lock_pending(k, ft->slot_irq);
}

int ckpt_threads_capture(struct ckpt *k)
{
	struct cr_child *c = k->c;
	struct cr_buffer *b = &k->cr->scratch;
	unsigned n = 0;
	/* Core writes each state into cr's scratch buffer. */
	int err = cr_buffer_get(k->cr, b, sizeof(struct l4x_thread_state));

	if (err != RECAP_OK)
		return ckpt_fail(k, err, "no memory for thread states");
	k->in_fault = -1;
	if (!k->threads) {
		err = recap_heap_alloc(k->env, CR_MAX_THREADS * sizeof(*k->threads),
				       (void **)&k->threads);
		if (err != RECAP_OK)
			return ckpt_fail(k, err, "no memory for thread states");
	}
	for (unsigned i = 0; i < CR_MAX_THREADS; i++) {
		struct cr_thread *t = &c->threads[i];
		struct crfmt_thread *ft = &k->threads[n];

		/* Created but not started yet (the child is about to START
		 * it): made again on restore, and started by the child. */
		if (t->used && !t->started) {
			record_begin(k, i, CRFMT_THREAD_UNSTARTED, ft);
			n++;
			continue;
		}
		/* Paused by cr, or by the child itself (and left so). */
		if (!k->paused[i] && !(t->used && t->held))
			continue;
		err = cr_real_thread_state(k->env, c->child.cpu, RECAP_CPU_STATE_GET,
					   t->cap, b->ds.cap);
		/* Waiting in a fault core holds (a managed map's hole until
		 * the map's fault handler resolves it): no moment to save it
		 * (ckpt_threads_check_moment refuses it). */
		if (err == -L4_EBUSY) {
			k->in_fault = (int)i;
			continue;
		}
		if (err != RECAP_OK)
			return ckpt_fail(k, err, "cannot read thread %u's state", i);
		record_begin(k, i, (k->paused[i] ? CRFMT_THREAD_PAUSED
						 : CRFMT_THREAD_HELD) |
				   (i == 0 ? CRFMT_THREAD_MAIN : 0), ft);
		RECAP_STRING_NAME(memcpy)(&ft->state, b->buf, sizeof(ft->state));
		if (ft->state.pending.kind != L4X_PENDING_NONE)
			ft->flags |= CRFMT_THREAD_BLOCKED;
		n++;
	}
	k->nthreads = n;
	return RECAP_OK;
}

/* Is id one of the child's own threads? */
static bool own_thread(struct ckpt const *k, unsigned long id)
{
	for (unsigned i = 0; i < k->nthreads; i++)
		if (id && k->threads[i].state.pending.self_id == id)
			return true;
	return false;
}

/* Does thread i owe a reply to somebody outside the child? A restore
 * could not give it (docs/cr.md "Restoring a server under its clients"). */
static bool owes_outside(struct ckpt const *k, unsigned i)
{
	unsigned long id = k->threads[i].state.pending.reply_to_id;

	return id && !own_thread(k, id);
}

/* The first thread inside a call that somebody outside the child took,
 * or that took a call of somebody outside. */
static int outside_call(struct ckpt const *k)
{
	for (unsigned i = 0; i < k->nthreads; i++) {
		struct l4x_pending const *p = &k->threads[i].state.pending;

		if (owes_outside(k, i))
			return (int)i;
		if (p->kind != L4X_PENDING_RECV || !p->partner_id)
			continue;
		/* Waiting for its own threads or its own IRQs: captured too. */
		if (own_thread(k, p->partner_id) ||
		    ckpt_capspace_has_id(k, p->partner_id))
			continue;
		return (int)i;
	}
	return -1;
}

/*
 * A thread waiting in a fault of a managed map's hole waits for the map's
 * fault handler, a thread of the child, which will likely call cr first
 * (log, allocate the page): while cr waits it serves no call, so waiting
 * cannot help. The checkpoint is refused as busy at once; the command is
 * to be tried again (the child runs on).
 */
static int refuse_in_fault(struct ckpt *k)
{
	return ckpt_fail(k, RECAP_ERR_EXIST,
			 "busy: thread %d waits in a fault its handler has not resolved",
			 k->in_fault);
}

int ckpt_threads_check_moment(struct ckpt *k)
{
	int busy = outside_call(k);

	/* A request the child fetched and has not answered: a restore would
	 * not have it (intercept/cr.c). Its calls about it are cr's to
	 * serve, so waiting here cannot help: the command tries again. */
	if (ckpt_sessions_serving(k))
		return ckpt_fail(k, RECAP_ERR_EXIST,
				 "busy: the child is serving a checkpoint request");
	if (k->in_fault >= 0)
		return refuse_in_fault(k);
	for (unsigned try = 0; busy >= 0 && try < MOMENT_TRIES; try++) {
		int err;

		ckpt_threads_resume(k);
		l4_ipc_sleep_us(MOMENT_WAIT_US);
		err = ckpt_threads_pause(k);
		if (err == RECAP_OK)
			err = ckpt_threads_capture(k);
		if (err != RECAP_OK)
			return err;
		busy = outside_call(k);
	}
	if (k->in_fault >= 0)
		return refuse_in_fault(k);
	if (busy >= 0)
		return ckpt_fail(k, RECAP_ERR_EXIST,
				 owes_outside(k, (unsigned)busy) ?
				 "busy: thread %u is answering a call of another component" :
				 "busy: thread %u is in a call to another component",
				 k->threads[busy].index);
	return RECAP_OK;
}

void ckpt_threads_write(struct ckpt *k)
{
	size_t mark = crfmt_stream_section_begin(&k->w, CR_SEC_THREADS);

	for (unsigned i = 0; i < k->nthreads; i++)
		crfmt_thread_encode(&k->w, &k->threads[i]);
	crfmt_stream_section_end(&k->w, mark);
}

void ckpt_threads_fini(struct ckpt *k)
{
	recap_heap_free(k->env, k->threads);
}
