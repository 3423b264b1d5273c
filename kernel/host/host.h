/*
 * host — recapd's Linux substrate: stub processes, their threads, memory.
 *
 * Every task is one Linux process started from the task stub (stub/) and
 * traced by recapd (PTRACE_SEIZE). The stub's main thread is its control
 * thread: it carries out orders received on the control socket (map a memfd
 * at a fixed address, unmap, create a thread) and nothing else. Component
 * threads are real Linux threads of that process; each runs under the
 * component seccomp filter and talks to the kernel only over its channel.
 *
 * All functions must be called from recapd's single thread (ptrace requires
 * one tracer thread). Nothing here knows about kernel objects; recapd maps
 * host_thread / host_task to Thread / Task objects.
 *
 * Invariants:
 *  - A host_thread is in exactly one state; only STOPPED_* threads have
 *    readable registers.
 *  - Every wait on a tracee is bounded: a stub that stops answering is
 *    killed, it never blocks the kernel.
 *  - Only stub threads are ever reaped here: recapd may have children of
 *    its own (the root task) and waits for them itself.
 *  - host_thread and host_task structures stay valid until
 *    host_task_destroy(), also after the thread or process has died.
 *
 * The stub binary must be linked -static-pie (stub/stub.c says why).
 * Implementation: the other files of kernel/host (map in host_internal.h).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <l4/sys/x.h>

/* Descriptor number of the control socket inside a stub process. */
#define HOST_STUB_CTL_FD 3

enum host_thread_state {
	HOST_THREAD_RUNNING,		/* running or blocked in a Linux syscall */
	HOST_THREAD_STOPPED_PAUSE,	/* stopped on recapd's request */
	HOST_THREAD_STOPPED_FAULT,	/* stopped at a fault, awaiting its handler */
	HOST_THREAD_DEAD,
};

struct host_task;

struct host_thread {
	pid_t tid;
	struct host_task *task;
	enum host_thread_state state;
	int fault_signo;	/* signal of a STOPPED_FAULT thread */
	void *owner;		/* recapd's Thread object */
};

struct host_task {
	pid_t pid;		/* the stub's control thread == process id */
	int ctl_fd;		/* recapd's end of the control socket */
	bool dead;
	void *owner;		/* recapd's Task object */
	/* substrate-private state (dirty tracking, thread list) follows */
	struct host_task_priv *priv;
};

/* What host_next_event() reports. */
enum host_event_kind {
	HOST_EV_FAULT,		/* thread stopped by a fault signal (see signo) */
	HOST_EV_THREAD_EXIT,	/* a component thread ended (exit / killed) */
	HOST_EV_TASK_EXIT,	/* the whole stub process ended */
};

struct host_event {
	enum host_event_kind kind;
	struct host_task *task;
	struct host_thread *thread;	/* TASK_EXIT: the component thread whose
					   forbidden syscall killed the task
					   (bad_syscall >= 0), else NULL */
	int signo;		/* FAULT: SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP;
				   TASK_EXIT: terminating signal or 0 */
	int si_code;		/* FAULT: siginfo si_code */
	uint64_t addr;		/* FAULT: si_addr */
	bool write;		/* FAULT (SIGSEGV): access was (probably) a write;
				   inferred, see kernel/host/event.c */
	int exit_status;	/* TASK_EXIT by exit: status */
	long bad_syscall;	/* TASK_EXIT by seccomp: the forbidden syscall nr, else -1 */
	struct l4x_regs regs;	/* FAULT: registers at the fault (normalised);
				   TASK_EXIT with thread: at the refused
				   call (rip at the `syscall`, rax = nr) */
};

/*
 * Start a stub process (stub_path) and seize it. Returns 0 and *out, or a
 * negative errno (-ENOEXEC: stub_path could not be executed). Calls
 * host_init() if nobody has.
 */
int host_task_spawn(const char *stub_path, struct host_task **out);

/*
 * Kill the stub process (SIGKILL), reap every thread, free *t and its
 * host_threads; events of t not yet collected are dropped.
 */
void host_task_destroy(struct host_task *t);

/*
 * Map size bytes of memfd at offset to addr with prot (PROT_READ | _WRITE |
 * _EXEC), MAP_SHARED | MAP_FIXED, inside [L4X_TASK_VM_START, L4X_TASK_VM_END).
 * The memfd stays the caller's. Replaces whatever was mapped there.
 */
