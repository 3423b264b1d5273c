/*
 * sys_dirty — l4x_dirty_pages reports exactly the pages a task wrote since
 * tracking was reset: written pages, not merely read ones; a reset starts
 * over.
 */
#include <stdio.h>

#include <l4/sys/x.h>
#include <recap/host_task.h>

#include "../rt/rt.h"
#include "boot.h"

#define PAGES 64

static void show(l4_cap_idx_t task, l4_addr_t buf, unsigned long flags)
{
	l4_umword_t bitmap[(PAGES + 63) / 64] = { 0 };
	long n = l4x_dirty_pages(L4X_BASE_HOST_CAP, task, buf, PAGES, flags, bitmap);
	printf("dirty: %ld pages:", n);
	for (unsigned p = 0; p < PAGES; p++)
		if (bitmap[p / 64] & (1UL << (p % 64)))
			printf(" %u", p);
	printf("\n");
}

int main(void)
{
	struct boot_task bt;
	struct boot_msg m;
	if (host_task_init() || boot_task(&bt, "build/tests/sys/progs/dirty", 1))
		return 1;
	if (boot_wait(&m, 10000) || m.proto != RT_PROTO_READY)
		return 1;
	l4_addr_t buf = m.mr0;
	show(bt.task, buf, L4X_DIRTY_RESET);	/* whatever loading wrote; reset */
	boot_reply();
	if (boot_wait(&m, 10000) || m.proto != RT_PROTO_READY)
		return 1;
	show(bt.task, buf, L4X_DIRTY_RESET);	/* exactly 3 10 11 40 */
	show(bt.task, buf, 0);			/* nothing since the reset */
	boot_reply();
	if (boot_wait(&m, 10000) || m.proto != RT_PROTO_READY)
		return 1;
	show(bt.task, buf, 0);			/* 50 */
	boot_reply();
	long code = boot_run_to_exit(1, 10000);
	printf("exit %ld\n", code);
	return code == 0 ? 0 : 1;
}
