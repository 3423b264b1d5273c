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
 * component lives on in its entrypoint, env->ep (recap/entrypoint.h),
 * which the main thread serves from then on: the RPC objects the component
 * gave it, and signals. A component ends by recap_parent_exit()
 * (recap/parent_client.h).
 *
 * The environment holds what Genode's Env and its globals hold: the
 * capability index allocator and cap map, the parent capability, the
 * receive window for capabilities arriving in replies, and the sessions the
 * runtime opens on the component's behalf (LOG, RAM, RM, the config ROM,
 * each lazily) and the heap over RAM dataspaces (recap/env_heap.h). All
 * zero is the state before anything was opened. It lives in the
 * component's .bss; there is exactly one, shared by all the component's
 * threads (recap/thread.h): cap_lock serialises the capability allocator
 * and cap map, session_lock the lazy opening of the CPU and PD sessions
 * (and LOG's).
 */
#pragma once

#include <l4/sys/types.h>

#include <recap/cap_alloc.h>
#include <recap/cap_map.h>
#include <recap/capability.h>
#include <recap/heap.h>
#include <recap/lock.h>
#include <recap/rom_session.h>

struct recap_entrypoint;
struct recap_signal_context;

struct recap_env {
	struct cap_alloc cap_alloc;	/* the component's capability slots */
	struct cap_map cap_map;		/* badge -> slot */
	struct recap_cap parent;	/* the parent, at RECAP_PARENT_SLOT */
	l4_cap_idx_t rcv_window;	/* first of RECAP_RPC_MAX_CAPS receive slots */
	struct recap_cap log;		/* the LOG session, once opened */
	int log_err;			/* why it could not be opened (sticky) */
	struct recap_cap ram;		/* the RAM session, once opened */
	int ram_err;			/* why it could not be opened (sticky) */
	struct recap_cap rm;		/* the RM session: its address space */
	int rm_err;			/* why it could not be opened (sticky) */
	struct heap heap;		/* grows by RAM dataspaces */
	struct recap_rom config;	/* the "config" ROM, once opened */
	int config_err;			/* why it could not be opened (sticky) */
	int config_warned;		/* the config was reported unreadable */
	struct recap_cap signal;	/* the SIGNAL session, once opened */
	int signal_err;			/* why it could not be opened (sticky) */
	struct recap_signal_context *signal_contexts; /* recap/signal.h */
	struct recap_lock cap_lock;	/* cap_alloc and cap_map, among threads */
	struct recap_lock session_lock;	/* opening sessions lazily */
	struct recap_cap cpu;		/* the CPU session, once opened */
	struct recap_cap pd;		/* the PD session, once opened */
	struct recap_entrypoint *ep;	/* the main entrypoint (the main thread) */
};

/* Provided by the component. */
void component_construct(struct recap_env *env);
