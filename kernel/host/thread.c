/*
 * thread — component threads of a stub: create, pause, resume, kill.
 *
 * Creation, step by step (each wait bounded by HOST_TIMEOUT_MS):
 *  1. order STUB_OP_THREAD with the channel; the stub dup2s it to fd_no and
 *     clones; the control thread's PTRACE_EVENT_CLONE names the new tid
 *     (served inside the control round trip, ctl.c);
 *  2. the new thread's automatic-attach stop (PTRACE_EVENT_STOP): continue;
 *  3. it installs the component filter and stops with SIGTRAP at the stub's
 *     int3 (checked against the address stub_ready gave);
 *  4. its registers and FPU are replaced wholesale (orig_rax = -1), and it
 *     is continued with the SIGTRAP suppressed — or left stopped.
 * A new thread that misbehaves in any of these steps means a broken or
 * hijacked stub: the whole task is killed.
 *
 * Pausing is PTRACE_INTERRUPT plus a wait for that thread's
 * PTRACE_EVENT_STOP. If the thread stops for a fault first, it stays
 * STOPPED_FAULT (the fault is queued as an event, still to be handled);
 * the interrupt then fires when it continues, and resume takes it
 * synchronously so the thread never sits stopped with nobody to notice.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "host_internal.h"

static bool fd_in_use(struct host_task_priv const *p, int fd_no)
{
	for (unsigned i = 0; i < p->nthreads; i++)
		if (p->threads[i]->fd_no == fd_no &&
		    p->threads[i]->pub.state != HOST_THREAD_DEAD)
			return true;
	return false;
}

static int reserve_thread_slot(struct host_task_priv *p)
{
	struct host_thread_priv **a;
	unsigned cap;

	if (p->nthreads < p->threads_cap)
		return 0;
	cap = p->threads_cap ? 2 * p->threads_cap : 8;
	a = realloc(p->threads, cap * sizeof(*a));
	if (!a)
		return -ENOMEM;
	p->threads = a;
	p->threads_cap = cap;
	return 0;
}

/* The next wait status of th; a thread that does not answer costs its task. */
static int wait_thread(struct host_thread *th, int *status)
{
	int rc = host_wait_tid(th->tid, status);

	if (rc == -ETIMEDOUT)
		host_task_kill_now(th->task);
	return rc;
}

/* A wait status that is not a stop means the thread is gone: account it. */
static int expect_stop(struct host_thread *th, int status)
{
	if (WIFSTOPPED(status))
		return 0;
	tidmap_del(th->tid);
	th->state = HOST_THREAD_DEAD;
	return -ESRCH;
}

/* Steps 2 and 3: bring a freshly cloned thread to the stub's int3. */
static int run_to_trap(struct host_thread *th)
{
	struct l4x_regs r;
	int status, rc;

	if ((rc = wait_thread(th, &status)) < 0 ||
	    (rc = expect_stop(th, status)) < 0)
		return rc;
	if (status >> 16 != PTRACE_EVENT_STOP)
		return -EPROTO;
	if (ptrace(PTRACE_CONT, th->tid, 0, 0) < 0)
		return -errno;
	if ((rc = wait_thread(th, &status)) < 0 ||
	    (rc = expect_stop(th, status)) < 0)
		return rc;
	if (status >> 16 != 0 || WSTOPSIG(status) != SIGTRAP)
		return -EPROTO;
	if ((rc = host_regs_read(th->tid, &r)) < 0)
		return rc;
	/* int3 is one byte: rip is just past it. */
	return r.rip == th->task->priv->trap_ip + 1 ? 0 : -EPROTO;
}

/* Step 1: the stub places the channel and clones. Returns the new tid. */
static int order_thread(struct host_task *t, int chan_fd, int fd_no,
			pid_t *tid)
{
	struct stub_order o = { .op = STUB_OP_THREAD, .fd_no = fd_no };
	int rc = host_ctl_call(t, &o, chan_fd, tid);

	if (rc == 0 && !*tid)
		rc = -EPROTO;	/* "done", but nothing was cloned */
	if (rc < 0 && *tid) {
		tidmap_put(*tid, t, NULL);	/* reaped with the task */
		rc = -EPROTO;	/* cloned, yet "failed" */
	}
	return rc;
}

/* Steps 2-4 for a thread the stub has cloned. */
static int bring_up(struct host_thread *th, struct l4x_regs const *regs,
		    uint8_t const *fpu, bool start_paused)
{
	int rc;

	if ((rc = tidmap_put(th->tid, th->task, th)) < 0 ||
	    (rc = run_to_trap(th)) < 0 ||
	    (rc = host_regs_init(th->tid, regs, fpu)) < 0)
		return rc;
	if (start_paused) {
		th->state = HOST_THREAD_STOPPED_PAUSE;
		return 0;
	}
	/* Signal 0: the SIGTRAP of the int3 is not delivered. */
	if (ptrace(PTRACE_CONT, th->tid, 0, 0) < 0)
		return -errno;
	th->state = HOST_THREAD_RUNNING;
	return 0;
}

/* A thread's answer descriptor goes to fd_no + 1 before the thread starts. */
static int place_answer_fd(struct host_task *t, int fd, int fd_no)
{
	struct stub_order o = { .op = STUB_OP_PLACE, .fd_no = fd_no + 1 };
	if (fd < 0)
		return 0;
	return host_ctl_call(t, &o, fd, NULL);
}

