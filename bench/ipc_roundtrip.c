/*
 * ipc_roundtrip — benchmark: an IPC call + reply through a gate between two
 * tasks (pp_client -> pp_server), against a plain Linux pipe ping-pong
 * between two processes measured in the same run.
 *
 * Runs as the root task of a recapd. Prints one BENCH line: the best of
 * seven interleaved repetitions of each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <l4/sys/factory.h>
#include <recap/host_task.h>

#include "bench.h"

#include "../tests/sys/driver/boot.h"
#include "../tests/sys/progs/pp.h"
#include "../tests/sys/rt/rt.h"

#define ROUNDS 20000UL
#define REPS 7

/* Boot server and client; the client waits for its first batch. */
static int ipc_setup(void)
{
	struct boot_task srv, cli;
	struct boot_msg m;
	if (boot_task(&srv, "build/tests/sys/progs/pp_server", 1) ||
	    boot_load(&cli, "build/tests/sys/progs/pp_client", 2))
		return -1;
	l4_cap_idx_t gate = boot_alloc_sel();
	if (l4_error(l4_factory_create_gate(L4_BASE_FACTORY_CAP, gate, srv.thread,
					    PP_GATE_LABEL)) < 0 ||
	    boot_give(&cli, gate, PP_SERVER_GATE, L4_CAP_FPAGE_RW) || boot_start(&cli))
		return -1;
	if (boot_wait(&m, 60000) || m.proto != RT_PROTO_READY)
		return -1;
	return 0;
}

/* One batch of calls: answer the client's ready with the count, wait for
 * its next ready. ns per round trip. */
static double ipc_batch(unsigned long rounds)
{
	struct boot_msg m;
	double t0 = now_ns();
	boot_reply_value(rounds);
	if (boot_wait(&m, 60000) || m.proto != RT_PROTO_READY)
		return -1;
	return (now_ns() - t0) / rounds;
}

int main(void)
{
	if (host_task_init())
		return 1;
	/* Interleaved repetitions, best of each: the machine's noise hits both. */
	double base = 1e18, ipc = 1e18;
	if (ipc_setup())
		return 1;
	for (int rep = 0; rep < REPS; rep++) {
		double b = pipe_pingpong(ROUNDS), i = ipc_batch(ROUNDS);
		if (b <= 0 || i <= 0)
			base = ipc = -1;
		base = min2(base, b);
		ipc = min2(ipc, i);
	}
	boot_reply_value(0);	/* the client quits */
	if (base <= 0 || ipc <= 0) {
		fprintf(stderr, "ipc_roundtrip: measurement failed\n");
		return 1;
	}
	printf("BENCH name=ipc_roundtrip value=%.0f unit=ns baseline=pipe_pingpong "
	       "baseline_value=%.0f ratio=%.2f\n", ipc, base, ipc / base);
	return 0;
}
