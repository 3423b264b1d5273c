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
