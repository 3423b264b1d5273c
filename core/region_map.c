/*
 * region_map.c — a PD's region map (region_map.h): the sorted region
 * list, placement, and the mappings in the task that follow it.
 *
 * A sorted singly linked list: a component has a handful of regions (its
 * segments, a stack, heap chunks, a few ROMs), RECAP_RM_MAX_REGIONS at
 * most, and every operation is one walk. The list is also the form a
 * checkpoint wants, in address order.
 *
 * Managed maps (region_map.h) keep offsets where address spaces keep
 * addresses; the mapping work for them goes through the windows, the
 * regions of address spaces their dataspace is attached as.
 */
#include <stdint.h>
#include <stdlib.h>

#include <l4/sys/consts.h>
#include <l4/sys/ipc.h>
#include <l4/sys/utcb.h>
#include <l4/sys/x.h>

#include <recap/err.h>
#include <recap/layout.h>
#include <recap/region_map.h>

#include "dataspace.h"
#include "diag.h"
#include "pd.h"
#include "region_map.h"
#include "signal.h"

static l4_addr_t region_end(struct region const *r)
{
	return r->addr + r->size;
}

/* The link in rm's list after which a region at addr belongs. */
static struct region **link_for(struct region_map *rm, l4_addr_t addr)
{
	struct region **p = &rm->regions;

	while (*p && (*p)->addr < addr)
		p = &(*p)->next;
	return p;
}

/* Does [addr, addr + size) overlap a region of rm? */
static bool overlaps(struct region_map const *rm, l4_addr_t addr, size_t size)
{
	for (struct region const *r = rm->regions; r; r = r->next)
		if (r->addr < addr + size && addr < region_end(r))
			return true;
	return false;
}

static struct region *region_new(struct region_map *rm, enum region_kind kind,
				 l4_addr_t addr, size_t size, size_t offset,
				 unsigned rights, int fd)
{
	struct region *r;

	if (rm->nregions >= RECAP_RM_MAX_REGIONS)
		return NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	*r = (struct region){
		.kind = kind, .addr = addr, .size = size, .offset = offset,
		.rights = rights, .fd = fd, .rm = rm,
	};
	return r;
}

static void region_link(struct region_map *rm, struct region *r)
{
	struct region **p = link_for(rm, r->addr);

	r->next = *p;
	*p = r;
	rm->nregions++;
}

/* Take r out of its map's list and, for REGION_DS, its dataspace's. */
static void region_unlink(struct region *r)
{
	struct region **p = &r->rm->regions;

	while (*p && *p != r)
		p = &(*p)->next;
	if (*p) {
		*p = r->next;
		r->rm->nregions--;
	}
	if (r->ds) {
		for (p = &r->ds->regions; *p && *p != r; p = &(*p)->ds_next)
			;
		if (*p)
			*p = r->ds_next;
	}
}

int region_map_add_core(struct region_map *rm, l4_addr_t addr, size_t size,
			int fd, unsigned rights)
{
	struct region *r;

	if (overlaps(rm, addr, size))
		return RECAP_ERR_EXIST;
	r = region_new(rm, REGION_CORE, addr, size, 0, rights, fd);
	if (!r)
		return RECAP_ERR_NOMEM;
	region_link(rm, r);
	return RECAP_OK;
}

int region_map_init(struct region_map *rm, struct pd *pd)
{
	*rm = (struct region_map){ .pd = pd };
	for (unsigned i = 0; i < pd->nds; i++) {
		struct pd_ds const *d = &pd->ds[i];
		int err = region_map_add_core(rm, d->addr, d->size, d->fd, d->rights);

		if (err != RECAP_OK) {
			region_map_fini(rm);
			return err;
		}
	}
	return RECAP_OK;
}

/*
 * The lowest free range of size bytes in [from, end), or ~0: the attach
 * area of an address space, the whole of a managed map.
 */
static l4_addr_t find_free(struct region_map const *rm, size_t size,
			   l4_addr_t from, l4_addr_t end)
{
	l4_addr_t at = from;

	for (struct region const *r = rm->regions; r; r = r->next) {
		if (region_end(r) <= at)
			continue;
		if (r->addr >= at && r->addr - at >= size)
			break;
		at = region_end(r);
	}
	if (at > end || end - at < size)
		return ~0UL;
	return at;
}

/* ---- windows: a managed map's attachments seen in an address space ----- */

