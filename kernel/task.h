/*
 * task — the Task kernel object: a protection domain.
 *
 * A task owns a capability space and a UTCB area. Its substrate is either a
 * stub process (host != NULL: a component, sandboxed and traced) or a host
 * process started by recapd itself (the root task; host == NULL), which
 * talks to the kernel through the same channels but is not sandboxed.
 *
 * Invariants:
 *  - caps.owner == &kobj.
 *  - The UTCB area [utcb_base, utcb_base + utcb_size) is mapped both in the
 *    task (read/write) and in recapd (utcb_mem); utcb_size <= 128 KiB and
 *    utcb_base is aligned to utcb_size, so a UTCB's index is
 *    (addr >> 10) & (L4X_MAX_THREADS - 1) (the channel descriptor rule).
 *  - threads counts the Thread objects bound to the task.
 */
#pragma once

#include <l4/sys/types.h>
#include <l4/sys/utcb.h>

#include "capspace.h"
#include "host/host.h"
#include "kobj.h"

struct thread;

struct task {
	struct kobj kobj;
	struct capspace caps;
	l4_addr_t utcb_base;		/* in the task */
	l4_umword_t utcb_size;		/* 0: no UTCB area */
	int utcb_memfd;			/* backing of the UTCB area */
	unsigned char *utcb_mem;	/* recapd's mapping of it */
	struct host_task *host;		/* NULL for host tasks */
	int host_pid;			/* process of a host task */
	unsigned threads;		/* bound threads */
	struct thread *by_utcb[L4X_MAX_THREADS]; /* bound thread per UTCB slot */
};

/*
 * Create a task with the UTCB area utcb_area (a memory flexpage, may be
 * nil). With spawn, a stub process is started for it.
 */
int task_create(l4_fpage_t utcb_area, bool spawn, struct task **out);

/* Resolve a selector in t's capability space to an object of kind (or any, KOBJ_NONE). */
struct kobj *task_lookup(struct task *t, l4_cap_idx_t sel, enum kobj_kind kind,
			 unsigned *rights);

/* recapd's pointer to the UTCB at addr in t, or NULL if outside the area. */
l4_utcb_t *task_utcb(struct task *t, l4_addr_t addr);

/* Invocation of a Task capability (l4_task_map / unmap / cap_valid / cap_equal). */
struct thread;
l4_msgtag_t task_invoke(struct task *t, unsigned rights, struct thread *caller,
			l4_msgtag_t tag);

static inline struct task *task_of(struct kobj *o)
{
	return (struct task *)o;
}
