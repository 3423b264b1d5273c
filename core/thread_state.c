/*
 * thread_state.c — thread state in a dataspace (thread_state.h).
 *
 * Kernel calls (l4x_thread_state_get/_set) use core's message registers:
 * callers have read their request's arguments before calling here.
 *
 * Setting takes the pending kernel call from the dataspace only if the
 * kernel ids in it name the thread itself and threads of its own PD
 * (thread_state.h): within its PD a component may arrange any IPC it could
 * make by itself, never one with a stranger.
 */
#include <stdbool.h>
#include <unistd.h>

#include <l4/sys/x.h>

#include <recap/err.h>

#include "dataspace.h"
#include "thread_state.h"

static int kernel_err(long err)
{
	return err > -4096 ? (int)err : RECAP_ERR_INVAL;
}

int thread_state_save(l4_cap_idx_t thread, struct dataspace *ds)
{
	struct l4x_thread_state s;
	long err;

	if (!ds->writable)
		return RECAP_ERR_DENIED;
	if (ds->size < sizeof(s))
		return RECAP_ERR_RANGE;
	err = l4x_thread_state_get(L4X_BASE_HOST_CAP, thread, &s);
	if (err < 0)
		return kernel_err(err);
	if (pwrite(ds->fd, &s, sizeof(s), 0) != (ssize_t)sizeof(s))
		return RECAP_ERR_NOMEM;
	return RECAP_OK;
}

/* Is id one of the PD's threads other than the target itself? */
static bool other_pd_thread(struct thread_state_ids const *ids, l4_umword_t id)
{
	for (unsigned i = 0; i < ids->nthreads; i++)
		if (ids->threads[i] == id)
			return id != ids->self;
	return false;
}

static bool pending_safe(struct l4x_pending const *p,
			 struct thread_state_ids const *ids)
{
	if (p->self_id != ids->self)
		return false;
	if (p->reply_to_id && !other_pd_thread(ids, p->reply_to_id))
		return false;
	if (!p->partner_id || other_pd_thread(ids, p->partner_id))
		return true;
	return p->kind == L4X_PENDING_RECV && p->partner_id == ids->irq;
}

int thread_state_load(l4_cap_idx_t thread, struct dataspace *ds,
		      struct thread_state_ids const *ids)
{
	struct l4x_thread_state s;
	long err;

	if (ds->size < sizeof(s))
		return RECAP_ERR_RANGE;
	if (pread(ds->fd, &s, sizeof(s), 0) != (ssize_t)sizeof(s))
		return RECAP_ERR_NOMEM;
	if (s.pending.kind > L4X_PENDING_RESULT)
		return RECAP_ERR_INVAL;
	if (!pending_safe(&s.pending, ids))
		return RECAP_ERR_DENIED;
	err = l4x_thread_state_set(L4X_BASE_HOST_CAP, thread, &s);
	return err < 0 ? kernel_err(err) : RECAP_OK;
}
