/*
 * test_host — the Linux substrate of recapd (kernel/host) against a real
 * task stub, without recapd.
 *
 * Needs root (ptrace, userfaultfd) and the stub binary: $RECAP_STUB, by
 * default build/stub. Each test spawns its own stub, maps component code
 * (the snippets below, copied from this program into a memfd) and data into
 * the component range, and drives threads through the host.h interface.
 *
 * The snippets are freestanding and position-independent; their inputs are
 * registers set at thread creation. Channel fd, buffer and length are always
 * rdi / rsi / rdx (or r12 / rsi / rdx where rdi is used otherwise).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <host/host.h>
#include <host/host_internal.h>	/* white box: the stub's exit syscall */

#define PAGE 4096UL
#define CODE_ADDR 0x10000000UL	/* snippets, RX */
#define DATA_ADDR 0x10010000UL	/* one page, RW: buffers, strings */
#define DIRTY_ADDR 0x10100000UL	/* DIRTY_PAGES pages, RW */
#define DIRTY_PAGES 16
#define HOLE_ADDR 0x10200000UL	/* reserved, nothing mapped at first */
#define RO_ADDR 0x10300000UL	/* one page, read-only */
#define CHAN0 64
#define MSG_LEN 8
#define SECCOMP_SET_MODE_FILTER_ 1

/* ---- component code ---------------------------------------------------- */

extern char const snip_begin[], snip_end[];
extern char const snip_echo[], snip_echo_read[], snip_spin[], snip_touch[],
	snip_dirty[], snip_syscall[];

__asm__(".section .rodata\n"
	".globl snip_begin, snip_end, snip_echo, snip_echo_read, snip_spin\n"
	".globl snip_touch, snip_dirty, snip_syscall\n"
	"snip_begin:\n"
	/* loop { write(rdi, rsi, rdx); read(rdi, rsi, rdx) } */
	"snip_echo:\n"
	"	mov $1, %eax\n"
	"	syscall\n"
	"	mov $0, %eax\n"
	"snip_echo_read:\n"
	"	syscall\n"
	"	jmp snip_echo\n"
	/* for (;;) rbx++ */
	"snip_spin:\n"
	"	inc %rbx\n"
	"	jmp snip_spin\n"
	/* *(char *)rdi = 1; then echo on r12 */
	"snip_touch:\n"
	"	movb $1, (%rdi)\n"
	"	mov %r12, %rdi\n"
	"	jmp snip_echo\n"
	/* write r13 pages from rdi on, read r15 pages from r14 on; echo on r12 */
	"snip_dirty:\n"
	"	test %r13, %r13\n"
	"	jz 2f\n"
	"	movb $1, (%rdi)\n"
	"	add $4096, %rdi\n"
	"	dec %r13\n"
	"	jmp snip_dirty\n"
	"2:	test %r15, %r15\n"
	"	jz 3f\n"
	"	mov (%r14), %al\n"
	"	add $4096, %r14\n"
	"	dec %r15\n"
	"	jmp 2b\n"
	"3:	mov %r12, %rdi\n"
	"	jmp snip_echo\n"
	/* syscall number r12 with rdi, rsi, rdx; then fault */
	"snip_syscall:\n"
	"	mov %r12, %rax\n"
	"	syscall\n"
	"	ud2\n"
	"snip_end:\n"
	".previous\n");

static uint64_t code_at(char const *snip)
{
	return CODE_ADDR + (uint64_t)(snip - snip_begin);
}

/* ---- helpers ----------------------------------------------------------- */

struct fixture {
	struct host_task *task;
	int code_fd, data_fd, dirty_fd;
	int chan[2 * L4X_MAX_THREADS];	/* test's end of each thread channel, by fd - CHAN0 */
};

static char const *stub_path(void)
{
	char const *p = getenv("RECAP_STUB");

	return p ? p : "build/stub";
}

static int memfd_of(char const *name, size_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	return fd;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

static struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	size_t code_len = (size_t)(snip_end - snip_begin);

	assert_non_null(f);
	for (int i = 0; i < 2 * L4X_MAX_THREADS; i++)
		f->chan[i] = -1;
	assert_int_equal(host_task_spawn(stub_path(), &f->task), 0);
	f->code_fd = memfd_of("code", PAGE);
	assert_int_equal(pwrite(f->code_fd, snip_begin, code_len, 0),
			 (ssize_t)code_len);
	f->data_fd = memfd_of("data", PAGE);
	assert_int_equal(pwrite(f->data_fd, "hello!!\0/etc/passwd", 20, 0),
			 20);
	f->dirty_fd = memfd_of("dirty", DIRTY_PAGES * PAGE);
	assert_int_equal(host_task_map(f->task, f->code_fd, CODE_ADDR, PAGE, 0,
				       PROT_READ | PROT_EXEC),
			 0);
	assert_int_equal(host_task_map(f->task, f->data_fd, DATA_ADDR, PAGE, 0,
				       PROT_READ | PROT_WRITE),
			 0);
	assert_int_equal(host_task_map(f->task, f->dirty_fd, DIRTY_ADDR,
				       DIRTY_PAGES * PAGE, 0,
				       PROT_READ | PROT_WRITE),
			 0);
	return f;
}

static void fixture_free(struct fixture *f)
{
	host_task_destroy(f->task);
	for (int i = 0; i < 2 * L4X_MAX_THREADS; i++)
		if (f->chan[i] >= 0)
			close(f->chan[i]);
	close(f->code_fd);
	close(f->data_fd);
	close(f->dirty_fd);
	free(f);
}

