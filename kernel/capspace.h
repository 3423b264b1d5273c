/*
 * capspace — a task's capability space, and the Fiasco.OC mapping rules.
 *
 * A capability space is sparse: up to CAPSPACE_SLOTS slots (Fiasco's 20-bit
 * object-space index), stored as a two-level table of CAPSPACE_CHUNK_SLOTS-slot
 * chunks allocated on first use. Each chunk keeps a count and a bitmap of its
 * used slots so that capspace_next_used() costs O(used slots + chunks), not
 * O(all slots).
 *
 * Invariants:
 *  - A slot is empty iff slot->obj == NULL; an empty slot has no rights and is
 *    on no mapping list.
 *  - A used slot is on exactly one object's mapping list (obj->mappings).
 *  - obj->refcnt equals the number of used slots naming obj with counted set.
 *  - R is implied by a used slot; rights holds only W, S and D.
 *  - There is no derivation tree: copies are flat, and unmapping one slot
 *    never touches another task's copy (except through DELETE_OBJ).
 *
 *  - Chunks, once allocated, live until capspace_fini(): a slot pointer stays
 *    valid (though it may become empty) for the life of the space.
 *  - A space whose owner is destroyed accepts no new capabilities.
 *
 * Semantics follow Fiasco.OC (see shared/reference/fiasco-genode-semantics.md
 * §2) with Genode's l4_task_cap_equal patch.
 *
 * Destruction cascades: emptying a slot can destroy its object, whose
 * ops->destroy may release more capabilities or finish a whole space (a
 * dying task). The operations below pin the owners of the spaces they work
 * on for their duration and re-check their slots after every release, so a
 * cascade never leaves them on freed memory. The owner passed to
 * capspace_init() must therefore be an initialised kobj (or NULL).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <l4/sys/types.h>
#include <l4/sys/consts.h>

#include "kobj.h"

#define CAPSPACE_SLOTS (1UL << 20)
#define CAPSPACE_CHUNK_SLOTS 1024UL
#define CAPSPACE_CHUNKS (CAPSPACE_SLOTS / CAPSPACE_CHUNK_SLOTS)
#define CAPSPACE_NONE (~0UL)	/* "no slot" from capspace_next_used() */

/* Slot rights: the W, S and D bits of l4sys (R is implied by a used slot). */
#define CAP_RIGHTS_MASK (L4_CAP_FPAGE_W | L4_CAP_FPAGE_S | L4_CAP_FPAGE_D)

struct capspace;

struct cap_slot {
	struct kobj *obj;		/* NULL: the slot is empty */
	struct capspace *space;		/* the space this slot belongs to */
	unsigned long index;		/* slot number, selector >> L4_CAP_SHIFT */
	uint8_t rights;			/* L4_CAP_FPAGE_W | _S | _D */
	uint8_t ctl;			/* object rights L4_FPAGE_C_OBJ_RIGHT1..3 */
	bool counted;			/* holds a counted reference on obj */
	struct cap_slot *map_next;	/* obj's mapping list */
	struct cap_slot *map_prev;
};

struct cap_chunk {
	unsigned long used;				/* used slots here */
	uint64_t bitmap[CAPSPACE_CHUNK_SLOTS / 64];	/* bit set: used */
	struct cap_slot slots[CAPSPACE_CHUNK_SLOTS];
};

struct capspace {
	struct kobj *owner;		/* the task owning this space */
	unsigned long used;		/* used slots in total */
	struct cap_chunk *chunks[CAPSPACE_CHUNKS];
};

/* An empty space. owner: the task owning it (kobj_init'ed), or NULL. */
void capspace_init(struct capspace *cs, struct kobj *owner);

/*
 * Empty every slot as an unmap with L4_FP_DELETE_OBJ would (so objects whose
 * slot here held D are destroyed, as when a Fiasco task dies), then free
 * the chunks. Re-entrant: a slot holding the owner's own cap with D destroys
 * the owner, whose teardown may call capspace_fini() on this space again.
 * If the owner was live and the cascade destroyed it, it is freed on return
 * (unless pinned by the caller).
 */
void capspace_fini(struct capspace *cs);

/* The used slot at index, or NULL if it is empty or out of range. */
struct cap_slot *capspace_slot(struct capspace const *cs, unsigned long index);

/*
 * Resolve a selector (index << L4_CAP_SHIFT, low bits ignored) to its slot.
 * NULL if the selector has L4_INVALID_CAP_BIT set or names an empty slot.
 */
struct cap_slot *capspace_lookup(struct capspace const *cs, l4_cap_idx_t sel);

/* The first used slot index >= from, or CAPSPACE_NONE. O(used + chunks). */
unsigned long capspace_next_used(struct capspace const *cs, unsigned long from);

/*
 * Put a new object into a slot as its root mapping (the factory's
 * map_obj_initially): whatever was there is released first as by an unmap
 * with the full mask; the new slot gets W|S|D, all object rights, counted.
 * Returns KERR_OK, KERR_RANGE (index too big) or KERR_NOMEM, or KERR_NOENT
 * if the space's owner is destroyed (possibly by releasing the occupant);
 * o is then not inserted and still belongs to the caller.
 * Re-rooting o in a slot that already names o upgrades that slot in place
 * (releasing it first could destroy o).
 */
int capspace_insert_root(struct capspace *cs, unsigned long index, struct kobj *o);

