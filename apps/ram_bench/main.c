/*
 * ram_bench — the component half of bench/ram_dataspace.c: seven times,
 * allocate a RAM dataspace of RAM_BENCH_MIB MiB at core, attach it, write
 * every word of it, detach and free it, and print the cycles (rdtsc) each
 * step took, one line per round:
 *
 *	ram_bench: alloc A attach B write C release D cycles
 *
 * The host side converts cycles to time and compares with mmap + write in
 * a plain process. rdtsc needs no system call, so the sandbox allows it.
 *
 * Its config may make it smaller (the differential test, which
 * checkpoints it often): mib="N" MiB a round (1 to 64), rounds="N".
 */
#include <recap/config.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>
#include <recap/region_map.h>

#define RAM_BENCH_MIB 64
#define ROUNDS 7

static unsigned long cycles(void)
{
	unsigned lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((unsigned long)hi << 32) | lo;
}

static int round_once(struct recap_env *env, unsigned long mib)
{
	unsigned long t0, t1, t2, t3, t4, words = (mib << 20) / 8;
	unsigned long volatile *p;
	struct recap_ds ds;
	void *addr;
	int err;

	t0 = cycles();
	err = recap_ram_alloc(env, mib << 20, &ds);
	t1 = cycles();
	if (err == RECAP_OK)
		err = recap_rm_attach_rw(env, &ds, &addr);
	t2 = cycles();
	if (err != RECAP_OK) {
		recap_log(env, "ram_bench: %s", recap_err_str(err));
		return err;
	}
	p = addr;
	for (unsigned long i = 0; i < words; i++)
		p[i] = i;
	t3 = cycles();
	err = recap_rm_detach(env, (unsigned long)addr);
	if (err == RECAP_OK)
		err = recap_ram_free(env, &ds);
	t4 = cycles();
	recap_log(env, "ram_bench: alloc %lu attach %lu write %lu release %lu cycles",
		  t1 - t0, t2 - t1, t3 - t2, t4 - t3);
	return err;
}

void component_construct(struct recap_env *env)
{
	unsigned long mib = recap_config_ulong(env, "mib", RAM_BENCH_MIB);
	unsigned long rounds = recap_config_ulong(env, "rounds", ROUNDS);

	if (mib == 0 || mib > RAM_BENCH_MIB) {
		recap_log(env, "ram_bench: mib %lu out of range, using %d", mib,
			  RAM_BENCH_MIB);
		mib = RAM_BENCH_MIB;
	}
	for (unsigned long i = 0; i < rounds; i++)
		if (round_once(env, mib) != RECAP_OK)
			recap_parent_exit(env, 1);
	recap_parent_exit(env, 0);
}