/* Registers for a thread entering snip with the echo arguments on fd_no. */
static struct l4x_regs regs_for(char const *snip, int fd_no)
{
	struct l4x_regs r;

	memset(&r, 0, sizeof(r));
	r.rip = code_at(snip);
	r.rsp = DATA_ADDR + PAGE - 64;
	r.rflags = 0x202;
	r.rdi = (l4_umword_t)fd_no;
	r.r12 = (l4_umword_t)fd_no;
	r.rsi = DATA_ADDR;
	r.rdx = MSG_LEN;
	return r;
}

static struct host_thread *start(struct fixture *f, int fd_no,
				 struct l4x_regs const *r, bool paused)
{
	struct host_thread *th = NULL;
	int sv[2];

	assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0,
				    sv),
			 0);
	/* One socket both ways stands in for the request and answer pipes. */
	int fds[2] = { sv[1], -1 };
	assert_int_equal(host_thread_create(f->task, fds, fd_no, r, NULL,
					    paused, &th),
			 0);
	close(sv[1]);
	if (f->chan[fd_no - CHAN0] >= 0)
		close(f->chan[fd_no - CHAN0]);
	f->chan[fd_no - CHAN0] = sv[0];
	assert_non_null(th);
	assert_ptr_equal(th->task, f->task);
	return th;
}

/* One message from a thread's channel, within 5 s; returns its length. */
static ssize_t recv_from(struct fixture *f, int fd_no, char *buf, size_t len)
{
	struct pollfd p = { .fd = f->chan[fd_no - CHAN0], .events = POLLIN };

	if (poll(&p, 1, 5000) != 1)
		return -ETIMEDOUT;
	return read(p.fd, buf, len);
}

static void expect_msg(struct fixture *f, int fd_no, char const *want)
{
	char buf[MSG_LEN + 1] = { 0 };

	assert_int_equal(recv_from(f, fd_no, buf, MSG_LEN), MSG_LEN);
	assert_memory_equal(buf, want, MSG_LEN);
}

static void send_to(struct fixture *f, int fd_no, char const *msg)
{
	assert_int_equal(write(f->chan[fd_no - CHAN0], msg, MSG_LEN), MSG_LEN);
}

/* No message arrives within ms. */
static void expect_silence(struct fixture *f, int fd_no, int ms)
{
	struct pollfd p = { .fd = f->chan[fd_no - CHAN0], .events = POLLIN };

	assert_int_equal(poll(&p, 1, ms), 0);
}

/* The next event, waiting up to 5 s; fails the test if none comes. */
static void next_event(struct host_event *ev)
{
	for (int i = 0; i < 500; i++) {
		struct pollfd p = { .fd = host_event_fd(), .events = POLLIN };

		if (host_next_event(ev) > 0)
			return;
		poll(&p, 1, 10);
	}
	fail_msg("no host event within 5 s");
}

static void expect_no_event(int ms)
{
	struct host_event ev;

	sleep_ms(ms);
	assert_int_equal(host_next_event(&ev), 0);
}

/* Registers of a paused thread, normalised. */
static struct l4x_regs regs_of(struct host_thread *th)
{
	struct l4x_regs r;

	assert_int_equal(host_thread_get_regs(th, &r, NULL), 0);
	return r;
}

/* Wait until a thread sits in a blocking read (its channel echo loop). */
static void wait_blocked_in_read(struct host_thread *th)
{
	char path[64], stat[512];

	snprintf(path, sizeof(path), "/proc/%d/syscall", th->tid);
	for (int i = 0; i < 500; i++) {
		FILE *fp = fopen(path, "r");
		bool in_read = fp && fgets(stat, sizeof(stat), fp) &&
			       strncmp(stat, "0 ", 2) == 0;

		if (fp)
			fclose(fp);
		if (in_read)
			return;
		sleep_ms(10);
	}
	fail_msg("thread %d never blocked in read", th->tid);
}

/* ---- tests ------------------------------------------------------------- */

static void test_spawn_layout(void **state)
{
	struct fixture *f = fixture_new();
	char path[64], line[512];
	bool reserved = false;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "/proc/%d/maps", f->task->pid);
	fp = fopen(path, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		unsigned long lo, hi;
		char perms[8], name[256] = "";

		assert_int_equal(sscanf(line, "%lx-%lx %7s %*s %*s %*s %255s",
					&lo, &hi, perms, name) >= 3,
				 1);
		/* Nothing of the stub's own inside the component range. */
		if (hi > L4X_TASK_VM_START && lo < L4X_TASK_VM_END) {
			bool ours = strncmp(name, "/memfd:", 7) == 0 ||
				    strcmp(perms, "---p") == 0;

			if (!ours)
				fail_msg("foreign mapping in range: %s", line);
			if (hi == L4X_TASK_VM_END)
				reserved = true;
		}
	}
	fclose(fp);
	assert_true(reserved);
	assert_false(f->task->dead);
	fixture_free(f);
}

static void test_spawn_bad_path(void **state)
{
	struct host_task *t = NULL;

	(void)state;
	assert_int_equal(host_task_spawn("/nonexistent/stub", &t), -ENOEXEC);
	assert_null(t);
}

