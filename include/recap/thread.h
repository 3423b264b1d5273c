/*
 * recap/thread.h — threads of a component (Genode's Thread on Fiasco.OC).
 *
 *	static struct recap_thread worker;
 *	err = recap_thread_create(env, &worker, "worker", work, arg);
 *	... worker runs work(arg) on a stack of its own ...
 *	err = recap_thread_join(&worker);	waits for work to return
 *
 * A thread is made by core through the component's CPU session
 * (recap/cpu_session.h): core creates the kernel thread in the component's
 * PD and fills its thread-area slots (its own gate, pager, IRQ); the
 * runtime allocates its stack (RECAP_THREAD_STACK_SIZE of RAM, attached
 * through the RM session right below recap_stack_top(index): a component
 * with threads needs RAM and RM sessions), records the gate in the cap map, gives the thread a
 * receive window of its own (RPC calls from several threads at once do not
 * share one), and starts it at a trampoline that calls fn(arg). When fn
 * returns, the thread says so to a joiner and sleeps until it is joined,
 * which kills it at core and frees its index for the next thread.
 *
 * The caller owns the struct recap_thread and keeps it where it is until
 * the thread is joined (an entrypoint thread never ends). The main thread
 * has a record too (index 0, made at startup), so recap_thread_self()
 * works everywhere.
 */
#pragma once

#include <l4/sys/types.h>

#include <recap/capability.h>
#include <recap/cpu_session.h>
#include <recap/dataspace.h>
#include <recap/env.h>
#include <recap/lock.h>

typedef void (*recap_thread_fn)(void *arg);

struct recap_thread {
	struct recap_env *env;
	char name[RECAP_THREAD_NAME_MAX + 1];
	unsigned long index;		/* thread-area slots, UTCB, stack */
	struct recap_cap gate;		/* its own gate, at (index, GATE) */
	struct recap_cap cap;		/* the thread at core; invalid for main */
	l4_cap_idx_t rcv_window;	/* its RECAP_RPC_MAX_CAPS receive slots */
	struct recap_ds stack;		/* RAM below its stack top; invalid for main */
	recap_thread_fn fn;
	void *arg;
	int done;			/* fn returned */
	unsigned long joiner;		/* index + 1 of the thread joining it */
};

/*
 * Create a thread named name (at most RECAP_THREAD_NAME_MAX bytes,
 * printable) and start it running fn(arg). RECAP_OK, or an error of the
 * CPU session (recap/cpu_session.h; RECAP_ERR_NOMEM: no thread index or
 * capability slot left), with nothing left of the thread.
 */
int recap_thread_create(struct recap_env *env, struct recap_thread *t,
			char const *name, recap_thread_fn fn, void *arg);

/*
 * Wait until t's function has returned, then kill it and free what it had
 * (index, receive window, gate entry). One joiner per thread; never the
 * thread itself. RECAP_OK or the CPU session's error of the kill.
 */
int recap_thread_join(struct recap_thread *t);

/* The calling thread's record (NULL for a thread the runtime did not make). */
struct recap_thread *recap_thread_self(void);

/*
 * The receive window of the calling thread (for recap_rpc_call and the
 * entrypoint loop): its own, or env->rcv_window for the main thread.
 */
l4_cap_idx_t recap_thread_rcv_window(struct recap_env *env);

/*
 * Startup only: the main thread's record, with its gate badge from
 * _parent_cap (RECAP_PARENT_CAP_MAIN_GATE) recorded at (0, GATE).
 */
struct recap_thread *recap_thread_init_main(struct recap_env *env,
					    recap_badge_t gate_badge);
