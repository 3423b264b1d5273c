/*
 * task — starting, ending and mapping memory into stub processes.
 *
 * Spawning is ordered so that the stub is traced from its first
 * instruction: the forked child (still recapd's code) waits on its control
 * socket for a go byte; recapd seizes it, sends the byte, and the child
 * execs the stub, which stops at PTRACE_EVENT_EXEC. Only then does the stub
 * run, set itself up and send stub_ready. No component code exists in it
 * before recapd maps some, and no thread runs it before recapd orders one.
 *
 * The child keeps nothing of recapd but the control socket (fd 3) and fds
 * 0-2: every other descriptor — other tasks' channels, memfds — is closed
 * before exec.
 *
 * Invariant: a host_task is freed only by host_task_destroy, after every
 * Linux thread of its stub has been reaped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host_internal.h"

#define STUB_STACK_LIMIT (8UL << 20)

#define SEIZE_OPTIONS                                                      \
	(PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC |    \
	 PTRACE_O_EXITKILL)

/* In the forked child: become the stub once recapd says go. */
static void __attribute__((noreturn)) child_exec(int sock, char const *path)
{
	char *argv[] = { (char *)"recap-stub", NULL };
	char *envp[] = { NULL };
	struct rlimit stack;
	sigset_t none;
	char go;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* An unlimited stack selects the legacy mmap layout (see stub.c). */
	if (getrlimit(RLIMIT_STACK, &stack) == 0 &&
	    stack.rlim_cur == RLIM_INFINITY) {
		stack.rlim_cur = STUB_STACK_LIMIT;
		setrlimit(RLIMIT_STACK, &stack);
	}
	if (sock == HOST_STUB_CTL_FD)
		fcntl(sock, F_SETFD, 0);
	else if (dup2(sock, HOST_STUB_CTL_FD) < 0)
		_exit(126);
	close_range(HOST_STUB_CTL_FD + 1, ~0U, 0);
	if (read(HOST_STUB_CTL_FD, &go, 1) != 1)
		_exit(126);
	execve(path, argv, envp);
	_exit(127);
}

static struct host_task *task_alloc(void)
{
	struct host_task *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->priv = calloc(1, sizeof(*t->priv));
	if (!t->priv) {
		free(t);
		return NULL;
	}
	t->ctl_fd = -1;
	t->priv->pagemap_fd = -1;
	t->priv->bad_syscall = -1;
	return t;
}

/* Seize the forked child, let it exec, and see it stop right after exec. */
static int seize_and_exec(struct host_task *t)
{
	int status, rc;

	if (ptrace(PTRACE_SEIZE, t->pid, 0, SEIZE_OPTIONS) < 0)
		return -errno;
	if ((rc = tidmap_put(t->pid, t, NULL)) < 0)
		return rc;
	if (write(t->ctl_fd, "g", 1) != 1)
		return -errno;
	if ((rc = host_wait_tid(t->pid, &status)) < 0)
		return rc;
	if (!WIFSTOPPED(status)) {
		tidmap_del(t->pid);
		t->dead = true;
		return -ENOEXEC;
	}
	/* exec failed: the child is on its way out (reaped by the caller) */
	if (status >> 16 == PTRACE_EVENT_EXIT)
		return -ENOEXEC;
	if (status >> 8 != (SIGTRAP | (PTRACE_EVENT_EXEC << 8)))
		return -EPROTO;
	return ptrace(PTRACE_CONT, t->pid, 0, 0) < 0 ? -errno : 0;
}

static int await_ready(struct host_task *t)
{
	struct host_task_priv *p = t->priv;
	struct stub_ready r;
	char path[64];
	int rc = host_ctl_await(t, &r, sizeof(r), NULL);

	if (rc < 0)
		return rc;
	if (r.magic != STUB_PROTO_MAGIC || r.version != STUB_PROTO_VERSION)
		return -EPROTO;
	p->exit_ip = r.exit_syscall_ip;
	p->trap_ip = r.thread_trap_ip;
	p->dirty_tracking = r.dirty_tracking;
	snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)t->pid);
	p->pagemap_fd = open(path, O_RDONLY | O_CLOEXEC);
	return p->pagemap_fd < 0 ? -errno : 0;
}

