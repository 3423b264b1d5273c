/*
 * ipc_roundtrip — benchmark: an IPC call + reply through a gate between two
 * tasks (pp_client -> pp_server), against a plain Linux pipe ping-pong
 * between two processes measured in the same run.
 *
 * Runs as the root task of a recapd. Prints one BENCH line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <l4/sys/factory.h>
#include <recap/host_task.h>

#include "../tests/sys/driver/boot.h"
#include "../tests/sys/progs/pp.h"
#include "../tests/sys/rt/rt.h"

#define ROUNDS 50000UL

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Two processes, two pipes, one byte back and forth. ns per round trip. */
static double pipe_pingpong(unsigned long rounds)
{
	int ab[2], ba[2];
	char c = 0;
	if (pipe(ab) || pipe(ba))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		for (unsigned long i = 0; i < rounds; i++)
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	double t0 = now_ns();
	for (unsigned long i = 0; i < rounds; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			return -1;
	double t = now_ns() - t0;
	waitpid(pid, NULL, 0);
	return t / rounds;
}

static double ipc_roundtrip(unsigned long rounds)
{
	struct boot_task srv, cli;
	if (boot_task(&srv, "build/tests/sys/progs/pp_server", 1) ||
	    boot_load(&cli, "build/tests/sys/progs/pp_client", 2))
		return -1;
	l4_cap_idx_t gate = boot_alloc_sel();
	if (l4_error(l4_factory_create_gate(L4_BASE_FACTORY_CAP, gate, srv.thread,
					    PP_GATE_LABEL)) < 0 ||
	    boot_give(&cli, gate, PP_SERVER_GATE, L4_CAP_FPAGE_RW) || boot_start(&cli))
		return -1;
	struct boot_msg m;
	double t0 = 0, t = -1;
	int exits = 0;
	while (exits < 2 && boot_wait(&m, 60000) == 0) {
		if (m.proto == RT_PROTO_READY && m.mr0 == 0) {
			t0 = now_ns();
			boot_reply_value(rounds);
		} else if (m.proto == RT_PROTO_READY) {
			t = now_ns() - t0;
			boot_reply();
		} else if (m.proto == RT_PROTO_EXIT) {
			exits++;
		}
	}
	return t < 0 ? -1 : t / rounds;
}

int main(void)
{
	if (host_task_init())
		return 1;
	double base = pipe_pingpong(ROUNDS);
	double ipc = ipc_roundtrip(ROUNDS);
	if (base <= 0 || ipc <= 0) {
		fprintf(stderr, "ipc_roundtrip: measurement failed\n");
		return 1;
	}
	printf("BENCH name=ipc_roundtrip value=%.0f unit=ns baseline=pipe_pingpong "
	       "baseline_value=%.0f ratio=%.2f\n", ipc, base, ipc / base);
	return 0;
}
