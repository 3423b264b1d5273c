/*
 * threads.c — the child's threads on restore: made again at the same
 * index with the same gate label (core: CREATE_THREAD with wishes), not
 * started; once everything they can reach exists, their states are set
 * (registers, FPU/SSE, UTCB, the pending kernel call with its thread and
 * IRQ ids rewritten to this run's) and they all go at once.
 */
#include <l4/sys/irq.h>

#include <recap/cap_layout.h>
#include <recap/cpu_session.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/native_pd.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>
#include <recap/rpc.h>
#include <recap/string.h>

#include "../intercept/forward.h"
#include "rst.h"

static void id_add(struct rst *r, unsigned long old_id, unsigned long new_id)
{
	if (old_id && r->nids < sizeof(r->ids) / sizeof(r->ids[0]))
		r->ids[r->nids++] = (struct rst_thread_id){ old_id, new_id };
}

/* This run's id for an id of the image; 0 if it names nothing of ours. */
static unsigned long id_new(struct rst const *r, unsigned long old_id)
{
	for (unsigned i = 0; i < r->nids; i++)
		if (r->ids[i].old_id == old_id)
			return r->ids[i].new_id;
	return 0;
}

static unsigned long old_object(struct rst const *r, unsigned long long slot)
{
	struct caps_entry const *e = rst_cap_at(r, slot);

	return e ? e->object : 0;
}

static int create(struct rst *r, struct crfmt_thread const *t)
{
	struct cr_child *c = r->c;
	struct caps_entry const *gate = rst_cap_at(r, t->slot_gate);
	struct recap_native_cap_info irq;
	struct recap_cpu_thread ct;
	unsigned long id;
	int err;

	if (t->index >= CR_MAX_THREADS)
		return rst_fail(r, RECAP_ERR_RANGE, "thread %u: index too big",
				t->index);
	err = recap_cpu_create_thread_wish(r->env, c->child.cpu, t->name, t->index,
					   gate ? gate->label & ~3UL : 0, &ct);
	if (err == RECAP_OK)
		err = recap_cpu_thread_id_at(r->env, c->child.cpu, ct.cap, &id);
	if (err != RECAP_OK)
		return rst_fail(r, err, "thread %u (%s): cannot make it: %s",
				t->index, t->name, recap_err_str(err));
	id_add(r, t->state.pending.self_id, id);
	/* Its own IRQ (locks block on it) is core's new one. */
	irq.id = 0;
	if (recap_native_pd_cap_info_at(r->env, c->child.pd, t->slot_irq, &irq) == RECAP_OK)
		id_add(r, old_object(r, t->slot_irq), irq.id);
	/* The ids the child knows it by are the image's (cr/intercept/ids.c). */
	c->threads[t->index] = (struct cr_thread){
		.used = true, .cap = ct.cap, .gate_badge = ct.gate_badge,
		.started = !(t->flags & CRFMT_THREAD_UNSTARTED),
		.held = (t->flags & CRFMT_THREAD_HELD) != 0,
		.id = id, .irq_id = irq.id, .vid = t->vid, .irq_vid = t->irq_vid };
	if (t->vid_next > c->vid_next)
		c->vid_next = t->vid_next;
	RECAP_STRING_NAME(strlcpy)(c->threads[t->index].name, t->name,
				   sizeof(c->threads[t->index].name));
	if (t->index == 0)
		c->child.main_thread = ct.cap;
	/* The child may hold its thread capability (CPU CREATE_THREAD's). */
	for (unsigned i = 0; i < r->ncaps; i++)
		if (r->caps[i].role == CAPS_ROLE_THREAD && r->caps[i].thread == t->index &&
		    (err = rst_map_add(r, r->caps[i].object, ct.cap)))
			return rst_fail(r, err, "too many objects");
	return RECAP_OK;
}

/* Walk the threads section, calling fn on each thread. */
static int each_thread(struct rst *r, int (*fn)(struct rst *, struct crfmt_thread *,
						 void *), void *arg)
{
	struct crfmt_thread *t;
	struct crfmt_iter it;
	struct crfmt_err ferr;
	int err = recap_heap_alloc(r->env, sizeof(*t), (void **)&t);

	if (err != RECAP_OK)
		return rst_fail(r, err, "out of memory");
	crfmt_iter_init(&it, r->threads.payload, r->threads.len);
	while (!err && crfmt_threads_next(&it, t, &ferr) == CRFMT_OK)
		err = fn(r, t, arg);
	recap_heap_free(r->env, t);
	return err;
}

/*
 * Is label an entrypoint gate's of the image? Core refuses a gate the
 * label of a thread's gate, not a thread its gate's label that a gate
 * has: the original made such a thread after the gate, and so must the
 * restore (rpc_forgery's thread labelled like an object).
 */
