/*
 * capspace — capability spaces and the Fiasco.OC object-mapping rules.
 *
 * Invariants, beyond those stated in capspace.h:
 *  - Bit i of chunk->bitmap is set iff chunk->slots[i].obj != NULL;
 *    chunk->used is the number of set bits, cs->used the sum over chunks.
 *  - Every slot of an allocated chunk knows its space and index, used or
 *    not, so a slot pointer alone identifies where it lives.
 *  - Chunks are freed only by capspace_fini(): a struct cap_slot pointer
 *    stays valid (though it may become empty) for the life of the space.
 *  - A space whose owner is destroyed accepts no new capabilities; that is
 *    what keeps a finished space (chunks freed) from growing again.
 *
 * Destruction cascades. Emptying a slot can destroy its object, and an
 * object's ops->destroy can release further capabilities and even finish a
 * capability space (a dying task). Every mutator that goes on after such a
 * release therefore (a) pins the owners of the spaces it works on, so their
 * memory stays, and (b) looks its slots up again instead of trusting a
 * pointer taken before the release.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "capspace.h"
#include "kerr.h"

#define CAP_OBJ_RIGHTS \
	(L4_FPAGE_C_OBJ_RIGHT1 | L4_FPAGE_C_OBJ_RIGHT2 | L4_FPAGE_C_OBJ_RIGHT3)

#define BITMAP_WORDS (CAPSPACE_CHUNK_SLOTS / 64)

/* Object flexpage fields (l4sys __l4_fpage.h layout). */
#define FPAGE_RIGHTS(raw) ((unsigned)((raw) & 0xfUL))
#define FPAGE_TYPE(raw) ((unsigned)(((raw) >> 4) & 0x3UL))
#define FPAGE_ORDER(raw) ((unsigned)(((raw) >> 6) & 0x3fUL))
#define FPAGE_INDEX(raw) ((unsigned long)((raw) >> L4_CAP_SHIFT))
#define CAPSPACE_ORDER_MAX 20U	/* log2(CAPSPACE_SLOTS) */

_Static_assert(CAPSPACE_SLOTS == 1UL << CAPSPACE_ORDER_MAX, "order max");
_Static_assert(CAPSPACE_CHUNK_SLOTS % 64 == 0, "bitmap words");
_Static_assert((CAP_RIGHTS_MASK & 0x4) == 0, "R is implicit, never stored");

/* ---------------------------------------------------------------- */
/* Slot storage                                                      */

static struct cap_chunk *chunk_of(struct capspace const *cs, unsigned long index)
{
	return cs->chunks[index / CAPSPACE_CHUNK_SLOTS];
}

/* The slot at index, used or empty; NULL if its chunk does not exist. */
static struct cap_slot *slot_at(struct capspace const *cs, unsigned long index)
{
	struct cap_chunk *c;

	assert(index < CAPSPACE_SLOTS);
	c = chunk_of(cs, index);
	return c ? &c->slots[index % CAPSPACE_CHUNK_SLOTS] : NULL;
}

/* The slot at index, allocating its chunk on first use; NULL: no memory. */
static struct cap_slot *slot_ensure(struct capspace *cs, unsigned long index)
{
	unsigned long ci = index / CAPSPACE_CHUNK_SLOTS;
	struct cap_chunk *c;

	assert(index < CAPSPACE_SLOTS);
	c = cs->chunks[ci];
	if (!c) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return NULL;
		for (unsigned long i = 0; i < CAPSPACE_CHUNK_SLOTS; i++) {
			c->slots[i].space = cs;
			c->slots[i].index = ci * CAPSPACE_CHUNK_SLOTS + i;
		}
		cs->chunks[ci] = c;
	}
	return &c->slots[index % CAPSPACE_CHUNK_SLOTS];
}

