/*
 * recap/env.h — a component's environment, and its entry point.
 *
 * A component is a static, freestanding ELF linked with lib/base. Core
 * starts its main thread at _start (lib/base/crt0.S); the runtime sets up
 * the environment (lib/base/startup.c) and calls the component's
 *
 *	void component_construct(struct recap_env *env);
 *
 * as Genode calls Component::construct(Env &). When it returns, the
 * component lives on in its entrypoint, serving requests (for now an empty
 * entrypoint: it has no RPC objects yet and answers every request with
 * RECAP_ERR_NOENT). A component ends by recap_parent_exit()
 * (recap/parent_client.h).
 *
 * The environment holds what Genode's Env and its globals hold: the
 * capability index allocator and cap map, the parent capability, the
 * receive window for capabilities arriving in replies, and the sessions the
 * runtime opens on the component's behalf (LOG, lazily). It lives in the
 * component's .bss; there is exactly one, and only the main thread uses it
 * (the runtime has no threads of its own yet).
 */
#pragma once

#include <l4/sys/types.h>

#include <recap/cap_alloc.h>
#include <recap/cap_map.h>
#include <recap/capability.h>

struct recap_env {
	struct cap_alloc cap_alloc;	/* the component's capability slots */
	struct cap_map cap_map;		/* badge -> slot */
	struct recap_cap parent;	/* the parent, at RECAP_PARENT_SLOT */
	l4_cap_idx_t rcv_window;	/* first of RECAP_RPC_MAX_CAPS receive slots */
	struct recap_cap log;		/* the LOG session, once opened */
	int log_err;			/* why it could not be opened (sticky) */
};

/* Provided by the component. */
void component_construct(struct recap_env *env);
