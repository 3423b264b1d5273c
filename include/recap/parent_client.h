/*
 * recap/parent_client.h — a component's calls to its parent (protocol:
 * recap/parent.h), through env->parent.
 */
#pragma once

#include <recap/capability.h>
#include <recap/env.h>

/* Tries of a session request or close the parent answers RECAP_ERR_AGAIN, and the
 * pause before the second (doubling each time: 1.27 s in all). */
#define RECAP_PARENT_RETRIES 8
#define RECAP_PARENT_RETRY_FIRST_MS 10

/*
 * Ask the parent for a session of service with Genode-style args
 * (recap/session_args.h; "" for none). On RECAP_OK *cap is the session.
 * RECAP_ERR_DENIED: no such service, or no route to it; RECAP_ERR_RANGE:
 * service or args too long (RECAP_SERVICE_NAME_MAX, RECAP_SESSION_ARGS_MAX);
 * RECAP_ERR_AGAIN: the serving component has not announced the service
 * yet, or could not take the request, in all RECAP_PARENT_RETRIES tries;
 * RECAP_ERR_IPC: the serving component took the request but did not
 * answer in time; otherwise as recap_rpc_call().
 */
int recap_parent_session(struct recap_env *env, char const *service,
			 char const *args, struct recap_cap *cap);

/*
 * Close a session the parent gave. The capability becomes useless; its
 * cap-map entry is dropped. A session of a component's service whose
 * server is too busy to be told (RECAP_ERR_AGAIN) is tried again as
 * recap_parent_session does.
 */
int recap_parent_close(struct recap_env *env, struct recap_cap session);

/*
 * Announce service, served through root (the capability of a root object:
 * recap/root.h), to the parent; a second announcement of the same name
 * replaces the first. RECAP_ERR_RANGE: empty or too long a name;
 * RECAP_ERR_INVAL: root is invalid, or the parent did not get it.
 */
int recap_parent_announce(struct recap_env *env, char const *service,
			  struct recap_cap root);

/* Tell the parent the component is done, with code; never returns. */
void recap_parent_exit(struct recap_env *env, long code)
	__attribute__((noreturn));
