/*
 * dirtier — writes a share of its memory again and again: the child of
 * bench/cr_checkpoint.c's incremental checkpoints (1% of pages dirty).
 *
 * Config n_mib="M" (default 16), permille="P" (1..1000, default 10),
 * rounds="R" (default 1), period_ms="T" (default 1000, at most 60000):
 * takes M MiB from its heap, writes every word of it and prints
 *
 *	dirtier: M MiB written
 *
 * then R times: sleeps T ms, writes one word in each page whose index is
 * the round number modulo 1000/P (P per mille of the pages, a different
 * set each round, the same one again after 1000/P rounds) and prints
 *
 *	dirtier: round r/R, N pages written
 *
 * and exits 0. Its memory is all written before the first line, so a
 * checkpoint taken after a round line and before the next saves the whole
 * memory, an increment after the next round line exactly N pages of it.
 * If its RAM quota does not cover the memory, it says so and exits 2.
 */
#include <l4/sys/ipc.h>

#include <recap/config.h>
#include <recap/env.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>

#define PAGE 4096UL
#define MAX_MIB (1UL << 20)
#define MAX_PERIOD_MS 60000

void component_construct(struct recap_env *env)
{
	unsigned long n_mib = recap_config_ulong(env, "n_mib", 16);
	unsigned long permille = recap_config_ulong(env, "permille", 10);
	unsigned long rounds = recap_config_ulong(env, "rounds", 1);
	unsigned long period_ms = recap_config_ulong(env, "period_ms", 1000);
	unsigned long volatile *mem;
	unsigned long words, pages, stride;
	void *p;

	if (n_mib > MAX_MIB || !permille || permille > 1000) {
		recap_log(env, "dirtier: n_mib=%lu permille=%lu: out of range",
			  n_mib, permille);
		recap_parent_exit(env, 2);
	}
	if (recap_heap_alloc(env, n_mib << 20, &p) != RECAP_OK) {
		recap_log(env, "dirtier: cannot allocate %lu MiB", n_mib);
		recap_parent_exit(env, 2);
	}
	mem = p;
	words = (n_mib << 20) / sizeof(*mem);
	pages = (n_mib << 20) / PAGE;
	stride = 1000 / permille;
	for (unsigned long i = 0; i < words; i++)
		mem[i] = i;
	recap_log(env, "dirtier: %lu MiB written", n_mib);
	if (period_ms > MAX_PERIOD_MS)
		period_ms = MAX_PERIOD_MS;
	for (unsigned long r = 1; r <= rounds; r++) {
		unsigned long n = 0;

		l4_ipc_sleep_us(period_ms * 1000);
		for (unsigned long pg = r % stride; pg < pages; pg += stride, n++)
			mem[pg * (PAGE / sizeof(*mem))] = r;
		recap_log(env, "dirtier: round %lu/%lu, %lu pages written", r,
			  rounds, n);
	}
	recap_parent_exit(env, 0);
}
