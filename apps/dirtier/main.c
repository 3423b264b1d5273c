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
 *
 * With renew="yes" its memory is a RAM dataspace of its own, and each
 * round, instead, checks that every word still holds what the last round
 * wrote, frees the dataspace, allocates a new one and writes every word
 * of it (word i of round r holds i + r):
 *
 *	dirtier: round r/R, renewed, the last round's memory intact
 *
 * (or "... changed at word W"): cr's checkpoints of it read a dataspace
 * that is new each round (tests/scenarios/cr_incr_test.sh).
 */
#include <l4/sys/ipc.h>

#include <recap/config.h>
#include <recap/env.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>

#define PAGE 4096UL
#define MAX_MIB (1UL << 20)
#define MAX_PERIOD_MS 60000

/* The first word of mem (words long) that does not hold i + r, or words. */
static unsigned long first_changed(unsigned long const volatile *mem,
				   unsigned long words, unsigned long r)
{
	for (unsigned long i = 0; i < words; i++)
		if (mem[i] != i + r)
			return i;
	return words;
}

/* A new dataspace of bytes, attached, word i holding i + r; exits 2 if
 * there is no room. */
static unsigned long volatile *renew(struct recap_env *env, struct recap_ds *ds,
				     unsigned long bytes, unsigned long r)
{
	unsigned long volatile *mem;
	void *p;

	if (recap_ram_alloc(env, bytes, ds) != RECAP_OK ||
	    recap_rm_attach_rw(env, ds, &p) != RECAP_OK) {
		recap_log(env, "dirtier: cannot allocate %lu MiB", bytes >> 20);
		recap_parent_exit(env, 2);
	}
	mem = p;
	for (unsigned long i = 0; i < bytes / sizeof(*mem); i++)
		mem[i] = i + r;
	return mem;
}

/* renew="yes": a new dataspace every round (see the top). */
static void renewing(struct recap_env *env, unsigned long n_mib,
		     unsigned long rounds, unsigned long period_ms)
{
	unsigned long bytes = n_mib << 20, words = bytes / sizeof(unsigned long);
	struct recap_ds ds;
	unsigned long volatile *mem = renew(env, &ds, bytes, 0);

	recap_log(env, "dirtier: %lu MiB written", n_mib);
	for (unsigned long r = 1; r <= rounds; r++) {
		unsigned long w;

		l4_ipc_sleep_us(period_ms * 1000);
		w = first_changed(mem, words, r - 1);
		recap_rm_detach(env, (unsigned long)mem);
		recap_ram_free(env, &ds);
		mem = renew(env, &ds, bytes, r);
		if (w == words)
			recap_log(env, "dirtier: round %lu/%lu, renewed, the last "
				  "round's memory intact", r, rounds);
		else
			recap_log(env, "dirtier: round %lu/%lu, renewed, the last "
				  "round's memory changed at word %lu", r,
				  rounds, w);
	}
	recap_parent_exit(env, 0);
}

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
	if (period_ms > MAX_PERIOD_MS)
		period_ms = MAX_PERIOD_MS;
	if (recap_config_bool(env, "renew", false))
		renewing(env, n_mib, rounds, period_ms);
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
