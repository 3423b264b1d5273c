/*
 * child_pd.h — PD handles (protocol: recap/child_pd.h): a component's way
 * to make and keep a child PD of its own.
 *
 * The handle is a session of the component that asked (its client), so it
 * closes, and the child it names goes, when the component closes it or
 * ends. The child is a struct child with owner = the component
 * (child.h): every session the handle opens has that child as its client.
 */
#pragma once

#include <recap/capability.h>

struct child;

/*
 * Make an empty PD for a child of owner, named label (owner's session
 * label, "owner -> asked"), quotas from args (ram_quota, cap_quota, taken
 * from owner's), and open a PD handle for it. RECAP_OK and *cap, or an
 * error as in recap/child_pd.h.
 */
int child_pd_open(struct child *owner, char const *label, char const *asked,
		  char const *args, struct recap_cap *cap);
