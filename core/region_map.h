/*
 * region_map.h — a PD's address space as core keeps it: the region map
 * (protocol and placement rules: recap/region_map.h).
 *
 * One list per PD holds every region of its address space, sorted by
 * address, none overlapping:
 *  - REGION_DS: a dataspace the component attached (ds, offset, rights);
 *  - REGION_CORE: memory core placed itself (an ELF segment, a stack),
 *    backed by a memfd the PD owns (pd.h); it cannot be detached.
 * Each region names the memfd behind it, so this list alone says what the
 * address space holds and where its contents are: what a checkpoint
 * records (address, size, offset, rights, dataspace) and a restore
 * replays.
 *
 * Every change is made in the list and in the task (l4x_ds_map,
 * l4x_ds_unmap) together: a region is in the list iff it is mapped (while
 * the task exists).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <l4/sys/types.h>

struct dataspace;
struct pd;

enum region_kind {
	REGION_DS,
	REGION_CORE,
};

struct region_map;

struct region {
	enum region_kind kind;
	l4_addr_t addr;			/* page-aligned */
	size_t size;			/* bytes, whole pages */
	size_t offset;			/* into the memfd, page-aligned */
	unsigned rights;		/* L4_FPAGE_RO, with W and/or X */
	int fd;				/* the memfd behind it (not owned) */
	struct dataspace *ds;		/* REGION_DS: what is attached */
	struct region_map *rm;		/* the map it is in */
	struct region *next;		/* in rm, ascending addresses */
	struct region *ds_next;		/* REGION_DS: in ds->regions */
};

struct region_map {
	struct pd *pd;			/* whose address space; NULL: none yet */
	struct region *regions;		/* ascending, not overlapping */
	unsigned nregions;
};

/*
 * Start the region map of pd with what pd_load placed (pd->ds[]: ELF
 * segments, main stack) as REGION_CORE regions. RECAP_OK or
 * RECAP_ERR_NOMEM.
 */
int region_map_init(struct region_map *rm, struct pd *pd);

/*
 * Record memory core placed into the task itself (a stack), already
 * mapped there. RECAP_OK, RECAP_ERR_EXIST (overlaps a region) or
 * RECAP_ERR_NOMEM.
 */
int region_map_add_core(struct region_map *rm, l4_addr_t addr, size_t size,
			int fd, unsigned rights);

/*
 * Attach ds: see recap/region_map.h for the arguments and errors. *addr is
 * where it went.
 */
int region_map_attach(struct region_map *rm, struct dataspace *ds,
		      size_t size, size_t offset, l4_addr_t at,
		      unsigned rights, l4_addr_t *addr);

/* Detach the REGION_DS region containing addr (errors as documented). */
int region_map_detach(struct region_map *rm, l4_addr_t addr);

/* Detach ds from every region map it is attached to (it is going away). */
void region_map_detach_ds(struct dataspace *ds);

/*
 * Forget every region without unmapping (the task is gone or going):
 * dataspaces stop listing the regions of this map.
 */
void region_map_fini(struct region_map *rm);
