/*
 * native_pd.c — the native PD interface (recap/native_pd.h): a PD
 * session's holder reads and changes the capability space of the session's
 * PD, as the kernel has it (l4x_cap_next, l4x_cap_info on core's copy of
 * the PD's task, L4X_BASE_HOST_CAP), never as the PD reports it.
 *
 * REQUEST_CAP maps the slot out of the PD's task into a slot of core's
 * (l4_task_map with L4_FPAGE_RWX: the kernel intersects, so the copy has
 * at most what the PD held, and never D or L4_FPAGE_C_IPCGATE_SVR) and
 * replies with it as a map item under a fresh badge (the client's cap map
 * keys by badge; a delegated capability is no object core serves). The
 * reply is sent after the handler returns, so core keeps its copy until
 * the next REQUEST_CAP (of any session) releases it: one slot in all.
 *
 * INSTALL_CAP maps what arrived into the PD at any slot from 1 on: C/R
 * must restore every slot, the core-controlled ones (task, parent, thread
 * area) included. A holder can therefore overwrite the PD's task or parent
 * slot; that is the holder's PD, and the holder is its C/R parent.
 *
 * Kernel calls overwrite core's message registers, so each handler reads
 * its arguments first and builds the reply last.
 */
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/task.h>
#include <l4/sys/x.h>

#include <recap/cap_layout.h>
#include <recap/err.h>
#include <recap/native_pd.h>

#include "cap_sel.h"
#include "child.h"
#include "cpu.h"
#include "dataspace.h"
#include "native_pd.h"
#include "rpc_server.h"

/* Core's slot holding the capability REQUEST_CAP delegated last. */
static l4_cap_idx_t delegate_sel = L4_INVALID_CAP;

static int kernel_err(long err)
{
	return err > -4096 ? (int)err : RECAP_ERR_INVAL;
}

/* The next used slot of c's task after slot, RECAP_SLOT_NONE if none. */
static unsigned long next_used(struct child *c, unsigned long slot)
{
	l4_cap_idx_t next = l4x_cap_next(L4X_BASE_HOST_CAP, c->pd.task,
					 recap_slot_sel(slot + 1));

	return l4_is_valid_cap(next) ? recap_sel_slot(next) : RECAP_SLOT_NONE;
}

/* Read the one slot argument: RECAP_OK, INVAL or RANGE. */
static int get_slot(struct rpc_request *req, unsigned ncaps,
		    unsigned long *slot)
{
	*slot = rpc_msg_get_word(&req->msg);
	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != ncaps)
		return RECAP_ERR_INVAL;
	return *slot < RECAP_CAP_SLOTS ? RECAP_OK : RECAP_ERR_RANGE;
}

static int op_request_cap(struct child *c, struct rpc_request *req)
{
	struct recap_cap cap = recap_cap_invalid();
	struct l4x_cap_info info;
	unsigned long slot, next;
	long err;
	int r = get_slot(req, 0, &slot);

	if (r != RECAP_OK)
		return r;
	if (l4_is_valid_cap(delegate_sel))
		l4_task_release_cap(L4_BASE_TASK_CAP, delegate_sel);
	else
		delegate_sel = cap_sel_alloc();
	if (!l4_is_valid_cap(delegate_sel))
		return RECAP_ERR_NOMEM;
	err = l4x_cap_info(L4X_BASE_HOST_CAP, c->pd.task, recap_slot_sel(slot),
			   &info);
	if (err < 0)
		return kernel_err(err);
	if (info.kind != L4X_KIND_NONE) {
		err = l4_error(l4_task_map(L4_BASE_TASK_CAP, c->pd.task,
					   l4_obj_fpage(recap_slot_sel(slot), 0,
							L4_FPAGE_RWX),
					   delegate_sel | L4_ITEM_MAP));
		if (err < 0)
			return kernel_err(err);
		cap = (struct recap_cap){ .badge = rpc_badge_alloc(),
					  .sel = delegate_sel };
	}
	next = next_used(c, slot);
	rpc_reply_start(req, &cap, 1);
	rpc_msg_put_word(&req->msg, next);
	return RECAP_OK;
}

