/*
 * cap_map.c — the capability map (recap/cap_map.h): entries indexed by
 * slot, chained into a hash table keyed by badge.
 *
 * Chains link slots through entry[].next, so an entry is found by badge in
 * O(chain length) and by slot in O(1), and unlinking needs no tombstones.
 * With as many buckets as slots and a multiplicative hash, chains stay
 * short even for badges that are all multiples of 4, as core's are.
 */
#include <recap/cap_map.h>
#include <recap/err.h>

static bool badge_ok(recap_badge_t badge)
{
	return badge != 0 && badge != RECAP_BADGE_INVALID;
}

static bool slot_ok(unsigned long slot)
{
	return slot != 0 && slot < RECAP_CAP_SLOTS;
}

static bool user_slot(unsigned long slot)
{
	return slot >= RECAP_USER_BASE_SLOT;
}

/* Fibonacci hashing: the top bits of badge times 2^64 / phi. */
static unsigned hash(recap_badge_t badge)
{
	return (unsigned)(((uint64_t)badge * 0x9e3779b97f4a7c15ULL) >> 52) &
	       (CAP_MAP_BUCKETS - 1);
}

_Static_assert(CAP_MAP_BUCKETS == 1u << (64 - 52), "hash width");

void cap_map_init(struct cap_map *m, struct cap_alloc *alloc,
		  struct cap_map_ops const *ops, void *ctx)
{
	unsigned long i;

	m->alloc = alloc;
	m->ops = ops;
	m->ops_ctx = ctx;
	m->count = 0;
	for (i = 0; i < CAP_MAP_BUCKETS; i++)
		m->bucket[i] = CAP_MAP_NIL;
	for (i = 0; i < RECAP_CAP_SLOTS; i++)
		m->entry[i] = (struct cap_map_entry){ .next = CAP_MAP_NIL };
}

unsigned long cap_map_find(struct cap_map const *m, recap_badge_t badge)
{
	uint16_t s;

	if (!badge_ok(badge))
		return RECAP_SLOT_NONE;
	for (s = m->bucket[hash(badge)]; s != CAP_MAP_NIL; s = m->entry[s].next)
		if (m->entry[s].badge == badge)
			return s;
	return RECAP_SLOT_NONE;
}

recap_badge_t cap_map_badge_at(struct cap_map const *m, unsigned long slot)
{
	if (slot >= RECAP_CAP_SLOTS || !m->entry[slot].used)
		return RECAP_BADGE_INVALID;
	return m->entry[slot].badge;
}

unsigned long cap_map_count(struct cap_map const *m)
{
	return m->count;
}

/* Put the free entry at slot on badge's chain. */
static void chain_add(struct cap_map *m, unsigned long slot,
		      recap_badge_t badge)
{
	struct cap_map_entry *e = &m->entry[slot];
	unsigned h = hash(badge);

	e->badge = badge;
	e->used = true;
	e->next = m->bucket[h];
	m->bucket[h] = (uint16_t)slot;
	m->count++;
}

/* Take the used entry at slot off its chain; the slot stays allocated. */
static void chain_remove(struct cap_map *m, unsigned long slot)
{
	struct cap_map_entry *e = &m->entry[slot];
	uint16_t *p = &m->bucket[hash(e->badge)];

	while (*p != slot)
		p = &m->entry[*p].next;
	*p = e->next;
	*e = (struct cap_map_entry){ .next = CAP_MAP_NIL };
	m->count--;
}

/* Unlink the entry at slot and give its slot back. */
static void drop(struct cap_map *m, unsigned long slot)
{
	chain_remove(m, slot);
	if (user_slot(slot))
		cap_alloc_free(m->alloc, slot);
}

int cap_map_insert(struct cap_map *m, recap_badge_t badge,
		   unsigned long *slot)
{
	unsigned long s;

	if (!badge_ok(badge))
		return RECAP_ERR_INVAL;
	if (cap_map_find(m, badge) != RECAP_SLOT_NONE)
		return RECAP_ERR_EXIST;
	s = cap_alloc_one(m->alloc);
	if (s == RECAP_SLOT_NONE)
		return RECAP_ERR_NOMEM;
	chain_add(m, s, badge);
	*slot = s;
	return RECAP_OK;
}