static bool is_window(struct region const *r)
{
	return r->ds && r->ds->managed;
}

/*
 * The part of attachment sub (of a managed map) that window w shows:
 * false if none, else its address in w's task, length and memfd offset.
 */
static bool piece(struct region const *w, struct region const *sub,
		  l4_addr_t *addr, size_t *len, size_t *offset)
{
	l4_addr_t lo = sub->addr > w->offset ? sub->addr : w->offset;
	l4_addr_t hi = region_end(sub) < w->offset + w->size ? region_end(sub)
							     : w->offset + w->size;

	if (lo >= hi)
		return false;
	*addr = w->addr + (lo - w->offset);
	*len = hi - lo;
	*offset = sub->offset + (lo - sub->addr);
	return true;
}

static long piece_map(struct region const *w, struct region const *sub)
{
	struct pd const *pd = w->rm->pd;
	l4_addr_t addr;
	size_t len, offset;

	if (!pd || !l4_is_valid_cap(pd->task) || !piece(w, sub, &addr, &len, &offset))
		return 0;
	return l4x_ds_map(L4X_BASE_HOST_CAP, pd->task, sub->fd, addr, len, offset,
			  w->rights & sub->rights);
}

static void piece_unmap(struct region const *w, struct region const *sub)
{
	struct pd const *pd = w->rm->pd;
	l4_addr_t addr;
	size_t len, offset;

	if (pd && l4_is_valid_cap(pd->task) && piece(w, sub, &addr, &len, &offset))
		l4x_ds_unmap(L4X_BASE_HOST_CAP, pd->task, addr, len);
}

/* Map everything managed map m has into window w; undone on failure. */
static long window_map(struct region const *w, struct region_map const *m)
{
	for (struct region const *sub = m->regions; sub; sub = sub->next) {
		long kerr = piece_map(w, sub);

		if (kerr < 0) {
			l4x_ds_unmap(L4X_BASE_HOST_CAP, w->rm->pd->task, w->addr,
				     w->size);
			return kerr;
		}
	}
	return 0;
}

/* Show sub, new in managed map m, in every window; undone on failure. */
static long windows_map(struct region_map const *m, struct region const *sub)
{
	for (struct region const *w = m->ds->regions; w; w = w->ds_next) {
		long kerr = piece_map(w, sub);

		if (kerr < 0) {
			for (struct region const *u = m->ds->regions; u != w;
			     u = u->ds_next)
				piece_unmap(u, sub);
			return kerr;
		}
	}
	return 0;
}

/* ---- faults in windows -------------------------------------------------- */

/* The kernel id of core's selector sel, 0 if it names nothing. */
static unsigned long kernel_id(l4_cap_idx_t sel)
{
	struct l4x_cap_info info;

	if (l4x_cap_info(L4X_BASE_HOST_CAP, L4_BASE_TASK_CAP, sel, &info) < 0 ||
	    info.kind != L4X_KIND_THREAD)
		return 0;
	return info.id;
}

static struct region const *region_at(struct region_map const *rm, l4_addr_t addr)
{
	for (struct region const *r = rm->regions; r && r->addr <= addr; r = r->next)
		if (addr < region_end(r))
			return r;
	return NULL;
}

/* Does managed map m back offset the way the access needs it? */
static bool backed(struct region_map const *m, l4_addr_t offset, bool write)
{
	struct region const *sub = region_at(m, offset);

	return sub && (!write || (sub->rights & L4_FPAGE_W));
}

/*
 * Answers a thread could not take because it was paused (the kernel gives
 * a paused receiver nothing: a checkpoint may be reading its state, and it
 * waits in its fault all the same): sent again whenever core resumes a
 * thread (region_map_resumed), dropped once the thread is gone.
 */
static struct rm_fault *undelivered;

/*
 * Answer f's fault IPC: a send to the thread's kernel thread with a zero
 * timeout, which the kernel delivers as the answer to the fault IPC the
 * thread still waits in (its partner is core's thread). True when f is
 * done with: answered, or its thread waits no more (killed, its PD gone:
 * the id check).
 */
static bool answer(struct rm_fault const *f)
{
	l4_msgtag_t tag;

	if (kernel_id(f->thread) != f->id)
		return true;
	tag = l4_ipc_send(f->thread, l4_utcb(), l4_msgtag(0, 0, 0, 0),
			  L4_IPC_SEND_TIMEOUT_0);
	return !l4_ipc_error(tag, l4_utcb());
}

