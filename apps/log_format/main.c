/*
 * log_format — what becomes of text on its way through LOG: several lines
 * in one message, a line longer than one write carries, control
 * characters, an empty message, a message cut at RECAP_LOG_MAX.
 */
#include <recap/env.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/rpc_wire.h>

void component_construct(struct recap_env *env)
{
	recap_log(env, "first line\nsecond line\n");
	recap_log(env, "%s: [%d]", "format", -42);
	recap_log(env, "%.*s|", RECAP_RPC_MAX_STRING + 5,
		  "0123456789012345678901234567890123456789012345678901234567890123"
		  "0123456789012345678901234567890123456789012345678901234567890123"
		  "0123456789012345678901234567890123456789012345678901234567890123"
		  "0123456789012345678901234567890123456789012345678901234567890123"
		  "0123456789012345678901234567890123456789012345678901234567890123"
		  "0123456789012345678901234567890123456789012345678901234567890123"
		  "0123456789");
	recap_log(env, "tab\there, bell\a, escape\033[1m");
	recap_log(env, "%s", "");
	recap_log(env, "end");
	recap_parent_exit(env, 0);
}
