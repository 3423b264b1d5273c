/*
 * recap/cap_layout.h — the capability layout of a component: which slot of
 * its capability space holds what. Kept in this one header so it can change
 * (Genode moved these numbers twice; see fiasco-genode-semantics.md §3.1).
 *
 *   slot 0               never used (selector 0 is "the reply capability")
 *   slot 1               RECAP_TASK_SLOT: the component's own task
 *   slots 2-7            reserved (left empty)
 *   slot 8               RECAP_PARENT_SLOT: the gate to the parent
 *   slots 9 .. 9+3*128   the thread area: per thread its IPC gate, its
 *                        pager gate (also the exception handler) and the IRQ
 *                        its locks block on; mapped by core
 *   0x200 .. 4095        component-controlled, handed out by the capability
 *                        index allocator (recap/cap_alloc.h)
 *
 * Slots below RECAP_USER_BASE_SLOT are core-controlled: core maps them, the
 * component never allocates them.
 *
 * A slot is an index into the capability space; a selector, what the l4sys
 * calls take, is the slot shifted by L4_CAP_SHIFT (its low bits carry call
 * flags). Use the helpers below rather than shifting by hand.
 */
#pragma once

#include <l4/sys/consts.h>

#define RECAP_CAP_SLOTS 4096UL		/* slots a component manages */
#define RECAP_RESERVED_SLOTS 9UL	/* slots 0-8 */
#define RECAP_TASK_SLOT 1UL
#define RECAP_PARENT_SLOT 8UL

#define RECAP_THREAD_AREA_BASE 9UL	/* first slot of thread 0 */
#define RECAP_THREAD_SLOTS 3UL		/* slots per thread */
#define RECAP_THREAD_MAX 128UL		/* threads per component */

/* Offsets inside a thread's slots. */
#define RECAP_THREAD_GATE 0UL
#define RECAP_THREAD_PAGER 1UL
#define RECAP_THREAD_IRQ 2UL

#define RECAP_USER_BASE_SLOT 0x200UL	/* first component-controlled slot */

_Static_assert(RECAP_THREAD_AREA_BASE >= RECAP_RESERVED_SLOTS,
	       "the thread area overlaps the reserved slots");
_Static_assert(RECAP_THREAD_AREA_BASE + RECAP_THREAD_SLOTS * RECAP_THREAD_MAX
		       <= RECAP_USER_BASE_SLOT,
	       "the thread area overlaps the component-controlled slots");
_Static_assert(RECAP_USER_BASE_SLOT < RECAP_CAP_SLOTS,
	       "no component-controlled slots");

/* The selector naming slot. */
static inline l4_cap_idx_t recap_slot_sel(unsigned long slot)
{
	return (l4_cap_idx_t)slot << L4_CAP_SHIFT;
}

/* The slot a selector names (its flag bits ignored). */
static inline unsigned long recap_sel_slot(l4_cap_idx_t sel)
{
	return (unsigned long)(sel >> L4_CAP_SHIFT);
}

/* Slot `which` (RECAP_THREAD_GATE/_PAGER/_IRQ) of thread `index`. */
static inline unsigned long recap_thread_slot(unsigned long index,
					      unsigned long which)
{
	return RECAP_THREAD_AREA_BASE + index * RECAP_THREAD_SLOTS + which;
}

/* "No slot": what slot-returning functions give when they fail. */
#define RECAP_SLOT_NONE (~0UL)