static void bitmap_mark(struct cap_slot *s, bool used)
{
	struct cap_chunk *c = chunk_of(s->space, s->index);
	unsigned long bit = s->index % CAPSPACE_CHUNK_SLOTS;
	uint64_t m = 1ULL << (bit % 64);

	assert(c != NULL);
	assert(!(c->bitmap[bit / 64] & m) == used);

	if (used) {
		c->bitmap[bit / 64] |= m;
		c->used++;
		s->space->used++;
	} else {
		c->bitmap[bit / 64] &= ~m;
		c->used--;
		s->space->used--;
	}
}

/* Fill an empty slot; takes a counted reference if counted. */
static void slot_fill(struct cap_slot *s, struct kobj *o, unsigned rights,
		      unsigned ctl, bool counted)
{
	assert(s->obj == NULL);
	assert(!o->destroyed);
	assert((rights & ~CAP_RIGHTS_MASK) == 0);
	assert((ctl & ~CAP_OBJ_RIGHTS) == 0);

	s->obj = o;
	s->rights = (uint8_t)rights;
	s->ctl = (uint8_t)ctl;
	s->counted = counted;

	s->map_prev = NULL;
	s->map_next = o->mappings;
	if (o->mappings)
		o->mappings->map_prev = s;
	o->mappings = s;

	if (counted)
		o->refcnt++;
	bitmap_mark(s, true);
}

void cap_slot_clear(struct cap_slot *s)
{
	struct kobj *o;

	assert(s != NULL);
	assert(s->obj != NULL);
	o = s->obj;
	assert(!s->counted || o->refcnt > 0);

	if (s->map_prev)
		s->map_prev->map_next = s->map_next;
	else
		o->mappings = s->map_next;
	if (s->map_next)
		s->map_next->map_prev = s->map_prev;

	if (s->counted)
		o->refcnt--;

	s->obj = NULL;
	s->rights = 0;
	s->ctl = 0;
	s->counted = false;
	s->map_next = NULL;
	s->map_prev = NULL;
	bitmap_mark(s, false);
}

/* ---------------------------------------------------------------- */
/* Keeping spaces alive across destruction cascades                  */

static bool space_dead(struct capspace const *cs)
{
	return cs->owner && cs->owner->destroyed;
}

/*
 * Pin the owner of a live space for the duration of an operation that may
 * cascade. A dead owner is not pinned: whoever is running its teardown (or
 * free) already keeps it, and pinning it here could free it a second time.
 */
static struct kobj *space_hold(struct capspace const *cs)
{
	if (!cs->owner || cs->owner->destroyed)
		return NULL;
	kobj_pin(cs->owner);
	return cs->owner;
}

/* Undo space_hold(); may free the owner (and the space in it). */
static void space_unhold(struct kobj *owner)
{
	if (owner)
		kobj_unpin(owner);
}

/* ---------------------------------------------------------------- */
/* Releasing                                                         */

void cap_release(struct cap_slot *s)
{
	struct kobj *o;
	bool counted;

	assert(s != NULL);
	if (!s->obj)
		return;

	o = s->obj;
	counted = s->counted;
	cap_slot_clear(s);

	/* Fiasco: the last counted reference takes the object with it. */
	if (counted && o->refcnt == 0)
		kobj_destroy(o);
}

void cap_release_full(struct cap_slot *s)
{
	assert(s != NULL);
	if (!s->obj)
		return;

	if (s->rights & L4_CAP_FPAGE_D)
		kobj_destroy(s->obj);
	else
		cap_release(s);
}

/* ---------------------------------------------------------------- */
/* The space                                                         */

void capspace_init(struct capspace *cs, struct kobj *owner)
{
	assert(cs != NULL);

	memset(cs, 0, sizeof(*cs));
	cs->owner = owner;
}