static int op_install_cap(struct child *c, struct rpc_request *req)
{
	unsigned long slot;
	long err;
	int r = get_slot(req, 1, &slot);

	if (r != RECAP_OK)
		return r;
	if (slot == 0)
		return RECAP_ERR_RANGE;
	if (!recap_cap_valid(req->msg.caps[0]))
		return RECAP_ERR_INVAL;
	err = l4_error(l4_task_map(c->pd.task, L4_BASE_TASK_CAP,
				   l4_obj_fpage(req->msg.caps[0].sel, 0,
						L4_FPAGE_RWX),
				   recap_slot_sel(slot) | L4_ITEM_MAP));
	return err < 0 ? kernel_err(err) : RECAP_OK;
}

static int op_cap_info(struct child *c, struct rpc_request *req)
{
	struct l4x_cap_info info;
	unsigned long slot, next;
	long err;
	int r = get_slot(req, 0, &slot);

	if (r != RECAP_OK)
		return r;
	err = l4x_cap_info(L4X_BASE_HOST_CAP, c->pd.task, recap_slot_sel(slot),
			   &info);
	if (err < 0)
		return kernel_err(err);
	next = next_used(c, slot);
	rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, info.kind);
	rpc_msg_put_word(&req->msg, info.id);
	rpc_msg_put_word(&req->msg, info.rights);
	rpc_msg_put_word(&req->msg, info.obj_id);
	rpc_msg_put_word(&req->msg, next);
	return RECAP_OK;
}

/* Write the n entries of e into ds after the done written before. */
static int cap_list_flush(struct dataspace *ds,
			  struct recap_native_cap_entry const *e,
			  unsigned long *n, unsigned long *done)
{
	size_t bytes = *n * sizeof(*e);

	if (pwrite(ds->fd, e, bytes, (off_t)(*done * sizeof(*e))) != (ssize_t)bytes)
		return RECAP_ERR_NOMEM;
	*done += *n;
	*n = 0;
	return RECAP_OK;
}

/*
 * CAP_LIST: CAP_INFO of up to max used slots from slot on, written into
 * ds. The kernel is asked slot by slot (l4x_cap_info, l4x_cap_next)
 * either way; one call to core instead of one per slot is what a
 * checkpointer saves.
 */
static int op_cap_list(struct child *c, struct rpc_request *req)
{
	unsigned long slot = rpc_msg_get_word(&req->msg);
	unsigned long max = rpc_msg_get_word(&req->msg);
	struct recap_native_cap_entry e[64];
	unsigned long n = 0, done = 0;
	struct dataspace *ds;
	int err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	ds = dataspace_from_request(req, 0);
	if (!ds || !max)
		return RECAP_ERR_INVAL;
	if (slot >= RECAP_CAP_SLOTS || max > RECAP_CAP_SLOTS ||
	    ds->size < max * sizeof(e[0]))
		return RECAP_ERR_RANGE;
	if (!ds->writable)
		return RECAP_ERR_DENIED;
	while (slot != RECAP_SLOT_NONE && done + n < max) {
		struct l4x_cap_info info;
		long kerr = l4x_cap_info(L4X_BASE_HOST_CAP, c->pd.task,
					 recap_slot_sel(slot), &info);

		if (kerr < 0)
			return kernel_err(kerr);
		if (info.kind != L4X_KIND_NONE)
			e[n++] = (struct recap_native_cap_entry){
				.slot = slot, .kind = info.kind, .id = info.id,
				.rights = info.rights, .label = info.obj_id };
		slot = next_used(c, slot);
		if (n == sizeof(e) / sizeof(e[0]) &&
		    (err = cap_list_flush(ds, e, &n, &done)) != RECAP_OK)
			return err;
	}
	if (n && (err = cap_list_flush(ds, e, &n, &done)) != RECAP_OK)
		return err;
	rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, done);
	rpc_msg_put_word(&req->msg, slot);
	return RECAP_OK;
}

static int op_thread_state(struct child *c, struct rpc_request *req)
{
	unsigned long index = rpc_msg_get_word(&req->msg);
	struct dataspace *ds;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	ds = dataspace_from_request(req, 0);
	if (!ds)
		return RECAP_ERR_INVAL;
	return cpu_thread_state(c, index, ds);
}

