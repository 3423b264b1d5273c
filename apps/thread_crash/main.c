/*
 * thread_crash — a thread other than the main one reads an address nothing
 * is mapped at. Core, its pager, reports the fault with the thread's name
 * and ends the component; the faulting instruction carries the global
 * label thread_crash_fault_ip for the scenario test.
 */
#include <recap/env.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/thread.h>

#define UNMAPPED 0xdead0000UL	/* in the component range, never mapped */

static struct recap_thread faulter;

static unsigned long __attribute__((noinline, noclone)) peek(unsigned long addr)
{
	unsigned long v;

	__asm__ volatile(".globl thread_crash_fault_ip\nthread_crash_fault_ip:\n"
			 "\tmovq (%1), %0"
			 : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void fault(void *arg)
{
	peek((unsigned long)arg);
}

void component_construct(struct recap_env *env)
{
	int err;

	recap_log(env, "a thread will read 0x%lx", UNMAPPED);
	err = recap_thread_create(env, &faulter, "faulter", fault, (void *)UNMAPPED);
	if (err)
		recap_parent_exit(env, 1);
	/* The main thread waits in its entrypoint until core ends it all. */
}