int cap_map_insert_at(struct cap_map *m, recap_badge_t badge,
		      unsigned long slot)
{
	unsigned long old;

	if (!badge_ok(badge))
		return RECAP_ERR_INVAL;
	if (!slot_ok(slot))
		return RECAP_ERR_RANGE;
	old = cap_map_find(m, badge);
	if (old == slot)
		return RECAP_OK;
	/* Another badge's entry at slot: a slot holds one object. */
	if (m->entry[slot].used)
		chain_remove(m, slot);
	if (old != RECAP_SLOT_NONE)
		drop(m, old);
	if (user_slot(slot) && !cap_alloc_used(m->alloc, slot))
		cap_alloc_at(m->alloc, slot);
	chain_add(m, slot, badge);
	return RECAP_OK;
}

/*
 * insert_map for a badge the map knows at slot known: RECAP_OK with the
 * entry kept if rcv is the same object, RECAP_ERR_DENIED if known still
 * holds another object, 1 if known is dead and was dropped, or a kernel
 * error.
 */
static long check_known(struct cap_map *m, unsigned long known,
			unsigned long rcv)
{
	long r;

	r = m->ops->cap_equal(m->ops_ctx, recap_slot_sel(known),
			      recap_slot_sel(rcv));
	if (r != 0)
		return r > 0 ? RECAP_OK : r;
	r = m->ops->cap_valid(m->ops_ctx, recap_slot_sel(known));
	if (r != 0)
		return r > 0 ? RECAP_ERR_DENIED : r;
	drop(m, known);
	return 1;
}

int cap_map_insert_map(struct cap_map *m, recap_badge_t badge,
		       unsigned long rcv, unsigned long *slot)
{
	unsigned long known, s;
	long r;

	if (!badge_ok(badge))
		return RECAP_ERR_INVAL;
	if (!slot_ok(rcv))
		return RECAP_ERR_RANGE;
	known = cap_map_find(m, badge);
	if (known != RECAP_SLOT_NONE) {
		r = check_known(m, known, rcv);
		if (r == RECAP_OK)
			*slot = known;
		if (r <= 0)
			return (int)r;
	}
	s = cap_alloc_one(m->alloc);
	if (s == RECAP_SLOT_NONE)
		return RECAP_ERR_NOMEM;
	r = m->ops->move(m->ops_ctx, recap_slot_sel(rcv), recap_slot_sel(s));
	if (r < 0) {
		cap_alloc_free(m->alloc, s);
		return (int)r;
	}
	chain_add(m, s, badge);
	*slot = s;
	return RECAP_OK;
}

int cap_map_remove(struct cap_map *m, recap_badge_t badge)
{
	unsigned long s = cap_map_find(m, badge);

	if (s == RECAP_SLOT_NONE)
		return RECAP_ERR_NOENT;
	drop(m, s);
	return RECAP_OK;
}

int cap_map_rewrite(struct cap_map *m, recap_badge_t old_badge,
		    recap_badge_t new_badge)
{
	unsigned long s = cap_map_find(m, old_badge);

	if (s == RECAP_SLOT_NONE)
		return RECAP_ERR_NOENT;
	if (new_badge == old_badge)
		return RECAP_OK;
	if (!badge_ok(new_badge))
		return RECAP_ERR_INVAL;
	if (cap_map_find(m, new_badge) != RECAP_SLOT_NONE)
		return RECAP_ERR_EXIST;
	chain_remove(m, s);	/* keeps the slot taken in the allocator */
	chain_add(m, s, new_badge);
	return RECAP_OK;
}

bool cap_map_iter_next(struct cap_map const *m, struct cap_map_iter *it,
		       recap_badge_t *badge, unsigned long *slot)
{
	for (; it->slot < RECAP_CAP_SLOTS; it->slot++) {
		if (m->entry[it->slot].used) {
			*badge = m->entry[it->slot].badge;
			*slot = it->slot++;
			return true;
		}
	}
	return false;
}