/*
 * Copy (or, with grant, move) one capability: src slot -> dst slot.
 * rights: requested rights in L4_CAP_FPAGE_* form; R (0x4) must be present,
 * otherwise nothing is transferred. The resulting slot gets
 * (rights & src rights & CAP_RIGHTS_MASK); D only if requested and held.
 * ctl: object-right bits from the send base (L4_FPAGE_C_OBJ_RIGHT*,
 * intersected with the source's), and L4_FPAGE_C_NO_REF_CNT for a weak copy.
 * An empty source transfers nothing and succeeds. A destination that is used
 * is released first (destroying its object if it held D or was the last
 * counted reference). Transferring a slot onto itself changes nothing.
 * Grant moves the entry: the source slot becomes empty, the count unchanged.
 *
 * Choices where the contract left room, all following Fiasco.OC:
 *  - The copy is counted only if the source is counted and NO_REF_CNT is
 *    absent (Fiasco intersects the flag like a right): a weak source copies
 *    weak.
 *  - A grant whose source is counted and whose destination is weak drops a
 *    reference (newer Fiasco); 0 destroys. A weak source granted into a
 *    counted slot takes a reference, to keep obj->refcnt exact.
 *  - If the destination already names the same object (another slot), it
 *    is not released first (that could destroy the object being mapped if
 *    it held D); its rights, ctl and counted flag are replaced in place by
 *    the new ones, exactly as a map into an empty slot would set them (so
 *    mapping without D over a slot with D drops D). With grant the source
 *    is emptied as usual.
 *  - If releasing the occupant cascades into the source slot being emptied,
 *    nothing is mapped (KERR_OK, "empty map").
 * Returns KERR_OK, KERR_RANGE (an index >= CAPSPACE_SLOTS), KERR_NOMEM, or
 * KERR_NOENT when dst's owner is (or, by releasing the occupant, becomes)
 * destroyed.
 */
int cap_transfer(struct capspace *dst, unsigned long dst_index,
		 struct capspace *src, unsigned long src_index,
		 unsigned rights, unsigned ctl, bool grant);

/*
 * l4_task_map's core: transfer the 2^order slots named by the object flexpage
 * fpage in src to dst, starting at the slot given by snd_base (its low 12 bits
 * are L4_ITEM_MAP / L4_MAP_ITEM_GRANT and control bits). rights_mask is ANDed
 * into the fpage rights (the caller masks S when a task cap lacks S).
 * The snd_base bits L4_FPAGE_C_NO_REF_CNT and L4_FPAGE_C_OBJ_RIGHT1..3 are
 * the ctl of cap_transfer(); L4_MAP_ITEM_GRANT makes every transfer a grant.
 * As in Fiasco (cxx::mask_lsb), both the source and destination bases are
 * aligned down to 2^order; for order 0 the destination is snd_base >> 12.
 * Returns KERR_OK, KERR_INVAL (not an object fpage), KERR_RANGE (order > 20,
 * or a base index >= CAPSPACE_SLOTS), or the first failing cap_transfer()'s
 * error (the slots before it stay mapped, as with Fiasco's Map_failed).
 */
int cap_map(struct capspace *dst, struct capspace *src, l4_fpage_t fpage,
	    l4_umword_t snd_base, unsigned rights_mask);

/*
 * l4_task_unmap on an object flexpage in cs, with the l4sys unmap mask:
 *  OTHER_SPACES (0):      no-op;
 *  ALL_SPACES, R not in fpage rights: the fpage's W/S rights are removed
 *                         from the slots here only;
 *  ALL_SPACES with R:     the slots are emptied, counted references dropped,
 *                         an object whose last counted reference goes is
 *                         destroyed;
 *  DELETE_OBJ with R, slot holds D: the object is destroyed (every slot
 *                         naming it, in every space, is emptied);
 *  DELETE_OBJ, slot lacks D: as ALL_SPACES, no error.
 * The fpage covers 2^order slots (order 0..20), its base aligned down to
 * that size; only the slots of cs are examined (the flat model: copies in
 * other spaces go only with their object). Returns KERR_OK, KERR_INVAL (not
 * an object fpage) or KERR_RANGE (order > 20 or base >= CAPSPACE_SLOTS).
 */
int cap_unmap(struct capspace *cs, l4_fpage_t fpage, l4_umword_t mask);

/* Empty one slot as ALL_SPACES would (release); no-op if empty. */
void cap_release(struct cap_slot *slot);

/*
 * Empty one slot as an unmap with the full mask would (L4_FP_DELETE_OBJ):
 * destroy its object if the slot holds D, else cap_release(). No-op if empty.
 */
void cap_release_full(struct cap_slot *slot);

/*
 * Bookkeeping only: take a used slot off its object's mapping list, drop
 * its counted reference (never destroying), and mark it empty in its
 * chunk and space. kobj_destroy() uses it; others want cap_release().
 */
void cap_slot_clear(struct cap_slot *slot);

/*
 * l4_task_cap_valid: 1 if the selector names a used slot, else 0 (also for
 * a selector with L4_INVALID_CAP_BIT set or beyond the space).
 */
int cap_valid(struct capspace const *cs, l4_cap_idx_t sel);

/*
 * l4_task_cap_equal: 0 if either slot is empty or invalid, else 1 iff both
 * name the same object. Unlike Genode's Fiasco.OC patch, which also calls
 * two gates or IRQs with one label (obj_id) equal, labels do not count:
 * they are not unique here (a component chooses its signal contexts'
 * labels; core grants a restored component the gate labels it had, even
 * if another component's gate has one), and servers rely on cap_equal to
 * tell their own object from a capability that merely carries its label.
 */
int cap_equal(struct capspace const *cs, l4_cap_idx_t a, l4_cap_idx_t b);
