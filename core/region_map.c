/*
 * region_map.c — a PD's region map (region_map.h): the sorted region
 * list, placement, and the mappings in the task that follow it.
 *
 * A sorted singly linked list: a component has a handful of regions (its
 * segments, a stack, heap chunks, a few ROMs), RECAP_RM_MAX_REGIONS at
 * most, and every operation is one walk. The list is also the form a
 * checkpoint wants, in address order.
 */
#include <stdint.h>
#include <stdlib.h>

#include <l4/sys/consts.h>
#include <l4/sys/x.h>

#include <recap/err.h>
#include <recap/layout.h>
#include <recap/region_map.h>

#include "dataspace.h"
#include "diag.h"
#include "pd.h"
#include "region_map.h"

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

/* The lowest free range of size bytes in the attach area, or 0. */
static l4_addr_t find_free(struct region_map const *rm, size_t size)
{
	l4_addr_t at = RECAP_ATTACH_AREA;

	for (struct region const *r = rm->regions; r; r = r->next) {
		if (region_end(r) <= at)
			continue;
		if (r->addr >= at && r->addr - at >= size)
			break;
		at = region_end(r);
	}
	if (at > L4X_TASK_VM_END || L4X_TASK_VM_END - at < size)
		return 0;
	return at;
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

	if (!rm->pd || !l4_is_valid_cap(rm->pd->task))
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

	if (at == RECAP_RM_ANYWHERE) {
		at = find_free(rm, size);
		if (!at)
			return RECAP_ERR_NOMEM;
	} else {
		err = check_range(at, size);
		if (err != RECAP_OK)
			return err;
		if (overlaps(rm, at, size))
			return RECAP_ERR_EXIST;
	}
	r = region_new(rm, REGION_DS, at, size, offset, rights, ds->fd);
	if (!r)
		return RECAP_ERR_NOMEM;
	kerr = l4x_ds_map(L4X_BASE_HOST_CAP, rm->pd->task, ds->fd, at, size,
			  offset, rights);
	if (kerr < 0) {
		diag("%s: mapping 0x%zx bytes at 0x%lx failed (%ld)",
		     rm->pd->name, size, (unsigned long)at, kerr);
		free(r);
		return kerr == -L4_ENOMEM ? RECAP_ERR_NOMEM : RECAP_ERR_INVAL;
	}
	r->ds = ds;
	region_link(rm, r);
	r->ds_next = ds->regions;
	ds->regions = r;
	*addr = at;
	return RECAP_OK;
}

/* Unmap r from its task (if the task still exists) and free it. */
static void region_remove(struct region *r)
{
	struct pd const *pd = r->rm->pd;

	region_unlink(r);
	if (pd && l4_is_valid_cap(pd->task))
		l4x_ds_unmap(L4X_BASE_HOST_CAP, pd->task, r->addr, r->size);
	free(r);
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

void region_map_fini(struct region_map *rm)
{
	while (rm->regions) {
		struct region *r = rm->regions;

		region_unlink(r);
		free(r);
	}
	rm->pd = NULL;
}
