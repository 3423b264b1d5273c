/*
 * cap_sel.c — core's own capability slots (cap_sel.h), kept by lib/base's
 * capability index allocator, as Genode core keeps them in a
 * Cap_index_allocator.
 *
 * Its first-fit search starts at RECAP_USER_BASE_SLOT (0x200), which leaves
 * the root task's fixed slots alone. Its RECAP_CAP_SLOTS (4096) slots cap
 * what core can hold: about 600 children with a LOG session each, plenty
 * for now; Genode core has 128 Ki for the day this is not.
 */
#include <recap/cap_alloc.h>
#include <recap/cap_layout.h>
#include <recap/err.h>

#include "cap_sel.h"

static struct cap_alloc core_slots;

void cap_sel_init(void)
{
	cap_alloc_init(&core_slots);
}

l4_cap_idx_t cap_sel_alloc_range(unsigned long n)
{
	unsigned long slot = cap_alloc_range(&core_slots, n);

	return slot == RECAP_SLOT_NONE ? L4_INVALID_CAP : recap_slot_sel(slot);
}

l4_cap_idx_t cap_sel_alloc(void)
{
	return cap_sel_alloc_range(1);
}

void cap_sel_free(l4_cap_idx_t sel)
{
	if (l4_is_valid_cap(sel))
		cap_alloc_free(&core_slots, recap_sel_slot(sel));
}