/* Answer f, or keep it for region_map_resumed. */
static void answer_or_keep(struct rm_fault *f)
{
	if (answer(f)) {
		free(f);
		return;
	}
	f->next = undelivered;
	undelivered = f;
}

void region_map_resumed(void)
{
	struct rm_fault **p = &undelivered;

	while (*p) {
		struct rm_fault *f = *p;

		if (!answer(f)) {
			p = &f->next;
			continue;
		}
		*p = f->next;
		free(f);
	}
}

/* Resume the blocked threads of managed map m: all, or those whose fault
 * address is backed now. */
static void wake(struct region_map *m, bool all)
{
	struct rm_fault **p = &m->faults;

	while (*p) {
		struct rm_fault *f = *p;

		if (!all && !backed(m, f->offset, f->write)) {
			p = &f->next;
			continue;
		}
		*p = f->next;
		answer_or_keep(f);
	}
}

/* Drop the records of threads that no longer exist. */
static void prune(struct region_map *m)
{
	struct rm_fault **p = &m->faults;

	while (*p) {
		struct rm_fault *f = *p;

		if (kernel_id(f->thread) == f->id) {
			p = &f->next;
			continue;
		}
		*p = f->next;
		free(f);
	}
}

int region_map_fault(struct region_map *rm, l4_addr_t addr, bool write,
		     l4_cap_idx_t thread)
{
	struct region const *w = region_at(rm, addr);
	struct region_map *m;
	struct rm_fault *f, **p;
	unsigned long id;

	/* Writing through a read-only window is the window's own rule. */
	if (!w || !is_window(w) || (write && !(w->rights & L4_FPAGE_W)))
		return RECAP_ERR_NOENT;
	m = w->ds->managed;
	addr = (addr & ~(L4_PAGESIZE - 1)) - w->addr + w->offset;
	/* Nothing there, or a write to a read-only attachment, is the
	 * handler's to resolve (Genode's Region_map fault); memory backed as
	 * the access needs it faulted for no reason core knows: a crash. */
	if (!m->sigh || backed(m, addr, write))
		return RECAP_ERR_NOENT;
	id = kernel_id(thread);
	f = id ? calloc(1, sizeof(*f)) : NULL;
	if (!f)
		return RECAP_ERR_NOENT;
	*f = (struct rm_fault){ .thread = thread, .id = id, .offset = addr,
				.write = write };
	prune(m);
	for (p = &m->faults; *p; p = &(*p)->next)
		;
	*p = f;
	if (!signal_submit(m->sigh)) {
		/* The handler's context is gone: nobody will resolve it. */
		*p = NULL;
		free(f);
		m->sigh = 0;
		return RECAP_ERR_NOENT;
	}
	return RECAP_OK;
}

bool region_map_fault_state(struct region_map *rm, l4_addr_t *offset,
			    bool *write)
{
	prune(rm);
	if (!rm->faults)
		return false;
	*offset = rm->faults->offset;
	*write = rm->faults->write;
	return true;
}

void region_map_init_managed(struct region_map *rm, size_t size)
{
	*rm = (struct region_map){ .size = size };
}

/* Is [at, at + size) a range a component may attach to? */
static int check_range(l4_addr_t at, size_t size)
{
	if (at % L4_PAGESIZE)
		return RECAP_ERR_INVAL;
	if (at < L4X_TASK_VM_START || at >= L4X_TASK_VM_END ||
	    size > L4X_TASK_VM_END - at)
		return RECAP_ERR_RANGE;
	/* The UTCB area is core's (the kernel's) to fill. The stack area is
	 * the runtime's: it attaches thread stacks there itself (thread.c),
	 * so that stacks are dataspaces like everything else. */
	if (at < RECAP_STACK_AREA && RECAP_UTCB_AREA < at + size)
		return RECAP_ERR_RANGE;
	return RECAP_OK;
}

