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
 * and binds it to the UTCB at recap_utcb_addr(i). The thread's stack is
 * the client's business, as in Genode's stack area: the runtime allocates
 * it as a RAM dataspace and attaches it through its RM session right below
 * recap_stack_top(i), leaving the lowest page of the thread's
 * RECAP_STACK_SLOT unmapped (an overflow faults). So everything in a PD's
 * address space is a dataspace its parent can see.
 *
 * i is the lowest index the PD does not use: from 1 in a PD core started
 * from an ELF file (its main thread is 0), from 0 in an empty PD a
 * component made for a child (recap/child_pd.h), whose first thread is
 * its main thread.
 *
 * Opcodes and arguments (wire format: recap/rpc_wire.h):
 *   CREATE_THREAD  string name[, word index[, word gate badge]]
 *                  -> 1 cap: the thread; words: index i, gate badge
 *                  index RECAP_THREAD_ANY or left out: the lowest free one;
 *                  otherwise it must be free (RECAP_ERR_EXIST) and below
 *                  RECAP_THREAD_MAX (RECAP_ERR_RANGE). gate badge 0 or left
 *                  out: a fresh one; otherwise as PD ALLOC_RPC_CAP's wished
 *                  badge (recap/pd_session.h), and no other thread of the
 *                  PD may have it (RECAP_ERR_EXIST). A restored thread gets
 *                  its index and its gate's label back this way.
 *   START          cap thread, word ip, word sp              -> -
 *                  once per thread; the thread runs at ip with rsp = sp
 *   KILL_THREAD    cap thread                                -> -
 *                  the thread, its slots and its stack are gone; its index
 *                  is free for the next CREATE_THREAD
 *   PAUSE          cap thread                                -> -
 *                  stops a started thread (RECAP_ERR_DENIED if not
 *                  started, RECAP_ERR_EXIST if paused already)
 *   RESUME         cap thread                                -> -
 *                  lets a paused thread go on (RECAP_ERR_DENIED if not
 *                  paused)
 *   STATE_GET      cap thread, cap dataspace                 -> -
 *                  the paused thread's state written into the dataspace
 *                  at offset 0 as struct l4x_thread_state (l4/sys/x.h):
 *                  registers, pending kernel call, FPU/SSE, UTCB
 *   STATE_SET      cap thread, cap dataspace                 -> -
 *                  the thread's registers (but its segment selectors),
 *                  FPU/SSE, UTCB and pending kernel call set from the
 *                  dataspace. The thread must be paused, or never started:
 *                  then it is started paused (RESUME lets it run; START
 *                  is RECAP_ERR_EXIST). The pending call's ids must be
 *                  safe, else RECAP_ERR_DENIED: self_id the thread's own
 *                  kernel id (THREAD_ID), partner_id and reply_to_id 0 or
 *                  another thread of the same PD, partner_id of a receive
 *                  phase also the thread's own IRQ (a lock)
 *                  both: RECAP_ERR_DENIED if the thread is not paused or
 *                  (STATE_GET) the dataspace is read-only, RECAP_ERR_RANGE
 *                  if it is smaller than struct l4x_thread_state
 *   EXC_SIGH       cap signal context (invalid: none)        -> -
 *                  triggered when a thread of this session faults (as
 *                  well as the crash report; the component still ends)
 *   THREAD_ID      cap thread                    -> word kernel id
 *                  the id pending calls name the thread by (struct
 *                  l4x_pending): cr rewrites a saved state's ids to the
 *                  new threads' before STATE_SET
 * Errors: RECAP_ERR_INVAL (malformed), RECAP_ERR_NOENT (not a thread of
 * this session), RECAP_ERR_EXIST (started already), RECAP_ERR_NOMEM (no
 * free thread index or core out of slots).
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
	RECAP_CPU_PAUSE = 4,
	RECAP_CPU_RESUME = 5,
	RECAP_CPU_STATE_GET = 6,
	RECAP_CPU_STATE_SET = 7,
	RECAP_CPU_EXC_SIGH = 8,
	RECAP_CPU_THREAD_ID = 9,
};

/* CREATE_THREAD's wished index: none, the lowest free one. */
#define RECAP_THREAD_ANY (~0UL)

#define RECAP_THREAD_NAME_MAX 31			/* bytes */
#define RECAP_THREAD_STACK_SIZE (64UL * 1024)	/* what the runtime gives */

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

/*
 * CREATE_THREAD on the component's CPU session; errors as above. The
 * thread gets no stack: recap/thread.h makes one.
 */
int recap_cpu_create_thread(struct recap_env *env, char const *name,
			    struct recap_cpu_thread *t);

/*
 * CREATE_THREAD and START on another CPU session (a child's, for the
 * child API): as above, but index 0 is a valid answer.
 */
int recap_cpu_create_thread_at(struct recap_env *env, struct recap_cap cpu,
			       char const *name, struct recap_cpu_thread *t);

/*
 * CREATE_THREAD on the CPU session cpu with a wished index
 * (RECAP_THREAD_ANY: any) and gate badge (0: any), for restoring a thread.
 */
int recap_cpu_create_thread_wish(struct recap_env *env, struct recap_cap cpu,
				 char const *name, unsigned long index,
				 recap_badge_t badge, struct recap_cpu_thread *t);

/* THREAD_ID on the CPU session cpu: *id the thread's kernel id. */
int recap_cpu_thread_id_at(struct recap_env *env, struct recap_cap cpu,
			   struct recap_cap thread, unsigned long *id);

int recap_cpu_start_at(struct recap_env *env, struct recap_cap cpu,
		       struct recap_cap thread, unsigned long ip,
		       unsigned long sp);

/* START and KILL_THREAD. Killing drops the thread capability's entry. */
int recap_cpu_start(struct recap_env *env, struct recap_cap thread,
		    unsigned long ip, unsigned long sp);
int recap_cpu_kill_thread(struct recap_env *env, struct recap_cap thread);

/*
 * PAUSE, RESUME, STATE_GET, STATE_SET (ds: a dataspace of at least
 * sizeof(struct l4x_thread_state) bytes) and EXC_SIGH (sigh invalid: none)
 * on the component's CPU session; errors as above.
 */
int recap_cpu_pause(struct recap_env *env, struct recap_cap thread);
int recap_cpu_resume(struct recap_env *env, struct recap_cap thread);
int recap_cpu_state_get(struct recap_env *env, struct recap_cap thread,
			struct recap_cap ds);
int recap_cpu_state_set(struct recap_env *env, struct recap_cap thread,
			struct recap_cap ds);
int recap_cpu_exc_sigh(struct recap_env *env, struct recap_cap sigh);
