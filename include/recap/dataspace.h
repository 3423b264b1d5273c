/*
 * recap/dataspace.h — dataspaces: memory core hands out as capabilities.
 *
 * A dataspace is a piece of memory (a memfd at core) with a size, a whole
 * number of pages. The RAM service (recap/ram_session.h) makes writable
 * ones, charged to the component's RAM quota; the ROM service
 * (recap/rom_session.h) read-only ones. Holding a dataspace capability
 * gives no access by itself: the memory appears in an address space only
 * when it is attached to a region map (recap/region_map.h). The capability
 * is an RPC object at core, so a region map can tell a real dataspace from
 * a forged one, and anyone holding it can ask for its size.
 *
 * Protocol (wire format: recap/rpc_wire.h):
 *   INFO   -                       -> word size, word writable (0 or 1)
 *   KIND   -                       -> word RECAP_DS_KIND_*: memory, or a
 *                                     managed dataspace (a region map's,
 *                                     recap/region_map.h: no memory of its
 *                                     own, holes fault)
 */
#pragma once

#include <stdbool.h>

#include <recap/capability.h>

struct recap_env;

enum recap_ds_op {
	RECAP_DS_INFO = 1,
	RECAP_DS_KIND = 2,
};

enum recap_ds_kind {
	RECAP_DS_KIND_MEMORY = 0,
	RECAP_DS_KIND_MANAGED = 1,
};

/* A dataspace as a component holds it. */
struct recap_ds {
	struct recap_cap cap;
	unsigned long size;	/* bytes, a multiple of the page size */
};

/*
 * Ask core for the size of ds and whether it may be attached writable.
 * RECAP_OK, or as recap_rpc_call() (RECAP_ERR_IPC: ds names nothing).
 */
int recap_ds_info(struct recap_env *env, struct recap_cap ds,
		  unsigned long *size, bool *writable);