int host_thread_create(struct host_task *t, int const chan_fds[2], int fd_no,
		       struct l4x_regs const *regs, uint8_t const *fpu,
		       bool start_paused, struct host_thread **out)
{
	int chan_fd = chan_fds[0];
	struct host_task_priv *p = t->priv;
	struct host_thread_priv *tp;
	pid_t tid = 0;
	int rc;

	if (t->dead)
		return -ESRCH;
	if (chan_fd < 0 || fd_no < L4X_CHAN_FD_BASE || fd_no + 1 >= L4X_CHAN_FD_END ||
	    (fd_no - L4X_CHAN_FD_BASE) % 2)
		return -EINVAL;
	if (fd_in_use(p, fd_no))
		return -EBUSY;
	if ((rc = place_answer_fd(t, chan_fds[1], fd_no)) < 0)
		return rc;
	if ((rc = reserve_thread_slot(p)) < 0)
		return rc;
	if (!(tp = calloc(1, sizeof(*tp))))
		return -ENOMEM;
	if ((rc = order_thread(t, chan_fd, fd_no, &tid)) < 0) {
		free(tp);
		if (rc == -EPROTO)
			host_task_kill_now(t);
		return rc;
	}
	tp->pub.tid = tid;
	tp->pub.task = t;
	tp->pub.state = HOST_THREAD_RUNNING;
	tp->fd_no = fd_no;
	p->threads[p->nthreads++] = tp;
	if ((rc = bring_up(&tp->pub, regs, fpu, start_paused)) < 0) {
		/* Not reported as a THREAD_EXIT: recapd never saw it. */
		tp->pub.state = HOST_THREAD_DEAD;
		host_task_kill_now(t);
		return rc;
	}
	*out = &tp->pub;
	return 0;
}

int host_thread_pause(struct host_thread *th)
{
	int status, rc;

	if (th->state == HOST_THREAD_DEAD)
		return -ESRCH;
	if (th->state != HOST_THREAD_RUNNING)
		return 0;
	if (ptrace(PTRACE_INTERRUPT, th->tid, 0, 0) < 0)
		return -errno;
	for (;;) {
		if ((rc = wait_thread(th, &status)) < 0)
			return rc;
		if (WIFSTOPPED(status) && status >> 16 == PTRACE_EVENT_STOP) {
			th->state = HOST_THREAD_STOPPED_PAUSE;
			return 0;
		}
		host_dispatch_later(th->tid, status);
		if (th->state == HOST_THREAD_STOPPED_FAULT) {
			thread_priv(th)->interrupt_pending = true;
			return 0;
		}
		if (th->state == HOST_THREAD_DEAD)
			return -ESRCH;
	}
}

/*
 * The interrupt of a pause that ended at a fault traps the moment the thread
 * continues, before it runs an instruction: take that stop and go on.
 */
static int absorb_interrupt(struct host_thread *th)
{
	int status, rc;

	thread_priv(th)->interrupt_pending = false;
	if ((rc = wait_thread(th, &status)) < 0)
		return rc;
	if (WIFSTOPPED(status) && status >> 16 == PTRACE_EVENT_STOP)
		return ptrace(PTRACE_CONT, th->tid, 0, 0) < 0 ? -errno : 0;
	host_dispatch_later(th->tid, status);
	return 0;
}

int host_thread_resume(struct host_thread *th)
{
	switch (th->state) {
	case HOST_THREAD_RUNNING:
		return 0;
	case HOST_THREAD_DEAD:
		return -ESRCH;
	case HOST_THREAD_STOPPED_PAUSE:
	case HOST_THREAD_STOPPED_FAULT:
		break;
	}
	/* Signal 0: a fault signal is suppressed, the access is retried. */
	if (ptrace(PTRACE_CONT, th->tid, 0, 0) < 0)
		return -errno;
	th->state = HOST_THREAD_RUNNING;
	th->fault_signo = 0;
	return thread_priv(th)->interrupt_pending ? absorb_interrupt(th) : 0;
}

/* Wait until a thread sent to its end is gone; suppress whatever stops it. */
static int reap(struct host_thread *th)
{
	int status, rc;

	for (;;) {
		rc = wait_thread(th, &status);
		if (rc == -ETIMEDOUT)
			return rc;
		if (rc < 0 || !WIFSTOPPED(status))
			break;	/* reaped (or -ECHILD: reaped with its task) */
		ptrace(PTRACE_CONT, th->tid, 0, 0);
	}
	tidmap_del(th->tid);
	th->state = HOST_THREAD_DEAD;
	return 0;
}

int host_thread_kill(struct host_thread *th)
{
	struct host_task *t = th->task;
	struct stub_order close_chan = {
		.op = STUB_OP_CLOSE,
		.fd_no = thread_priv(th)->fd_no,
	};
	struct l4x_regs r;
	int rc = host_thread_pause(th);

	if (rc == -ESRCH)
		return 0;
	if (rc < 0)
		return rc;
	/* Whatever it was stopped at no longer matters. */
	host_drop_events(t, th);
	if ((rc = host_regs_read(th->tid, &r)) < 0)
		return rc;
	r.rip = t->priv->exit_ip;
	r.rax = SYS_exit;
	r.rdi = 0;
	if ((rc = host_regs_write(th->tid, &r)) < 0)
		return rc;
	if (ptrace(PTRACE_CONT, th->tid, 0, 0) < 0)
		return -errno;
	if ((rc = reap(th)) < 0)
		return rc;
	/* Best effort: the stub should not keep the channel open. */
	host_ctl_call(t, &close_chan, -1, NULL);
	close_chan.fd_no++;
	host_ctl_call(t, &close_chan, -1, NULL);
	return 0;
}
