/*
 * sys_hostile_channel — runs hostile_channel, a program writing garbage to
 * its own system-call channel, requests to another thread's channel while
 * that thread is blocked in a call, and reading a channel unasked: proves
 * every such write is refused with an error answer, that the recorded
 * state of the threads involved is kept (their calls complete normally),
 * and that the kernel keeps control of the thread (whenever the program
 * asks, with rt_ready(1), this driver pauses and resumes it with
 * l4x_thread_pause / l4x_thread_resume and answers 1 if both worked).
 */
#include <stdio.h>

#include <l4/sys/x.h>
#include <recap/host_task.h>

#include "../rt/rt.h"
#include "boot.h"

int main(void)
{
	struct boot_task bt;
	if (host_task_init() || boot_task(&bt, "build/tests/sys/progs/hostile_channel", 1))
		return 1;
	long code = -1;
	for (;;) {
		struct boot_msg m;
		if (boot_wait(&m, 30000) < 0) {
			fprintf(stderr, "hostile_channel: timeout\n");
			return 1;
		}
		if (m.proto == RT_PROTO_EXIT && m.id == 1) {
			code = (long)m.mr0;
			break;
		}
		if (m.proto == RT_PROTO_READY) {
			l4_umword_t ok = 0;
			if (m.mr0 == 1) {
				long p = l4x_thread_pause(L4X_BASE_HOST_CAP, bt.thread);
				long r = l4x_thread_resume(L4X_BASE_HOST_CAP, bt.thread);
				ok = p == 0 && r == 0;
				if (!ok)
					fprintf(stderr, "hostile_channel: pause %ld, resume %ld\n", p, r);
			}
			boot_reply_value(ok);
			continue;
		}
		fprintf(stderr, "hostile_channel: unexpected message %ld (0x%lx 0x%lx)\n",
			m.proto, m.mr0, m.mr1);
		return 1;
	}
	printf("hostile_channel exit %ld\n", code);
	return code == 0 ? 0 : 1;
}
