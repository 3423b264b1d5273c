/*
 * sys_threads — forty threads in one task doing rounds of IPC with its main
 * thread (progs/threads.c); the main thread's summary must come out exact.
 */
#include <stdio.h>

#include <recap/host_task.h>

#include "boot.h"

int main(void)
{
	struct boot_task bt;
	if (host_task_init() || boot_task(&bt, "build/tests/sys/progs/threads", 1))
		return 1;
	long code = boot_run_to_exit(1, 30000);
	printf("exit %ld\n", code);
	return code == 0 ? 0 : 1;
}