static bool ep_gate_label(struct rst const *r, uint64_t label)
{
	for (unsigned i = 0; i < r->ncaps; i++)
		if (r->caps[i].role == CAPS_ROLE_EP_GATE &&
		    (r->caps[i].label & ~3UL) == (label & ~3UL))
			return true;
	return false;
}

static int create_one(struct rst *r, struct crfmt_thread *t, void *arg)
{
	struct caps_entry const *gate = rst_cap_at(r, t->slot_gate);
	bool late = gate && t->index < CR_MAX_THREADS && ep_gate_label(r, gate->label);

	if (late)
		r->thread_late[t->index] = true;
	return late == *(bool const *)arg ? create(r, t) : RECAP_OK;
}

int rst_threads_create(struct rst *r, bool late)
{
	return each_thread(r, create_one, &late);
}

/* The pending call's ids, from the image's run to this one. */
static int translate(struct rst *r, struct crfmt_thread *t)
{
	struct l4x_pending *p = &t->state.pending;
	unsigned long partner = id_new(r, p->partner_id);

	p->self_id = id_new(r, p->self_id);
	if (p->partner_id && !partner && p->kind == L4X_PENDING_RECV)
		return rst_fail(r, RECAP_ERR_NOENT,
				"thread %u waits for object %lu, which is not the "
				"child's", t->index, (unsigned long)p->partner_id);
	p->partner_id = partner;
	/* A caller outside the child is not there any more to answer. */
	p->reply_to_id = id_new(r, p->reply_to_id);
	return RECAP_OK;
}

/*
 * The triggers the thread's lock IRQ held (a lock released to it while it
 * was being paused), given to its new IRQ while it is still paused: it
 * takes them when it runs (docs/kernel.md).
 */
static int lock_triggers(struct rst *r, struct crfmt_thread const *t)
{
	struct cr_call call = { .op = RECAP_PD_REQUEST_CAP,
				.args = { t->slot_irq }, .nargs = 1 };
	int err;

	if (!t->irq_pending)
		return RECAP_OK;
	err = cr_call_make(r->env, r->c->child.pd, &call);
	if (err != RECAP_OK || call.nret_caps != 1 ||
	    !recap_cap_valid(call.ret_caps[0]))
		return rst_fail(r, err ? err : RECAP_ERR_NOENT,
				"thread %u: no lock IRQ at slot 0x%llx", t->index,
				(unsigned long long)t->slot_irq);
	for (uint64_t i = 0; i < t->irq_pending; i++)
		l4_irq_trigger(call.ret_caps[0].sel);
	recap_cap_forget(r->env, call.ret_caps[0]);
	return RECAP_OK;
}

static int set_state(struct rst *r, struct crfmt_thread *t, void *arg)
{
	struct recap_ds const *ds = arg;
	void *buf;
	int err = lock_triggers(r, t);

	if (err || (t->flags & CRFMT_THREAD_UNSTARTED))
		return err;	/* unstarted: no state, the child starts it */
	err = translate(r, t);
	if (err)
		return err;
	err = recap_rm_attach_rw(r->env, ds, &buf);
	if (err != RECAP_OK)
		return rst_fail(r, err, "cannot attach the state buffer");
	RECAP_STRING_NAME(memcpy)(buf, &t->state, sizeof(t->state));
	recap_rm_detach(r->env, (unsigned long)buf);
	err = cr_real_thread_state(r->env, r->c->child.cpu, RECAP_CPU_STATE_SET,
				   r->c->threads[t->index].cap, ds->cap);
	if (err != RECAP_OK)
		return rst_fail(r, err, "thread %u: cannot set its state: %s",
				t->index, recap_err_str(err));
	return RECAP_OK;
}

int rst_threads_start(struct rst *r)
{
	struct recap_ds ds;
	int err = recap_ram_alloc(r->env, sizeof(struct l4x_thread_state), &ds);

	if (err != RECAP_OK)
		return rst_fail(r, err, "no memory for a thread state");
	err = each_thread(r, set_state, &ds);
	recap_ram_free(r->env, &ds);
	if (err)
		return err;
	for (unsigned i = 0; i < CR_MAX_THREADS; i++) {
		struct cr_thread const *t = &r->c->threads[i];

		/* One the child had paused itself stays paused. */
		if (t->used && t->started && !t->held &&
		    (err = cr_real_thread_op(r->env, r->c->child.cpu,
							RECAP_CPU_RESUME, t->cap)))
			return rst_fail(r, err, "thread %u: cannot resume it: %s", i,
					recap_err_str(err));
	}
	return RECAP_OK;
}
