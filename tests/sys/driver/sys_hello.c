/* sys_hello — a task prints and exits 0. */
#include <stdio.h>

#include <recap/host_task.h>

#include "boot.h"

int main(void)
{
	struct boot_task bt;
	if (host_task_init() || boot_task(&bt, "build/tests/sys/progs/hello", 1))
		return 1;
	long code = boot_run_to_exit(1, 10000);
	printf("exit %ld\n", code);
	return code == 0 ? 0 : 1;
}
