/*
 * host_internal — what the files of the substrate share (not for recapd).
 *
 * Layout of the substrate:
 *   task.c     spawn / destroy a stub, map / unmap memory
 *   ctl.c      orders and replies on the control socket
 *   thread.c   create / pause / resume / kill a component thread
 *   regs.c     register access and syscall-restart normalisation
 *   event.c    host_init, the wait-status dispatcher, host_next_event
 *   wait.c     bounded waits on tracees and sockets
 *   tidmap.c   Linux tid -> (task, thread)
 *   regions.c  what is mapped where in a task, with which protection
 *   dirty.c    written-page tracking (userfaultfd WP_ASYNC + PAGEMAP_SCAN)
 *
 * Invariants:
 *  - Every live Linux thread of every stub (control thread, component
 *    threads, threads nobody ordered) has a tidmap entry; it is removed
 *    exactly when the thread is reaped.
 *  - A thread's wait statuses are consumed either by a synchronous wait that
 *    expects them or by host_dispatch(); whatever concerns recapd and was
 *    consumed synchronously is queued (host_queue_event), never dropped.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "host.h"
#include "stub_proto.h"

/* How long any tracee may take to answer before it is killed. */
#define HOST_TIMEOUT_MS 5000

#define HOST_PAGE_SIZE 4096UL

/* Linux's syscall-restart codes (kernel-internal, not in any UAPI header). */
#define HOST_ERESTARTSYS 512
#define HOST_ERESTARTNOINTR 513
#define HOST_ERESTARTNOHAND 514
#define HOST_ERESTART_RESTARTBLOCK 516

/* A host_thread with the substrate's private part. */
struct host_thread_priv {
	struct host_thread pub;	/* first: host_thread * converts back */
	int fd_no;		/* its channel descriptor inside the stub */
	bool interrupt_pending;	/* paused at a fault: our PTRACE_INTERRUPT
				   fires as soon as it continues */
};

static inline struct host_thread_priv *thread_priv(struct host_thread *th)
{
	return (struct host_thread_priv *)th;
}

struct host_region {
	uint64_t start, end;	/* page-aligned, [start, end) */
	int prot;		/* PROT_* as mapped */
};

struct host_task_priv {
	uint64_t exit_ip;	/* stub's `syscall` for host_thread_kill */
	uint64_t trap_ip;	/* stub's int3 where new threads wait */
	bool dirty_tracking;	/* the stub registers maps with its uffd */
	int pagemap_fd;		/* /proc/PID/pagemap, for PAGEMAP_SCAN */
	uint32_t seq;		/* last control order's sequence number */
	long bad_syscall;	/* seen at a seccomp kill's exit stop, or -1 */
	struct host_thread *offender;	/* the component thread that made it */
	struct l4x_regs offender_regs;	/* its registers at the call */

	struct host_thread_priv **threads; /* every thread ever created */
	unsigned nthreads, threads_cap;

	struct host_region *regions;	/* sorted, disjoint */
	unsigned nregions, regions_cap;
};

/* tidmap.c */
int tidmap_put(pid_t tid, struct host_task *t, struct host_thread *th);
bool tidmap_get(pid_t tid, struct host_task **t, struct host_thread **th);
void tidmap_del(pid_t tid);
/* Up to max tids of t into out; returns how many t has in all. */
unsigned tidmap_tids_of(struct host_task const *t, pid_t *out, unsigned max);
/* Call fn for every tid until it returns nonzero; returns that value. */
int tidmap_each(int (*fn)(pid_t tid, void *arg), void *arg);

/* wait.c */
struct host_wait {
	int64_t deadline_ns;	/* CLOCK_MONOTONIC */
	bool drained;		/* we consumed SIGCHLD notifications */
};
void host_wait_begin(struct host_wait *w, int timeout_ms);
int host_wait_sleep(struct host_wait *w, int fd);
void host_wait_end(struct host_wait *w);
int host_wait_tid(pid_t tid, int *status);

/* event.c */
int host_dispatch(pid_t tid, int status, struct host_event *ev);
void host_dispatch_later(pid_t tid, int status);
void host_queue_event(struct host_event const *ev);
void host_drop_events(struct host_task const *t, struct host_thread const *th);
void host_task_kill_now(struct host_task *t);

/* ctl.c */
int host_ctl_await(struct host_task *t, void *buf, size_t len,
		   pid_t *clone_tid);
int host_ctl_call(struct host_task *t, struct stub_order *o, int fd,
		  pid_t *clone_tid);

/* regs.c */
void host_regs_normalise(struct l4x_regs *r);
int host_regs_read(pid_t tid, struct l4x_regs *r);
int host_regs_write(pid_t tid, struct l4x_regs const *r);
int host_regs_init(pid_t tid, struct l4x_regs const *regs, uint8_t const *fpu);

/* regions.c */
int host_regions_reserve(struct host_task_priv *p, unsigned more);
void host_regions_set(struct host_task_priv *p, uint64_t start, uint64_t end,
		      int prot);
int host_region_prot(struct host_task_priv const *p, uint64_t addr);

/* dirty.c */
int host_dirty_start(struct host_task *t, uint64_t addr, uint64_t size);