int region_map_attach(struct region_map *rm, struct dataspace *ds,
		      size_t size, size_t offset, l4_addr_t at,
		      unsigned rights, l4_addr_t *addr)
{
	struct region *r;
	long kerr;
	int err;

	if (!rm->ds && (!rm->pd || !l4_is_valid_cap(rm->pd->task)))
		return RECAP_ERR_NOENT;
	if ((rights & ~(unsigned)L4_FPAGE_RWX) || !(rights & L4_FPAGE_RO) ||
	    offset % L4_PAGESIZE)
		return RECAP_ERR_INVAL;
	if ((rights & L4_FPAGE_W) && !ds->writable)
		return RECAP_ERR_DENIED;
	if (offset >= ds->size)
		return RECAP_ERR_RANGE;
	if (!size)
		size = ds->size - offset;
	else if (size > SIZE_MAX - (L4_PAGESIZE - 1))
		return RECAP_ERR_RANGE;
	else
		size = (size + L4_PAGESIZE - 1) & ~(L4_PAGESIZE - 1);
	if (size > ds->size - offset)
		return RECAP_ERR_RANGE;

	/* One level of managed maps: none inside another (itself included). */
	if (rm->ds && ds->managed)
		return RECAP_ERR_DENIED;

	if (at == RECAP_RM_ANYWHERE) {
		at = rm->ds ? find_free(rm, size, 0, rm->size)
			    : find_free(rm, size, RECAP_ATTACH_AREA, L4X_TASK_VM_END);
		if (at == ~0UL)
			return RECAP_ERR_NOMEM;
	} else {
		err = rm->ds ? (at % L4_PAGESIZE ? RECAP_ERR_INVAL
			       : at >= rm->size || size > rm->size - at ? RECAP_ERR_RANGE
			       : RECAP_OK)
			     : check_range(at, size);
		if (err != RECAP_OK)
			return err;
		if (overlaps(rm, at, size))
			return RECAP_ERR_EXIST;
	}
	r = region_new(rm, REGION_DS, at, size, offset, rights, ds->fd);
	if (!r)
		return RECAP_ERR_NOMEM;
	r->ds = ds;
	if (rm->ds)
		kerr = windows_map(rm, r);
	else if (ds->managed)
		kerr = window_map(r, ds->managed);
	else
		kerr = l4x_ds_map(L4X_BASE_HOST_CAP, rm->pd->task, ds->fd, at, size,
				  offset, rights);
	if (kerr < 0) {
		diag("%s: mapping 0x%zx bytes at 0x%lx failed (%ld)",
		     rm->pd ? rm->pd->name : "managed map", size,
		     (unsigned long)at, kerr);
		free(r);
		return kerr == -L4_ENOMEM ? RECAP_ERR_NOMEM : RECAP_ERR_INVAL;
	}
	region_link(rm, r);
	r->ds_next = ds->regions;
	ds->regions = r;
	*addr = at;
	if (rm->ds)
		wake(rm, false);
	return RECAP_OK;
}

/*
 * Unmap r from its task (if the task still exists), or from every window
 * of its managed map, and free it. A window going resumes the threads
 * blocked in its map: they fault again, where they are now.
 */
static void region_remove(struct region *r)
{
	struct region_map *rm = r->rm;
	struct region_map *m = is_window(r) ? r->ds->managed : NULL;
	struct pd const *pd = rm->pd;

	if (rm->ds)
		for (struct region const *w = rm->ds->regions; w; w = w->ds_next)
			piece_unmap(w, r);
	region_unlink(r);
	if (!rm->ds && pd && l4_is_valid_cap(pd->task))
		l4x_ds_unmap(L4X_BASE_HOST_CAP, pd->task, r->addr, r->size);
	free(r);
	if (m)
		wake(m, true);
}

int region_map_detach(struct region_map *rm, l4_addr_t addr)
{
	for (struct region *r = rm->regions; r && r->addr <= addr; r = r->next) {
		if (addr >= region_end(r))
			continue;
		if (r->kind != REGION_DS)
			return RECAP_ERR_DENIED;
		region_remove(r);
		return RECAP_OK;
	}
	return RECAP_ERR_NOENT;
}

void region_map_detach_ds(struct dataspace *ds)
{
	while (ds->regions)
		region_remove(ds->regions);
}

void region_map_fini_managed(struct region_map *rm)
{
	if (rm->ds)
		dataspace_destroy(rm->ds);
	rm->ds = NULL;
	wake(rm, true);
	region_map_fini(rm);
}

void region_map_fini(struct region_map *rm)
{
	while (rm->regions) {
		struct region *r = rm->regions;

		region_unlink(r);
		free(r);
	}
	rm->pd = NULL;
}
