/*
 * sys_timeouts — zero, finite and infinite IPC timeouts (progs/timeouts.c).
 * The driver timestamps the program's READY marks around each timed
 * operation and checks that it lasted at least its timeout (and, very
 * generously, less than 5 s); it holds the worker on request so that a
 * call with L4_IPC_NEVER has to wait.
 */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include <recap/host_task.h>

#include "../progs/timeouts.h"
#include "../rt/rt.h"
#include "boot.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static struct {
	enum to_mark start;
	unsigned min_ms;
	char const *what;
} const checks[] = {
	{ TO_RECV_START, 50, "closed receive, 50 ms" },
	{ TO_WAIT_START, 50, "open wait, 50 ms" },
	{ TO_SEND_START, 50, "send, 50 ms" },
	{ TO_BUSY_START, 30, "call to a busy thread, send 30 ms" },
	{ TO_SLEEP_START, 50, "sleep, 50 ms" },
	{ TO_NEVER_START, TO_HOLD_MS, "call, never, answered after the worker was held" },
	{ TO_REPLY_START, 50, "call, receive 50 ms" },
	{ TO_MANY_START, 100, "8 concurrent sleeps, the longest 100 ms" },
};

int main(void)
{
	struct boot_task bt;
	double at[TO_MARKS] = { 0 };
	if (host_task_init() || boot_task(&bt, "build/tests/sys/progs/timeouts", 1))
		return 1;
	for (;;) {
		struct boot_msg m;
		if (boot_wait(&m, 20000) < 0) {
			fprintf(stderr, "sys_timeouts: timeout\n");
			return 1;
		}
		if (m.proto == RT_PROTO_READY && m.mr0 == TO_HOLD) {
			usleep(TO_HOLD_MS * 1000);
			boot_reply();
		} else if (m.proto == RT_PROTO_READY && m.mr0 > 0 && m.mr0 < TO_MARKS) {
			/* A start mark is taken after the reply, an end mark
			 * before: the measured time is within the operation's. */
			if (m.mr0 & 1) {
				boot_reply();
				at[m.mr0] = now_ms();
			} else {
				at[m.mr0] = now_ms();
				boot_reply();
			}
		} else if (m.proto == RT_PROTO_EXIT) {
			int bad = 0;
			for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
				double d = at[checks[i].start + 1] - at[checks[i].start];
				int ok = at[checks[i].start] > 0 && at[checks[i].start + 1] > 0 &&
					 d >= checks[i].min_ms && d < 5000;
				printf("%s: took >= %u ms: %s\n", checks[i].what,
				       checks[i].min_ms, ok ? "ok" : "FAILED");
				if (!ok)
					fprintf(stderr, "sys_timeouts: %s took %.3f ms\n",
						checks[i].what, d);
				bad += !ok;
			}
			printf("exit %ld\n", (long)m.mr0);
			return m.mr0 == 0 && !bad ? 0 : 1;
		} else {
			fprintf(stderr, "sys_timeouts: unexpected message %ld\n", m.proto);
			return 1;
		}
	}
}
