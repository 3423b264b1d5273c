/*
 * sys_migrate — threads survive being moved (kernel level, no core).
 *
 * The migrate program is run twice in one recapd. First undisturbed. Then
 * again, and while its threads sit in every interesting state (computing,
 * open wait, in a call waiting for the reply, blocked on an IRQ having
 * taken a call, in a call to the driver), the driver pauses them, saves
 * their complete state (registers, FPU, UTCB, pending kernel calls), the
 * task's memory and capability space, kills the task's process, builds a
 * new task from the saved state — new process, new threads, the same
 * capabilities at the same slots, memory at the same addresses, gates and
 * the IRQ rebound to the new threads — sets the saved states into the new
 * threads and resumes them. The program must then finish with exactly the
 * output of the undisturbed run.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <l4/sys/factory.h>
#include <l4/sys/irq.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <l4/sys/x.h>
#include <recap/host_task.h>

#include "../progs/migrate.h"
#include "../rt/rt.h"
#include "boot.h"

#define NTHREADS (MIG_THREADS + 1)
#define MAX_CAPS 64
#define HOST L4X_BASE_HOST_CAP

static int fail(char const *what)
{
	fprintf(stderr, "sys_migrate: %s\n", what);
	exit(1);
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
	nanosleep(&ts, NULL);
}

/* Map the capability at slot of task into the root task (with D and SVR). */
static l4_cap_idx_t grab(l4_cap_idx_t task, l4_cap_idx_t slot)
{
	l4_cap_idx_t sel = boot_alloc_sel();
	if (l4_error(l4_task_map(L4_BASE_TASK_CAP, task,
				 l4_obj_fpage(slot, 0, L4_CAP_FPAGE_RWSD),
				 sel | L4_ITEM_MAP | L4_FPAGE_C_IPCGATE_SVR)) < 0)
		fail("grabbing a capability");
	return sel;
}

static l4_umword_t kid(l4_cap_idx_t task, l4_cap_idx_t sel)
{
	struct l4x_cap_info ci;
	if (l4x_cap_info(HOST, task, sel, &ci) < 0 || ci.kind == L4X_KIND_NONE)
		fail("cap info");
	return ci.id;
}

/* The states we want every thread in before we move them. */
static int in_position(struct l4x_thread_state const *s)
{
	static l4_umword_t const want[NTHREADS] = {
		L4X_PENDING_RECV,	/* main: call to the driver */
		L4X_PENDING_NONE,	/* t1: computing */
		L4X_PENDING_WAIT,	/* t2: open wait */
		L4X_PENDING_RECV,	/* t3: waiting for t4's reply */
		L4X_PENDING_RECV,	/* t4: blocked on the IRQ */
	};
	for (unsigned i = 0; i < NTHREADS; i++)
		if (s[i].pending.kind != want[i])
			return 0;
	return 1;
}

struct saved_cap {
	l4_cap_idx_t sel;
	struct l4x_cap_info info;
};

