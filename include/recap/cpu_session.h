/*
 * recap/cpu_session.h — the CPU service: threads in the client's own PD
 * (Genode's Cpu_session with its Cpu_thread and Foc_native_cpu's
 * thread_state folded into one reply), and the client calls.
 *
 * Core creates the kernel thread and keeps it: the component never holds
 * the thread object itself (as in Genode on Fiasco.OC), only a capability
 * to core's record of it, the "thread capability", which names it in START
 * and KILL_THREAD. Creating thread i of a PD fills its thread-area slots
 * (recap/cap_layout.h) as core fills the main thread's:
 *
 *   recap_thread_slot(i, GATE)   an IPC gate bound to the thread, labelled
 *                                with a fresh badge (the reply tells it)
 *   recap_thread_slot(i, PAGER)  its pager, also its exception handler
 *   recap_thread_slot(i, IRQ)    an IRQ attached to it (label 0), for
 *                                blocking (recap/lock.h)
 *
 * and binds it to the UTCB at recap_utcb_addr(i), with a stack dataspace
 * of the asked size right below recap_stack_top(i) (the rest of the
 * thread's RECAP_STACK_SLOT stays unmapped: an overflow faults).
 *
 * Opcodes and arguments (wire format: recap/rpc_wire.h):
 *   CREATE_THREAD  string name, word stack_size
 *                  -> 1 cap: the thread; words: index i, gate badge
 *                  stack_size 0: RECAP_THREAD_STACK_DEFAULT; else at most
 *                  RECAP_THREAD_STACK_MAX, rounded up to pages
 *   START          cap thread, word ip, word sp              -> -
 *                  once per thread; the thread runs at ip with rsp = sp
 *   KILL_THREAD    cap thread                                -> -
 *                  the thread, its slots and its stack are gone; its index
 *                  is free for the next CREATE_THREAD
 * Errors: RECAP_ERR_INVAL (malformed), RECAP_ERR_NOENT (not a thread of
 * this session), RECAP_ERR_EXIST (started already), RECAP_ERR_NOMEM (no
 * free thread index or core out of slots), RECAP_ERR_RANGE (stack too big).
 *
 * Closing the session kills its threads. The main thread (index 0) is not
 * one of any session's: core made it with the PD.
 *
 * The main thread learns its gate badge from word RECAP_PARENT_CAP_MAIN_GATE
 * of _parent_cap (core writes it next to the parent's raw capability,
 * words 0-3); its gate is at recap_thread_slot(0, GATE).
 */
#pragma once

#include <recap/capability.h>
#include <recap/layout.h>

struct recap_env;

enum recap_cpu_op {
	RECAP_CPU_CREATE_THREAD = 1,
	RECAP_CPU_START = 2,
	RECAP_CPU_KILL_THREAD = 3,
};

#define RECAP_THREAD_NAME_MAX 31			/* bytes */
#define RECAP_THREAD_STACK_DEFAULT (64UL * 1024)
#define RECAP_THREAD_STACK_MAX (RECAP_STACK_SLOT - 4096UL) /* a guard page */

/* Word of _parent_cap holding the main thread's gate badge. */
#define RECAP_PARENT_CAP_MAIN_GATE 4

/* What CREATE_THREAD tells. */
struct recap_cpu_thread {
	struct recap_cap cap;		/* the thread at core */
	unsigned long index;		/* its thread-area slots, UTCB, stack */
	recap_badge_t gate_badge;	/* the label of its own gate */
};

/*
 * The component's CPU session, opened at the parent on first use (service
 * "CPU") and kept in env->cpu. RECAP_OK or the error of opening it (tried
 * again next time).
 */
int recap_cpu_session(struct recap_env *env);

/* CREATE_THREAD on the component's CPU session; errors as above. */
int recap_cpu_create_thread(struct recap_env *env, char const *name,
			    unsigned long stack_size, struct recap_cpu_thread *t);

/* START and KILL_THREAD. Killing drops the thread capability's entry. */
int recap_cpu_start(struct recap_env *env, struct recap_cap thread,
		    unsigned long ip, unsigned long sp);
int recap_cpu_kill_thread(struct recap_env *env, struct recap_cap thread);
