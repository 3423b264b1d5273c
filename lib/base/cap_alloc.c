/*
 * cap_alloc.c — the capability index allocator (recap/cap_alloc.h): a bitmap
 * of RECAP_CAP_SLOTS bits searched first-fit from RECAP_USER_BASE_SLOT.
 *
 * 4096 slots are 64 words, so a search costs at most 64 word tests plus the
 * bits of the words it stops in; full words are skipped whole.
 */
#include <recap/cap_alloc.h>
#include <recap/err.h>

#define WORD(slot) ((slot) / 64)
#define BIT(slot) (1ULL << ((slot) % 64))

static bool is_user_slot(unsigned long slot)
{
	return slot >= RECAP_USER_BASE_SLOT && slot < RECAP_CAP_SLOTS;
}

static bool bit_set(struct cap_alloc const *a, unsigned long slot)
{
	return (a->used[WORD(slot)] & BIT(slot)) != 0;
}

static void take(struct cap_alloc *a, unsigned long slot)
{
	a->used[WORD(slot)] |= BIT(slot);
	a->nused++;
}

static void release(struct cap_alloc *a, unsigned long slot)
{
	a->used[WORD(slot)] &= ~BIT(slot);
	a->nused--;
}

void cap_alloc_init(struct cap_alloc *a)
{
	unsigned long s;

	for (s = 0; s < CAP_ALLOC_WORDS; s++)
		a->used[s] = 0;
	for (s = 0; s < RECAP_USER_BASE_SLOT; s++)
		a->used[WORD(s)] |= BIT(s);
	a->nused = 0;
}

/* The first free slot at or after from, or RECAP_SLOT_NONE. */
static unsigned long next_free(struct cap_alloc const *a, unsigned long from)
{
	unsigned long s = from;

	while (s < RECAP_CAP_SLOTS) {
		if (s % 64 == 0 && a->used[WORD(s)] == ~0ULL) {
			s += 64;
			continue;
		}
		if (!bit_set(a, s))
			return s;
		s++;
	}
	return RECAP_SLOT_NONE;
}

unsigned long cap_alloc_one(struct cap_alloc *a)
{
	return cap_alloc_range(a, 1);
}

unsigned long cap_alloc_range(struct cap_alloc *a, unsigned long n)
{
	unsigned long first, s;

	if (n == 0 || n > RECAP_CAP_SLOTS - RECAP_USER_BASE_SLOT)
		return RECAP_SLOT_NONE;
	first = next_free(a, RECAP_USER_BASE_SLOT);
	while (first != RECAP_SLOT_NONE && first + n <= RECAP_CAP_SLOTS) {
		for (s = first; s < first + n && !bit_set(a, s); s++)
			;
		if (s == first + n) {
			for (s = first; s < first + n; s++)
				take(a, s);
			return first;
		}
		/* s is taken: no run can contain it; restart after it. */
		first = next_free(a, s + 1);
	}
	return RECAP_SLOT_NONE;
}

int cap_alloc_at(struct cap_alloc *a, unsigned long slot)
{
	if (!is_user_slot(slot))
		return RECAP_ERR_RANGE;
	if (bit_set(a, slot))
		return RECAP_ERR_EXIST;
	take(a, slot);
	return RECAP_OK;
}

int cap_alloc_free(struct cap_alloc *a, unsigned long slot)
{
	return cap_alloc_free_range(a, slot, 1);
}

int cap_alloc_free_range(struct cap_alloc *a, unsigned long first,
			 unsigned long n)
{
	unsigned long s;

	if (!is_user_slot(first) || n > RECAP_CAP_SLOTS - first)
		return RECAP_ERR_RANGE;
	for (s = first; s < first + n; s++)
		if (!bit_set(a, s))
			return RECAP_ERR_NOENT;
	for (s = first; s < first + n; s++)
		release(a, s);
	return RECAP_OK;
}

bool cap_alloc_used(struct cap_alloc const *a, unsigned long slot)
{
	return slot < RECAP_CAP_SLOTS && bit_set(a, slot);
}

unsigned long cap_alloc_avail(struct cap_alloc const *a)
{
	return RECAP_CAP_SLOTS - RECAP_USER_BASE_SLOT - a->nused;
}
