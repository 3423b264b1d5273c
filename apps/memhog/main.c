/*
 * memhog — takes n_mib MiB (its config's n_mib attribute, default 16) from
 * its heap, which grows by a RAM dataspace for it, fills it with a
 * deterministic pattern, reads it back into a checksum and prints
 *
 *	memhog: N MiB, checksum 0x................
 *
 * then exits 0. If its RAM quota does not cover the memory, it says so,
 * with the quota, and exits 2.
 *
 * Config repeat="R" period_ms="P" (checkpoint/restore tests): before it
 * exits, R times: sleep P ms (200 by default), read the memory back again
 * and print "memhog: again I/R, checksum 0x..." — a restored memhog
 * reads what the image brought back.
 *
 * With dirty_pages="K" as well (incremental checkpoints), each of those
 * rounds first writes one word into each of exactly K pages (round r:
 * pages (r-1)K .. rK-1, modulo the pages it has), and prints
 * "memhog: round I/R, wrote K pages, checksum 0x..." — between two
 * rounds it writes nothing.
 */
#include <l4/sys/ipc.h>

#include <recap/config.h>
#include <recap/env.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>

#define DEFAULT_MIB 16
#define DEFAULT_PERIOD_MS 200
#define MAX_PERIOD_MS 60000
#define MAX_MIB (1UL << 20)	/* 1 TiB: beyond any quota, far from overflow */
#define PAGE_WORDS (4096 / sizeof(unsigned long))

/* Word i of the pattern: i run through a 64-bit mixer (SplitMix64's). */
static unsigned long pattern(unsigned long i)
{
	unsigned long x = i + 0x9e3779b97f4a7c15UL;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/* FNV-1a over the words, read back from memory. */
static unsigned long checksum(unsigned long const volatile *w, unsigned long n)
{
	unsigned long h = 0xcbf29ce484222325UL;

	for (unsigned long i = 0; i < n; i++)
		h = (h ^ w[i]) * 0x100000001b3UL;
	return h;
}

void component_construct(struct recap_env *env)
{
	unsigned long n_mib = recap_config_ulong(env, "n_mib", DEFAULT_MIB);
	unsigned long repeat = recap_config_ulong(env, "repeat", 0);
	unsigned long period_ms = recap_config_ulong(env, "period_ms",
						     DEFAULT_PERIOD_MS);
	unsigned long dirty = recap_config_ulong(env, "dirty_pages", 0);
	unsigned long words, pages, quota = 0, used = 0;
	unsigned long volatile *mem;
	void *p;
	int err;

	if (n_mib > MAX_MIB) {
		recap_log(env, "memhog: n_mib=%lu is more than %lu", n_mib, MAX_MIB);
		recap_parent_exit(env, 2);
	}
	err = recap_heap_alloc(env, n_mib << 20, &p);
	if (err != RECAP_OK) {
		recap_ram_quota(env, &quota, &used);
		recap_log(env, "memhog: cannot allocate %lu MiB: %s (RAM quota "
			  "%lu KiB, %lu KiB used)", n_mib, recap_err_str(err),
			  quota >> 10, used >> 10);
		recap_parent_exit(env, 2);
	}
	mem = p;
	words = (n_mib << 20) / sizeof(*mem);
	for (unsigned long i = 0; i < words; i++)
		mem[i] = pattern(i);
	recap_log(env, "memhog: %lu MiB, checksum 0x%016lx", n_mib,
		  checksum(mem, words));
	if (period_ms > MAX_PERIOD_MS)
		period_ms = MAX_PERIOD_MS;
	pages = words / PAGE_WORDS;
	if (dirty > pages)
		dirty = pages;
	for (unsigned long r = 1; r <= repeat; r++) {
		l4_ipc_sleep_us(period_ms * 1000);
		if (!dirty) {
			recap_log(env, "memhog: again %lu/%lu, checksum 0x%016lx",
				  r, repeat, checksum(mem, words));
			continue;
		}
		for (unsigned long i = 0; i < dirty; i++) {
			unsigned long pg = ((r - 1) * dirty + i) % pages;

			mem[pg * PAGE_WORDS + r % PAGE_WORDS] += r;
		}
		recap_log(env, "memhog: round %lu/%lu, wrote %lu pages, checksum "
			  "0x%016lx", r, repeat, dirty, checksum(mem, words));
	}
	recap_parent_exit(env, 0);
}