void capspace_fini(struct capspace *cs)
{
	struct kobj *hold;
	unsigned long i;

	assert(cs != NULL);

	hold = space_hold(cs);

	/*
	 * Releasing may re-enter (a slot holding our own owner's cap with D
	 * destroys the owner, whose teardown finishes this very space). The
	 * nested call empties and frees everything; the loop then just finds
	 * no further used slot.
	 */
	for (i = capspace_next_used(cs, 0); i != CAPSPACE_NONE;
	     i = capspace_next_used(cs, i + 1))
		cap_release_full(slot_at(cs, i));

	assert(cs->used == 0);
	for (i = 0; i < CAPSPACE_CHUNKS; i++) {
		assert(!cs->chunks[i] || cs->chunks[i]->used == 0);
		free(cs->chunks[i]);
		cs->chunks[i] = NULL;
	}

	space_unhold(hold);	/* last: may free the owner and cs with it */
}

struct cap_slot *capspace_slot(struct capspace const *cs, unsigned long index)
{
	struct cap_slot *s;

	assert(cs != NULL);
	if (index >= CAPSPACE_SLOTS)
		return NULL;
	s = slot_at(cs, index);
	return s && s->obj ? s : NULL;
}

struct cap_slot *capspace_lookup(struct capspace const *cs, l4_cap_idx_t sel)
{
	if (sel & L4_INVALID_CAP_BIT)
		return NULL;
	return capspace_slot(cs, (unsigned long)(sel >> L4_CAP_SHIFT));
}

unsigned long capspace_next_used(struct capspace const *cs, unsigned long from)
{
	assert(cs != NULL);

	if (from >= CAPSPACE_SLOTS || cs->used == 0)
		return CAPSPACE_NONE;

	for (unsigned long ci = from / CAPSPACE_CHUNK_SLOTS; ci < CAPSPACE_CHUNKS;
	     ci++) {
		struct cap_chunk const *c = cs->chunks[ci];
		unsigned long base = ci * CAPSPACE_CHUNK_SLOTS;
		unsigned long first = from > base ? from - base : 0;

		if (!c || c->used == 0)
			continue;

		for (unsigned long w = first / 64; w < BITMAP_WORDS; w++) {
			uint64_t bits = c->bitmap[w];

			if (w == first / 64)
				bits &= ~0ULL << (first % 64);
			if (bits)
				return base + w * 64 +
				       (unsigned long)__builtin_ctzll(bits);
		}
	}
	return CAPSPACE_NONE;
}

int capspace_insert_root(struct capspace *cs, unsigned long index, struct kobj *o)
{
	struct cap_slot *s;
	struct kobj *hold;
	bool dead;

	assert(cs != NULL);
	assert(o != NULL);
	assert(!o->destroyed);

	if (index >= CAPSPACE_SLOTS)
		return KERR_RANGE;
	if (space_dead(cs))
		return KERR_NOENT;
	s = slot_ensure(cs, index);
	if (!s)
		return KERR_NOMEM;

	if (s->obj == o) {
		/*
		 * Re-rooting an object in a slot that already names it: releasing
		 * first would destroy o (the slot may hold D). Upgrade in place.
		 */
		if (!s->counted)
			o->refcnt++;
		s->counted = true;
		s->rights = CAP_RIGHTS_MASK;
		s->ctl = CAP_OBJ_RIGHTS;
		return KERR_OK;
	}

	if (s->obj) {
		/* map_obj_initially: unmap the occupant with the full mask. */
		hold = space_hold(cs);
		kobj_pin(o);
		cap_release_full(s);
		dead = space_dead(cs) || o->destroyed;
		if (!dead)
			s = slot_ensure(cs, index);
		kobj_unpin(o);
		space_unhold(hold);
		if (dead)
			return KERR_NOENT;
		if (!s)
			return KERR_NOMEM;
	}

	slot_fill(s, o, CAP_RIGHTS_MASK, CAP_OBJ_RIGHTS, true);
	return KERR_OK;
}

/* ---------------------------------------------------------------- */
/* Map, grant, unmap                                                 */

/*
 * The body of cap_transfer(), with both spaces held by the caller, the
 * source used and distinct from the destination, and R requested.
 */
