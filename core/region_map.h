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
 *
 * A managed region map (Genode's Rm_session::create) has the same list,
 * with offsets 0..size instead of addresses and no task: it stands for a
 * managed dataspace (map->ds, ds->managed == map), and whatever is
 * attached in it appears wherever that dataspace is attached (a "window":
 * a REGION_DS region of an address space whose ds is managed). Every
 * window maps each attachment it covers, as a piece of that attachment's
 * memfd, with the intersection of both rights; attaching or detaching
 * inside the map updates every window at once, so again what the lists
 * say is what the tasks have mapped. No nesting: a managed dataspace
 * cannot be attached inside a managed map (one level, as most of
 * Genode's kernels do it).
 *
 * Faults in a window where the map has nothing attached (or a write
 * where it has a read-only attachment, through a writable window) go to
 * the map's fault handler (a signal context): region_map_fault records
 * the faulting thread (blocked in its fault IPC to core) and signals; the
 * thread is resumed when an attachment backs its address as the access
 * needs it (after every ATTACH in the map), by a send to its kernel
 * thread, which the kernel takes as the pager's late answer
 * (docs/kernel.md, "Faults"). A window going resumes all of its map's
 * blocked threads: they fault again, on whatever is there now.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <l4/sys/types.h>

#include <recap/badge.h>

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

/* A thread blocked on a fault in a managed map, waiting to be resumed. */
struct rm_fault {
	l4_cap_idx_t thread;		/* core's selector of its kernel thread */
	unsigned long id;		/* its kernel id: the selector still names it */
	l4_addr_t offset;		/* where in the map, page-aligned */
	bool write;
	struct rm_fault *next;		/* oldest first */
};

struct region_map {
	struct pd *pd;			/* whose address space; NULL: none yet, or managed */
	struct dataspace *ds;		/* managed: the dataspace standing for it */
	size_t size;			/* managed: bytes, whole pages */
	recap_badge_t sigh;		/* managed: fault handler's context, 0: none */
	struct rm_fault *faults;	/* managed: blocked threads */
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
 * Start a managed map of size bytes (whole pages, not 0); the caller then
 * sets rm->ds to the dataspace standing for it (dataspace_create_managed).
 */
void region_map_init_managed(struct region_map *rm, size_t size);

/*
 * End a managed map: its dataspace destroyed (every window goes), its
 * blocked threads resumed (they fault again and crash, as on unbacked
 * memory), its attachments forgotten.
 */
void region_map_fini_managed(struct region_map *rm);

/*
 * A page fault of thread (core's selector of the kernel thread) at addr
 * of rm (an address space). RECAP_OK: addr is in a window whose map has a
 * fault handler and nothing attached there (or, for a write through a
 * writable window, a read-only attachment); the fault is recorded, the
 * handler signalled, and the thread must get no answer now (it is
 * resumed by a later ATTACH in the map). Anything else (no window there,
 * the map backing the address as the access needs, no handler):
 * RECAP_ERR_NOENT, a crash as before.
 */
int region_map_fault(struct region_map *rm, l4_addr_t addr, bool write,
		     l4_cap_idx_t thread);

/*
 * The oldest recorded fault of managed map rm whose thread still exists:
 * true, its offset and kind; false if none.
 */
bool region_map_fault_state(struct region_map *rm, l4_addr_t *offset,
			    bool *write);

/*
 * A thread was resumed: answer the faults whose answer a paused thread
 * could not take (the kernel gives a paused receiver nothing), so that a
 * checkpoint pausing a faulting thread while its handler resolves the
 * fault never leaves it waiting for good.
 */
void region_map_resumed(void);

/*
 * Forget every region without unmapping (the task is gone or going):
 * dataspaces stop listing the regions of this map.
 */
void region_map_fini(struct region_map *rm);
