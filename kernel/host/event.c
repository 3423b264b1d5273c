/*
 * event — turning tracee wait statuses into host_events.
 *
 * Every wait status of every stub thread passes through host_dispatch(),
 * whether recapd's event loop collected it (host_next_event) or a
 * synchronous operation ran into it while waiting for something else (then
 * the resulting event is queued and reported later). What it does:
 *
 *  status                               result
 *  ------------------------------------ --------------------------------------
 *  component thread, kernel-generated   HOST_EV_FAULT; thread STOPPED_FAULT,
 *    SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGTRAP  stays stopped
 *  stop signals (SIGSTOP, SIGTSTP, ...)  suppressed: nobody stops a task
 *  other signals                        delivered (a SIGTERM ends the stub)
 *  group-stop / stray interrupt stop    continued silently
 *  PTRACE_EVENT_EXIT                    continued; at a seccomp kill (SIGSYS)
 *                                       the offending syscall is noted
 *  PTRACE_EVENT_CLONE nobody ordered    the stub is hijacked: killed
 *  component thread reaped              HOST_EV_THREAD_EXIT (but see below)
 *  control thread (the process) reaped  HOST_EV_TASK_EXIT, last of all
 *
 * The write flag of a fault: x86 reports the page-fault error code only in
 * the signal frame, which never gets built for a traced fault. So the
 * substrate infers it: SIGSEGV with SEGV_ACCERR at an address that is mapped
 * readable but not writable, and that is not the instruction being fetched,
 * was a write. A fault on an unmapped page (SEGV_MAPERR, or ACCERR in the
 * PROT_NONE reserve) reports write = false; if it was a write to a region
 * later mapped read-only, the retry faults again with ACCERR and says so.
 *
 * bad_syscall: a SECCOMP_RET_KILL_PROCESS verdict rolls the offending
 * thread's registers back to the syscall (rax = orig_rax = number) and
 * dumps "core" with SIGSYS; that thread reaches its exit stop with exit code
 * SIGSYS, the others die of SIGKILL. The thread whose exit stop shows SIGSYS
 * and rax == orig_rax >= 0 names the call. That thread (if it is a
 * component thread) gets no THREAD_EXIT: the TASK_EXIT carries it, with its
 * registers at the refused `syscall`, so recapd can still send its exception
 * handler what it tried. Every other thread's end is a THREAD_EXIT.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host_internal.h"

static int sigchld_fd = -1;

struct queued_event {
	struct queued_event *next;
	struct host_event ev;
};

static struct queued_event *queue_head;
static struct queued_event **queue_tail = &queue_head;

int host_init(void)
{
	sigset_t set;

	if (sigchld_fd >= 0)
		return 0;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -errno;
	sigchld_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return sigchld_fd < 0 ? -errno : 0;
}

int host_event_fd(void)
{
	return sigchld_fd;
}

void host_queue_event(struct host_event const *ev)
{
	struct queued_event *q = malloc(sizeof(*q));

	/* Out of memory: the event is lost, but the thread state is right. */
	if (!q)
		return;
	q->next = NULL;
	q->ev = *ev;
	*queue_tail = q;
	queue_tail = &q->next;
}

static bool queue_pop(struct host_event *ev)
{
	struct queued_event *q = queue_head;

	if (!q)
		return false;
	queue_head = q->next;
	if (!queue_head)
		queue_tail = &queue_head;
	*ev = q->ev;
	free(q);
	return true;
}

/* Forget queued events of t (th == NULL) or of one thread of t. */
void host_drop_events(struct host_task const *t, struct host_thread const *th)
{
	struct queued_event **p = &queue_head;

	while (*p) {
		struct queued_event *q = *p;

		if (q->ev.task == t && (!th || q->ev.thread == th)) {
			*p = q->next;
			free(q);
		} else {
			p = &q->next;
		}
	}
	queue_tail = p;
}

void host_task_kill_now(struct host_task *t)
{
	if (!t->dead)
		kill(t->pid, SIGKILL);
}

static bool is_fault_signal(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL ||
	       sig == SIGFPE || sig == SIGTRAP;
}

static bool is_stop_signal(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	       sig == SIGTTOU;
}

static bool fault_was_write(struct host_task *t, siginfo_t const *si,
			    struct l4x_regs const *r)
{
	uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
	int prot;

	if (si->si_signo != SIGSEGV || si->si_code != SEGV_ACCERR)
		return false;
	/* An instruction fetch (at most 15 bytes long) is not a write. */
	if (addr >= r->rip && addr - r->rip < 16)
		return false;
	prot = host_region_prot(t->priv, addr);
	return prot >= 0 && (prot & PROT_READ) && !(prot & PROT_WRITE);
}

/* A component thread stopped by a fault signal: report it, keep it stopped. */
static int fault_stop(struct host_task *t, struct host_thread *th,
		      siginfo_t const *si, struct host_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (host_regs_read(th->tid, &ev->regs) < 0)
		return 0;	/* gone already: its exit follows */
	host_regs_normalise(&ev->regs);
	th->state = HOST_THREAD_STOPPED_FAULT;
	th->fault_signo = si->si_signo;
	ev->kind = HOST_EV_FAULT;
	ev->task = t;
	ev->thread = th;
	ev->signo = si->si_signo;
	ev->si_code = si->si_code;
	ev->addr = (uint64_t)(uintptr_t)si->si_addr;
	ev->write = fault_was_write(t, si, &ev->regs);
	ev->bad_syscall = -1;
	return 1;
}