static int transfer(struct capspace *dst, unsigned long dst_index,
		    struct capspace *src, unsigned long src_index,
		    unsigned rights, unsigned ctl, bool grant)
{
	struct cap_slot *s = capspace_slot(src, src_index);
	struct cap_slot *d = slot_at(dst, dst_index);
	unsigned new_rights, new_ctl;
	bool new_counted, dropped = false;
	struct kobj *o;

	assert(s != NULL);
	assert(s != d);

	if (d && d->obj && d->obj != s->obj) {
		/* Overmap: the occupant goes as by an unmap with the full mask. */
		cap_release_full(d);
		if (space_dead(dst))
			return KERR_NOENT;
		s = capspace_slot(src, src_index);	/* the cascade may have */
		if (!s)					/* emptied the source */
			return KERR_OK;
	}

	o = s->obj;
	new_rights = rights & s->rights & CAP_RIGHTS_MASK;
	new_ctl = ctl & s->ctl & CAP_OBJ_RIGHTS;
	/* Fiasco intersects the counted flag too: a weak source copies weak. */
	new_counted = s->counted && !(ctl & L4_FPAGE_C_NO_REF_CNT);

	d = slot_ensure(dst, dst_index);
	if (!d)
		return KERR_NOMEM;

	if (d->obj == o) {
		/*
		 * The destination already names the same object (another slot).
		 * Releasing it first could destroy the very object being mapped
		 * (if it held D), so replace its attributes in place instead:
		 * the slot ends up exactly as a map into an empty slot would
		 * leave it, counts adjusted, and nothing else is touched.
		 */
		if (d->counted && !new_counted) {
			assert(o->refcnt > 0);
			o->refcnt--;
			dropped = true;
		} else if (!d->counted && new_counted) {
			o->refcnt++;
		}
		d->rights = (uint8_t)new_rights;
		d->ctl = (uint8_t)new_ctl;
		d->counted = new_counted;
	} else {
		slot_fill(d, o, new_rights, new_ctl, new_counted);
	}

	if (grant) {
		/* A move: the source entry goes, its reference with it. */
		dropped |= s->counted;
		cap_slot_clear(s);
	}

	/* A counted grant into a weak slot can drop the last reference. */
	if (dropped && o->refcnt == 0)
		kobj_destroy(o);
	return KERR_OK;
}

int cap_transfer(struct capspace *dst, unsigned long dst_index,
		 struct capspace *src, unsigned long src_index,
		 unsigned rights, unsigned ctl, bool grant)
{
	struct kobj *hold_dst, *hold_src;
	int ret;

	assert(dst != NULL);
	assert(src != NULL);

	if (dst_index >= CAPSPACE_SLOTS || src_index >= CAPSPACE_SLOTS)
		return KERR_RANGE;
	if (!(rights & L4_CAP_FPAGE_R))
		return KERR_OK;		/* R missing: nothing is mapped */
	if (!capspace_slot(src, src_index))
		return KERR_OK;		/* "empty map" */
	if (dst == src && dst_index == src_index)
		return KERR_OK;		/* onto itself: unchanged */
	if (space_dead(dst))
		return KERR_NOENT;

	hold_dst = space_hold(dst);
	hold_src = space_hold(src);
	ret = transfer(dst, dst_index, src, src_index, rights, ctl, grant);
	space_unhold(hold_src);
	space_unhold(hold_dst);
	return ret;
}

/*
 * Decode an object flexpage into its (aligned) first slot and slot count.
 * Fiasco aligns the base down to the fpage size (cxx::mask_lsb).
 */
static int fpage_range(l4_umword_t raw, unsigned long *base, unsigned long *n)
{
	unsigned order = FPAGE_ORDER(raw);

	if (FPAGE_TYPE(raw) != L4_FPAGE_OBJ)
		return KERR_INVAL;
	if (order > CAPSPACE_ORDER_MAX)
		return KERR_RANGE;

	*n = 1UL << order;
	*base = FPAGE_INDEX(raw) & ~(*n - 1);
	if (*base >= CAPSPACE_SLOTS)
		return KERR_RANGE;
	assert(*base + *n <= CAPSPACE_SLOTS);
	return KERR_OK;
}

