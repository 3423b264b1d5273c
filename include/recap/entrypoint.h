/*
 * recap/entrypoint.h — RPC entrypoints: a thread serving a pool of RPC
 * objects (Genode's Rpc_entrypoint with its Object_pool, on Fiasco.OC).
 *
 *	static struct recap_entrypoint ep;
 *	static struct adder adder;		(recap/rpc_server.h)
 *
 *	recap_ep_create(env, &ep, "ep");		a thread serving ep
 *	recap_ep_manage(&ep, &adder.obj, adder_dispatch);
 *	... adder.obj.cap is the capability to hand out or call ...
 *
 * The main thread serves env->ep once component_construct returns.
 *
 * Managing an object asks core for a gate bound to the entrypoint's thread
 * (PD session ALLOC_RPC_CAP with the thread's own gate: recap/pd_session.h);
 * the gate's label is the object's badge, and the pool finds objects by it.
 * The serving loop is Genode's Ipc_server: wait; take the message's label
 * (the badge the kernel put there, rights bits cleared) to the pool;
 * check the request (recap/rpc_server.h); dispatch; answer with
 * reply_and_wait and a zero send timeout (a client that went away never
 * blocks the entrypoint). A label no object has — the thread's own gate,
 * a gate whose object was dissolved, any badge not in the pool — is
 * answered RECAP_ERR_INVAL, and nothing is dispatched. mr[0] is not
 * checked (recap/rpc_wire.h).
 *
 * Not messages: the thread's own IRQ (label 0: a lock's stale wake-up,
 * recap/lock.h) is dropped; any other IRQ delivery goes to ep->irq_hook
 * if set (the main entrypoint's hands signals to recap/signal.h), and is
 * answered nothing if the hook takes it.
 *
 * An entrypoint thread must not call objects of its own entrypoint: it
 * would wait for itself. Objects may be managed and dissolved from any
 * thread; dissolving an object while its entrypoint dispatches a request
 * to it waits until that dispatch is done (unless the entrypoint's own
 * thread dissolves it, from a dispatch).
 */
#pragma once

#include <stdbool.h>

#include <l4/sys/types.h>

#include <recap/env.h>
#include <recap/lock.h>
#include <recap/rpc_server.h>
#include <recap/thread.h>

#define RECAP_EP_BUCKETS 64u		/* a power of two */

struct recap_entrypoint {
	struct recap_env *env;
	struct recap_thread *thread;	/* the thread serving it */
	struct recap_thread own;	/* that thread, if recap_ep_create made it */
	struct recap_lock lock;		/* pool, current, dissolvers */
	struct recap_rpc_object *pool[RECAP_EP_BUCKETS];
	struct recap_rpc_object *current;	/* being dispatched, or NULL */
	unsigned long dissolvers[RECAP_LOCK_WORDS]; /* threads waiting for it */
	/* An IRQ delivery other than the thread's own: true if taken. */
	bool (*irq_hook)(struct recap_entrypoint *ep, l4_umword_t label);
};

/*
 * Make ep an entrypoint served by a new thread named name. RECAP_OK or
 * recap_thread_create's error. The thread serves for ever.
 */
int recap_ep_create(struct recap_env *env, struct recap_entrypoint *ep,
		    char const *name);

/* Make ep an entrypoint the given (existing) thread will serve. */
void recap_ep_init(struct recap_env *env, struct recap_entrypoint *ep,
		   struct recap_thread *thread);

/*
 * Let ep serve obj with dispatch: obj->cap becomes the capability to it.
 * RECAP_OK, or the PD session's error (RECAP_ERR_NOMEM: no more gates),
 * RECAP_ERR_INVAL if ep's thread has no gate.
 */
int recap_ep_manage(struct recap_entrypoint *ep, struct recap_rpc_object *obj,
		    recap_rpc_dispatch_fn dispatch);

/*
 * recap_ep_manage with a wished badge (0: any), as a restored component's
 * objects must keep theirs (PD ALLOC_RPC_CAP's wish). RECAP_ERR_EXIST if
 * ep already serves an object with that badge, or core refuses it.
 */
int recap_ep_manage_badge(struct recap_entrypoint *ep,
			  struct recap_rpc_object *obj,
			  recap_rpc_dispatch_fn dispatch, recap_badge_t badge);

/*
 * Stop serving obj: out of the pool, its gate deleted (every copy of the
 * capability, anywhere, is empty), its cap-map entry dropped. RECAP_OK,
 * RECAP_ERR_NOENT if ep does not serve obj, or FREE_RPC_CAP's error.
 */
int recap_ep_dissolve(struct recap_entrypoint *ep, struct recap_rpc_object *obj);

/* Serve ep on the calling thread, which must be ep's, for ever. */
void recap_ep_serve(struct recap_entrypoint *ep) __attribute__((noreturn));