static void test_thread_runs(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_echo, CHAN0);
	struct host_thread *th = start(f, CHAN0, &r, false);

	(void)state;
	assert_int_equal(th->state, HOST_THREAD_RUNNING);
	expect_msg(f, CHAN0, "hello!!");
	send_to(f, CHAN0, "ABCDEFGH");
	expect_msg(f, CHAN0, "ABCDEFGH");
	expect_no_event(20);
	fixture_free(f);
}

static void test_start_paused(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_echo, CHAN0), got;
	struct host_thread *th;

	(void)state;
	r.rbx = 0x1234;
	r.r15 = 0xfeedface;
	r.gs_base = DATA_ADDR;	/* recapd points gs at the UTCB */
	r.fs_base = DATA_ADDR + 64;
	r.cs = 0;		/* selectors are the host's: ignored */
	th = start(f, CHAN0, &r, true);
	assert_int_equal(th->state, HOST_THREAD_STOPPED_PAUSE);
	expect_silence(f, CHAN0, 50);
	got = regs_of(th);
	assert_int_equal(got.rip, r.rip);
	assert_int_equal(got.rsp, r.rsp);
	assert_int_equal(got.rbx, 0x1234);
	assert_int_equal(got.r15, 0xfeedface);
	assert_int_equal(got.gs_base, DATA_ADDR);
	assert_int_equal(got.fs_base, DATA_ADDR + 64);
	assert_int_equal(got.cs, 0x33);
	assert_int_equal(got.orig_rax, (l4_umword_t)-1);
	assert_int_equal(host_thread_resume(th), 0);
	expect_msg(f, CHAN0, "hello!!");
	fixture_free(f);
}

static void test_pause_computing(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_spin, CHAN0), a, b;
	struct host_thread *th = start(f, CHAN0, &r, false);

	(void)state;
	sleep_ms(30);
	assert_int_equal(host_thread_pause(th), 0);
	assert_int_equal(th->state, HOST_THREAD_STOPPED_PAUSE);
	a = regs_of(th);
	assert_true(a.rbx > 0);
	assert_true(a.rip == code_at(snip_spin) ||
		    a.rip == code_at(snip_spin) + 3);
	sleep_ms(30);
	b = regs_of(th);
	assert_int_equal(a.rbx, b.rbx);	/* really stopped */
	assert_int_equal(host_thread_pause(th), 0); /* no-op when stopped */

	/* Set a counter, continue, and see it count on from there. */
	a.rbx = 1000000;
	assert_int_equal(host_thread_set_regs(th, &a, NULL), 0);
	assert_int_equal(host_thread_resume(th), 0);
	sleep_ms(30);
	assert_int_equal(host_thread_pause(th), 0);
	b = regs_of(th);
	assert_true(b.rbx > 1000000);

	/* Move it somewhere else entirely: into the echo loop. */
	r = regs_for(snip_echo, CHAN0);
	assert_int_equal(host_thread_set_regs(th, &r, NULL), 0);
	assert_int_equal(host_thread_resume(th), 0);
	expect_msg(f, CHAN0, "hello!!");
	fixture_free(f);
}

static void test_pause_blocked(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_echo, CHAN0), got;
	uint8_t fpu[L4X_FPU_SIZE];
	struct host_thread *th = start(f, CHAN0, &r, false);

	(void)state;
	expect_msg(f, CHAN0, "hello!!");
	wait_blocked_in_read(th);

	/* 1. Paused in read: normalised to "about to call read". */
	assert_int_equal(host_thread_pause(th), 0);
	assert_int_equal(host_thread_get_regs(th, &got, fpu), 0);
	assert_int_equal(got.rip, code_at(snip_echo_read));
	assert_int_equal(got.rax, 0);	/* SYS_read */
	assert_int_equal(got.orig_rax, (l4_umword_t)-1);
	assert_int_equal(got.rdi, CHAN0);
	assert_int_equal(fpu[0] | fpu[1] << 8, 0x037f); /* clean FCW */
	/* A message sent while it is paused waits for it. */
	send_to(f, CHAN0, "paused-1");
	expect_silence(f, CHAN0, 50);
	/* Resumed untouched: Linux restarts the read itself. */
	assert_int_equal(host_thread_resume(th), 0);
	expect_msg(f, CHAN0, "paused-1");

	/* 2. Paused again, registers written back as read: same result. */
	wait_blocked_in_read(th);
	assert_int_equal(host_thread_pause(th), 0);
	got = regs_of(th);
	assert_int_equal(got.rip, code_at(snip_echo_read));
	assert_int_equal(host_thread_set_regs(th, &got, fpu), 0);
	assert_int_equal(host_thread_resume(th), 0);
	send_to(f, CHAN0, "paused-2");
	expect_msg(f, CHAN0, "paused-2");

	/* 3. The normalised state re-entered with a changed argument. */
	wait_blocked_in_read(th);
	assert_int_equal(host_thread_pause(th), 0);
	got = regs_of(th);
	got.rdx = 4;	/* read and echo 4 bytes from now on */
	assert_int_equal(host_thread_set_regs(th, &got, NULL), 0);
	assert_int_equal(host_thread_resume(th), 0);
	send_to(f, CHAN0, "abcdefgh");
	{
		char buf[MSG_LEN] = { 0 };

		assert_int_equal(recv_from(f, CHAN0, buf, sizeof(buf)), 4);
		assert_memory_equal(buf, "abcd", 4);
	}
	expect_no_event(20);
	fixture_free(f);
}

