/*
 * sys_irq — counted IRQ triggers, labels, wake-ups from another thread and
 * from another task (this driver), detach (progs/irq.c). The driver creates
 * one IRQ, binds it to the program's main thread and fires it on request
 * (the first time with the thread paused: trigger_paused).
 */
#include <stdio.h>
#include <unistd.h>

#include <l4/sys/factory.h>
#include <l4/sys/irq.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/sys/x.h>
#include <recap/host_task.h>

#include "../progs/irq.h"
#include "../rt/rt.h"
#include "boot.h"

/*
 * l4x_irq_info: what a checkpoint reads of an IRQ. Counted triggers of an
 * IRQ nobody is attached to stay pending; the driver's IRQ, bound to the
 * program's (ended) main thread, has its label and nothing pending; a
 * selector that names no IRQ is refused.
 */
static int check_irq_info(l4_cap_idx_t bound)
{
	l4_cap_idx_t loose = boot_alloc_sel();
	struct l4x_irq_info info;
	long err;

	if (l4_error(l4_factory_create_irq(L4_BASE_FACTORY_CAP, loose)) < 0)
		return 1;
	for (int i = 0; i < 3; i++)
		l4_irq_trigger(loose);
	err = l4x_irq_info(L4X_BASE_HOST_CAP, L4_BASE_TASK_CAP, loose, &info);
	printf("irq_info unattached: %ld pending %lu label 0x%lx thread %s\n", err,
	       info.pending, info.label, info.thread_id ? "yes" : "none");
	err = l4x_irq_info(L4X_BASE_HOST_CAP, L4_BASE_TASK_CAP, bound, &info);
	printf("irq_info bound: %ld pending %lu label 0x%lx thread %s\n", err,
	       info.pending, info.label, info.thread_id ? "yes" : "none");
	err = l4x_irq_info(L4X_BASE_HOST_CAP, L4_BASE_TASK_CAP,
			   L4_BASE_TASK_CAP, &info);
	printf("irq_info of a task: %ld\n", err);
	return 0;
}

/*
 * A paused thread takes no trigger, though it waits for it (a checkpoint
 * reads its state and the IRQ's count while it is paused: taken in
 * between, the trigger would be in neither): the program's main thread,
 * blocked receiving the driver's IRQ, is paused, the IRQ triggered; the
 * trigger stays counted, and the receive gets it once the thread is
 * resumed (the program counts it among IRQ_DRIVER_TRIGGERS). The pending
 * count seen while paused, or -1 if pausing failed.
 */
static long trigger_paused(struct boot_task *bt, l4_cap_idx_t irq)
{
	struct l4x_irq_info info = { 0 };
	long err;

	if (l4x_thread_pause(L4X_BASE_HOST_CAP, bt->thread) < 0)
		return -1;
	err = l4_error(l4_irq_trigger(irq));
	if (err >= 0)
		err = l4x_irq_info(L4X_BASE_HOST_CAP, L4_BASE_TASK_CAP, irq, &info);
	if (l4x_thread_resume(L4X_BASE_HOST_CAP, bt->thread) < 0 || err < 0)
		return -1;
	return (long)info.pending;
}

int main(void)
{
	struct boot_task bt;
	long paused_pending = -2;	/* -2: never tried */
	l4_cap_idx_t irq = boot_alloc_sel();
	if (host_task_init() || boot_task(&bt, "build/tests/sys/progs/irq", 1))
		return 1;
	if (l4_error(l4_factory_create_irq(L4_BASE_FACTORY_CAP, irq)) < 0 ||
	    l4_error(l4_rcv_ep_bind_thread(irq, bt.thread, IRQ_D_LABEL)) < 0 ||
	    boot_give(&bt, irq, IRQ_D, L4_CAP_FPAGE_RW)) {
		fprintf(stderr, "sys_irq: cannot set up the driver's irq\n");
		return 1;
	}
	for (;;) {
		struct boot_msg m;
		if (boot_wait(&m, 20000) < 0) {
			fprintf(stderr, "sys_irq: timeout\n");
			return 1;
		}
		if (m.proto == RT_PROTO_READY && m.mr0 == IRQ_READY_DRIVER_TRIGGER) {
			boot_reply();
			/* Give the program time to block in its receive (it works
			 * without, but then tests less). */
			for (int i = 0; i < IRQ_DRIVER_TRIGGERS; i++) {
				usleep(20000);
				if (i == 0) {
					paused_pending = trigger_paused(&bt, irq);
					continue;
				}
				if (l4_error(l4_irq_trigger(irq)) < 0) {
					fprintf(stderr, "sys_irq: trigger failed\n");
					return 1;
				}
			}
		} else if (m.proto == RT_PROTO_EXIT) {
			printf("trigger while the receiver is paused: pending %ld\n",
			       paused_pending);
			if (check_irq_info(irq))
				return 1;
			printf("exit %ld\n", (long)m.mr0);
			return m.mr0 == 0 ? 0 : 1;
		} else {
			fprintf(stderr, "sys_irq: unexpected message %ld\n", m.proto);
			return 1;
		}
	}
}
