/*
 * crasher — says so, then reads an address nothing is mapped at. Its parent
 * sees the page fault, reports it and ends it; the rest of the system runs
 * on. The faulting instruction carries the global label crasher_fault_ip,
 * so that the scenario test can check the ip core reports.
 */
#include <recap/env.h>
#include <recap/log.h>
#include <recap/parent_client.h>

#define UNMAPPED 0xdead0000UL	/* in the component range, never mapped */

static unsigned long __attribute__((noinline, noclone)) peek(unsigned long addr)
{
	unsigned long v;

	__asm__ volatile(".globl crasher_fault_ip\ncrasher_fault_ip:\n\tmovq (%1), %0"
			 : "=r"(v) : "r"(addr) : "memory");
	return v;
}

void component_construct(struct recap_env *env)
{
	recap_log(env, "about to read 0x%lx", UNMAPPED);
	recap_log(env, "read %lu: not reached", peek(UNMAPPED));
	recap_parent_exit(env, 1);
}
