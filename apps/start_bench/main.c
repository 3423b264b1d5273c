/*
 * start_bench — the component half of bench/component_start.c: reads the
 * TSC as the first thing component_construct does, logs it and exits.
 *
 *	start_bench: construct at T
 *
 * The host side read the TSC before it forked `recap run`; the TSC is
 * one clock for every process on the CPU, so the difference is the time
 * from the fork to this component's first instruction of its own code.
 */
#include <recap/env.h>
#include <recap/log.h>
#include <recap/parent_client.h>

static unsigned long cycles(void)
{
	unsigned lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((unsigned long)hi << 32) | lo;
}

void component_construct(struct recap_env *env)
{
	unsigned long t = cycles();

	recap_log(env, "start_bench: construct at %lu", t);
	recap_parent_exit(env, 0);
}
