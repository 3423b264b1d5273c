/*
 * sys_hostile_syscalls — tasks that make forbidden Linux system calls
 * (bad_syscall: open, openat, socket, execve, ptrace, kill, getpid, mmap,
 * write to fd 1 and 5, clone as fork and as thread, read of fd 0, the x32
 * and i386 ABIs, and a kill from a second thread) are killed, and nothing
 * else is: proves that
 *  - each offender's process is gone (l4x_task_info reports pid 0, and the
 *    Linux pid no longer exists) once its exception handler has heard of it;
 *  - the handler gets the exception (L4_PROTO_EXCEPTION, trapno 0x80,
 *    rax = the system call number) on the dead thread's behalf, and may
 *    answer it as any exception (with a register set, or without);
 *  - no call had an effect: no file was created, the sleeping child process
 *    the kill and ptrace aimed at lives on untraced, nothing reached stdout;
 *  - recapd keeps serving everyone else: a ping-pong pair runs to
 *    completion while the offenders die, and a second pair afterwards.
 * The results are printed after everything ended, in case order, so the
 * output does not depend on scheduling.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <l4/sys/factory.h>
#include <l4/sys/x.h>
#include <recap/host_task.h>

#include "../progs/hostile.h"
#include "../progs/pp.h"
#include "../rt/rt.h"
#include "boot.h"

#define FIRST_ID 10	/* boot id of case c is FIRST_ID + c */

static char const *const case_name[HS_CASES] = {
	[HS_OPEN] = "open",
	[HS_OPENAT] = "openat",
	[HS_SOCKET] = "socket",
	[HS_EXECVE] = "execve",
	[HS_PTRACE] = "ptrace(ATTACH)",
	[HS_KILL] = "kill(SIGKILL)",
	[HS_GETPID] = "getpid",
	[HS_MMAP] = "mmap",
	[HS_WRITE1] = "write to fd 1",
	[HS_WRITE5] = "write to fd 5",
	[HS_CLONE_FORK] = "clone as fork",
	[HS_CLONE_THREAD] = "clone as thread",
	[HS_READ0] = "read from fd 0",
	[HS_X32_WRITE] = "x32 write to the own channel",
	[HS_INT80] = "int 0x80 getpid",
	[HS_SECOND_THREAD] = "kill(SIGKILL) from a second thread",
};

/* The system call number the exception must report. */
static unsigned long const case_nr[HS_CASES] = {
	[HS_OPEN] = SYS_open,
	[HS_OPENAT] = SYS_openat,
	[HS_SOCKET] = SYS_socket,
	[HS_EXECVE] = SYS_execve,
	[HS_PTRACE] = SYS_ptrace,
	[HS_KILL] = SYS_kill,
	[HS_GETPID] = SYS_getpid,
	[HS_MMAP] = SYS_mmap,
	[HS_WRITE1] = SYS_write,
	[HS_WRITE5] = SYS_write,
	[HS_CLONE_FORK] = SYS_clone,
	[HS_CLONE_THREAD] = SYS_clone,
	[HS_READ0] = SYS_read,
	[HS_X32_WRITE] = 0x40000000UL | SYS_write,
	[HS_INT80] = 20,	/* i386 getpid */
	[HS_SECOND_THREAD] = SYS_kill,
};

struct victim {
	struct boot_task bt;
	pid_t pid;		/* its process, learnt at READY */
	int readied;
	int reported;		/* its exception arrived */
	unsigned long trapno, rax;
	l4_umword_t pid_after;	/* l4x_task_info's pid after the report */
	int gone;		/* kill(pid, 0) failed with ESRCH */
	long exit_code;		/* RT_PROTO_EXIT: it survived (must not happen) */
	int exited;
};

static struct victim v[HS_CASES];

static int start_pp(struct boot_task *srv, struct boot_task *cli, unsigned sid, unsigned cid)
{
	if (boot_task(srv, "build/tests/sys/progs/pp_server", sid) ||
	    boot_load(cli, "build/tests/sys/progs/pp_client", cid))
		return -1;
	l4_cap_idx_t gate = boot_alloc_sel();
	if (l4_error(l4_factory_create_gate(L4_BASE_FACTORY_CAP, gate, srv->thread,
					    PP_GATE_LABEL)) < 0 ||
	    boot_give(cli, gate, PP_SERVER_GATE, L4_CAP_FPAGE_RW) || boot_start(cli))
		return -1;
	return 0;
}

static int file_exists(char const *prefix, pid_t n)
{
	char p[96];
	snprintf(p, sizeof(p), "%s%d", prefix, (int)n);
	if (access(p, F_OK) == 0) {
		unlink(p);
		return 1;
	}
	return 0;
}

static int traced(pid_t pid)
{
	char p[64], line[128];
	snprintf(p, sizeof(p), "/proc/%d/status", (int)pid);
	FILE *f = fopen(p, "r");
	int tracer = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TracerPid: %d", &tracer) == 1)
			break;
	fclose(f);
	return tracer;
}

/* An offender's exception: record it, check the process, answer. */
static void exception(struct victim *t, unsigned c)
{
	l4_exc_regs_t e = *(l4_exc_regs_t const *)l4_utcb_mr()->mr;
	struct l4x_task_info ti;
	t->trapno = e.trapno;
	t->rax = e.rax;
	t->reported = 1;
	t->pid_after = l4x_task_info(L4X_BASE_HOST_CAP, t->bt.task, &ti) < 0 ? ~0UL : ti.pid;
	t->gone = t->pid > 0 && kill(t->pid, 0) < 0 && errno == ESRCH;
	/*
	 * Answer as a handler that lets the thread go on: with the register
	 * set (odd cases) or a short message (even ones). Either way the dead
	 * thread is not resumed, and the kernel must not trip over it.
	 */
	if (c & 1) {
		e.ip += 2;	/* past the syscall instruction */
		*(l4_exc_regs_t *)l4_utcb_mr()->mr = e;
		l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, L4_UTCB_EXCEPTION_REGS_SIZE, 0, 0),
			     L4_IPC_SEND_TIMEOUT_0);
	} else {
		boot_reply();
	}
}

