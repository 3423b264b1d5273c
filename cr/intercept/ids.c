/*
 * ids.c — the kernel ids a child sees of its own threads and their lock
 * IRQs (CPU THREAD_ID, the pending call of STATE_GET / STATE_SET) are
 * cr's, not the kernel's.
 *
 * Kernel ids are per run: a restored thread is a new kernel object with a
 * new id, and a restore into a fresh system hands out the old run's ids
 * again to other objects. A child that kept an id (in its memory, where a
 * restore puts back exactly what it had) would find it changed or naming
 * another thread. So cr hands out ids of its own, CR_VID_TAG | n with n
 * counting up per child and never reused (a dead thread's id names
 * nothing, as the kernel's would), records them in the image and gives
 * them back to the same threads on restore. Ids of anything else (a
 * server's thread a call waits for) pass unchanged: the tag keeps cr's
 * ids apart from every kernel id, which count up from 1.
 */
#include <recap/cap_layout.h>
#include <recap/cpu_session.h>
#include <recap/err.h>
#include <recap/native_pd.h>

#include "ids.h"

#define CR_VID_TAG (1UL << 62)

static unsigned long vid_new(struct cr_child *c)
{
	return CR_VID_TAG | ++c->vid_next;
}

/* Thread i's kernel id, asked once. */
static unsigned long thread_id(struct cr_child *c, unsigned i)
{
	struct cr_thread *t = &c->threads[i];

	if (!t->id)
		recap_cpu_thread_id_at(c->env, c->child.cpu, t->cap, &t->id);
	return t->id;
}

/* The kernel id of thread i's lock IRQ, asked once. */
static unsigned long irq_id(struct cr_child *c, unsigned i)
{
	struct cr_thread *t = &c->threads[i];
	struct recap_native_cap_info info;

	if (!t->irq_id && recap_native_pd_cap_info_at(c->env, c->child.pd,
			recap_thread_slot(i, RECAP_THREAD_IRQ), &info) == RECAP_OK)
		t->irq_id = info.id;
	return t->irq_id;
}

unsigned long cr_ids_thread_vid(struct cr_child *c, unsigned i)
{
	if (!c->threads[i].vid)
		c->threads[i].vid = vid_new(c);
	return c->threads[i].vid;
}

unsigned long cr_ids_to_child(struct cr_child *c, unsigned long id)
{
	if (!id)
		return 0;
	for (unsigned i = 0; i < CR_MAX_THREADS; i++) {
		struct cr_thread *t = &c->threads[i];

		if (!t->used)
			continue;
		if (thread_id(c, i) == id)
			return cr_ids_thread_vid(c, i);
		if (irq_id(c, i) == id) {
			if (!t->irq_vid)
				t->irq_vid = vid_new(c);
			return t->irq_vid;
		}
	}
	return id;
}

unsigned long cr_ids_from_child(struct cr_child *c, unsigned long vid)
{
	if (!(vid & CR_VID_TAG))
		return vid;
	for (unsigned i = 0; i < CR_MAX_THREADS; i++) {
		struct cr_thread *t = &c->threads[i];

		if (!t->used)
			continue;
		if (t->vid == vid)
			return thread_id(c, i);
		if (t->irq_vid == vid)
			return irq_id(c, i);
	}
	return vid;	/* a dead thread's: no object of the kernel's */
}

void cr_ids_pending_to_child(struct cr_child *c, struct l4x_pending *p)
{
	p->self_id = cr_ids_to_child(c, p->self_id);
	p->partner_id = cr_ids_to_child(c, p->partner_id);
	p->reply_to_id = cr_ids_to_child(c, p->reply_to_id);
}

void cr_ids_pending_from_child(struct cr_child *c, struct l4x_pending *p)
{
	p->self_id = cr_ids_from_child(c, p->self_id);
	p->partner_id = cr_ids_from_child(c, p->partner_id);
	p->reply_to_id = cr_ids_from_child(c, p->reply_to_id);
}
