/*
 * objtab — the kernel's table of live objects, by kernel object id.
 *
 * Restoring a thread's pending call names its partner by id; the table
 * finds the object, or, for a thread that was re-created from a saved
 * state, its successor.
 */
#pragma once

#include <stdint.h>

#include "kobj.h"

void objtab_add(struct kobj *o);
void objtab_remove(struct kobj *o);
struct kobj *objtab_find(uint64_t id);

/* Record that the object with old_id now lives on as o (a restored thread). */
void objtab_set_successor(uint64_t old_id, struct kobj *o);

/* The object with id, or its successor if it was re-created; else NULL. */
struct kobj *objtab_resolve(uint64_t id);

/* Call fn for every live object of a kind. */
void objtab_for_each(enum kobj_kind kind, void (*fn)(struct kobj *, void *), void *arg);