static void test_fault_unmapped(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_touch, CHAN0);
	struct host_thread *th;
	struct host_event ev;
	int hole_fd = memfd_of("hole", PAGE);
	char byte = 0;

	(void)state;
	r.rdi = HOLE_ADDR + 0x10;
	th = start(f, CHAN0, &r, false);
	next_event(&ev);
	assert_int_equal(ev.kind, HOST_EV_FAULT);
	assert_ptr_equal(ev.task, f->task);
	assert_ptr_equal(ev.thread, th);
	assert_int_equal(ev.signo, SIGSEGV);
	assert_int_equal(ev.addr, HOLE_ADDR + 0x10);
	assert_false(ev.write);	/* unknown for an unmapped page */
	assert_int_equal(ev.regs.rip, code_at(snip_touch));
	assert_int_equal(th->state, HOST_THREAD_STOPPED_FAULT);
	assert_int_equal(th->fault_signo, SIGSEGV);
	expect_silence(f, CHAN0, 30);

	/* The "pager" maps the page; the thread retries and proceeds. */
	assert_int_equal(host_task_map(f->task, hole_fd, HOLE_ADDR, PAGE, 0,
				       PROT_READ | PROT_WRITE),
			 0);
	assert_int_equal(host_thread_resume(th), 0);
	expect_msg(f, CHAN0, "hello!!");
	assert_int_equal(pread(hole_fd, &byte, 1, 0x10), 1);
	assert_int_equal(byte, 1);
	close(hole_fd);
	fixture_free(f);
}

static void test_fault_write_readonly(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_touch, CHAN0);
	struct host_thread *th;
	struct host_event ev;
	int ro_fd = memfd_of("ro", PAGE);

	(void)state;
	assert_int_equal(host_task_map(f->task, ro_fd, RO_ADDR, PAGE, 0,
				       PROT_READ),
			 0);
	r.rdi = RO_ADDR + 8;
	th = start(f, CHAN0, &r, false);
	next_event(&ev);
	assert_int_equal(ev.kind, HOST_EV_FAULT);
	assert_int_equal(ev.signo, SIGSEGV);
	assert_int_equal(ev.si_code, SEGV_ACCERR);
	assert_int_equal(ev.addr, RO_ADDR + 8);
	assert_true(ev.write);

	/* Upgrade the mapping, resume: the write goes through. */
	assert_int_equal(host_task_map(f->task, ro_fd, RO_ADDR, PAGE, 0,
				       PROT_READ | PROT_WRITE),
			 0);
	assert_int_equal(host_thread_resume(th), 0);
	expect_msg(f, CHAN0, "hello!!");
	close(ro_fd);
	fixture_free(f);
}

static void test_fault_redirect(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_syscall, CHAN0);
	struct host_thread *th;
	struct host_event ev;

	(void)state;
	/* A valid syscall (sched_yield) followed by ud2: SIGILL. */
	r.r12 = SYS_sched_yield;
	th = start(f, CHAN0, &r, false);
	next_event(&ev);
	assert_int_equal(ev.kind, HOST_EV_FAULT);
	assert_int_equal(ev.signo, SIGILL);
	assert_int_equal(ev.regs.rip, code_at(snip_syscall) + 5);
	r = regs_for(snip_echo, CHAN0);
	assert_int_equal(host_thread_set_regs(th, &r, NULL), 0);
	assert_int_equal(host_thread_resume(th), 0);
	expect_msg(f, CHAN0, "hello!!");
	fixture_free(f);
}

static void test_pause_at_fault(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_touch, CHAN0);
	struct host_thread *th;
	struct host_event ev;
	int hole_fd = memfd_of("hole", PAGE);

	(void)state;
	r.rdi = HOLE_ADDR;
	th = start(f, CHAN0, &r, false);
	sleep_ms(50);	/* it has faulted by now; nobody collected it */
	assert_int_equal(host_thread_pause(th), 0);
	assert_int_equal(th->state, HOST_THREAD_STOPPED_FAULT);
	next_event(&ev);	/* the fault is still reported */
	assert_int_equal(ev.kind, HOST_EV_FAULT);
	assert_ptr_equal(ev.thread, th);
	assert_int_equal(ev.addr, HOLE_ADDR);
	assert_int_equal(host_task_map(f->task, hole_fd, HOLE_ADDR, PAGE, 0,
				       PROT_READ | PROT_WRITE),
			 0);
	/* The interrupt still pending fires on resume and is swallowed. */
	assert_int_equal(host_thread_resume(th), 0);
	expect_msg(f, CHAN0, "hello!!");
	expect_no_event(30);
	assert_int_equal(th->state, HOST_THREAD_RUNNING);
	close(hole_fd);
	fixture_free(f);
}

static unsigned popcount_map(uint64_t const *map, unsigned words)
{
	unsigned n = 0;

	for (unsigned i = 0; i < words; i++)
		n += (unsigned)__builtin_popcountll(map[i]);
	return n;
}

