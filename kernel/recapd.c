/*
 * recapd — the kernel process.
 *
 *   recapd [--stub PATH] [--] ROOT_PROGRAM [ARGS...]
 *
 * Boots like Fiasco.OC boots its root task: it creates the root task with
 * the fixed capabilities of l4sys (task, factory, thread, log) plus the host
 * extension object, starts ROOT_PROGRAM as that task's process (a host
 * process: not sandboxed, it links the host C library), and then serves
 * every task's system calls in one event loop until the root task ends.
 * recapd's exit status is the root program's.
 *
 * The root program finds its UTCB area and channel through the environment
 * (RECAP_UTCB_FD, RECAP_UTCB_ADDR, RECAP_UTCB_SIZE); lib/host does that.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/x.h>

#include "factory.h"
#include "hostobj.h"
#include "kerr.h"
#include "log.h"
#include "loop.h"
#include "task.h"
#include "thread.h"

extern const char *task_stub_path;

/* Where the root task's UTCB area lives in its (host) process. */
#define ROOT_UTCB_ADDR 0x7e0000000000UL
#define ROOT_UTCB_ORDER 17
#define ROOT_UTCB_FD 4

struct root {
	struct task *task;
	struct thread *thread;
	pid_t pid;
	int status;		/* wait status once it ended */
	bool ended;
};

static int root_insert(struct task *t, unsigned long slot, struct kobj *o)
{
	return capspace_insert_root(&t->caps, slot, o);
}

/* Create the root task, its main thread and the fixed capabilities. */
static int root_create(struct root *root)
{
	struct factory *f;
	struct log *l;
	struct hostobj *h;
	l4_fpage_t area = l4_fpage(ROOT_UTCB_ADDR, ROOT_UTCB_ORDER, L4_FPAGE_RW);
	if (task_create(area, false, &root->task) || thread_create(&root->thread) ||
	    factory_create(&f) || log_create(&l) || hostobj_create(&h))
		return -ENOMEM;
	struct task *t = root->task;
	if (root_insert(t, L4_BASE_TASK_CAP >> L4_CAP_SHIFT, &t->kobj) ||
	    root_insert(t, L4_BASE_FACTORY_CAP >> L4_CAP_SHIFT, &f->kobj) ||
	    root_insert(t, L4_BASE_THREAD_CAP >> L4_CAP_SHIFT, &root->thread->kobj) ||
	    root_insert(t, L4_BASE_LOG_CAP >> L4_CAP_SHIFT, &l->kobj) ||
	    root_insert(t, L4X_BASE_HOST_CAP >> L4_CAP_SHIFT, &h->kobj))
		return -ENOMEM;
	if (thread_bind(root->thread, t, ROOT_UTCB_ADDR))
		return -ENOMEM;
	return 0;
}