static int signal_stop(struct host_task *t, struct host_thread *th, pid_t tid,
		       int sig, struct host_event *ev)
{
	siginfo_t si;

	/* Only the kernel's own fault signals are faults (si_code > 0). */
	if (th && th->state == HOST_THREAD_RUNNING && is_fault_signal(sig) &&
	    ptrace(PTRACE_GETSIGINFO, tid, 0, &si) == 0 && si.si_code > 0)
		return fault_stop(t, th, &si, ev);
	ptrace(PTRACE_CONT, tid, 0, is_stop_signal(sig) ? 0 : sig);
	return 0;
}

/*
 * A thread at its exit stop. The thread that a seccomp verdict killed is
 * recognised and remembered: its death is told by the task's TASK_EXIT
 * (thread, regs, bad_syscall), not by a THREAD_EXIT of its own.
 */
static void exit_stop(struct host_task *t, struct host_thread *th, pid_t tid)
{
	struct host_task_priv *p = t->priv;
	unsigned long msg;
	struct l4x_regs r;

	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 &&
	    WIFSIGNALED((int)msg) && WTERMSIG((int)msg) == SIGSYS &&
	    p->bad_syscall < 0 && host_regs_read(tid, &r) == 0 &&
	    (long)r.orig_rax >= 0 && r.rax == r.orig_rax) {
		p->bad_syscall = (long)r.orig_rax;
		p->offender = th;
		r.rip -= 2;	/* at the `syscall` it was refused */
		r.orig_rax = (l4_umword_t)-1;
		p->offender_regs = r;
	}
	ptrace(PTRACE_CONT, tid, 0, 0);
}

/* A clone recapd did not order: only a hijacked control thread does that. */
static void rogue_clone(struct host_task *t, pid_t tid)
{
	unsigned long new_tid;

	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &new_tid) == 0)
		tidmap_put((pid_t)new_tid, t, NULL);
	host_task_kill_now(t);
	ptrace(PTRACE_CONT, tid, 0, 0);
}

static int ptrace_stop(struct host_task *t, struct host_thread *th, pid_t tid,
		       int status, struct host_event *ev)
{
	switch (status >> 16) {
	case 0:
		return signal_stop(t, th, tid, WSTOPSIG(status), ev);
	case PTRACE_EVENT_EXIT:
		exit_stop(t, th, tid);
		return 0;
	case PTRACE_EVENT_CLONE:
		rogue_clone(t, tid);
		return 0;
	default:	/* group-stop, an interrupt nobody waits for, exec */
		ptrace(PTRACE_CONT, tid, 0, 0);
		return 0;
	}
}

static int task_exit(struct host_task *t, int status, struct host_event *ev)
{
	struct host_task_priv *p = t->priv;

	t->dead = true;
	for (unsigned i = 0; i < p->nthreads; i++)
		p->threads[i]->pub.state = HOST_THREAD_DEAD;
	memset(ev, 0, sizeof(*ev));
	ev->kind = HOST_EV_TASK_EXIT;
	ev->task = t;
	ev->signo = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	ev->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	ev->bad_syscall = p->bad_syscall;
	ev->thread = p->offender;
	if (p->offender)
		ev->regs = p->offender_regs;
	return 1;
}

static int thread_exit(struct host_task *t, struct host_thread *th,
		       struct host_event *ev)
{
	th->state = HOST_THREAD_DEAD;
	memset(ev, 0, sizeof(*ev));
	ev->kind = HOST_EV_THREAD_EXIT;
	ev->task = t;
	ev->thread = th;
	ev->bad_syscall = -1;
	return 1;
}

/*
 * Act on one wait status of tid. Returns 1 if *ev is an event for recapd,
 * 0 if the status was handled silently (or belongs to no stub).
 */
int host_dispatch(pid_t tid, int status, struct host_event *ev)
{
	struct host_task *t;
	struct host_thread *th;

	if (!tidmap_get(tid, &t, &th))
		return 0;
	if (WIFSTOPPED(status))
		return ptrace_stop(t, th, tid, status, ev);
	if (!WIFEXITED(status) && !WIFSIGNALED(status))
		return 0;
	tidmap_del(tid);
	if (tid == t->pid)
		return task_exit(t, status, ev);
	if (!th || th->state == HOST_THREAD_DEAD)
		return 0;	/* not a component thread, or already told */
	if (th == t->priv->offender) {
		th->state = HOST_THREAD_DEAD;
		return 0;	/* TASK_EXIT will tell */
	}
	return thread_exit(t, th, ev);
}

/* A status met by a synchronous wait that expected something else. */
void host_dispatch_later(pid_t tid, int status)
{
	struct host_event ev;

	if (host_dispatch(tid, status, &ev))
		host_queue_event(&ev);
}

static int scan_one(pid_t tid, void *ev)
{
	int status;

	if (waitpid(tid, &status, WNOHANG | __WALL) != tid)
		return 0;
	return host_dispatch(tid, status, ev);
}

int host_next_event(struct host_event *ev)
{
	struct signalfd_siginfo ssi;

	while (read(sigchld_fd, &ssi, sizeof(ssi)) == sizeof(ssi))
		;
	for (;;) {
		struct host_task *t;
		struct host_thread *th;
		siginfo_t si;
		int status;

		if (queue_pop(ev))
			return 1;
		si.si_pid = 0;
		if (waitid(P_ALL, 0, &si,
			   WEXITED | WNOHANG | WNOWAIT | __WALL) < 0 ||
		    si.si_pid == 0)
			return 0;
		/*
		 * Not a stub (recapd has children of its own): it must not be
		 * reaped here, so ask each stub thread in turn instead.
		 */
		if (!tidmap_get(si.si_pid, &t, &th))
			return tidmap_each(scan_one, ev);
		if (waitpid(si.si_pid, &status, WNOHANG | __WALL) != si.si_pid)
			continue;
		if (host_dispatch(si.si_pid, status, ev))
			return 1;
	}
}
