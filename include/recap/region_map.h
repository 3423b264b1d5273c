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
 * address space; so does the one a PD session's ADDRESS_SPACE gives
 * (Genode's Pd_session::address_space(), recap/pd_session.h).
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
 *   CREATE  word size    -> 1 cap: a new managed region map of size bytes
 *                           (rounded up to pages; 0: RECAP_ERR_INVAL, more
 *                           than the component range: RECAP_ERR_RANGE;
 *                           RECAP_RM_MANAGED_MAX per session:
 *                           RECAP_ERR_NOMEM; 2 capabilities of the quota),
 *                           owned by this session (closing it destroys it)
 *
 * A managed region map (Genode's Rm_session::create) speaks ATTACH,
 * DETACH and REGION with offsets 0..size where the address space has
 * addresses (at RECAP_RM_ANYWHERE: the lowest free offset; at or size
 * beyond the map: RECAP_ERR_RANGE), and:
 *   DATASPACE      -            -> 1 cap: the managed dataspace standing
 *                                  for the whole map; word size
 *   FAULT_HANDLER  cap context  -> -  (invalid cap: none) the signal
 *                                  context (recap/signal.h) triggered on a
 *                                  fault in an unbacked part of the map
 *   STATE          -            -> word type (RECAP_RM_FAULT_*), word
 *                                  offset: the oldest fault still waiting
 *                                  (NONE, 0 if none); word handler: the
 *                                  fault handler's badge (0: none), for a
 *                                  checkpointer, which cannot see
 *                                  FAULT_HANDLER calls (cr)
 * Attached in an address space at A (ATTACH of the managed dataspace,
 * with offset and size a part of it), everything attached in the map at
 * offset o appears at A + o, with the intersection of both rights, and
 * every later ATTACH / DETACH in the map shows there at once; the same
 * dataspace may be attached in several places, also by other components
 * it was given to. A managed dataspace cannot be attached inside a
 * managed map (RECAP_ERR_DENIED; one level). A thread touching a part of
 * the window where the map has nothing attached: with a fault handler,
 * the fault is recorded (STATE), the handler signalled, and the thread
 * waits until an ATTACH covers the address, then retries as if nothing
 * happened; without one, or touching backed memory against its rights,
 * it crashes as on any unmapped address.
 *
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
#define RECAP_RM_MANAGED_MAX 16		/* managed maps of one RM session */

enum recap_rm_op {
	RECAP_RM_ATTACH = 1,
	RECAP_RM_DETACH = 2,
	RECAP_RM_REGION = 3,
	RECAP_RM_CREATE = 4,		/* RM session */
	RECAP_RM_DATASPACE = 5,		/* managed map */
	RECAP_RM_FAULT_HANDLER = 6,	/* managed map */
	RECAP_RM_STATE = 7,		/* managed map */
};

/* STATE's fault type. */
enum recap_rm_fault {
	RECAP_RM_FAULT_NONE = 0,
	RECAP_RM_FAULT_READ = 1,
	RECAP_RM_FAULT_WRITE = 2,
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

/* The component's RM session (env->rm), opened on first use. */
int recap_rm_session(struct recap_env *env);

/*
 * CREATE on the component's RM session: *rm is a new managed region map
 * of size bytes.
 */
int recap_rm_create(struct recap_env *env, unsigned long size,
		    struct recap_cap *rm);

/*
 * ATTACH / DETACH on any region map: the address space (env->rm, a PD
 * session's ADDRESS_SPACE) or a managed map (addresses are then offsets).
 */
int recap_rm_attach_to(struct recap_env *env, struct recap_cap rm,
		       struct recap_cap ds, unsigned long size,
		       unsigned long offset, unsigned long at, unsigned rights,
		       unsigned long *addr);
int recap_rm_detach_from(struct recap_env *env, struct recap_cap rm,
			 unsigned long addr);

/* DATASPACE of managed map rm: the dataspace to attach it by. */
int recap_rm_dataspace(struct recap_env *env, struct recap_cap rm,
		       struct recap_ds *ds);

/* FAULT_HANDLER of managed map rm (recap_cap_invalid(): none). */
int recap_rm_fault_handler(struct recap_env *env, struct recap_cap rm,
			   struct recap_cap sigh);

/* STATE of managed map rm: *type a RECAP_RM_FAULT_*, *offset where. */
int recap_rm_state(struct recap_env *env, struct recap_cap rm,
		   unsigned *type, unsigned long *offset);
