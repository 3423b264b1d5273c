/*
 * recap/badge.h — badges: the names RPC objects travel under.
 *
 * Core gives every RPC object (every IPC gate it creates for a server) a
 * badge and makes it the gate's label, as Genode core does on Fiasco.OC
 * (its "cap id"). A message through the gate arrives with label = badge |
 * the invoker's W/S rights, so badges are multiples of RECAP_BADGE_STEP:
 * the two low bits stay free for the rights.
 *
 * 0 is "no badge" (Genode's UNUSED); RECAP_BADGE_INVALID stands for an
 * invalid capability in a message (Genode's INVALID_ID). Neither is ever
 * allocated.
 */
#pragma once

typedef unsigned long recap_badge_t;

#define RECAP_BADGE_INVALID (~0UL)
#define RECAP_BADGE_STEP 4UL

/* The badge a received label names: the rights bits cleared. */
static inline recap_badge_t recap_label_badge(unsigned long label)
{
	return label & ~(RECAP_BADGE_STEP - 1);
}
