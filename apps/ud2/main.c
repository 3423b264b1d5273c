/*
 * ud2 — says so, then executes an undefined instruction: an exception
 * (#UD, 6) for its parent, which reports it and ends it. The instruction
 * carries the global label ud2_fault_ip for the scenario test.
 */
#include <recap/env.h>
#include <recap/log.h>
#include <recap/parent_client.h>

static void __attribute__((noinline, noclone)) undefined_instruction(void)
{
	__asm__ volatile(".globl ud2_fault_ip\nud2_fault_ip:\n\tud2" ::: "memory");
}

void component_construct(struct recap_env *env)
{
	recap_log(env, "about to execute ud2");
	undefined_instruction();
	recap_log(env, "not reached");
	recap_parent_exit(env, 1);
}