int host_task_map(struct host_task *t, int memfd, uint64_t addr, uint64_t size,
		  uint64_t offset, int prot);

/* Return [addr, addr+size) to the reserved, inaccessible state. */
int host_task_unmap(struct host_task *t, uint64_t addr, uint64_t size);

/*
 * Create a thread in t whose kernel channel is chan_fds: the thread's ends
 * of its request pipe (placed at descriptor fd_no) and of its answer pipe
 * (placed at fd_no + 1; -1: none). The stub receives duplicates; the
 * caller keeps its own. The thread runs the component seccomp filter and
 * starts with exactly regs and fpu (fxsave image, may be NULL for a clean
 * FPU). If start_paused, the thread is left in HOST_THREAD_STOPPED_PAUSE
 * with those registers set. fd_no must be L4X_CHAN_FD_BASE + 2i, below
 * L4X_CHAN_FD_END, and not used by a live thread (-EBUSY). Segment selectors in regs are
 * ignored (the host's stay), fs_base / gs_base are taken. A stub that
 * misbehaves while the thread is being set up is killed.
 */
int host_thread_create(struct host_task *t, int const chan_fds[2], int fd_no,
		       struct l4x_regs const *regs, uint8_t const *fpu,
		       bool start_paused, struct host_thread **out);

/*
 * Stop a running thread (PTRACE_INTERRUPT) and wait until it is stopped.
 * No-op on a stopped thread. If the thread stops at a fault before the
 * interrupt takes, it ends up STOPPED_FAULT, and the fault is still
 * reported by host_next_event(). -ESRCH if the thread is dead.
 */
int host_thread_pause(struct host_thread *th);

/*
 * Continue a stopped thread. A fault-stopped thread continues with its
 * fault signal suppressed (it retries the instruction, or runs from new
 * registers set with host_thread_set_regs).
 */
int host_thread_resume(struct host_thread *th);

/*
 * Registers of a stopped thread, normalised: if it was interrupted inside a
 * Linux system call that the kernel would restart, rip points at the
 * syscall instruction and rax holds the syscall number again, orig_rax = -1;
 * so the state means the same in this process or a new one.
 */
int host_thread_get_regs(struct host_thread *th, struct l4x_regs *regs,
			 uint8_t fpu[L4X_FPU_SIZE]);

/*
 * Set the registers (and, if fpu != NULL, FPU/SSE) of a stopped thread.
 * Segment selectors are ignored; orig_rax is always written as -1, so the
 * thread continues exactly at regs.rip (a normalised "about to call" state
 * re-enters its system call).
 */
int host_thread_set_regs(struct host_thread *th, struct l4x_regs const *regs,
			 uint8_t const *fpu);

/*
 * End one thread of a live task. Linux cannot kill a single thread from
 * outside (a fatal signal takes the process), so the thread is stopped and
 * redirected to an exit system call in the stub's text. Returns once the
 * thread is gone (0 also if it already was). Not reported as an event; the
 * stub closes the thread's channel descriptor.
 */
int host_thread_kill(struct host_thread *th);

/*
 * Dirty tracking: which pages of [addr, addr + pages*4096) were written since
 * tracking of them (re)started. Pages become tracked when mapped. bitmap has
 * (pages+63)/64 words. With reset, tracking restarts for the range. The
 * range may include unmapped memory (never dirty). Only writes by the
 * task's own threads count, not writes through other mappings of a memfd.
 * Returns the number of dirty pages or a negative errno (-EOPNOTSUPP: the
 * kernel lacks userfaultfd WP_ASYNC; mechanism in kernel/host/dirty.c).
 */
long host_task_dirty(struct host_task *t, uint64_t addr, uint64_t pages,
		     bool reset, uint64_t *bitmap);

/*
 * File descriptor to poll (readable when tracees have changed state): a
 * signalfd for SIGCHLD, set up by host_init().
 */
int host_init(void);
int host_event_fd(void);

/*
 * Next event that concerns recapd, or 0 if there is none right now (>0: one
 * event in *ev). Stops recapd caused itself (clone events, interrupts it
 * waits for synchronously) are handled inside and never reported. A dying
 * task reports a THREAD_EXIT for each of its threads, then its TASK_EXIT
 * last; a thread killed by seccomp has no THREAD_EXIT: the TASK_EXIT names
 * it. Call it until it returns 0 whenever host_event_fd() is readable.
 */
int host_next_event(struct host_event *ev);

