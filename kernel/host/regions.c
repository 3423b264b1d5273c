/*
 * regions — what recapd has mapped into a task, and with which protection.
 *
 * The substrate needs it twice: dirty tracking scans only mapped ranges
 * (the PROT_NONE reserve around them is not registered with the stub's
 * userfaultfd, and PAGEMAP_SCAN would refuse it), and a fault's write flag
 * depends on the protection of the faulting page.
 *
 * Invariant: p->regions is sorted by start and its entries are disjoint;
 * mapping over an existing range replaces (and splits) what was there,
 * exactly as MAP_FIXED does in the stub.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host_internal.h"

/* Make room for `more` further entries, so that set() cannot fail. */
int host_regions_reserve(struct host_task_priv *p, unsigned more)
{
	unsigned want = p->nregions + more;
	struct host_region *r;

	if (want <= p->regions_cap)
		return 0;
	want = want < 2 * p->regions_cap ? 2 * p->regions_cap : want;
	r = realloc(p->regions, want * sizeof(*r));
	if (!r)
		return -ENOMEM;
	p->regions = r;
	p->regions_cap = want;
	return 0;
}

static void insert_at(struct host_task_priv *p, unsigned i,
		      struct host_region reg)
{
	memmove(&p->regions[i + 1], &p->regions[i],
		(p->nregions - i) * sizeof(reg));
	p->regions[i] = reg;
	p->nregions++;
}

static void remove_at(struct host_task_priv *p, unsigned i)
{
	memmove(&p->regions[i], &p->regions[i + 1],
		(p->nregions - i - 1) * sizeof(p->regions[0]));
	p->nregions--;
}

/* Cut [start, end) out of every region. Needs at most one spare entry. */
static void punch(struct host_task_priv *p, uint64_t start, uint64_t end)
{
	unsigned i = 0;

	while (i < p->nregions) {
		struct host_region *r = &p->regions[i];

		if (r->end <= start || r->start >= end) {
			i++;
		} else if (r->start < start && r->end > end) {
			struct host_region tail = { end, r->end, r->prot };

			r->end = start;
			insert_at(p, i + 1, tail);
			return;
		} else if (r->start < start) {
			r->end = start;
			i++;
		} else if (r->end > end) {
			r->start = end;
			i++;
		} else {
			remove_at(p, i);
		}
	}
}

/*
 * [start, end) is now mapped with prot, or unmapped if prot < 0. The caller
 * has reserved two spare entries (one split, one insertion).
 */
void host_regions_set(struct host_task_priv *p, uint64_t start, uint64_t end,
		      int prot)
{
	struct host_region reg = { start, end, prot };
	unsigned i = 0;

	punch(p, start, end);
	if (prot < 0)
		return;
	while (i < p->nregions && p->regions[i].start < start)
		i++;
	insert_at(p, i, reg);
}

/* Protection of the page at addr, or -1 if nothing is mapped there. */
int host_region_prot(struct host_task_priv const *p, uint64_t addr)
{
	unsigned lo = 0, hi = p->nregions;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		struct host_region const *r = &p->regions[mid];

		if (addr < r->start)
			hi = mid;
		else if (addr >= r->end)
			lo = mid + 1;
		else
			return r->prot;
	}
	return -1;
}
