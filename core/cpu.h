/*
 * cpu.h — core's CPU service (protocol: recap/cpu_session.h): threads in
 * the client's own PD, beyond the main thread core made with it.
 *
 * A CPU session owns its threads; closing it (or the client's end) kills
 * them. Thread indices are per PD: index 0 is the main thread, every other
 * one belongs to at most one thread of one of the client's CPU sessions.
 */
#pragma once

#include <stdbool.h>

#include <l4/sys/types.h>

#include <recap/capability.h>

struct child;

/*
 * Open a CPU session for client; *cap is its capability. RECAP_OK,
 * RECAP_ERR_NOMEM or a kernel error.
 */
int cpu_session_open(struct child *client, struct recap_cap *cap);

/*
 * The thread of c whose own gate has the given badge: main thread or one
 * of its CPU sessions'. true with core's selectors of the kernel thread and
 * of the gate; false if c has no such thread.
 */
bool cpu_thread_by_gate(struct child *c, recap_badge_t badge,
			l4_cap_idx_t *thread, l4_cap_idx_t *gate);

/*
 * Core's selector of the kernel thread with index `index` in c's PD (0:
 * the main thread), or L4_INVALID_CAP if there is none (for binding IRQs
 * to a component's thread: signal contexts).
 */
l4_cap_idx_t cpu_thread_kcap(struct child *c, unsigned long index);

struct dataspace;

/*
 * Write the state of thread `index` of c's PD into ds (thread_state.h,
 * the native PD's THREAD_STATE). RECAP_OK; RECAP_ERR_NOENT if there is no
 * such thread; RECAP_ERR_DENIED if it is not paused (PAUSE of a CPU
 * session; a main thread core made is never); errors of thread_state_save.
 */
int cpu_thread_state(struct child *c, unsigned long index, struct dataspace *ds);

/*
 * The index of c's thread whose kernel id is id (0: the main thread), ~0UL
 * if none of c's threads has it (the native PD's IRQ_INFO). Kernel calls:
 * the caller has read its request's arguments.
 */
unsigned long cpu_thread_index_by_id(struct child *c, unsigned long id);
