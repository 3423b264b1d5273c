/*
 * recap/capability.h — a capability as the runtime holds it: the badge it
 * travels under in RPC messages and the selector of the holder's copy.
 *
 * In a component the selector names a slot the cap map (recap/cap_map.h)
 * recorded for the badge; in core it names a slot of core's own space. The
 * pair is what Genode's Native_capability is on Fiasco.OC (a Cap_index:
 * slot plus id).
 */
#pragma once

#include <stdbool.h>

#include <l4/sys/consts.h>
#include <l4/sys/types.h>

#include <recap/badge.h>

struct recap_cap {
	recap_badge_t badge;	/* RECAP_BADGE_INVALID: the invalid capability */
	l4_cap_idx_t sel;	/* the holder's selector; L4_INVALID_CAP if invalid */
};

static inline struct recap_cap recap_cap_invalid(void)
{
	return (struct recap_cap){ .badge = RECAP_BADGE_INVALID,
				   .sel = L4_INVALID_CAP };
}

static inline bool recap_cap_valid(struct recap_cap c)
{
	return c.badge != RECAP_BADGE_INVALID && c.badge != 0 &&
	       l4_is_valid_cap(c.sel);
}