int host_task_spawn(char const *stub_path, struct host_task **out)
{
	struct host_task *t;
	int sv[2], rc;

	if ((rc = host_init()) < 0)
		return rc;
	if (!(t = task_alloc()))
		return -ENOMEM;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		rc = -errno;
		host_task_destroy(t);
		return rc;
	}
	t->pid = fork();
	if (t->pid == 0)
		child_exec(sv[1], stub_path);
	close(sv[1]);
	t->ctl_fd = sv[0];
	if (t->pid < 0) {
		rc = -errno;
		t->dead = true;
	} else if ((rc = seize_and_exec(t)) == 0) {
		rc = await_ready(t);
	}
	if (rc < 0) {
		host_task_destroy(t);
		return rc;
	}
	*out = t;
	return 0;
}

/* Reap whatever of t's threads has a status; returns how many are left. */
static unsigned reap_some(struct host_task *t, bool *progress)
{
	pid_t tids[64];
	unsigned n = tidmap_tids_of(t, tids, 64);

	for (unsigned i = 0; i < n && i < 64; i++) {
		int status;
		pid_t r;

		/*
		 * SIGKILL does not end a thread held in a ptrace stop that was
		 * already collected (an exit stop in particular): release it.
		 * Fails harmlessly (ESRCH) for a thread that is not stopped.
		 */
		ptrace(PTRACE_CONT, tids[i], 0, 0);
		r = waitpid(tids[i], &status, WNOHANG | __WALL);

		if (r == tids[i] && WIFSTOPPED(status)) {
			ptrace(PTRACE_CONT, tids[i], 0, 0);
			*progress = true;
		} else if (r == tids[i] || (r < 0 && errno == ECHILD)) {
			tidmap_del(tids[i]);
			*progress = true;
		}
	}
	return n;
}

/* SIGKILL the stub and reap all its threads, within HOST_TIMEOUT_MS. */
static void kill_and_reap(struct host_task *t)
{
	struct host_wait w;

	if (t->pid <= 0)
		return;
	host_task_kill_now(t);
	host_wait_begin(&w, HOST_TIMEOUT_MS);
	for (;;) {
		bool progress = false;

		if (reap_some(t, &progress) == 0)
			break;
		if (!progress && host_wait_sleep(&w, -1) < 0)
			break;	/* give up: leave the zombie rather than hang */
	}
	host_wait_end(&w);
	t->dead = true;
}

void host_task_destroy(struct host_task *t)
{
	struct host_task_priv *p;

	if (!t)
		return;
	p = t->priv;
	kill_and_reap(t);
	host_drop_events(t, NULL);
	if (t->ctl_fd >= 0)
		close(t->ctl_fd);
	if (p->pagemap_fd >= 0)
		close(p->pagemap_fd);
	for (unsigned i = 0; i < p->nthreads; i++)
		free(p->threads[i]);
	free(p->threads);
	free(p->regions);
	free(p);
	free(t);
}

int host_task_map(struct host_task *t, int memfd, uint64_t addr, uint64_t size,
		  uint64_t offset, int prot)
{
	struct stub_order o = {
		.op = STUB_OP_MAP,
		.addr = addr,
		.size = size,
		.offset = offset,
		.prot = prot,
	};
	int rc;

	if (memfd < 0 || !stub_range_ok(addr, size) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if ((rc = host_regions_reserve(t->priv, 2)) < 0)
		return rc;
	if ((rc = host_ctl_call(t, &o, memfd, NULL)) < 0)
		return rc;
	host_regions_set(t->priv, addr, addr + size, prot);
	return prot & PROT_WRITE ? host_dirty_start(t, addr, size) : 0;
}

int host_task_unmap(struct host_task *t, uint64_t addr, uint64_t size)
{
	struct stub_order o = { .op = STUB_OP_UNMAP, .addr = addr, .size = size };
	int rc;

	if (!stub_range_ok(addr, size))
		return -EINVAL;
	if ((rc = host_regions_reserve(t->priv, 2)) < 0)
		return rc;
	if ((rc = host_ctl_call(t, &o, -1, NULL)) < 0)
		return rc;
	host_regions_set(t->priv, addr, addr + size, -1);
	return 0;
}