int main(void)
{
	if (host_task_init())
		return 1;
	pid_t self = getpid();

	/* The target of the kill and ptrace attempts: a sleeping child. */
	pid_t child = fork();
	if (child < 0)
		return 1;
	if (child == 0) {
		syscall(SYS_close_range, 3, ~0U, 0);
		for (;;)
			pause();
	}

	struct boot_task srv1, cli1, srv2, cli2;
	if (start_pp(&srv1, &cli1, 1, 2))
		goto fail;
	for (unsigned c = 1; c < HS_CASES; c++)
		if (boot_task(&v[c].bt, "build/tests/sys/progs/bad_syscall", FIRST_ID + c))
			goto fail;

	/* Serve everyone until the pair is done and every offender reported. */
	long pp_code[2] = { -1, -1 };
	unsigned pending = HS_CASES - 1, pp_left = 2;
	while (pending || pp_left) {
		struct boot_msg m;
		if (boot_wait(&m, 30000) < 0) {
			fprintf(stderr, "hostile_syscalls: timeout (%u cases, %u pp tasks left)\n",
				pending, pp_left);
			goto fail;
		}
		if (m.id == 1 || m.id == 2) {
			if (m.proto == RT_PROTO_READY) {
				boot_reply();
			} else if (m.proto == RT_PROTO_EXIT) {
				pp_code[m.id - 1] = (long)m.mr0;
				pp_left--;
			} else {
				fprintf(stderr, "hostile_syscalls: pp task %u: message %ld\n", m.id,
					m.proto);
				goto fail;
			}
			continue;
		}
		unsigned c = m.id - FIRST_ID;
		if (m.id < FIRST_ID + 1 || c >= HS_CASES) {
			fprintf(stderr, "hostile_syscalls: message %ld from unknown %u\n", m.proto,
				m.id);
			goto fail;
		}
		struct victim *t = &v[c];
		if (m.proto == RT_PROTO_READY && !t->readied) {
			struct l4x_task_info ti;
			if (l4x_task_info(L4X_BASE_HOST_CAP, t->bt.task, &ti) < 0)
				goto fail;
			t->pid = (pid_t)ti.pid;
			t->readied = 1;
			unsigned long val = (c == HS_KILL || c == HS_PTRACE ||
					     c == HS_SECOND_THREAD) ? (unsigned long)child
									: (unsigned long)self;
			boot_reply_value(c | HS_ARG(val));
		} else if (m.proto == L4_PROTO_EXCEPTION && !t->reported) {
			exception(t, c);
			pending--;
		} else if (m.proto == RT_PROTO_EXIT) {
			t->exited = 1;
			t->exit_code = (long)m.mr0;
			if (!t->reported)
				pending--;
			t->reported = 1;
		} else {
			fprintf(stderr, "hostile_syscalls: case %u: message %ld\n", c, m.proto);
			goto fail;
		}
	}

	/* And afterwards: recapd still serves a new pair. */
	if (start_pp(&srv2, &cli2, 3, 4))
		goto fail;
	long pp2_code[2] = { -1, -1 };
	for (pp_left = 2; pp_left;) {
		struct boot_msg m;
		if (boot_wait(&m, 30000) < 0)
			goto fail;
		if (m.proto == RT_PROTO_READY) {
			boot_reply();
		} else if (m.proto == RT_PROTO_EXIT && (m.id == 3 || m.id == 4)) {
			pp2_code[m.id - 3] = (long)m.mr0;
			pp_left--;
		} else {
			fprintf(stderr, "hostile_syscalls: second pair: message %ld from %u\n",
				m.proto, m.id);
			goto fail;
		}
	}

	int bad = 0;
	for (unsigned c = 1; c < HS_CASES; c++) {
		struct victim *t = &v[c];
		int ok = !t->exited && t->trapno == 0x80 && t->rax == case_nr[c] &&
			 t->pid_after == 0 && t->gone;
		if (t->exited)
			printf("%s: NOT KILLED (exit %ld)\n", case_name[c], t->exit_code);
		else
			printf("%s: exception trapno 0x%lx rax %lu, pid %s, process %s%s\n",
			       case_name[c], t->trapno, t->rax, t->pid_after == 0 ? "0" : "kept",
			       t->gone ? "gone" : "ALIVE", ok ? "" : " WRONG");
		bad += !ok;
	}
	int created = file_exists("/tmp/recap-hostile-open-", self) +
		      file_exists("/tmp/recap-hostile-openat-", self) +
		      file_exists("/tmp/recap-hostile-exec-", self);
	int child_alive = kill(child, 0) == 0 && waitpid(child, NULL, WNOHANG) == 0;
	int tracer = traced(child);
	printf("files created: %d\n", created);
	printf("the sleeping child: %s, tracer %d\n", child_alive ? "alive" : "DEAD", tracer);
	printf("ping-pong during the kills: server exit %ld, client exit %ld\n", pp_code[0],
	       pp_code[1]);
	printf("ping-pong afterwards: server exit %ld, client exit %ld\n", pp2_code[0],
	       pp2_code[1]);
	bad += created + !child_alive + (tracer != 0) + (pp_code[0] != 0) + (pp_code[1] != 0) +
	       (pp2_code[0] != 0) + (pp2_code[1] != 0);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return bad ? 1 : 0;

fail:
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	return 1;
}
