/*
 * hostobj — the host-extension object: recapd's l4x_ operations
 * (see l4/sys/x.h). Holding it with W is the privilege to use them.
 */
#pragma once

#include <l4/sys/types.h>

#include "kobj.h"

struct thread;

struct hostobj {
	struct kobj kobj;
};

int hostobj_create(struct hostobj **out);

l4_msgtag_t hostobj_invoke(struct hostobj *h, unsigned rights,
			   struct thread *caller, l4_msgtag_t tag);
