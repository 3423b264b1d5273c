/*
 * model.c — record keeping for one child (model.h).
 *
 * Capabilities are compared by the kernel (l4_task_cap_equal), never by
 * the badge a message claims: a child could claim any badge. The badge
 * only narrows down which record to ask the kernel about first; a
 * restored child claims the badges of the objects it had before (its
 * memory keeps them), so every record is asked if that finds none.
 */
#include <l4/sys/task.h>

#include <recap/cap_layout.h>
#include <recap/err.h>

#include "cr.h"
#include "model.h"
#include "real.h"

bool cr_cap_same(struct recap_cap a, struct recap_cap b)
{
	if (!recap_cap_valid(a) || !recap_cap_valid(b))
		return false;
	return l4_error(l4_task_cap_equal(recap_slot_sel(RECAP_TASK_SLOT),
					  a.sel, b.sel)) == 1;
}

int cr_ds_find(struct cr_child *c, struct recap_cap cap)
{
	for (unsigned i = 0; i < CR_MAX_DS; i++)
		if (c->ds[i].used && c->ds[i].cap.badge == cap.badge &&
		    cr_cap_same(c->ds[i].cap, cap))
			return (int)i;
	/* A restored child names its objects by their old badges: the
	 * kernel decides which one it is. */
	for (unsigned i = 0; i < CR_MAX_DS; i++)
		if (c->ds[i].used && cr_cap_same(c->ds[i].cap, cap))
			return (int)i;
	return -1;
}

int cr_ds_add(struct cr_child *c, struct recap_cap cap, unsigned long size,
	      int session, bool writable)
{
	int found = cr_ds_find(c, cap);

	if (found >= 0)
		return found;
	for (unsigned i = 0; i < CR_MAX_DS; i++) {
		if (c->ds[i].used)
			continue;
		c->ds[i] = (struct cr_ds){ .used = true, .cap = cap,
					   .size = size, .session = session,
					   .writable = writable,
					   .object = cr_own_object_id(c->env, cap) };
		return (int)i;
	}
	return -1;
}

void cr_ds_remove(struct cr_child *c, unsigned i)
{
	c->ds[i].used = false;
}

int cr_thread_by_gate(struct cr_child const *c, recap_badge_t badge)
{
	for (unsigned i = 0; i < CR_MAX_THREADS; i++)
		if (c->threads[i].used && c->threads[i].gate_badge == badge)
			return (int)i;
	return -1;
}

int cr_thread_find(struct cr_child *c, struct recap_cap cap)
{
	for (unsigned i = 0; i < CR_MAX_THREADS; i++)
		if (c->threads[i].used && c->threads[i].cap.badge == cap.badge &&
		    cr_cap_same(c->threads[i].cap, cap))
			return (int)i;
	/* By the object alone: a restored child's badge is the old one. */
	for (unsigned i = 0; i < CR_MAX_THREADS; i++)
		if (c->threads[i].used && cr_cap_same(c->threads[i].cap, cap))
			return (int)i;
	return -1;
}

/* ---- third parties' objects cr keeps (cr.h) ------------------------------- */

struct recap_cap cr_kept_find(struct cr *cr, unsigned long id,
			      unsigned long label)
{
	for (unsigned i = 0; i < cr->nkept; i++) {
		struct cr_kept const *k = &cr->kept[i];

		/* The slot may have been let go and reused meanwhile: only
		 * the kernel's id of what it names now counts. */
		if (k->id == id && k->label == label &&
		    cr_own_object_id(cr->env, k->cap) == id)
			return k->cap;
	}
	return recap_cap_invalid();
}

int cr_kept_add(struct cr *cr, unsigned long id, unsigned long label,
		struct recap_cap cap)
{
	struct cr_kept *room = NULL;

	for (unsigned i = 0; i < cr->nkept; i++) {
		struct cr_kept *k = &cr->kept[i];

		if (k->id == id && k->label == label) {
			k->cap = cap;
			return RECAP_OK;
		}
		/* An entry whose object is gone makes room. */
		if (!room && cr_own_object_id(cr->env, k->cap) != k->id)
			room = k;
	}
	if (room) {
		*room = (struct cr_kept){ id, label, cap };
		return RECAP_OK;
	}
	if (cr->nkept == CR_MAX_KEPT)
		return RECAP_ERR_NOMEM;
	cr->kept[cr->nkept++] = (struct cr_kept){ id, label, cap };
	return RECAP_OK;
}
