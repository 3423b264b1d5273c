/*
 * ids.h — the kernel ids a child sees of its own threads and lock IRQs:
 * cr's, stable across a restore (ids.c).
 */
#pragma once

#include <l4/sys/x.h>

#include "../model.h"

/* The id the child knows thread i by (handed out on first use). */
unsigned long cr_ids_thread_vid(struct cr_child *c, unsigned i);

/* A kernel id as the child sees it: its own thread's or lock IRQ's as
 * cr's id, anything else unchanged. */
unsigned long cr_ids_to_child(struct cr_child *c, unsigned long id);

/* The kernel id for an id the child gave; a dead thread's stays as it is
 * (it names no kernel object). */
unsigned long cr_ids_from_child(struct cr_child *c, unsigned long vid);

/* self_id, partner_id and reply_to_id of a pending call, either way. */
void cr_ids_pending_to_child(struct cr_child *c, struct l4x_pending *p);
void cr_ids_pending_from_child(struct cr_child *c, struct l4x_pending *p);