static void root_exec(struct root *root, char **argv)
{
	char buf[64];
	struct thread *th = root->thread;
	int chan_fd = L4X_CHAN_FD_BASE + 2 * (int)th->utcb_index;
	if (dup2(th->peer_req, chan_fd) < 0 || dup2(th->peer_ans, chan_fd + 1) < 0 ||
	    dup2(th->side_peer, L4X_SIDE_FD_BASE + (int)th->utcb_index) < 0 ||
	    dup2(root->task->utcb_memfd, ROOT_UTCB_FD) < 0)
		_exit(127);
	snprintf(buf, sizeof(buf), "%d", ROOT_UTCB_FD);
	setenv("RECAP_UTCB_FD", buf, 1);
	snprintf(buf, sizeof(buf), "0x%lx", ROOT_UTCB_ADDR);
	setenv("RECAP_UTCB_ADDR", buf, 1);
	snprintf(buf, sizeof(buf), "%lu", root->task->utcb_size);
	setenv("RECAP_UTCB_SIZE", buf, 1);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(argv[0], argv);
	fprintf(stderr, "recapd: cannot start %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int root_start(struct root *root, char **argv)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		root_exec(root, argv);
	root->pid = pid;
	root->task->host_pid = pid;
	root->thread->started = true;
	/* Only the root process holds its ends now. */
	struct thread *th = root->thread;
	close(th->peer_req);
	close(th->peer_ans);
	close(th->side_peer);
	th->peer_req = th->peer_ans = th->side_peer = -1;
	return 0;
}

/* ---- substrate events ------------------------------------------------------ */

static struct root the_root;

/* The root process ended (its pidfd became readable): so does recapd. */
static void recapd_root_ended(void *arg)
{
	(void)arg;
	if (waitpid(the_root.pid, &the_root.status, WNOHANG) == the_root.pid)
		the_root.ended = true;
	loop_stop(0);
}

static void recapd_task_exit(struct host_event const *ev)
{
	struct task *t = ev->task->owner;
	pid_t offender = ev->thread ? ev->thread->tid : -1;
	if (ev->bad_syscall >= 0)
		fprintf(stderr, "recapd: task %llu killed: forbidden system call %ld\n",
			(unsigned long long)t->kobj.id, ev->bad_syscall);
	else if (ev->signo)
		fprintf(stderr, "recapd: task %llu killed by signal %d\n",
			(unsigned long long)t->kobj.id, ev->signo);
	for (unsigned i = 0; i < L4X_MAX_THREADS; i++) {
		struct thread *th = t->by_utcb[i];
		if (!th)
			continue;
		bool report = ev->bad_syscall >= 0 && th->host && th->host->tid == offender &&
			      th->ipc == THREAD_IPC_NONE;
		thread_substrate_gone(th);
		if (report) {
			/* The offender is gone; its exception handler still
			 * learns what it tried (trapno 0x80, rax = the call). */
			struct host_event exc = *ev;
			exc.signo = SIGSYS;
			exc.addr = 0;
			exc.regs.rax = (l4_umword_t)ev->bad_syscall;
			thread_fault(th, &exc);
		}
	}
}

static void recapd_host_events(void *arg)
{
	(void)arg;
	struct host_event ev;
	while (host_next_event(&ev) > 0) {
		switch (ev.kind) {
		case HOST_EV_FAULT:
			if (ev.thread && ev.thread->owner)
				thread_fault(ev.thread->owner, &ev);
			break;
		case HOST_EV_THREAD_EXIT:
			if (ev.thread && ev.thread->owner)
				thread_substrate_gone(ev.thread->owner);
			break;
		case HOST_EV_TASK_EXIT:
			if (ev.task && ev.task->owner)
				recapd_task_exit(&ev);
			break;
		}
	}
}

/*
 * SIGTERM / SIGINT: ask the root task to shut the system down (core ends
 * its components and returns, and recapd with it). A second one, or a root
 * task that does not react, ends recapd at once: its tasks die with it
 * (PTRACE_O_EXITKILL).
 */
static void recapd_signal(void *arg)
{
	int fd = *(int *)arg;
	struct signalfd_siginfo si;
	static int asked;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		/* Before the root task runs there is nobody to ask. */
		if (asked++ || the_root.ended || the_root.pid <= 0) {
			loop_stop(0);
			return;
		}
		kill(the_root.pid, SIGTERM);
	}
}

static int recapd_watch_signals(void)
{
	static int fd;
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return -1;
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return fd < 0 ? -1 : loop_watch(fd, recapd_signal, &fd);
}

static void usage(void)
{
	fprintf(stderr, "usage: recapd [--stub PATH] [--] ROOT_PROGRAM [ARGS...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--stub") && i + 1 < argc)
			task_stub_path = argv[++i];
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else
			usage();
	}
	if (i >= argc)
		usage();
	char const *env_stub = getenv("RECAP_STUB");
	if (env_stub && task_stub_path == (const char *)"build/stub")
		task_stub_path = env_stub;

	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (host_init() < 0 || loop_init() < 0) {
		fprintf(stderr, "recapd: cannot set up the host substrate\n");
		return 1;
	}
	loop_watch(host_event_fd(), recapd_host_events, NULL);
	if (recapd_watch_signals() < 0) {
		fprintf(stderr, "recapd: cannot watch SIGTERM\n");
		return 1;
	}

	if (root_create(&the_root) < 0 || root_start(&the_root, argv + i) < 0) {
		fprintf(stderr, "recapd: cannot create the root task\n");
		return 1;
	}
	int pidfd = (int)syscall(SYS_pidfd_open, the_root.pid, 0);
	if (pidfd < 0 || loop_watch(pidfd, recapd_root_ended, NULL) < 0) {
		fprintf(stderr, "recapd: cannot watch the root task\n");
		return 1;
	}
	loop_run();
	if (!the_root.ended && waitpid(the_root.pid, &the_root.status, 0) == the_root.pid)
		the_root.ended = true;
	kobj_destroy(&the_root.task->kobj);	/* takes every task it created along */
	if (WIFEXITED(the_root.status))
		return WEXITSTATUS(the_root.status);
	return 128 + (WIFSIGNALED(the_root.status) ? WTERMSIG(the_root.status) : 0);
}