static void test_dirty(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_dirty, CHAN0);
	uint64_t map[1];
	char *mine;

	(void)state;
	/* Freshly mapped: clean. */
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR, DIRTY_PAGES,
					 false, map),
			 0);
	assert_int_equal(map[0], 0);

	/* Write pages 2..6, read pages 8..11. */
	r.rdi = DIRTY_ADDR + 2 * PAGE;
	r.r13 = 5;
	r.r14 = DIRTY_ADDR + 8 * PAGE;
	r.r15 = 4;
	start(f, CHAN0, &r, false);
	expect_msg(f, CHAN0, "hello!!");
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR, DIRTY_PAGES,
					 false, map),
			 5);
	assert_int_equal(map[0], 0x7cULL);
	/* Reading does not reset; a sub-range is reported relative to it. */
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR + 4 * PAGE, 8,
					 false, map),
			 3);
	assert_int_equal(map[0], 0x7ULL);
	/* The range may extend over unmapped memory. */
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR - 4 * PAGE,
					 DIRTY_PAGES + 8, false, map),
			 5);
	assert_int_equal(map[0], 0x7cULL << 4);
	/* Reset: reported once more, then clean. */
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR, DIRTY_PAGES,
					 true, map),
			 5);
	assert_int_equal(popcount_map(map, 1), 5);
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR, DIRTY_PAGES,
					 false, map),
			 0);

	/* Writes through another process's mapping are not the task's. */
	mine = mmap(NULL, DIRTY_PAGES * PAGE, PROT_READ | PROT_WRITE,
		    MAP_SHARED, f->dirty_fd, 0);
	assert_true(mine != MAP_FAILED);
	mine[0] = 1;
	mine[15 * PAGE] = 1;
	munmap(mine, DIRTY_PAGES * PAGE);
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR, DIRTY_PAGES,
					 false, map),
			 0);

	/* After a reset, new writes count again: page 0 and page 15. */
	r = regs_for(snip_dirty, CHAN0 + 2);
	r.rdi = DIRTY_ADDR;
	r.r13 = 1;
	start(f, CHAN0 + 2, &r, false);
	expect_msg(f, CHAN0 + 2, "hello!!");
	r = regs_for(snip_dirty, CHAN0 + 4);
	r.rdi = DIRTY_ADDR + 15 * PAGE;
	r.r13 = 1;
	start(f, CHAN0 + 4, &r, false);
	expect_msg(f, CHAN0 + 4, "hello!!");
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR, DIRTY_PAGES,
					 false, map),
			 2);
	assert_int_equal(map[0], 0x8001ULL);

	/* The data page the echo threads write to is tracked too. */
	assert_int_equal(host_task_dirty(f->task, DATA_ADDR, 1, false, map), 0);
	send_to(f, CHAN0, "12345678");
	expect_msg(f, CHAN0, "12345678");
	assert_int_equal(host_task_dirty(f->task, DATA_ADDR, 1, true, map), 1);
	assert_int_equal(host_task_dirty(f->task, DATA_ADDR, 1, false, map), 0);
	fixture_free(f);
}

static void test_dirty_remap(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_dirty, CHAN0);
	uint64_t map[1];

	(void)state;
	r.rdi = DIRTY_ADDR;
	r.r13 = 3;
	start(f, CHAN0, &r, false);
	expect_msg(f, CHAN0, "hello!!");
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR, DIRTY_PAGES,
					 false, map),
			 3);
	/* Mapping anew restarts tracking for the range mapped. */
	assert_int_equal(host_task_map(f->task, f->dirty_fd, DIRTY_ADDR + PAGE,
				       PAGE, PAGE, PROT_READ | PROT_WRITE),
			 0);
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR, DIRTY_PAGES,
					 false, map),
			 2);
	assert_int_equal(map[0], 0x5ULL);
	/* Unmapped pages are not dirty. */
	assert_int_equal(host_task_unmap(f->task, DIRTY_ADDR, PAGE), 0);
	assert_int_equal(host_task_dirty(f->task, DIRTY_ADDR, DIRTY_PAGES,
					 false, map),
			 1);
	assert_int_equal(map[0], 0x4ULL);
	fixture_free(f);
}

/*
 * The task dies of seccomp: one TASK_EXIT naming the offending thread, its
 * registers at the refused `syscall` and the call; no THREAD_EXIT for it.
 */
static void expect_seccomp_kill(struct fixture *f, struct host_thread *th,
				long nr)
{
	struct host_event ev;

	next_event(&ev);
	assert_int_equal(ev.kind, HOST_EV_TASK_EXIT);
	assert_ptr_equal(ev.task, f->task);
	assert_ptr_equal(ev.thread, th);
	assert_int_equal(ev.signo, SIGSYS);
	assert_int_equal(ev.bad_syscall, nr);
	assert_int_equal(ev.regs.rip, code_at(snip_syscall) + 3);
	assert_int_equal(ev.regs.rax, (uint64_t)nr);
	assert_int_equal(ev.regs.orig_rax, (l4_umword_t)-1);
	assert_true(f->task->dead);
	assert_int_equal(th->state, HOST_THREAD_DEAD);
}

