/*
 * thread_state.h — a paused thread's state moved between the kernel and a
 * dataspace, for the CPU session's STATE_GET / STATE_SET and the native
 * PD's THREAD_STATE.
 *
 * The state is too big for message registers, so the caller names a
 * dataspace and core reads or writes it there, through the memfd it keeps
 * (pread / pwrite at offset 0). The layout is the kernel's struct
 * l4x_thread_state (l4/sys/x.h), byte for byte: registers, pending call,
 * FPU/SSE image, UTCB. The caller must have paused the thread.
 */
#pragma once

#include <l4/sys/types.h>

struct dataspace;

/*
 * Write thread's state (core's selector) into ds. RECAP_OK;
 * RECAP_ERR_DENIED if ds is read-only, RECAP_ERR_RANGE if it is smaller
 * than struct l4x_thread_state; a kernel error.
 */
int thread_state_save(l4_cap_idx_t thread, struct dataspace *ds);

/*
 * The kernel ids a pending call set from a dataspace may name: a component
 * could write any id there, and a pending call naming a thread of another
 * PD would let it wait for, or be owed a reply by, a stranger.
 */
struct thread_state_ids {
	l4_umword_t self;		/* the target thread's own id */
	l4_umword_t irq;		/* its own IRQ's (a lock waits on it) */
	l4_umword_t const *threads;	/* the ids of all threads of its PD */
	unsigned nthreads;
};

/*
 * Set thread's state from ds: general registers, rip, rflags, rsp,
 * fs/gs base, FPU/SSE, UTCB and the pending kernel call, as ds has them
 * (the kernel keeps the segment selectors). The pending call is taken only
 * if its ids are safe (ids): self_id the target's own id (cr rewrites the
 * ids of an image to the new threads' ids), partner_id and reply_to_id 0
 * or another thread of the same PD, partner_id of a receive phase also the
 * thread's own IRQ. The thread must be paused, or bound and never started
 * (it is then started paused). RECAP_OK; RECAP_ERR_RANGE if ds is too
 * small; RECAP_ERR_DENIED for unsafe ids; RECAP_ERR_INVAL for an unknown
 * pending kind; a kernel error.
 */
int thread_state_load(l4_cap_idx_t thread, struct dataspace *ds,
		      struct thread_state_ids const *ids);
