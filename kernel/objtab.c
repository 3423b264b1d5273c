/*
 * objtab — live kernel objects by id (open hashing), plus successor links.
 *
 * Invariants:
 *  - Every object between kobj_init (via objtab_add) and its free is in the
 *    table exactly once.
 *  - A successor link old_id -> o is dropped when o leaves the table.
 */
#include <stdlib.h>

#include "objtab.h"

#define OBJTAB_BUCKETS 4096

struct objtab_entry {
	uint64_t id;		/* the key: o->id, or an old id for successors */
	struct kobj *o;
	struct objtab_entry *next;
};

/* The object table is the kernel's state; it is the one global here. */
static struct objtab_entry *objtab_live[OBJTAB_BUCKETS];
static struct objtab_entry *objtab_succ[OBJTAB_BUCKETS];

static unsigned objtab_hash(uint64_t id)
{
	return (unsigned)((id * 0x9e3779b97f4a7c15ull) >> 52) % OBJTAB_BUCKETS;
}

static void objtab_put(struct objtab_entry **tab, uint64_t id, struct kobj *o)
{
	struct objtab_entry *e = malloc(sizeof(*e));
	if (!e)
		abort();	/* a few bytes; the kernel cannot go on without them */
	e->id = id;
	e->o = o;
	e->next = tab[objtab_hash(id)];
	tab[objtab_hash(id)] = e;
}

static struct kobj *objtab_get(struct objtab_entry **tab, uint64_t id)
{
	for (struct objtab_entry *e = tab[objtab_hash(id)]; e; e = e->next)
		if (e->id == id)
			return e->o;
	return NULL;
}

/* Drop every entry of tab that points at o (or, with id, that has that key). */
static void objtab_drop(struct objtab_entry **bucket, struct kobj *o)
{
	for (struct objtab_entry **pp = bucket; *pp;) {
		struct objtab_entry *e = *pp;
		if (e->o == o) {
			*pp = e->next;
			free(e);
		} else {
			pp = &e->next;
		}
	}
}

void objtab_add(struct kobj *o)
{
	objtab_put(objtab_live, o->id, o);
}

void objtab_remove(struct kobj *o)
{
	objtab_drop(&objtab_live[objtab_hash(o->id)], o);
	for (unsigned b = 0; b < OBJTAB_BUCKETS; b++)
		if (objtab_succ[b])
			objtab_drop(&objtab_succ[b], o);
}

struct kobj *objtab_find(uint64_t id)
{
	return objtab_get(objtab_live, id);
}

void objtab_set_successor(uint64_t old_id, struct kobj *o)
{
	objtab_put(objtab_succ, old_id, o);
}

struct kobj *objtab_resolve(uint64_t id)
{
	struct kobj *o = objtab_get(objtab_succ, id);
	return o ? o : objtab_find(id);
}

void objtab_for_each(enum kobj_kind kind, void (*fn)(struct kobj *, void *), void *arg)
{
	for (unsigned b = 0; b < OBJTAB_BUCKETS; b++)
		for (struct objtab_entry *e = objtab_live[b], *n; e; e = n) {
			n = e->next;	/* fn may remove the entry */
			if (e->o->kind == kind)
				fn(e->o, arg);
		}
}