static void test_hostile(void **state)
{
	static struct {
		long nr;
		uint64_t rdi, rsi;
	} const calls[] = {
		{ SYS_open, DATA_ADDR + 8, O_RDONLY },
		{ SYS_openat, (uint64_t)AT_FDCWD, DATA_ADDR + 8 },
		{ SYS_socket, AF_INET, SOCK_STREAM },
		{ SYS_execve, DATA_ADDR + 8, 0 },
		{ SYS_getpid, 0, 0 },
		{ SYS_kill, 1, SIGKILL },
		{ SYS_tgkill, 0, 0 },
		{ SYS_ptrace, 0, 0 },
		{ SYS_mmap, 0, PAGE },
		{ SYS_mprotect, CODE_ADDR, PAGE },
		{ SYS_clone, 0, 0 },
		{ SYS_write, 5, DATA_ADDR },	/* outside the channel range */
		{ SYS_write, 3, DATA_ADDR },	/* the control socket */
		{ SYS_read, 63, DATA_ADDR },
		{ SYS_write, L4X_CHAN_FD_END, DATA_ADDR },
		{ SYS_write, (1ULL << 32) | CHAN0, DATA_ADDR },
		{ SYS_sendmsg, 3, 0 },
		{ SYS_seccomp, 0, 0 },
		{ SYS_dup2, 3, CHAN0 },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct fixture *f = fixture_new();
		struct l4x_regs r = regs_for(snip_syscall, CHAN0);

		r.r12 = (uint64_t)calls[i].nr;
		r.rdi = calls[i].rdi;
		r.rsi = calls[i].rsi;
		r.rdx = MSG_LEN;
		expect_seccomp_kill(f, start(f, CHAN0, &r, false), calls[i].nr);
		/* Operations on a dead task fail cleanly. */
		assert_int_equal(host_task_map(f->task, f->data_fd, DATA_ADDR,
					       PAGE, 0, PROT_READ),
				 -ESRCH);
		fixture_free(f);
	}
}

static void test_hostile_among_others(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_echo, CHAN0);
	struct host_thread *good, *bad;
	struct host_event ev;

	(void)state;
	good = start(f, CHAN0, &r, false);
	expect_msg(f, CHAN0, "hello!!");
	r = regs_for(snip_syscall, CHAN0 + 2);
	r.r12 = SYS_getppid;
	bad = start(f, CHAN0 + 2, &r, false);
	/* The bystander's end is a THREAD_EXIT; the offender's is not. */
	next_event(&ev);
	assert_int_equal(ev.kind, HOST_EV_THREAD_EXIT);
	assert_ptr_equal(ev.thread, good);
	next_event(&ev);
	assert_int_equal(ev.kind, HOST_EV_TASK_EXIT);
	assert_ptr_equal(ev.thread, bad);
	assert_int_equal(ev.bad_syscall, SYS_getppid);
	assert_int_equal(good->state, HOST_THREAD_DEAD);
	assert_int_equal(bad->state, HOST_THREAD_DEAD);
	expect_no_event(10);
	fixture_free(f);
}

static void test_thread_exit(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_syscall, CHAN0);
	struct host_thread *th;
	struct host_event ev;

	(void)state;
	r.r12 = SYS_exit;
	r.rdi = 0;
	th = start(f, CHAN0, &r, false);
	next_event(&ev);
	assert_int_equal(ev.kind, HOST_EV_THREAD_EXIT);
	assert_ptr_equal(ev.thread, th);
	assert_int_equal(th->state, HOST_THREAD_DEAD);
	assert_false(f->task->dead);
	/* The task lives on: a new thread on the same channel number. */
	r = regs_for(snip_echo, CHAN0);
	start(f, CHAN0, &r, false);
	expect_msg(f, CHAN0, "hello!!");
	fixture_free(f);
}

static void test_kill_thread(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_echo, CHAN0);
	struct host_thread *blocked, *spinning;
	char buf[MSG_LEN];

	(void)state;
	blocked = start(f, CHAN0, &r, false);
	expect_msg(f, CHAN0, "hello!!");
	r = regs_for(snip_spin, CHAN0 + 2);
	spinning = start(f, CHAN0 + 2, &r, false);
	wait_blocked_in_read(blocked);

	assert_int_equal(host_thread_kill(blocked), 0);
	assert_int_equal(blocked->state, HOST_THREAD_DEAD);
	/* Its channel is closed in the stub too: we see end-of-file. */
	assert_int_equal(recv_from(f, CHAN0, buf, sizeof(buf)), 0);
	assert_int_equal(host_thread_kill(spinning), 0);
	assert_int_equal(spinning->state, HOST_THREAD_DEAD);
	assert_int_equal(host_thread_kill(spinning), 0); /* idempotent */
	assert_int_equal(host_thread_pause(spinning), -ESRCH);
	expect_no_event(30);	/* kills are not reported as events */
	assert_false(f->task->dead);

	r = regs_for(snip_echo, CHAN0);
	start(f, CHAN0, &r, false);
	expect_msg(f, CHAN0, "hello!!");
	fixture_free(f);
}

static void test_bad_requests(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_echo, CHAN0);
	struct host_thread *th = NULL;
	uint64_t map[1];

	(void)state;
	/* Outside the component range, unaligned, bad fd: refused. */
	assert_int_equal(host_task_map(f->task, f->data_fd, 0x400000, PAGE, 0,
				       PROT_READ),
			 -EINVAL);
	assert_int_equal(host_task_map(f->task, f->data_fd, DATA_ADDR + 1,
				       PAGE, 0, PROT_READ),
			 -EINVAL);
	assert_int_equal(host_task_map(f->task, f->data_fd,
				       L4X_TASK_VM_END - PAGE, 2 * PAGE, 0,
				       PROT_READ),
			 -EINVAL);
	assert_int_equal(host_task_map(f->task, -1, DATA_ADDR, PAGE, 0,
				       PROT_READ),
			 -EINVAL);
	assert_int_equal(host_task_unmap(f->task, 0x1000, PAGE), -EINVAL);
	/* The stub's own check: a descriptor that cannot be mapped. */
	{
		int sv[2];

		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
		assert_true(host_task_map(f->task, sv[0], HOLE_ADDR, PAGE, 0,
					  PROT_READ) < 0);
		close(sv[0]);
		close(sv[1]);
	}
	int bad_fds[2] = { f->data_fd, -1 };
	assert_int_equal(host_thread_create(f->task, bad_fds, 5, &r, NULL,
					    false, &th),
			 -EINVAL);
	assert_int_equal(host_task_dirty(f->task, DATA_ADDR + 1, 1, false, map),
			 -EINVAL);
	/* A thread's channel number is its own while it lives. */
	th = start(f, CHAN0, &r, false);
	assert_int_equal(host_thread_create(f->task, bad_fds, CHAN0, &r,
					    NULL, false, &th),
			 -EBUSY);
	expect_msg(f, CHAN0, "hello!!");
	assert_false(f->task->dead);
	fixture_free(f);
}

