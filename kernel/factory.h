/*
 * factory — the Factory kernel object: creates tasks, threads, gates, IRQs.
 *
 * The new object is put into the caller's capability space at the slot its
 * first receive buffer names, as the root mapping (all rights, D included).
 */
#pragma once

#include <l4/sys/types.h>

#include "kobj.h"

struct thread;

struct factory {
	struct kobj kobj;
};

int factory_create(struct factory **out);

l4_msgtag_t factory_invoke(struct factory *f, unsigned rights,
			   struct thread *caller, l4_msgtag_t tag);
