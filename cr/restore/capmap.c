/*
 * capmap.c — the child's cap map on restore, where some objects came back
 * under new labels (a copy restored beside its original, or a label taken
 * in this run): the entries of those objects in the cap map in the
 * child's restored memory are given the new labels (cap_map_rewrite, on
 * the map attached here), so that the child's view is consistent again.
 * Gates are found by comparing the image's labels with the kernel's now;
 * signal contexts, whose badge is core's name for an IRQ, by what
 * sessions.c saw core give them.
 *
 * The map is found through the runtime's symbol _recap_cap_map
 * (recap/cap_map.h) in the child's binary: a pointer to it, in the
 * restored memory. A child without that symbol (not built on lib/base)
 * is left as it is. The map works by slot indices, not pointers, so it
 * can be edited wherever it is attached.
 */
#include <recap/cap_map.h>
#include <recap/elf_load.h>
#include <recap/env_heap.h>
#include <recap/err.h>
#include <recap/region_map.h>
#include <recap/rom_session.h>
#include <recap/string.h>

#include "rst.h"

#define MAX_MOVES 512

struct move {
	recap_badge_t from, to;
};

/* The labels that changed: old (image) -> new (kernel, now). */
static unsigned moves_of(struct rst *r, struct move *mv)
{
	unsigned n = 0;

	for (unsigned i = 0; i < r->ncaps && n < MAX_MOVES; i++) {
		struct caps_entry const *e = &r->caps[i];
		struct recap_native_cap_info now;
		bool seen = false;

		if (e->kind != L4X_KIND_GATE || e->label == CAPS_NO_LABEL ||
		    recap_native_pd_cap_info_at(r->env, r->c->child.pd, e->slot, &now) != RECAP_OK ||
		    (now.label & ~3UL) == (e->label & ~3UL))
			continue;
		for (unsigned k = 0; k < n; k++)
			seen |= mv[k].from == (e->label & ~3UL);
		if (!seen)
			mv[n++] = (struct move){ e->label & ~3UL, now.label & ~3UL };
	}
	for (unsigned i = 0; i < r->nrenamed && n < MAX_MOVES; i++)
		mv[n++] = (struct move){ r->renamed[i].from, r->renamed[i].to };
	return n;
}

/* The restored dataspace and offset behind the child's address addr, for
 * len bytes in one attachment; false if none. */
static bool locate(struct rst *r, unsigned long addr, unsigned long len,
		   struct recap_ds *ds, unsigned long *offset)
{
	struct crfmt_iter it;
	struct crfmt_err ferr;
	struct crfmt_ds d;

	crfmt_iter_init(&it, r->regions.payload, r->regions.len);
	while (crfmt_regions_next(&it, &d, &ferr) == CRFMT_OK)
		for (size_t a = 0; a < d.n_attach; a++) {
			struct crfmt_attach const *at = &d.attach[a];

			if (addr < at->addr || addr - at->addr + len > at->size)
				continue;
			for (unsigned m = 0; m < r->nmap; m++)
				if (d.object && r->map[m].old_id == d.object) {
					*ds = (struct recap_ds){ .cap = r->map[m].cap,
								 .size = d.size };
					*offset = at->offset + (addr - at->addr);
					return true;
				}
		}
	return false;
}

/* The address of the child's _recap_cap_map, from its binary. */
static int symbol(struct rst *r, unsigned long *addr)
{
	struct recap_rom rom;
	int err = recap_rom_open(r->env, r->m.binary, &rom);

	if (err != RECAP_OK)
		return err;
	err = recap_elf_symbol(rom.data, rom.len, "_recap_cap_map", addr);
	recap_rom_close(r->env, &rom);
	return err;
}

/* Rewrite, retrying those that wait for another move to free their label. */
static int rewrite(struct rst *r, struct cap_map *map, struct move *mv, unsigned n)
{
	bool done[MAX_MOVES] = { false };
	unsigned left = n, before;

	do {
		before = left;
		for (unsigned i = 0; i < n; i++) {
			int err;

			if (done[i])
				continue;
			err = cap_map_rewrite(map, mv[i].from, mv[i].to);
			if (err == RECAP_ERR_EXIST)
				continue;
			/* Not in the map: an object the runtime never recorded. */
			done[i] = true;
			left--;
		}
	} while (left && left < before);
	if (left)
		return rst_fail(r, RECAP_ERR_EXIST, "cap map: %u labels go in a circle",
				left);
	return RECAP_OK;
}

/*
 * The map lives in the child's memory: it is checked before it is walked,
 * so that neither a child checkpointed before its runtime set the map up
 * (at its first instruction: all zeros, whose chains loop on slot 0) nor
 * one that wrote over it can make cr loop. Every link must name a used
 * slot, and all chains together hold at most every slot once.
 */
static bool map_sane(struct cap_map const *m)
{
	unsigned long seen = 0;

	for (unsigned b = 0; b < CAP_MAP_BUCKETS; b++)
		for (uint16_t s = m->bucket[b]; s != CAP_MAP_NIL; s = m->entry[s].next)
			if (s >= RECAP_CAP_SLOTS || !m->entry[s].used ||
			    ++seen > RECAP_CAP_SLOTS)
				return false;
	return true;
}

int rst_capmap(struct rst *r)
{
	struct move *mv;
	struct recap_ds ds;
	unsigned long sym, where, off;
	void *local;
	unsigned n;
	int err = recap_heap_alloc(r->env, MAX_MOVES * sizeof(*mv), (void **)&mv);

	if (err != RECAP_OK)
		return rst_fail(r, err, "out of memory");
	n = moves_of(r, mv);
	err = RECAP_OK;
	if (!n || symbol(r, &sym) != RECAP_OK)
		goto out;		/* nothing to do, or not a lib/base child */
	if (!locate(r, sym, sizeof(where), &ds, &off) ||
	    recap_rm_attach_rw(r->env, &ds, &local) != RECAP_OK) {
		err = rst_fail(r, RECAP_ERR_NOENT, "cap map: _recap_cap_map not in memory");
		goto out;
	}
	RECAP_STRING_NAME(memcpy)(&where, (char *)local + off, sizeof(where));
	recap_rm_detach(r->env, (unsigned long)local);
	if (!where)
		goto out;		/* not set up yet: no entries to rewrite */
	if (!locate(r, where, sizeof(struct cap_map), &ds, &off) ||
	    recap_rm_attach_rw(r->env, &ds, &local) != RECAP_OK) {
		err = rst_fail(r, RECAP_ERR_NOENT, "cap map at 0x%lx not in memory", where);
		goto out;
	}
	if (((struct cap_map *)((char *)local + off))->count == 0)
		err = RECAP_OK;		/* not set up yet, or empty: nothing to rewrite */
	else if (!map_sane((struct cap_map *)((char *)local + off)))
		err = rst_fail(r, RECAP_ERR_INVAL, "cap map at 0x%lx is corrupt", where);
	else
		err = rewrite(r, (struct cap_map *)((char *)local + off), mv, n);
	recap_rm_detach(r->env, (unsigned long)local);
out:
	recap_heap_free(r->env, mv);
	return err;
}
