/*
 * recap/region_map.h — the component's address space as a region map:
 * attaching dataspaces (recap/dataspace.h) makes their memory appear,
 * detaching makes it go.
 *
 * Core keeps every PD's region map: each region with its address, size,
 * dataspace, offset into it and rights, also the ones core placed itself
 * (ELF segments, stacks). A component reaches its own through an "RM"
 * session from its parent (the runtime opens one on first use, env->rm):
 * every RM session a component opens at core names the client's own
 * address space. (Genode reaches it as Pd_session::address_space(); a
 * parent that creates a PD for a child will get it that way.)
 *
 * Where things may go (recap/layout.h): anywhere in the component range
 * [L4X_TASK_VM_START, L4X_TASK_VM_END) except the UTCB area
 * [RECAP_UTCB_AREA, RECAP_STACK_AREA), which core manages, and except
 * what is attached already. The stack area [RECAP_STACK_AREA,
 * RECAP_ATTACH_AREA) takes fixed attachments only: thread stacks, which
 * the runtime places there (recap/thread.h). "Anywhere" takes the lowest
 * free range at or above RECAP_ATTACH_AREA.
 *
 * Protocol (wire format: recap/rpc_wire.h):
 *   ATTACH  cap ds, word size, word offset, word at, word rights -> word addr
 *           size 0: the dataspace from offset to its end; otherwise
 *           rounded up to pages. offset and at page-aligned; at
 *           RECAP_RM_ANYWHERE for core's choice. rights: L4_FPAGE_RO,
 *           optionally with L4_FPAGE_W and/or L4_FPAGE_X.
 *   DETACH  word addr    -> -   the attachment containing addr goes
 *   REGION  word addr    -> 1 cap: the dataspace (invalid for memory core
 *                           placed itself); words addr, size, offset,
 *                           rights of the first region at or above addr.
 *                           RECAP_ERR_NOENT: none. The layout as core
 *                           keeps it, for a checkpointer that must not
 *                           believe what the component says.
 * Errors: RECAP_ERR_INVAL: not a dataspace, misaligned offset or at, bad
 * rights; RECAP_ERR_RANGE: offset + size beyond the dataspace, or the
 * range outside the attachable part of the address space;
 * RECAP_ERR_EXIST: the range overlaps an attachment; RECAP_ERR_DENIED:
 * writable attachment of a read-only dataspace, or DETACH of memory core
 * placed; RECAP_ERR_NOMEM: no free range large enough, or
 * RECAP_RM_MAX_REGIONS regions already; RECAP_ERR_NOENT: DETACH of an
 * address nothing is attached at.
 */
#pragma once

#include <l4/sys/consts.h>

#include <recap/capability.h>
#include <recap/dataspace.h>
#include <recap/layout.h>

struct recap_env;

#define RECAP_RM_ANYWHERE (~0UL)	/* ATTACH at: core chooses */
#define RECAP_RM_MAX_REGIONS 1024	/* regions of one address space */

enum recap_rm_op {
	RECAP_RM_ATTACH = 1,
	RECAP_RM_DETACH = 2,
	RECAP_RM_REGION = 3,
};

/*
 * Attach size bytes of ds from offset at `at` (or RECAP_RM_ANYWHERE) with
 * rights; *addr is where it is. Errors as above, or of opening the RM
 * session (sticky) or of the call.
 */
int recap_rm_attach(struct recap_env *env, struct recap_cap ds,
		    unsigned long size, unsigned long offset, unsigned long at,
		    unsigned rights, unsigned long *addr);

/* The whole of ds, anywhere, readable and writable. */
int recap_rm_attach_rw(struct recap_env *env, struct recap_ds const *ds,
		       void **addr);

/* Detach the attachment containing addr. */
int recap_rm_detach(struct recap_env *env, unsigned long addr);
