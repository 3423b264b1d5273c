/*
 * recap/cap_map.h — the capability map: which slot of the component's
 * capability space holds the capability with a given badge.
 *
 * A badge is the label core gave an IPC gate (its Genode "id"); RPC messages
 * name capabilities by badge, so a component must find, for a received
 * badge, the slot that already holds that object, or record a new one. The
 * operations follow Genode's Capability_map on Fiasco.OC (reference:
 * fiasco-genode-semantics.md §3.2):
 *
 *   find(badge)                the slot, or RECAP_SLOT_NONE
 *   insert(badge)              a fresh slot from the allocator
 *   insert_at(badge, slot)     a fixed slot (the parent cap, thread gates)
 *   insert_map(badge, rcv)     a capability just received at slot rcv
 *   remove(badge)              forget it; the slot goes back to the allocator
 *
 * As in Genode's components, remove() does not unmap: the capability stays
 * in the slot until the slot is reused and overwritten.
 *
 * Slots of component-controlled entries (RECAP_USER_BASE_SLOT and up) are
 * owned by the map: taken from the allocator on insert, given back on
 * remove. Core-controlled slots (below it) are recorded but never touch the
 * allocator.
 *
 * insert_map asks the kernel two questions and moves a capability; these go
 * through struct cap_map_ops so that unit tests can fake the kernel.
 * Components use cap_map_l4_ops, which asks the real kernel about the
 * component's own task (RECAP_TASK_SLOT).
 *
 * Storage is fixed (no allocation): one entry per slot, plus a hash table
 * from badge to slot whose chains run through the entries. All operations
 * are O(1) expected; iteration is O(RECAP_CAP_SLOTS).
 *
 * Invariants:
 *  - entry[s].used iff slot s is on exactly one chain: that of
 *    bucket[hash(entry[s].badge)];
 *  - badges in the map are unique, and never 0 or RECAP_BADGE_INVALID;
 *  - used entries at s >= RECAP_USER_BASE_SLOT are taken in the allocator
 *    (the allocator may have more slots taken: receive windows, say);
 *  - count is the number of used entries.
 *
 * The caller owns the struct and serialises access to it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <l4/sys/types.h>

#include <recap/badge.h>
#include <recap/cap_alloc.h>
#include <recap/cap_layout.h>

/*
 * The kernel as the map sees it. Selectors name slots of the component's
 * own task. Results: >= 0 as described, < 0 an error (-L4_E*), which the
 * map passes on.
 */
struct cap_map_ops {
	/* 1: a and b name the same object; 0: they do not. */
	long (*cap_equal)(void *ctx, l4_cap_idx_t a, l4_cap_idx_t b);
	/* 1: the slot holds a capability; 0: it is empty. */
	long (*cap_valid)(void *ctx, l4_cap_idx_t cap);
	/* Move (grant) the capability at from to the empty slot to; 0. */
	long (*move)(void *ctx, l4_cap_idx_t from, l4_cap_idx_t to);
};

/* The real kernel, through l4sys (lib/base/cap_map_l4.c); ctx unused. */
extern struct cap_map_ops const cap_map_l4_ops;

#define CAP_MAP_BUCKETS 4096u		/* a power of two */
#define CAP_MAP_NIL UINT16_MAX		/* end of a chain */

_Static_assert(RECAP_CAP_SLOTS <= CAP_MAP_NIL, "slots must fit a chain link");
_Static_assert((CAP_MAP_BUCKETS & (CAP_MAP_BUCKETS - 1)) == 0,
	       "CAP_MAP_BUCKETS must be a power of two");

struct cap_map_entry {
	recap_badge_t badge;	/* valid if used */
	uint16_t next;		/* next slot on the chain, or CAP_MAP_NIL */
	bool used;
};

struct cap_map {
	struct cap_alloc *alloc;		/* slots of new entries */
	struct cap_map_ops const *ops;		/* the kernel */
	void *ops_ctx;				/* first argument of ops */
	unsigned long count;			/* used entries */
	uint16_t bucket[CAP_MAP_BUCKETS];	/* first slot of each chain */
	struct cap_map_entry entry[RECAP_CAP_SLOTS];	/* indexed by slot */
};

