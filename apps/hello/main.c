/*
 * hello — the smallest component: greets through its LOG session (opened at
 * the parent on first use) and exits.
 */
#include <recap/env.h>
#include <recap/log.h>
#include <recap/parent_client.h>

void component_construct(struct recap_env *env)
{
	int a = 2, b = 3;

	recap_log(env, "Hello world");
	recap_log(env, "hello: %d + %d = %d", a, b, a + b);
	recap_parent_exit(env, 0);
}