int cap_map(struct capspace *dst, struct capspace *src, l4_fpage_t fpage,
	    l4_umword_t snd_base, unsigned rights_mask)
{
	unsigned long sbase, dbase, n, i;
	unsigned rights, ctl;
	struct kobj *hold_dst, *hold_src;
	bool grant;
	int ret;

	assert(dst != NULL);
	assert(src != NULL);

	ret = fpage_range(fpage.raw, &sbase, &n);
	if (ret != KERR_OK)
		return ret;
	/* The receive window is the whole space: snd_base is the hot spot. */
	dbase = (unsigned long)(snd_base >> L4_CAP_SHIFT) & ~(n - 1);
	if (dbase >= CAPSPACE_SLOTS)
		return KERR_RANGE;

	rights = FPAGE_RIGHTS(fpage.raw) & rights_mask;
	ctl = (unsigned)(snd_base & (L4_FPAGE_C_NO_REF_CNT | CAP_OBJ_RIGHTS));
	grant = (snd_base & L4_MAP_ITEM_GRANT) != 0;
	if (!(rights & L4_CAP_FPAGE_R))
		return KERR_OK;

	/*
	 * Walk only the used source slots. Both ranges are aligned to the
	 * same size, so with dst == src they are either equal (every transfer
	 * is onto itself) or disjoint: the walk never sees its own output.
	 */
	hold_dst = space_hold(dst);
	hold_src = space_hold(src);
	for (i = capspace_next_used(src, sbase); i != CAPSPACE_NONE && i < sbase + n;
	     i = capspace_next_used(src, i + 1)) {
		ret = cap_transfer(dst, dbase + (i - sbase), src, i, rights, ctl,
				   grant);
		if (ret != KERR_OK)
			break;
	}
	space_unhold(hold_src);
	space_unhold(hold_dst);
	return ret;
}

int cap_unmap(struct capspace *cs, l4_fpage_t fpage, l4_umword_t mask)
{
	unsigned long base, n, i;
	unsigned rights;
	bool delete_obj;
	struct kobj *hold;
	int ret;

	assert(cs != NULL);

	ret = fpage_range(fpage.raw, &base, &n);
	if (ret != KERR_OK)
		return ret;
	if (!(mask & L4_FP_ALL_SPACES))
		return KERR_OK;	/* no derivation tree: "other spaces" is empty */

	rights = FPAGE_RIGHTS(fpage.raw);
	delete_obj = (mask & L4_FP_DELETE_OBJ) == L4_FP_DELETE_OBJ;

	hold = space_hold(cs);
	for (i = capspace_next_used(cs, base); i != CAPSPACE_NONE && i < base + n;
	     i = capspace_next_used(cs, i + 1)) {
		struct cap_slot *s = slot_at(cs, i);

		if (!(rights & L4_CAP_FPAGE_R))
			/* Fiasco's del_rights(): only W and S, only here. */
			s->rights &= (uint8_t)~(rights & (L4_CAP_FPAGE_W |
							 L4_CAP_FPAGE_S));
		else if (delete_obj && (s->rights & L4_CAP_FPAGE_D))
			kobj_destroy(s->obj);
		else
			cap_release(s);
	}
	space_unhold(hold);
	return KERR_OK;
}

/* ---------------------------------------------------------------- */
/* Queries                                                           */

int cap_valid(struct capspace const *cs, l4_cap_idx_t sel)
{
	return capspace_lookup(cs, sel) != NULL;
}

int cap_equal(struct capspace const *cs, l4_cap_idx_t a, l4_cap_idx_t b)
{
	struct cap_slot const *sa = capspace_lookup(cs, a);
	struct cap_slot const *sb = capspace_lookup(cs, b);

	/* The object, not its label: labels are not unique (see capspace.h). */
	return sa && sb && sa->obj == sb->obj;
}