static void test_destroy_busy(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_spin, CHAN0);
	pid_t pid = f->task->pid;

	(void)state;
	start(f, CHAN0, &r, false);
	r = regs_for(snip_echo, CHAN0 + 2);
	start(f, CHAN0 + 2, &r, true);
	fixture_free(f);
	/* Everything reaped: the pid is gone, nothing is left to wait for. */
	assert_int_equal(kill(pid, 0), -1);
	assert_int_equal(errno, ESRCH);
	expect_no_event(10);
}

static void test_many_threads(void **state)
{
	struct fixture *f = fixture_new();

	(void)state;
	for (int i = 0; i < 32; i++) {
		struct l4x_regs r = regs_for(snip_echo, CHAN0 + 2 * i);

		start(f, CHAN0 + 2 * i, &r, false);
	}
	for (int i = 0; i < 32; i++)
		expect_msg(f, CHAN0 + 2 * i, "hello!!");
	fixture_free(f);
}

/* "Seccomp_filters:" of a thread: how many filters it runs under. */
static int filters_of(pid_t tid)
{
	char path[64], line[256];
	int n = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	fp = fopen(path, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp))
		sscanf(line, "Seccomp_filters: %d", &n);
	fclose(fp);
	return n;
}

static void test_filters_installed(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_echo, CHAN0);
	struct host_thread *th = start(f, CHAN0, &r, false);

	(void)state;
	expect_msg(f, CHAN0, "hello!!");
	assert_int_equal(filters_of(f->task->pid), 1);	/* control */
	assert_int_equal(filters_of(th->tid), 2);	/* control + component */
	fixture_free(f);
}

/*
 * What a component that took over the control thread (by overwriting the
 * stub's stack) could do: run any system call there. Played here with
 * ptrace: stop the control thread, point it at a `syscall` in stub text.
 */
static void hijack_control(struct fixture *f, long nr, uint64_t a0,
			   uint64_t a1, uint64_t a2, uint64_t a3)
{
	pid_t pid = f->task->pid;
	struct l4x_regs r;
	int status;

	assert_int_equal(ptrace(PTRACE_INTERRUPT, pid, 0, 0), 0);
	assert_int_equal(waitpid(pid, &status, __WALL), pid);
	assert_true(WIFSTOPPED(status));
	assert_int_equal(ptrace(PTRACE_GETREGS, pid, 0, &r), 0);
	r.rip = f->task->priv->exit_ip;
	r.rax = (uint64_t)nr;
	r.orig_rax = (uint64_t)-1;
	r.rdi = a0;
	r.rsi = a1;
	r.rdx = a2;
	r.r10 = a3;
	assert_int_equal(ptrace(PTRACE_SETREGS, pid, 0, &r), 0);
	assert_int_equal(ptrace(PTRACE_CONT, pid, 0, 0), 0);
}

static void test_hijacked_control(void **state)
{
	static struct {
		long nr;
		uint64_t a0, a1, a2, a3;
	} const calls[] = {
		{ SYS_open, 0, O_RDONLY, 0, 0 },
		{ SYS_openat, (uint64_t)AT_FDCWD, 0, 0, 0 },
		{ SYS_socket, AF_UNIX, SOCK_STREAM, 0, 0 },
		{ SYS_execve, 0, 0, 0, 0 },
		{ SYS_ptrace, PTRACE_TRACEME, 0, 0, 0 },
		{ SYS_kill, 1, 0, 0, 0 },
		{ SYS_tgkill, 1, 1, 0, 0 },
		{ SYS_getpid, 0, 0, 0, 0 },
		{ SYS_write, 2, 0, 0, 0 },
		{ SYS_sendto, 3, 0, 0, 0 },
		{ SYS_connect, 3, 0, 0, 0 },
		{ SYS_prctl, 0, 0, 0, 0 },
		{ SYS_setrlimit, 0, 0, 0, 0 },
		{ SYS_userfaultfd, 0, 0, 0, 0 },
		{ SYS_ioctl, STUB_UFFD_FD, 0, 0, 0 },
		{ SYS_clone, SIGCHLD, 0, 0, 0 },	/* fork */
		{ SYS_clone3, 0, 0, 0, 0 },
		{ SYS_seccomp, SECCOMP_SET_MODE_FILTER_, 1, 0, 0 }, /* TSYNC */
		/* Memory outside the component range, or not MAP_SHARED. */
		{ SYS_mmap, 0x1000, PAGE, PROT_READ, MAP_SHARED | MAP_FIXED },
		{ SYS_mmap, CODE_ADDR, PAGE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED },
		{ SYS_mmap, CODE_ADDR, PAGE, PROT_READ,
		  MAP_SHARED | MAP_FIXED | MAP_POPULATE },
		{ SYS_mprotect, L4X_TASK_VM_END, PAGE, PROT_READ, 0 },
		{ SYS_munmap, 0x1000, PAGE, 0, 0 },
		{ SYS_dup2, 3, 2, 0, 0 },
	};

	(void)state;
	for (unsigned i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		struct fixture *f = fixture_new();
		struct host_event ev;

		hijack_control(f, calls[i].nr, calls[i].a0, calls[i].a1,
			       calls[i].a2, calls[i].a3);
		next_event(&ev);
		assert_int_equal(ev.kind, HOST_EV_TASK_EXIT);
		assert_int_equal(ev.signo, SIGSYS);
		assert_null(ev.thread);	/* not a component thread */
		if (ev.bad_syscall != calls[i].nr)
			fail_msg("call %ld: bad_syscall %ld", calls[i].nr,
				 ev.bad_syscall);
		fixture_free(f);
	}
}