static void migrate(struct boot_task *bt)
{
	l4_cap_idx_t th[NTHREADS];
	static struct l4x_thread_state st[NTHREADS];
	th[0] = bt->thread;
	for (unsigned i = 1; i < NTHREADS; i++)
		th[i] = grab(bt->task, RT_THREAD_SLOT(i));

	/* 1. Pause everyone; wait until all threads are where we want them. */
	for (int tries = 0;; tries++) {
		for (unsigned i = 0; i < NTHREADS; i++)
			if (l4x_thread_pause(HOST, th[i]) < 0)
				fail("pause");
		for (unsigned i = 0; i < NTHREADS; i++)
			if (l4x_thread_state_get(HOST, th[i], &st[i]) < 0)
				fail("state get");
		if (in_position(st))
			break;
		if (tries > 500)
			fail("threads never reached their positions");
		for (unsigned i = 0; i < NTHREADS; i++)
			l4x_thread_resume(HOST, th[i]);
		sleep_ms(5);
	}
	printf("driver: threads paused in position\n");

	/* 2. Memory and capability space. */
	void *mem[BOOT_MAX_SEGS];
	for (unsigned s = 0; s < bt->nsegs; s++) {
		mem[s] = malloc(bt->seg[s].size);
		if (!mem[s] || pread(bt->seg[s].fd, mem[s], bt->seg[s].size, 0) !=
				       (ssize_t)bt->seg[s].size)
			fail("saving memory");
	}
	struct saved_cap caps[MAX_CAPS];
	unsigned ncaps = 0;
	for (l4_cap_idx_t sel = l4x_cap_next(HOST, bt->task, 0); l4_is_valid_cap(sel);
	     sel = l4x_cap_next(HOST, bt->task, sel + L4_CAP_OFFSET)) {
		if (ncaps == MAX_CAPS)
			fail("too many capabilities");
		caps[ncaps].sel = sel;
		if (l4x_cap_info(HOST, bt->task, sel, &caps[ncaps].info) < 0)
			fail("cap info");
		ncaps++;
	}
	l4_umword_t old_task_id = kid(L4_BASE_TASK_CAP, bt->task);
	l4_umword_t old_thread_id[NTHREADS];
	for (unsigned i = 0; i < NTHREADS; i++)
		old_thread_id[i] = kid(L4_BASE_TASK_CAP, th[i]);
	l4_cap_idx_t g2 = grab(bt->task, MIG_G2), g3 = grab(bt->task, MIG_G3);
	l4_cap_idx_t gm = grab(bt->task, MIG_GM), irq = grab(bt->task, MIG_IRQ);

	/* 3. Kill the process. */
	struct l4x_task_info ti;
	if (l4x_task_info(HOST, bt->task, &ti) < 0 || !ti.pid)
		fail("task info");
	kill((pid_t)ti.pid, SIGKILL);
	for (int i = 0; kill((pid_t)ti.pid, 0) == 0 || errno != ESRCH; i++) {
		if (i > 5000)
			fail("the process does not die");
		sleep_ms(1);
	}
	printf("driver: process killed, %u capabilities, %u regions saved\n", ncaps, bt->nsegs);

	/* 4. A new task: memory at the same addresses. */
	l4_cap_idx_t nt = boot_alloc_sel();
	l4_fpage_t utcb = l4_fpage(RT_UTCB_AREA, RT_UTCB_ORDER, L4_FPAGE_RW);
	if (l4_error(l4_factory_create_task(L4_BASE_FACTORY_CAP, nt, &utcb)) < 0)
		fail("new task");
	for (unsigned s = 0; s < bt->nsegs; s++) {
		int fd = memfd_create("migrated", MFD_CLOEXEC);
		if (fd < 0 || pwrite(fd, mem[s], bt->seg[s].size, 0) != (ssize_t)bt->seg[s].size ||
		    l4x_ds_map(HOST, nt, fd, bt->seg[s].addr, bt->seg[s].size, 0,
			       bt->seg[s].rights) < 0)
			fail("new memory");
		close(bt->seg[s].fd);
		bt->seg[s].fd = fd;
		free(mem[s]);
	}

	/* 5. New threads, bound at the same UTCBs. */
	l4_cap_idx_t nth[NTHREADS];
	for (unsigned i = 0; i < NTHREADS; i++) {
		nth[i] = boot_alloc_sel();
		if (l4_error(l4_factory_create_thread(L4_BASE_FACTORY_CAP, nth[i])) < 0)
			fail("new thread");
		l4_thread_control_start();
		l4_thread_control_pager(RT_PARENT_CAP);
		l4_thread_control_exc_handler(RT_PARENT_CAP);
		l4_thread_control_bind((l4_utcb_t *)(RT_UTCB_AREA + i * L4_UTCB_OFFSET), nt);
		if (l4_error(l4_thread_control_commit(nth[i])) < 0)
			fail("binding a new thread");
	}

	/* 6. The capability space: every slot again, naming the counterpart. */
	for (unsigned c = 0; c < ncaps; c++) {
		l4_cap_idx_t src_task = bt->task, src = caps[c].sel;
		if (caps[c].info.id == old_task_id) {
			src_task = L4_BASE_TASK_CAP;
			src = nt;
		}
		for (unsigned i = 0; i < NTHREADS; i++)
			if (caps[c].info.id == old_thread_id[i]) {
				src_task = L4_BASE_TASK_CAP;
				src = nth[i];
			}
		if (l4_error(l4_task_map(nt, src_task,
					 l4_obj_fpage(src, 0, (unsigned)caps[c].info.rights),
					 caps[c].sel | L4_ITEM_MAP | L4_FPAGE_C_IPCGATE_SVR)) < 0)
			fail("rebuilding the capability space");
	}

	/* 7. Gates and the IRQ follow their threads. */
	if (l4_error(l4_rcv_ep_bind_thread(g2, nth[2], MIG_G2_LABEL)) < 0 ||
	    l4_error(l4_rcv_ep_bind_thread(g3, nth[4], MIG_G3_LABEL)) < 0 ||
	    l4_error(l4_rcv_ep_bind_thread(gm, nth[0], MIG_GM_LABEL)) < 0 ||
	    l4_error(l4_rcv_ep_bind_thread(irq, nth[4], MIG_IRQ_LABEL)) < 0)
		fail("rebinding");

	/* 8. The saved states, then go. */
	for (unsigned i = 0; i < NTHREADS; i++)
		if (l4x_thread_state_set(HOST, nth[i], &st[i]) < 0)
			fail("state set");
	for (unsigned i = 0; i < NTHREADS; i++)
		if (l4x_thread_resume(HOST, nth[i]) < 0)
			fail("resume");
	bt->task = nt;
	bt->thread = nth[0];
	printf("driver: new task running\n");
}

