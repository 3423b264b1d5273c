/*
 * recap/child.h — the child API: a component starts a child from a ROM
 * binary and serves, forwards or virtualises each of its session requests
 * (Genode's Child with its Child_policy).
 *
 *	static struct recap_child hello;
 *	err = recap_child_start(env, &hello, "hello", "hello", 1 << 20, 50,
 *				"<config/>", NULL);	(NULL: default policy)
 *
 * The child's PD is made empty by core at the component's request (a PD
 * handle, recap/child_pd.h); the component builds it through sessions it
 * holds — the child's PD, CPU, RM and RAM sessions, opened through the
 * handle — and keeps them: every dataspace in the child's address space
 * (segments, stack, whatever the child attaches) and every capability it
 * holds passes through sessions its parent sees. The child's parent
 * capability (slot 8) is an RPC object on the component's entrypoint
 * (env->ep) that calls the policy.
 *
 * Default policy (recap_child_session_forward):
 *   PD, CPU, RM, RAM          the env sessions opened at start (the same
 *                             capability every time)
 *   ROM "config"              the component's own ROM object, serving the
 *                             config text given to recap_child_start from
 *                             a RAM dataspace of the child's
 *   SIGNAL, LOG, Timer, CR, ROM   opened through the handle for the child
 *   anything else             at the component's parent, labelled
 *                             "NAME -> asked"
 * EXIT: recap_child_exit_default (logs "NAME exited with exit value N"
 * if N is not 0, ends the child). A crash: core reports it; the end
 * signal core triggers (SIGH) logs "NAME crashed" and ends the child.
 * Either way policy->ended follows, if set.
 *
 * Every session handed out is recorded in child->sessions (service, args,
 * capability, where it came from): what a C/R parent must recreate.
 * Everything runs on env->ep: start children from component_construct or
 * from the entrypoint, never from another thread.
 */
#pragma once

#include <stdbool.h>

#include <recap/capability.h>
#include <recap/dataspace.h>
#include <recap/env.h>
#include <recap/parent.h>
#include <recap/rpc_server.h>
#include <recap/signal.h>

#define RECAP_CHILD_NAME_MAX 63
#define RECAP_CHILD_SESSIONS_MAX 32

struct recap_child;

enum recap_child_via {
	RECAP_CHILD_VIA_ENV,	/* one of the env sessions (kept by the parent) */
	RECAP_CHILD_VIA_HANDLE,	/* core's, opened through the PD handle */
	RECAP_CHILD_VIA_PARENT,	/* opened at the component's own parent */
	RECAP_CHILD_VIA_LOCAL,	/* an object of the component's (config) */
};

struct recap_child_session {
	char service[RECAP_SERVICE_NAME_MAX + 1];
	char args[RECAP_SESSION_ARGS_MAX + 1];
	struct recap_cap cap;
	enum recap_child_via via;
};

struct recap_child_policy {
	/* A session request: RECAP_OK, *cap and *via, or an error. */
	int (*session)(struct recap_child *ch, char const *service,
		       char const *args, struct recap_cap *cap,
		       enum recap_child_via *via);
	/* The child called EXIT with code (NULL: recap_child_exit_default). */
	void (*exit)(struct recap_child *ch, long code);
	/* After the default exit or a crash ended the child (may be NULL). */
	void (*ended)(struct recap_child *ch);
	/* The child ANNOUNCEd service with its root (kept in the caller's
	 * cap map): RECAP_OK or an error for the child. NULL: refused
	 * (RECAP_ERR_DENIED), as a parent that serves no client of the
	 * child's must. */
	int (*announce)(struct recap_child *ch, char const *service,
			struct recap_cap root);
};

struct recap_child {
	struct recap_env *env;
	struct recap_child_policy const *policy;
	char name[RECAP_CHILD_NAME_MAX + 1];
	char const *config;		/* its config text (the caller keeps it) */
	unsigned long config_len;
	struct recap_cap handle;	/* the PD handle (recap/child_pd.h) */
	struct recap_cap pd, cpu, rm, ram;	/* its env sessions */
	struct recap_cap main_thread;
	struct recap_rpc_object parent;	/* its parent object, on env->ep */
	struct recap_rpc_object config_rom;	/* its "config" ROM session */
	struct recap_ds config_ds;
	struct recap_signal_context end;	/* core: it crashed */
	struct recap_child_session sessions[RECAP_CHILD_SESSIONS_MAX];
	bool running;
};

/*
 * Start child named name (at most RECAP_CHILD_NAME_MAX bytes, no '"' or
 * '\\') from the ROM module binary, with the given quotas taken from the
 * caller's, its config text (NULL: "<config/>"), policy (NULL: default).
 * RECAP_OK; RECAP_ERR_INVAL: not a loadable ELF file; otherwise the error
 * of a session or call, with nothing of the child left.
 */
int recap_child_start(struct recap_env *env, struct recap_child *ch,
		      char const *name, char const *binary,
		      unsigned long ram_quota, unsigned long cap_quota,
		      char const *config,
		      struct recap_child_policy const *policy);

/*
 * Only the PD part of recap_child_start: the handle, the env sessions, the
 * parent object (with parent_badge if not 0 and free at env->ep, else a
 * fresh badge) at RECAP_PARENT_SLOT, the config ROM — no image, no
 * thread. A restore fills it.
 */
int recap_child_create(struct recap_env *env, struct recap_child *ch,
		       char const *name, unsigned long ram_quota,
		       unsigned long cap_quota, char const *config,
		       struct recap_child_policy const *policy,
		       recap_badge_t parent_badge);

/* End the child: its PD and everything it holds go. */
void recap_child_destroy(struct recap_child *ch);

/* The default policy's parts. */
int recap_child_session_forward(struct recap_child *ch, char const *service,
				char const *args, struct recap_cap *cap,
				enum recap_child_via *via);
void recap_child_exit_default(struct recap_child *ch, long code);
