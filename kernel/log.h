/*
 * log — the kernel log object (Fiasco's Vlog): text output of whoever
 * holds it, written to recapd's standard output.
 */
#pragma once

#include <l4/sys/types.h>

#include "kobj.h"

struct thread;

struct log {
	struct kobj kobj;
};

int log_create(struct log **out);

/* l4_vcon_write: mr0 = L4_VCON_WRITE_OP, mr1 = length, text from mr2. */
l4_msgtag_t log_invoke(struct log *l, unsigned rights, struct thread *caller,
		       l4_msgtag_t tag);