/* An empty map taking its slots from alloc and asking ops (with ctx). */
void cap_map_init(struct cap_map *m, struct cap_alloc *alloc,
		  struct cap_map_ops const *ops, void *ctx);

/* The slot holding badge, or RECAP_SLOT_NONE. */
unsigned long cap_map_find(struct cap_map const *m, recap_badge_t badge);

/* The badge recorded at slot, or RECAP_BADGE_INVALID if none is. */
recap_badge_t cap_map_badge_at(struct cap_map const *m, unsigned long slot);

/* Number of entries. */
unsigned long cap_map_count(struct cap_map const *m);

/*
 * Record badge at a fresh slot from the allocator, returned in *slot.
 * RECAP_ERR_EXIST: badge already present (nothing changes);
 * RECAP_ERR_NOMEM: no free slot; RECAP_ERR_INVAL: badge 0 or invalid.
 */
int cap_map_insert(struct cap_map *m, recap_badge_t badge,
		   unsigned long *slot);

/*
 * Record badge at the given slot. An existing entry for badge is dropped
 * first (as remove() would), and so is another badge's entry at slot: a slot
 * holds one object. A component-controlled slot is taken in the allocator if
 * it is free; if the caller already took it, the map adopts it.
 * RECAP_ERR_RANGE: slot 0 or beyond the last; RECAP_ERR_INVAL: bad badge.
 */
int cap_map_insert_at(struct cap_map *m, recap_badge_t badge,
		      unsigned long slot);

/*
 * Record a capability received with badge at slot rcv (a receive-window
 * slot), Genode's insert_map:
 *  - badge known, and its slot names the same object as rcv: *slot = that
 *    slot, RECAP_OK; the copy at rcv is left alone, for the caller to reuse;
 *  - badge known, not the same object, and its slot still holds a
 *    capability: the sender claims a badge it does not own; RECAP_ERR_DENIED
 *    and nothing changes;
 *  - badge known but its slot is empty (the object died): the entry is
 *    dropped, then as for an unknown badge;
 *  - badge unknown: a fresh slot is taken and the capability MOVED there
 *    from rcv (rcv ends up empty); *slot = the fresh slot, RECAP_OK.
 * RECAP_ERR_NOMEM: no free slot; RECAP_ERR_RANGE: rcv out of range;
 * RECAP_ERR_INVAL: bad badge; a kernel error (< 0) as ops reported it, with
 * the map as before except that a dead entry may be dropped.
 */
int cap_map_insert_map(struct cap_map *m, recap_badge_t badge,
		       unsigned long rcv, unsigned long *slot);

/* Forget badge and give back its slot. RECAP_ERR_NOENT: not present. */
int cap_map_remove(struct cap_map *m, recap_badge_t badge);

/* The component's own cap map, found by a restoring parent through this
 * symbol (lib/base/startup.c). */
extern struct cap_map *const _recap_cap_map;

/*
 * Give the entry of old_badge the badge new_badge, in the same slot (badge
 * translation after a restore, when objects come back with new badges).
 * RECAP_ERR_NOENT: old_badge not present; RECAP_ERR_EXIST: new_badge is
 * (unless equal to old_badge: then nothing to do); RECAP_ERR_INVAL: bad
 * new badge.
 */
int cap_map_rewrite(struct cap_map *m, recap_badge_t old_badge,
		    recap_badge_t new_badge);

/*
 * Iteration over the (badge, slot) pairs in ascending slot order:
 *
 *	struct cap_map_iter it = CAP_MAP_ITER_INIT;
 *	while (cap_map_iter_next(m, &it, &badge, &slot))
 *		...
 *
 * Removing the pair just returned is allowed; entries inserted meanwhile
 * are visited only if their slot lies ahead.
 */
struct cap_map_iter {
	unsigned long slot;	/* next slot to look at */
};

#define CAP_MAP_ITER_INIT { .slot = 0 }

bool cap_map_iter_next(struct cap_map const *m, struct cap_map_iter *it,
		       recap_badge_t *badge, unsigned long *slot);