/* Pause every thread, read its state, resume it where it was; n times. */
static void pause_in_place(struct boot_task *bt, unsigned n)
{
	l4_cap_idx_t th[NTHREADS];
	static struct l4x_thread_state st;
	th[0] = bt->thread;
	for (unsigned i = 1; i < NTHREADS; i++)
		th[i] = grab(bt->task, RT_THREAD_SLOT(i));
	for (unsigned k = 0; k < n; k++) {
		for (unsigned i = 0; i < NTHREADS; i++)
			if (l4x_thread_pause(HOST, th[i]) < 0 ||
			    l4x_thread_state_get(HOST, th[i], &st) < 0)
				fail("pause in place");
		for (unsigned i = 0; i < NTHREADS; i++)
			if (l4x_thread_resume(HOST, th[i]) < 0)
				fail("resume in place");
		sleep_ms(3);
	}
	printf("driver: paused and resumed in place %u times\n", n);
}

enum run_mode { RUN_UNDISTURBED, RUN_IN_PLACE, RUN_MIGRATED };

static void run(unsigned id, enum run_mode mode)
{
	struct boot_task bt;
	struct boot_msg m;
	if (boot_task(&bt, "build/tests/sys/progs/migrate", id))
		fail("boot");
	if (boot_wait(&m, 30000) || m.proto != RT_PROTO_READY || m.id != id)
		fail("no ready message");
	l4_cap_idx_t g2 = grab(bt.task, MIG_G2);
	l4_cap_idx_t irq = grab(bt.task, MIG_IRQ);
	if (mode == RUN_IN_PLACE)
		pause_in_place(&bt, 20);
	if (mode == RUN_MIGRATED)
		migrate(&bt);
	boot_reply_value(0);

	l4_utcb_mr()->mr[0] = 7;
	l4_msgtag_t t = l4_ipc_call(g2, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_NEVER);
	if (l4_msgtag_has_error(t) || l4_utcb_mr()->mr[0] != 42)
		fail("call to t2");
	l4_irq_trigger(irq);
	long code = boot_run_to_exit(id, 60000);
	static char const *const what[] = { "undisturbed", "paused", "migrated" };
	printf("driver: %s run exit %ld\n", what[mode], code);
	if (code)
		exit(1);
}

int main(void)
{
	if (host_task_init())
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	run(1, RUN_UNDISTURBED);
	run(2, RUN_IN_PLACE);
	run(3, RUN_MIGRATED);
	return 0;
}
