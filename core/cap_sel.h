/*
 * cap_sel.h — slots of core's own capability space.
 *
 * Core names every object it creates (tasks, threads, gates, IRQs) by a
 * selector in its own space. The fixed slots of the root task (l4sys's
 * L4_BASE_*_CAP and L4X_BASE_HOST_CAP, all below 16) are never handed out.
 */
#pragma once

#include <l4/sys/types.h>

/* Set up the allocator; call once before anything else in core. */
void cap_sel_init(void);

/* A free selector, or L4_INVALID_CAP if core's space is full. */
l4_cap_idx_t cap_sel_alloc(void);

/* n consecutive free selectors (the first), or L4_INVALID_CAP. */
l4_cap_idx_t cap_sel_alloc_range(unsigned long n);

/* Give a selector back (its slot must be empty again: the caller deleted
 * or unmapped what it held). L4_INVALID_CAP is ignored. */
void cap_sel_free(l4_cap_idx_t sel);
