/*
 * sys_hostile_fuzz — runs hostile_fuzz (random system calls from a task,
 * see there) and proves that recapd survives them and keeps serving: the
 * program reports its last line and exits, and afterwards a new task runs
 * to completion. Faults of the fuzzed helper threads (they may be sent
 * anywhere by a random ex_regs) come here and are left unanswered.
 */
#include <stdio.h>

#include <recap/host_task.h>

#include "../rt/rt.h"
#include "boot.h"

/* The count seeds the generator too; this one, with the kernel of before
 * the fix in ipc_transfer (a transfer destroying its own receiver),
 * crashed recapd in most runs. */
#define FUZZ_REQUESTS 40009

int main(void)
{
	struct boot_task fz, after;
	if (host_task_init() || boot_task(&fz, "build/tests/sys/progs/hostile_fuzz", 1))
		return 1;
	long code = -1;
	for (;;) {
		struct boot_msg m;
		if (boot_wait(&m, 60000) < 0) {
			fprintf(stderr, "hostile_fuzz: timeout\n");
			return 1;
		}
		if (m.proto == RT_PROTO_READY && m.id == 1) {
			boot_reply_value(FUZZ_REQUESTS);
		} else if (m.proto == RT_PROTO_EXIT && m.id == 1) {
			code = (long)m.mr0;
			break;
		}
		/* Anything else (faults of helpers, stray messages): no answer. */
	}
	printf("hostile_fuzz exit %ld\n", code);
	fflush(stdout);
	if (boot_task(&after, "build/tests/sys/progs/hello", 2))
		return 1;
	long code2 = boot_run_to_exit(2, 20000);
	printf("a task afterwards: exit %ld\n", code2);
	return code == 0 && code2 == 0 ? 0 : 1;
}