/*
 * DIRTY over any window up to RECAP_PD_DIRTY_MAX_PAGES: the kernel answers
 * at most L4X_DIRTY_MAX_PAGES (a multiple of 64) a call, in its message
 * registers, so core asks it window by window and puts each window's
 * words at their place in ds. One call for a whole attachment saves the
 * caller a round trip through core for every 15.5 MiB.
 */
static int op_dirty(struct child *c, struct rpc_request *req)
{
	unsigned long addr = rpc_msg_get_word(&req->msg);
	unsigned long pages = rpc_msg_get_word(&req->msg);
	unsigned long flags = rpc_msg_get_word(&req->msg);
	l4_umword_t bitmap[L4X_DIRTY_MAX_PAGES / 64];
	struct dataspace *ds;
	unsigned long total = 0;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	ds = dataspace_from_request(req, 0);
	if (!ds || !pages || addr % L4_PAGESIZE || flags & ~RECAP_PD_DIRTY_RESET)
		return RECAP_ERR_INVAL;
	/* The whole window is checked first: the kernel checks each call's,
	 * and a refusal halfway would leave tracking restarted for part. */
	if (pages > RECAP_PD_DIRTY_MAX_PAGES ||
	    ds->size < (pages + 63) / 64 * sizeof(bitmap[0]) ||
	    addr < L4X_TASK_VM_START || addr >= L4X_TASK_VM_END ||
	    pages > (L4X_TASK_VM_END - addr) / L4_PAGESIZE)
		return RECAP_ERR_RANGE;
	if (!ds->writable)
		return RECAP_ERR_DENIED;
	for (unsigned long done = 0; done < pages; done += L4X_DIRTY_MAX_PAGES) {
		unsigned long n = pages - done < L4X_DIRTY_MAX_PAGES ?
				  pages - done : L4X_DIRTY_MAX_PAGES;
		size_t bytes = (n + 63) / 64 * sizeof(bitmap[0]);
		long dirty = l4x_dirty_pages(L4X_BASE_HOST_CAP, c->pd.task,
					     addr + done * L4_PAGESIZE, n,
					     flags & RECAP_PD_DIRTY_RESET ?
					     L4X_DIRTY_RESET : 0, bitmap);

		if (dirty < 0)
			return kernel_err(dirty);
		if (pwrite(ds->fd, bitmap, bytes,
			   (off_t)(done / 64 * sizeof(bitmap[0]))) != (ssize_t)bytes)
			return RECAP_ERR_NOMEM;
		total += (unsigned long)dirty;
	}
	rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, total);
	return RECAP_OK;
}

/*
 * IRQ_INFO: what a checkpoint needs of an IRQ in the PD (a signal context,
 * a thread's IRQ) so that no signal is lost: the triggers the kernel
 * counted but has not delivered, its label, and which of the PD's threads
 * it is attached to (by index: a kernel id means nothing to a restore).
 */
static int op_irq_info(struct child *c, struct rpc_request *req)
{
	struct l4x_irq_info info;
	unsigned long slot, index;
	long err;
	int r = get_slot(req, 0, &slot);

	if (r != RECAP_OK)
		return r;
	err = l4x_irq_info(L4X_BASE_HOST_CAP, c->pd.task, recap_slot_sel(slot),
			   &info);
	if (err < 0)
		return kernel_err(err);
	index = cpu_thread_index_by_id(c, info.thread_id);
	rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, info.pending);
	rpc_msg_put_word(&req->msg, info.label);
	rpc_msg_put_word(&req->msg, index);
	return RECAP_OK;
}

int native_pd_dispatch(struct child *c, struct rpc_request *req)
{
	if (!l4_is_valid_cap(c->pd.task))
		return RECAP_ERR_NOENT;
	switch (req->op) {
	case RECAP_PD_REQUEST_CAP:
		return op_request_cap(c, req);
	case RECAP_PD_INSTALL_CAP:
		return op_install_cap(c, req);
	case RECAP_PD_CAP_INFO:
		return op_cap_info(c, req);
	case RECAP_PD_THREAD_STATE:
		return op_thread_state(c, req);
	case RECAP_PD_DIRTY:
		return op_dirty(c, req);
	case RECAP_PD_IRQ_INFO:
		return op_irq_info(c, req);
	case RECAP_PD_CAP_LIST:
		return op_cap_list(c, req);
	}
	return RECAP_ERR_INVAL;
}