/* A stub that stops answering is killed; the order fails, no hang. */
static void test_stub_timeout(void **state)
{
	struct fixture *f = fixture_new();
	pid_t pid = f->task->pid;
	struct host_event ev;
	int status;

	(void)state;
	/* Freeze the control thread behind the substrate's back. */
	assert_int_equal(ptrace(PTRACE_INTERRUPT, pid, 0, 0), 0);
	assert_int_equal(waitpid(pid, &status, __WALL), pid);
	assert_int_equal(host_task_unmap(f->task, DATA_ADDR, PAGE), -ETIMEDOUT);
	next_event(&ev);
	assert_int_equal(ev.kind, HOST_EV_TASK_EXIT);
	assert_int_equal(ev.signo, SIGKILL);
	assert_int_equal(ev.bad_syscall, -1);
	fixture_free(f);
}

/* recapd's other children (the root task) are never reaped by the substrate. */
static void test_foreign_child(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_touch, CHAN0);
	struct host_event ev;
	pid_t other = fork();
	int status;

	(void)state;
	if (other == 0)
		_exit(7);
	assert_true(other > 0);
	sleep_ms(20);	/* a zombie now, waitable before any stub */
	r.rdi = HOLE_ADDR;
	start(f, CHAN0, &r, false);
	next_event(&ev);
	assert_int_equal(ev.kind, HOST_EV_FAULT);
	assert_int_equal(ev.addr, HOLE_ADDR);
	expect_no_event(10);
	assert_int_equal(waitpid(other, &status, WNOHANG), other);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 7);
	fixture_free(f);
}

/* Stop signals from outside do not stop a task. */
static void test_stop_signal_ignored(void **state)
{
	struct fixture *f = fixture_new();
	struct l4x_regs r = regs_for(snip_echo, CHAN0);

	(void)state;
	start(f, CHAN0, &r, false);
	expect_msg(f, CHAN0, "hello!!");
	assert_int_equal(kill(f->task->pid, SIGSTOP), 0);
	assert_int_equal(kill(f->task->pid, SIGTSTP), 0);
	expect_no_event(50);
	send_to(f, CHAN0, "still-on");
	expect_msg(f, CHAN0, "still-on");
	assert_int_equal(host_task_unmap(f->task, HOLE_ADDR, PAGE), 0);
	fixture_free(f);
}

/* Every stub process of every test has been reaped. */
static void test_no_leftovers(void **state)
{
	siginfo_t si;

	(void)state;
	assert_int_equal(waitid(P_ALL, 0, &si, WEXITED | WNOHANG | __WALL), -1);
	assert_int_equal(errno, ECHILD);
}

static int group_setup(void **state)
{
	(void)state;
	if (access(stub_path(), X_OK) != 0) {
		fprintf(stderr, "test_host: stub %s not found (RECAP_STUB)\n",
			stub_path());
		return -1;
	}
	return host_init();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spawn_layout),
		cmocka_unit_test(test_spawn_bad_path),
		cmocka_unit_test(test_thread_runs),
		cmocka_unit_test(test_start_paused),
		cmocka_unit_test(test_pause_computing),
		cmocka_unit_test(test_pause_blocked),
		cmocka_unit_test(test_fault_unmapped),
		cmocka_unit_test(test_fault_write_readonly),
		cmocka_unit_test(test_fault_redirect),
		cmocka_unit_test(test_pause_at_fault),
		cmocka_unit_test(test_dirty),
		cmocka_unit_test(test_dirty_remap),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_hostile_among_others),
		cmocka_unit_test(test_thread_exit),
		cmocka_unit_test(test_kill_thread),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_destroy_busy),
		cmocka_unit_test(test_many_threads),
		cmocka_unit_test(test_filters_installed),
		cmocka_unit_test(test_hijacked_control),
		cmocka_unit_test(test_stub_timeout),
		cmocka_unit_test(test_foreign_child),
		cmocka_unit_test(test_stop_signal_ignored),
		cmocka_unit_test(test_no_leftovers),
	};

	/* TEST_FILTER=test_dirty runs one test (a glob). */
	if (getenv("TEST_FILTER"))
		cmocka_set_test_filter(getenv("TEST_FILTER"));
	return cmocka_run_group_tests(tests, group_setup, NULL);
}
