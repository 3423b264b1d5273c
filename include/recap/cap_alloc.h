/*
 * recap/cap_alloc.h — the component's capability index allocator: which of
 * its RECAP_CAP_SLOTS capability slots are taken.
 *
 * Only component-controlled slots (RECAP_USER_BASE_SLOT and up, see
 * recap/cap_layout.h) are ever handed out. The core-controlled slots below
 * count as permanently used: cap_alloc_used() says so, and cap_alloc_at()
 * and cap_alloc_free() refuse them with RECAP_ERR_RANGE.
 *
 * The allocator knows nothing about what a slot holds; it neither maps nor
 * unmaps capabilities. It has no hidden state: the caller owns the struct
 * (the runtime keeps one in its environment) and serialises access to it.
 *
 * Invariants:
 *  - bit s of used[] is set iff slot s is taken;
 *  - the bits of all slots below RECAP_USER_BASE_SLOT are always set;
 *  - nused counts the set bits at or above RECAP_USER_BASE_SLOT.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <recap/cap_layout.h>

#define CAP_ALLOC_WORDS (RECAP_CAP_SLOTS / 64)

struct cap_alloc {
	uint64_t used[CAP_ALLOC_WORDS];	/* bit set: slot taken */
	unsigned long nused;		/* taken component-controlled slots */
};

/* All component-controlled slots free. */
void cap_alloc_init(struct cap_alloc *a);

/* The lowest free slot, now taken; RECAP_SLOT_NONE if none is free. */
unsigned long cap_alloc_one(struct cap_alloc *a);

/*
 * The lowest run of n free consecutive slots (n >= 1), now taken; returns
 * its first slot, or RECAP_SLOT_NONE if there is no such run (or n == 0).
 * The IPC receive window is such a run.
 */
unsigned long cap_alloc_range(struct cap_alloc *a, unsigned long n);

/*
 * Take the given slot. RECAP_ERR_RANGE: core-controlled or beyond the last
 * slot; RECAP_ERR_EXIST: already taken.
 */
int cap_alloc_at(struct cap_alloc *a, unsigned long slot);

/*
 * Give back a slot. RECAP_ERR_RANGE: core-controlled or beyond the last
 * slot; RECAP_ERR_NOENT: not taken (a double free).
 */
int cap_alloc_free(struct cap_alloc *a, unsigned long slot);

/* Give back n slots from first; all or none (errors as cap_alloc_free). */
int cap_alloc_free_range(struct cap_alloc *a, unsigned long first,
			 unsigned long n);

/* Is the slot taken? Core-controlled slots are; slots beyond the end not. */
bool cap_alloc_used(struct cap_alloc const *a, unsigned long slot);

/* How many component-controlled slots are free. */
unsigned long cap_alloc_avail(struct cap_alloc const *a);
