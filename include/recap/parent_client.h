/*
 * recap/parent_client.h — a component's calls to its parent (protocol:
 * recap/parent.h), through env->parent.
 */
#pragma once

#include <recap/capability.h>
#include <recap/env.h>

/*
 * Ask the parent for a session of service with Genode-style args
 * (recap/session_args.h; "" for none). On RECAP_OK *cap is the session.
 * RECAP_ERR_DENIED: no such service, or no route to it; RECAP_ERR_RANGE:
 * service or args too long (RECAP_SERVICE_NAME_MAX, RECAP_SESSION_ARGS_MAX);
 * otherwise as recap_rpc_call().
 */
int recap_parent_session(struct recap_env *env, char const *service,
			 char const *args, struct recap_cap *cap);

/*
 * Close a session the parent gave. The capability becomes useless; its
 * cap-map entry is dropped.
 */
int recap_parent_close(struct recap_env *env, struct recap_cap session);

/* Tell the parent the component is done, with code; never returns. */
void recap_parent_exit(struct recap_env *env, long code)
	__attribute__((noreturn));
