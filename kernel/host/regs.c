/*
 * regs — a stopped thread's registers, in a form that means the same in any
 * process.
 *
 * A thread stopped while blocked in a Linux system call (its channel read)
 * sits inside the kernel's signal path with rax = -ERESTART*, orig_rax = the
 * call, rip just past the `syscall`; Linux rewinds it (rip -= 2, rax =
 * orig_rax) only when it continues. That state cannot be carried into
 * another process, so the substrate reports it already rewound: rip at the
 * `syscall`, rax = the call number, orig_rax = -1. Every register write sets
 * orig_rax = -1, which turns Linux's own rewind off: a thread continues
 * exactly from the registers it was given, and re-enters the call. A thread
 * whose registers were not written is rewound by Linux itself on resume, to
 * the same state.
 *
 * Segment selectors (cs, ss, ds, es, fs, gs) belong to the host: writes keep
 * the thread's current ones whatever the caller passes; fs_base and gs_base
 * are the caller's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "host_internal.h"

_Static_assert(sizeof(struct l4x_regs) == sizeof(struct user_regs_struct),
	       "l4x_regs must mirror user_regs_struct");
_Static_assert(sizeof(struct user_fpregs_struct) == L4X_FPU_SIZE,
	       "the FPU image is an fxsave area");

#define FCW_INIT 0x037f		/* x87 control word after FNINIT */
#define MXCSR_INIT 0x1f80	/* all SSE exceptions masked */

static bool is_restart(long rax)
{
	return rax == -HOST_ERESTARTSYS || rax == -HOST_ERESTARTNOINTR ||
	       rax == -HOST_ERESTARTNOHAND || rax == -HOST_ERESTART_RESTARTBLOCK;
}

void host_regs_normalise(struct l4x_regs *r)
{
	if ((long)r->orig_rax >= 0 && is_restart((long)r->rax)) {
		r->rip -= 2;	/* length of `syscall` */
		r->rax = r->orig_rax;
	}
	r->orig_rax = (l4_umword_t)-1;
}

int host_regs_read(pid_t tid, struct l4x_regs *r)
{
	return ptrace(PTRACE_GETREGS, tid, 0, r) < 0 ? -errno : 0;
}

/* Write r, keeping the host's segment selectors; never restart a syscall. */
int host_regs_write(pid_t tid, struct l4x_regs const *r)
{
	struct l4x_regs cur, nr = *r;
	int rc = host_regs_read(tid, &cur);

	if (rc < 0)
		return rc;
	nr.cs = cur.cs;
	nr.ss = cur.ss;
	nr.ds = cur.ds;
	nr.es = cur.es;
	nr.fs = cur.fs;
	nr.gs = cur.gs;
	nr.orig_rax = (l4_umword_t)-1;
	return ptrace(PTRACE_SETREGS, tid, 0, &nr) < 0 ? -errno : 0;
}

/* fpu == NULL: the state of a fresh thread (FNINIT, default MXCSR). */
static int fpu_write(pid_t tid, uint8_t const *fpu)
{
	struct user_fpregs_struct f;
	unsigned mask;

	if (fpu) {
		memcpy(&f, fpu, sizeof(f));
	} else {
		if (ptrace(PTRACE_GETFPREGS, tid, 0, &f) < 0)
			return -errno;
		mask = f.mxcr_mask;	/* the CPU's, not ours to choose */
		memset(&f, 0, sizeof(f));
		f.cwd = FCW_INIT;
		f.mxcsr = MXCSR_INIT;
		f.mxcr_mask = mask;
	}
	return ptrace(PTRACE_SETFPREGS, tid, 0, &f) < 0 ? -errno : 0;
}

static bool is_stopped(struct host_thread const *th)
{
	return th->state == HOST_THREAD_STOPPED_PAUSE ||
	       th->state == HOST_THREAD_STOPPED_FAULT;
}

int host_thread_get_regs(struct host_thread *th, struct l4x_regs *regs,
			 uint8_t fpu[L4X_FPU_SIZE])
{
	int rc;

	if (!is_stopped(th))
		return th->state == HOST_THREAD_DEAD ? -ESRCH : -EBUSY;
	if ((rc = host_regs_read(th->tid, regs)) < 0)
		return rc;
	host_regs_normalise(regs);
	if (fpu && ptrace(PTRACE_GETFPREGS, th->tid, 0, fpu) < 0)
		return -errno;
	return 0;
}

int host_thread_set_regs(struct host_thread *th, struct l4x_regs const *regs,
			 uint8_t const *fpu)
{
	int rc;

	if (!is_stopped(th))
		return th->state == HOST_THREAD_DEAD ? -ESRCH : -EBUSY;
	if ((rc = host_regs_write(th->tid, regs)) < 0)
		return rc;
	return fpu ? fpu_write(th->tid, fpu) : 0;
}

/* Registers and FPU of a thread that has never run component code. */
int host_regs_init(pid_t tid, struct l4x_regs const *regs, uint8_t const *fpu)
{
	int rc = host_regs_write(tid, regs);

	return rc < 0 ? rc : fpu_write(tid, fpu);
}
