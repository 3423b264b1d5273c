/*
 * recap/lock.h — a mutex for a component's threads, and the blocking
 * primitive it is made of (Genode's Lock on Fiasco.OC: a waiter blocks on
 * its own thread's IRQ, the releaser triggers the IRQ of the one it wakes).
 *
 * Every thread has an IRQ attached to it at recap_thread_slot(i, IRQ),
 * made by core with the thread (recap/cpu_session.h). recap_thread_block()
 * waits for it (l4_irq_receive: a closed wait, no message gets in), and
 * recap_thread_wake(i) triggers thread i's. The kernel counts triggers, so
 * a wake-up that comes before the block is not lost; one that comes when
 * nobody blocks is delivered later. Blocking may therefore return without
 * a reason of its own: callers wait in a loop until what they wait for is
 * true. (An entrypoint thread also receives its own IRQ's stale triggers
 * in its open wait, with label 0, and drops them: recap/entrypoint.h.)
 *
 * The lock (Drepper's three-state mutex, with a set of waiting threads in
 * place of a futex queue):
 *   state 0 free, 1 held, 2 held and perhaps wanted.
 *   acquire: 0 -> 1 and done; else mark oneself waiting, swap in 2, and if
 *            the lock was free it is ours, else block and try again.
 *   release: swap in 0; if it was 2, unmark one waiting thread (scanning
 *            on from the last one woken, so nobody starves) and wake it.
 * The fast paths are one atomic instruction and no system call. The lock
 * is not recursive: acquiring a lock one holds is a bug, and traps.
 *
 * None of these calls disturbs the caller's message registers (blocking
 * saves and restores the one word l4_irq_receive writes), so a lock may be
 * taken while a message is being built or read.
 *
 * A lock is plain memory: all zero (RECAP_LOCK_INIT) is a free lock. It
 * must stay where it is while in use.
 */
#pragma once

#include <stdbool.h>

#include <recap/cap_layout.h>

#define RECAP_LOCK_WORDS (RECAP_THREAD_MAX / 64)

struct recap_lock {
	int state;			/* 0 free, 1 held, 2 held, maybe wanted */
	unsigned long owner;		/* index + 1 of the holder, 0 if none */
	unsigned long next;		/* where the next wake-up scan starts */
	unsigned long waiting[RECAP_LOCK_WORDS]; /* bit i: thread i waits */
};

#define RECAP_LOCK_INIT { 0 }

void recap_lock_acquire(struct recap_lock *l);
void recap_lock_release(struct recap_lock *l);

/* Take the lock if it is free; true if taken. Never blocks. */
bool recap_lock_try(struct recap_lock *l);

/* The calling thread's index (thread-area slots, UTCB, stack). */
unsigned long recap_thread_index(void);

/* Wait for the calling thread's IRQ (may return spuriously, see above). */
void recap_thread_block(void);

/* Trigger thread index's IRQ: it returns from (or skips) one block. */
void recap_thread_wake(unsigned long index);
