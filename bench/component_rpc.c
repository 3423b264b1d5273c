/*
 * component_rpc — benchmark: RPC round trips of a component, against a
 * plain Linux pipe ping-pong between two processes measured in the same
 * run.
 *
 * The component side is apps/rpc_bench, run as the scenario
 * bench/component_rpc.xml by a recap system of its own (`recap run`, from
 * the build directory this program sits in). It times with rdtsc, seven
 * rounds of 20000 calls each, of
 *
 *   BENCH name=rpc_roundtrip_component_core  RAM QUOTA at core, the
 *         cheapest call core answers: component -> core -> component
 *   BENCH name=rpc_roundtrip_ep_thread  a no-op RPC object on an
 *         entrypoint thread of the same component, called from its main
 *         thread (gate, entrypoint loop, object pool, dispatch)
 *   BENCH name=rpc_roundtrip_component_component  ADD (two words there,
 *         one back) on a "Hello" session of apps/rpc_server: component ->
 *         another component -> back, the session got through core
 *         (docs/core.md, "Services provided by components")
 *
 * This program converts cycles to nanoseconds (the TSC calibrated against
 * CLOCK_MONOTONIC), measures the baseline seven times, and prints the best
 * of each, per round trip.
 *
 * make bench starts it as the root task of a recapd, like every benchmark;
 * it makes no use of that system, and runs just as well alone.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define ROUNDS 20000UL
#define REPS 7
#define SCENARIO "bench/component_rpc.xml"

/* Run the scenario; the best of its rounds, in cycles per call. */
static int component(double *core, double *ep, double *comp)
{
	char line[512];
	int rounds = 0;
	pid_t pid;
	FILE *f = bench_recap_run(SCENARIO, &pid);

	if (!f)
		return -1;
	*core = *ep = *comp = 1e18;
	while (fgets(line, sizeof(line), f)) {
		unsigned long n, c, e, x;

		if (sscanf(line, "[rpc_bench] rpc_bench: calls %lu core %lu ep %lu "
			   "comp %lu cycles", &n, &c, &e, &x) != 4 || n == 0) {
			fprintf(stderr, "component_rpc: %s", line);
			continue;
		}
		rounds++;
		*core = min2(*core, (double)c / n);
		*ep = min2(*ep, (double)e / n);
		*comp = min2(*comp, (double)x / n);
	}
	if (bench_recap_wait(f, pid) || rounds != REPS)
		return -1;
	return 0;
}

int main(void)
{
	double base = 1e18, per_ns = tsc_per_ns(), core, ep, comp;

	for (int rep = 0; rep < REPS; rep++) {
		double b = pipe_pingpong(ROUNDS);

		if (b <= 0) {
			fprintf(stderr, "component_rpc: pipe ping-pong failed\n");
			return 1;
		}
		base = min2(base, b);
	}
	if (component(&core, &ep, &comp)) {
		fprintf(stderr, "component_rpc: running %s failed\n", SCENARIO);
		return 1;
	}
	core /= per_ns;
	ep /= per_ns;
	comp /= per_ns;
	printf("BENCH name=rpc_roundtrip_component_core value=%.0f unit=ns "
	       "baseline=pipe_pingpong baseline_value=%.0f ratio=%.2f\n",
	       core, base, core / base);
	printf("BENCH name=rpc_roundtrip_ep_thread value=%.0f unit=ns "
	       "baseline=pipe_pingpong baseline_value=%.0f ratio=%.2f\n",
	       ep, base, ep / base);
	printf("BENCH name=rpc_roundtrip_component_component value=%.0f unit=ns "
	       "baseline=pipe_pingpong baseline_value=%.0f ratio=%.2f\n",
	       comp, base, comp / base);
	return 0;
}
