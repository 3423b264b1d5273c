/*
 * idle — a component that says it is there and then only serves its
 * entrypoint: something for recap ps / caps / stop to look at.
 */
#include <recap/env.h>
#include <recap/log.h>

void component_construct(struct recap_env *env)
{
	recap_log(env, "idle: waiting");
}
