/*
 * Unit tests for kernel/capspace.c: one test per rule of the Fiasco.OC
 * object-capability semantics (shared/reference/fiasco-genode-semantics.md
 * §1.3, §1.4, §1.7, §2) as the capspace.h contract states them.
 *
 * Objects are test-local fakes: "plain" objects without an obj_id, "gates"
 * whose obj_id is their label, and "tasks" that own a capability space and
 * finish it when destroyed. Their ops count destroy and free calls but never
 * release memory; the teardown does, so a count can be checked after the
 * kernel has "freed" an object.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "capspace.h"
#include "kerr.h"

#define SEL(i) ((l4_cap_idx_t)(i) << L4_CAP_SHIFT)
#define W L4_CAP_FPAGE_W
#define S L4_CAP_FPAGE_S
#define R L4_CAP_FPAGE_R
#define D L4_CAP_FPAGE_D
#define RWS (R | W | S)
#define RWSD (R | W | S | D)
#define OBJ_RIGHTS 0xe0
#define LAST_SLOT (CAPSPACE_SLOTS - 1)

/* ---------------------------------------------------------------- */
/* Fakes                                                             */

struct fake {
	struct kobj k;
	int destroys;
	int frees;
	unsigned long label;
};

struct ftask {
	struct kobj k;
	struct capspace cs;
	int destroys;
	int frees;
};

static struct fake *as_fake(struct kobj const *o)
{
	return (struct fake *)((char *)o - offsetof(struct fake, k));
}

static struct ftask *as_task(struct kobj const *o)
{
	return (struct ftask *)((char *)o - offsetof(struct ftask, k));
}

static void fake_destroy(struct kobj *o)
{
	as_fake(o)->destroys++;
}

static void fake_free(struct kobj *o)
{
	as_fake(o)->frees++;
}

static unsigned long fake_label(struct kobj const *o)
{
	return as_fake(o)->label;
}

static void task_destroy(struct kobj *o)
{
	struct ftask *t = as_task(o);

	t->destroys++;
	capspace_fini(&t->cs);
}

static void task_free(struct kobj *o)
{
	as_task(o)->frees++;
}

static const struct kobj_ops plain_ops = { "plain", fake_destroy, fake_free, NULL };
static const struct kobj_ops gate_ops = { "gate", fake_destroy, fake_free, fake_label };
static const struct kobj_ops task_ops = { "task", task_destroy, task_free, NULL };

/* Everything a test allocates, released by the teardown. */
static struct {
	struct capspace **spaces;
	int nspaces;
	struct ftask **tasks;
	int ntasks;
	struct fake **fakes;
	int nfakes;
} w;

static void *track(void *p, void *arrp, int *n)
{
	void ***arr = arrp;

	assert_non_null(p);
	if ((*n & (*n - 1)) == 0) {	/* 0, 1, 2, 4, ...: grow by doubling */
		*arr = realloc(*arr, sizeof(void *) * (size_t)(*n ? 2 * *n : 1));
		assert_non_null(*arr);
	}
	(*arr)[(*n)++] = p;
	return p;
}

static struct capspace *space(void)
{
	struct capspace *cs = track(malloc(sizeof(*cs)), &w.spaces, &w.nspaces);

	capspace_init(cs, NULL);
	return cs;
}

static struct fake *plain(void)
{
	struct fake *f = track(calloc(1, sizeof(*f)), &w.fakes, &w.nfakes);

	kobj_init(&f->k, KOBJ_IRQ, &plain_ops);
	return f;
}

static struct fake *gate(unsigned long label)
{
	struct fake *f = track(calloc(1, sizeof(*f)), &w.fakes, &w.nfakes);

	kobj_init(&f->k, KOBJ_GATE, &gate_ops);
	f->label = label;
	return f;
}

static struct ftask *task(void)
{
	struct ftask *t = track(calloc(1, sizeof(*t)), &w.tasks, &w.ntasks);

	kobj_init(&t->k, KOBJ_TASK, &task_ops);
	capspace_init(&t->cs, &t->k);
	return t;
}

static int setup(void **state)
{
	(void)state;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < w.nspaces; i++) {
		capspace_fini(w.spaces[i]);
		free(w.spaces[i]);
	}
	for (int i = 0; i < w.ntasks; i++)
		kobj_destroy(&w.tasks[i]->k);
	for (int i = 0; i < w.ntasks; i++) {
		assert_int_equal(w.tasks[i]->frees, 1);
		free(w.tasks[i]);
	}
	for (int i = 0; i < w.nfakes; i++) {
		assert_true(w.fakes[i]->destroys <= 1);
		assert_true(w.fakes[i]->frees <= 1);
		free(w.fakes[i]);
	}
	free(w.spaces);
	free(w.tasks);
	free(w.fakes);
	w.spaces = NULL;
	w.tasks = NULL;
	w.fakes = NULL;
	w.nspaces = w.ntasks = w.nfakes = 0;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Helpers                                                           */

static void root(struct capspace *cs, unsigned long index, struct fake *f)
{
	assert_int_equal(capspace_insert_root(cs, index, &f->k), KERR_OK);
}

/* l4_task_map(dst, src, l4_obj_fpage(si, 0, rights), di | ctl | L4_ITEM_MAP) */
static int map1(struct capspace *dst, unsigned long di, struct capspace *src,
		unsigned long si, unsigned rights, unsigned long ctl)
{
	return cap_map(dst, src, l4_obj_fpage(SEL(si), 0, (unsigned char)rights),
		       SEL(di) | L4_ITEM_MAP | ctl, ~0u);
}

static int unmap1(struct capspace *cs, unsigned long i, unsigned rights,
		  l4_umword_t mask)
{
	return cap_unmap(cs, l4_obj_fpage(SEL(i), 0, (unsigned char)rights), mask);
}

static struct kobj *obj_at(struct capspace *cs, unsigned long i)
{
	struct cap_slot *s = capspace_slot(cs, i);

	return s ? s->obj : NULL;
}

static unsigned rights_at(struct capspace *cs, unsigned long i)
{
	struct cap_slot *s = capspace_slot(cs, i);

	assert_non_null(s);
	return s->rights;
}

/*
 * Check the object's invariants: every listed slot names it and is found
 * where it claims to live, refcnt counts exactly the counted ones.
 * Returns the number of slots naming o.
 */
static unsigned long mappings(struct kobj *o)
{
	unsigned long n = 0, counted = 0;

	for (struct cap_slot *s = o->mappings; s; s = s->map_next) {
		assert_ptr_equal(s->obj, o);
		assert_ptr_equal(capspace_slot(s->space, s->index), s);
		if (s->map_next)
			assert_ptr_equal(s->map_next->map_prev, s);
		n++;
		counted += s->counted;
	}
	assert_int_equal(o->refcnt, counted);
	return n;
}

/* Check the space's invariants; returns its used count. */
static unsigned long used(struct capspace *cs)
{
	unsigned long n = 0, prev = 0;
	bool first = true;

	for (unsigned long i = capspace_next_used(cs, 0); i != CAPSPACE_NONE;
	     i = capspace_next_used(cs, i + 1)) {
		assert_true(first || i > prev);
		assert_non_null(capspace_slot(cs, i));
		prev = i;
		first = false;
		n++;
	}
	for (unsigned long c = 0; c < CAPSPACE_CHUNKS; c++) {
		unsigned long bits = 0;

		if (!cs->chunks[c])
			continue;
		for (unsigned long k = 0; k < CAPSPACE_CHUNK_SLOTS / 64; k++)
			bits += (unsigned long)__builtin_popcountll(cs->chunks[c]->bitmap[k]);
		assert_int_equal(cs->chunks[c]->used, bits);
	}
	assert_int_equal(cs->used, n);
	return n;
}

/* ---------------------------------------------------------------- */
/* The space                                                         */

static void t_init_empty(void **st)
{
	struct capspace *a = space();

	(void)st;
	assert_null(a->owner);
	assert_int_equal(a->used, 0);
	for (unsigned long c = 0; c < CAPSPACE_CHUNKS; c++)
		assert_null(a->chunks[c]);
	assert_int_equal(capspace_next_used(a, 0), CAPSPACE_NONE);
	assert_null(capspace_slot(a, 0));
	assert_null(capspace_lookup(a, SEL(0)));
}

static void t_root_gets_full_rights_counted(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();
	struct cap_slot *s;

	(void)st;
	root(a, 5, x);
	s = capspace_slot(a, 5);
	assert_non_null(s);
	assert_ptr_equal(s->obj, &x->k);
	assert_ptr_equal(s->space, a);
	assert_int_equal(s->index, 5);
	assert_int_equal(s->rights, W | S | D);
	assert_int_equal(s->ctl, OBJ_RIGHTS);
	assert_true(s->counted);
	assert_int_equal(x->k.refcnt, 1);
	assert_ptr_equal(x->k.mappings, s);
	assert_int_equal(used(a), 1);
	assert_non_null(a->chunks[0]);
	for (unsigned long c = 1; c < CAPSPACE_CHUNKS; c++)
		assert_null(a->chunks[c]);
}

static void t_root_out_of_range(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();

	(void)st;
	assert_int_equal(capspace_insert_root(a, CAPSPACE_SLOTS, &x->k), KERR_RANGE);
	assert_int_equal(capspace_insert_root(a, ~0UL, &x->k), KERR_RANGE);
	assert_int_equal(x->k.refcnt, 0);
	assert_int_equal(used(a), 0);
	root(a, LAST_SLOT, x);
	assert_ptr_equal(obj_at(a, LAST_SLOT), &x->k);
	assert_non_null(a->chunks[CAPSPACE_CHUNKS - 1]);
	assert_null(a->chunks[0]);
}

/* map_obj_initially: an occupant holding D is deleted globally. */
static void t_root_over_D_destroys_occupant(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);
	root(a, 1, y);
	assert_int_equal(x->destroys, 1);
	assert_int_equal(x->frees, 1);
	assert_true(x->k.destroyed);
	assert_null(capspace_slot(b, 1));
	assert_ptr_equal(obj_at(a, 1), &y->k);
	assert_int_equal(y->k.refcnt, 1);
	assert_int_equal(used(a), 1);
	assert_int_equal(used(b), 0);
}

static void t_root_over_no_D_releases_occupant(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 2, a, 1, RWS, 0), KERR_OK);
	root(b, 2, y);
	assert_int_equal(x->destroys, 0);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(mappings(&x->k), 1);
	assert_ptr_equal(obj_at(a, 1), &x->k);
	assert_ptr_equal(obj_at(b, 2), &y->k);
}

static void t_root_over_last_ref_destroys_occupant(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(a, 2, a, 1, RWS, 0), KERR_OK);
	cap_release(capspace_slot(a, 1));
	assert_int_equal(x->k.refcnt, 1);
	root(a, 2, y);
	assert_int_equal(x->destroys, 1);
	assert_int_equal(x->frees, 1);
	assert_ptr_equal(obj_at(a, 2), &y->k);
	assert_int_equal(used(a), 1);
}

static void t_root_same_object_upgrades_in_place(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();
	struct cap_slot *s;

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(a, 2, a, 1, R, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	root(a, 2, x);
	s = capspace_slot(a, 2);
	assert_int_equal(s->rights, W | S | D);
	assert_int_equal(s->ctl, OBJ_RIGHTS);
	assert_true(s->counted);
	assert_int_equal(x->k.refcnt, 2);
	assert_int_equal(mappings(&x->k), 2);
	assert_int_equal(x->destroys, 0);
	/* Even over a slot of o holding D: o is not destroyed. */
	root(a, 1, x);
	assert_int_equal(rights_at(a, 1), W | S | D);
	assert_int_equal(x->k.refcnt, 2);
	assert_int_equal(x->destroys, 0);
	assert_false(x->k.destroyed);
}

static void t_root_into_dead_space(void **st)
{
	struct ftask *t = task();
	struct fake *x = plain();

	(void)st;
	kobj_pin(&t->k);
	kobj_destroy(&t->k);
	assert_int_equal(capspace_insert_root(&t->cs, 1, &x->k), KERR_NOENT);
	assert_int_equal(x->k.refcnt, 0);
	assert_int_equal(t->cs.used, 0);
	assert_null(t->cs.chunks[0]);
	kobj_unpin(&t->k);
	assert_int_equal(t->frees, 1);
}

static void t_lookup_selectors(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();

	(void)st;
	root(a, 3, x);
	assert_ptr_equal(capspace_lookup(a, SEL(3))->obj, &x->k);
	assert_ptr_equal(capspace_lookup(a, SEL(3) | 0x3ff)->obj, &x->k);
	assert_null(capspace_lookup(a, SEL(3) | L4_INVALID_CAP_BIT));
	assert_null(capspace_lookup(a, L4_INVALID_CAP));
	assert_null(capspace_lookup(a, SEL(4)));		/* empty, chunk exists */
	assert_null(capspace_lookup(a, SEL(5000)));	/* no chunk */
	assert_null(capspace_lookup(a, SEL(CAPSPACE_SLOTS)));
	assert_null(capspace_lookup(a, SEL(CAPSPACE_SLOTS + 3)));
	assert_null(capspace_slot(a, CAPSPACE_SLOTS));
}

/* ---------------------------------------------------------------- */
/* Map                                                               */

static void t_map_copies(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();
	struct cap_slot *s;

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 7, a, 1, RWS, 0), KERR_OK);
	s = capspace_slot(b, 7);
	assert_non_null(s);
	assert_ptr_equal(s->obj, &x->k);
	assert_int_equal(s->rights, W | S);
	assert_int_equal(s->ctl, 0);
	assert_true(s->counted);
	assert_int_equal(x->k.refcnt, 2);
	assert_int_equal(mappings(&x->k), 2);
	assert_int_equal(rights_at(a, 1), W | S | D);	/* source untouched */
	assert_int_equal(used(a), 1);
	assert_int_equal(used(b), 1);
}

static void t_map_rights_intersect_source(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(a, 2, a, 1, R | W, 0), KERR_OK);
	assert_int_equal(rights_at(a, 2), W);
	assert_int_equal(map1(b, 1, a, 2, RWSD, 0), KERR_OK);
	assert_int_equal(rights_at(b, 1), W);
	assert_int_equal(map1(b, 2, a, 1, R, 0), KERR_OK);	/* read-only */
	assert_int_equal(rights_at(b, 2), 0);
	assert_ptr_equal(obj_at(b, 2), &x->k);
	assert_int_equal(x->k.refcnt, 4);
}

static void t_map_without_R_maps_nothing(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	root(b, 8, y);
	assert_int_equal(map1(b, 7, a, 1, W | S | D, 0), KERR_OK);
	assert_int_equal(map1(b, 8, a, 1, W | S | D, 0), KERR_OK);
	assert_int_equal(cap_transfer(b, 7, a, 1, W | S | D, 0, false), KERR_OK);
	assert_null(capspace_slot(b, 7));
	assert_ptr_equal(obj_at(b, 8), &y->k);		/* occupant untouched */
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(y->destroys, 0);
	assert_int_equal(used(b), 1);
}

static void t_map_D_only_if_requested_and_held(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);	/* Genode's 7 */
	assert_int_equal(rights_at(b, 1), W | S);
	assert_int_equal(map1(b, 2, a, 1, RWSD, 0), KERR_OK);
	assert_int_equal(rights_at(b, 2), W | S | D);
	assert_int_equal(map1(b, 3, b, 1, RWSD, 0), KERR_OK);	/* not held */
	assert_int_equal(rights_at(b, 3), W | S);
	assert_int_equal(map1(b, 4, a, 1, R | D, 0), KERR_OK);
	assert_int_equal(rights_at(b, 4), D);
}

static void t_map_rights_mask(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(SEL(1), 0, RWSD),
				 SEL(1) | L4_ITEM_MAP, ~(unsigned)S), KERR_OK);
	assert_int_equal(rights_at(b, 1), W | D);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(SEL(1), 0, RWSD),
				 SEL(2) | L4_ITEM_MAP, ~(unsigned)R), KERR_OK);
	assert_null(capspace_slot(b, 2));
	assert_int_equal(x->k.refcnt, 2);
}

static void t_map_obj_rights_intersect(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(capspace_slot(b, 1)->ctl, 0);
	assert_int_equal(map1(b, 2, a, 1, RWS,
			      L4_FPAGE_C_OBJ_RIGHT1 | L4_FPAGE_C_OBJ_RIGHT2), KERR_OK);
	assert_int_equal(capspace_slot(b, 2)->ctl, 0x60);
	assert_int_equal(map1(b, 3, b, 2, RWS,
			      L4_FPAGE_C_OBJ_RIGHT1 | L4_FPAGE_C_OBJ_RIGHT3), KERR_OK);
	assert_int_equal(capspace_slot(b, 3)->ctl, 0x20);
	assert_int_equal(map1(b, 4, a, 1, RWS, 0xf0), KERR_OK);
	assert_int_equal(capspace_slot(b, 4)->ctl, OBJ_RIGHTS);	/* not 0x10 */
	assert_false(capspace_slot(b, 4)->counted);
	assert_int_equal(cap_transfer(b, 5, a, 1, RWS, L4_FPAGE_C_OBJ_RIGHT2, false),
			 KERR_OK);
	assert_int_equal(capspace_slot(b, 5)->ctl, 0x40);
}

static void t_map_weak(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();
	struct cap_slot *s;

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	s = capspace_slot(b, 1);
	assert_non_null(s);
	assert_false(s->counted);
	assert_int_equal(s->rights, W | S);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(mappings(&x->k), 2);
	/* A weak slot does not keep the object: the last counted one goes. */
	cap_release(capspace_slot(a, 1));
	assert_int_equal(x->destroys, 1);
	assert_int_equal(x->frees, 1);
	assert_null(capspace_slot(b, 1));
	assert_int_equal(used(b), 0);
}

static void t_map_weak_release_keeps_object(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	assert_int_equal(unmap1(b, 1, RWSD, L4_FP_ALL_SPACES), KERR_OK);
	assert_null(capspace_slot(b, 1));
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(x->destroys, 0);
	assert_int_equal(mappings(&x->k), 1);
}

/* Fiasco intersects the counted flag like a right. */
static void t_map_from_weak_is_weak(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	assert_int_equal(map1(b, 2, b, 1, RWS, 0), KERR_OK);
	assert_false(capspace_slot(b, 2)->counted);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(mappings(&x->k), 3);
}

static void t_map_empty_source(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	root(b, 7, y);
	assert_int_equal(map1(b, 7, a, 2, RWSD, 0), KERR_OK);	/* chunk, empty */
	assert_int_equal(map1(b, 7, a, 5000, RWSD, 0), KERR_OK);	/* no chunk */
	assert_int_equal(map1(b, 9, a, 2, RWSD, L4_MAP_ITEM_GRANT), KERR_OK);
	assert_int_equal(cap_transfer(b, 7, a, 2, RWSD, 0, false), KERR_OK);
	assert_int_equal(cap_transfer(b, 7, a, 5000, RWSD, 0, true), KERR_OK);
	assert_ptr_equal(obj_at(b, 7), &y->k);
	assert_int_equal(rights_at(b, 7), W | S | D);
	assert_int_equal(y->k.refcnt, 1);
	assert_int_equal(y->destroys, 0);
	assert_null(capspace_slot(b, 9));
	assert_null(a->chunks[5000 / CAPSPACE_CHUNK_SLOTS]);
	assert_int_equal(used(b), 1);
	assert_int_equal(used(a), 1);
}

static void t_overmap_D_destroys_globally(void **st)
{
	struct capspace *a = space(), *b = space(), *c = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	root(b, 7, y);
	assert_int_equal(map1(c, 4, b, 7, RWS, 0), KERR_OK);
	assert_int_equal(map1(b, 7, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(y->destroys, 1);
	assert_int_equal(y->frees, 1);
	assert_null(capspace_slot(c, 4));
	assert_ptr_equal(obj_at(b, 7), &x->k);
	assert_int_equal(rights_at(b, 7), W | S);
	assert_int_equal(x->k.refcnt, 2);
	assert_int_equal(used(b), 1);
	assert_int_equal(used(c), 0);
}

static void t_overmap_no_D_drops_count(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	root(b, 2, y);
	assert_int_equal(map1(b, 7, b, 2, RWS, 0), KERR_OK);
	assert_int_equal(y->k.refcnt, 2);
	assert_int_equal(map1(b, 7, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(y->destroys, 0);
	assert_int_equal(y->k.refcnt, 1);
	assert_int_equal(mappings(&y->k), 1);
	assert_ptr_equal(obj_at(b, 2), &y->k);
	assert_ptr_equal(obj_at(b, 7), &x->k);
}

static void t_overmap_no_D_last_ref_destroys(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	root(b, 2, y);
	assert_int_equal(map1(b, 7, b, 2, RWS, 0), KERR_OK);
	assert_int_equal(map1(b, 8, b, 2, RWS, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	cap_release(capspace_slot(b, 2));
	assert_int_equal(y->k.refcnt, 1);
	assert_int_equal(map1(b, 7, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(y->destroys, 1);
	assert_null(capspace_slot(b, 8));	/* its weak copy went too */
	assert_ptr_equal(obj_at(b, 7), &x->k);
	assert_int_equal(used(b), 1);
}

static void t_overmap_weak_occupant(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	root(b, 2, y);
	assert_int_equal(map1(b, 7, b, 2, RWSD, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	assert_int_equal(rights_at(b, 7), W | S | D);
	/* A weak occupant with D is still deleted globally. */
	assert_int_equal(map1(b, 7, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(y->destroys, 1);
	assert_null(capspace_slot(b, 2));
	assert_ptr_equal(obj_at(b, 7), &x->k);
}

static void t_map_onto_itself_is_noop(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();
	struct cap_slot *s;

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(a, 1, a, 1, R, 0), KERR_OK);
	assert_int_equal(map1(a, 1, a, 1, RWS, L4_MAP_ITEM_GRANT | L4_FPAGE_C_NO_REF_CNT),
			 KERR_OK);
	assert_int_equal(cap_transfer(a, 1, a, 1, R, 0, true), KERR_OK);
	s = capspace_slot(a, 1);
	assert_non_null(s);
	assert_int_equal(s->rights, W | S | D);
	assert_int_equal(s->ctl, OBJ_RIGHTS);
	assert_true(s->counted);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(x->destroys, 0);
	assert_int_equal(used(a), 1);
}

/* Documented choice: same object elsewhere -> attributes replaced in place. */
static void t_map_same_object_replaces(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();
	struct cap_slot *s;

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(a, 2, a, 1, RWSD, 0), KERR_OK);
	assert_int_equal(rights_at(a, 2), W | S | D);
	/* Overmapping a D slot of x with x must not destroy x. */
	assert_int_equal(map1(a, 2, a, 1, R | S, L4_FPAGE_C_OBJ_RIGHT1), KERR_OK);
	s = capspace_slot(a, 2);
	assert_ptr_equal(s->obj, &x->k);
	assert_int_equal(s->rights, S);
	assert_int_equal(s->ctl, 0x20);
	assert_true(s->counted);
	assert_int_equal(x->k.refcnt, 2);
	assert_int_equal(mappings(&x->k), 2);
	assert_int_equal(x->destroys, 0);
	/* ... and it can upgrade again. */
	assert_int_equal(map1(a, 2, a, 1, RWSD, 0), KERR_OK);
	assert_int_equal(rights_at(a, 2), W | S | D);
	assert_int_equal(x->k.refcnt, 2);
}

static void t_map_same_object_weak_drops_count(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(map1(b, 2, a, 1, RWS, 0), KERR_OK);
	cap_release(capspace_slot(a, 1));
	assert_int_equal(x->k.refcnt, 2);
	assert_int_equal(map1(b, 2, b, 1, RWS, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	assert_false(capspace_slot(b, 2)->counted);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(x->destroys, 0);
	assert_int_equal(mappings(&x->k), 2);
	cap_release(capspace_slot(b, 1));
	assert_int_equal(x->destroys, 1);
	assert_null(capspace_slot(b, 2));
}

static void t_map_order(void **st)
{
	struct capspace *a = space(), *b = space(), *c = space();
	struct fake *x[8], *y = plain();

	(void)st;
	for (int i = 0; i < 8; i++) {
		x[i] = plain();
		if (i != 2)
			root(a, 8 + (unsigned long)i, x[i]);
	}
	root(b, 18, y);		/* opposite the empty a:10 */
	assert_int_equal(cap_map(b, a, l4_obj_fpage(SEL(8), 3, RWS),
				 SEL(16) | L4_ITEM_MAP, ~0u), KERR_OK);
	for (int i = 0; i < 8; i++) {
		if (i == 2)
			continue;
		assert_ptr_equal(obj_at(b, 16 + (unsigned long)i), &x[i]->k);
		assert_int_equal(rights_at(b, 16 + (unsigned long)i), W | S);
		assert_int_equal(x[i]->k.refcnt, 2);
	}
	assert_ptr_equal(obj_at(b, 18), &y->k);
	assert_int_equal(used(b), 8);
	/* Both bases are aligned down to 2^order (Fiasco's mask_lsb). */
	assert_int_equal(cap_map(c, a, l4_obj_fpage(SEL(13), 3, RWS),
				 SEL(37) | L4_ITEM_MAP, ~0u), KERR_OK);
	assert_int_equal(used(c), 7);
	assert_ptr_equal(obj_at(c, 32), &x[0]->k);
	assert_ptr_equal(obj_at(c, 37), &x[5]->k);
	assert_ptr_equal(obj_at(c, 39), &x[7]->k);
	assert_null(capspace_slot(c, 34));
	assert_null(capspace_slot(c, 40));
}

static void t_map_order_20_whole_space(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain(), *z = plain();

	(void)st;
	root(a, 0, x);
	root(a, 70000, y);
	root(a, LAST_SLOT, z);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(0, 20, RWS), L4_ITEM_MAP, ~0u),
			 KERR_OK);
	assert_int_equal(used(b), 3);
	assert_ptr_equal(obj_at(b, 0), &x->k);
	assert_ptr_equal(obj_at(b, 70000), &y->k);
	assert_ptr_equal(obj_at(b, LAST_SLOT), &z->k);
	assert_int_equal(capspace_next_used(b, 1), 70000);
	/* Grant of the whole space moves everything. */
	assert_int_equal(cap_map(a, b, l4_obj_fpage(0, 20, RWSD),
				 L4_ITEM_MAP | L4_MAP_ITEM_GRANT, ~0u), KERR_OK);
	assert_int_equal(used(b), 0);
	assert_int_equal(used(a), 3);
	/* Each a:i already named the granted object: replaced in place. */
	assert_int_equal(rights_at(a, 0), W | S);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(mappings(&y->k), 1);
	assert_int_equal(x->destroys + y->destroys + z->destroys, 0);
}

static void t_map_not_an_object_fpage(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(cap_map(b, a, l4_fpage(SEL(1), 12, L4_FPAGE_RWX),
				 SEL(1) | L4_ITEM_MAP, ~0u), KERR_INVAL);
	assert_int_equal(cap_map(b, a, l4_iofpage(1, 0), SEL(1) | L4_ITEM_MAP, ~0u),
			 KERR_INVAL);
	assert_int_equal(cap_map(b, a, l4_fpage_all(), SEL(1) | L4_ITEM_MAP, ~0u),
			 KERR_INVAL);
	assert_int_equal(used(b), 0);
	assert_int_equal(x->k.refcnt, 1);
}

static void t_map_out_of_range(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(0, 21, RWS), L4_ITEM_MAP, ~0u),
			 KERR_RANGE);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(SEL(CAPSPACE_SLOTS), 0, RWS),
				 SEL(1) | L4_ITEM_MAP, ~0u), KERR_RANGE);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(SEL(1), 0, RWS),
				 SEL(CAPSPACE_SLOTS) | L4_ITEM_MAP, ~0u), KERR_RANGE);
	assert_int_equal(cap_transfer(b, CAPSPACE_SLOTS, a, 1, RWS, 0, false),
			 KERR_RANGE);
	assert_int_equal(cap_transfer(b, 1, a, CAPSPACE_SLOTS, RWS, 0, false),
			 KERR_RANGE);
	assert_int_equal(used(b), 0);
	assert_int_equal(x->k.refcnt, 1);
	/* The last slot is in range, as source and as destination. */
	assert_int_equal(map1(b, LAST_SLOT, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(map1(a, LAST_SLOT, b, LAST_SLOT, RWS, 0), KERR_OK);
	assert_int_equal(x->k.refcnt, 3);
}

static void t_map_into_dead_space(void **st)
{
	struct capspace *a = space();
	struct ftask *t = task();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	kobj_pin(&t->k);
	kobj_destroy(&t->k);
	assert_int_equal(map1(&t->cs, 1, a, 1, RWS, 0), KERR_NOENT);
	assert_int_equal(cap_transfer(&t->cs, 1, a, 1, RWS, 0, true), KERR_NOENT);
	assert_int_equal(t->cs.used, 0);
	assert_null(t->cs.chunks[0]);
	assert_ptr_equal(obj_at(a, 1), &x->k);
	assert_int_equal(x->k.refcnt, 1);
	kobj_unpin(&t->k);
}

/* The occupant is dst's own task cap with D: dst dies, nothing is mapped. */
static void t_overmap_cascade_kills_destination(void **st)
{
	struct capspace *a = space();
	struct ftask *t = task();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(capspace_insert_root(&t->cs, 1, &t->k), KERR_OK);
	assert_int_equal(map1(&t->cs, 1, a, 1, RWS, 0), KERR_NOENT);
	assert_int_equal(t->destroys, 1);
	assert_int_equal(t->frees, 1);
	assert_null(t->cs.chunks[0]);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(mappings(&x->k), 1);
}

/* Releasing the occupant finishes the source space: "empty map". */
static void t_overmap_cascade_empties_source(void **st)
{
	struct capspace *a = space();
	struct ftask *t = task();
	struct fake *x = plain();

	(void)st;
	root(&t->cs, 1, x);
	assert_int_equal(capspace_insert_root(a, 5, &t->k), KERR_OK);
	assert_int_equal(map1(a, 5, &t->cs, 1, RWS, 0), KERR_OK);
	assert_int_equal(t->destroys, 1);
	assert_int_equal(t->frees, 1);
	assert_int_equal(x->destroys, 1);
	assert_null(capspace_slot(a, 5));
	assert_int_equal(used(a), 0);
}

/* ---------------------------------------------------------------- */
/* Grant                                                             */

static void t_grant_moves(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();
	struct cap_slot *s;

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 5, a, 1, RWSD, L4_MAP_ITEM_GRANT), KERR_OK);
	assert_null(capspace_slot(a, 1));
	s = capspace_slot(b, 5);
	assert_non_null(s);
	assert_ptr_equal(s->obj, &x->k);
	assert_int_equal(s->rights, W | S | D);
	assert_true(s->counted);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(mappings(&x->k), 1);
	assert_int_equal(x->destroys, 0);
	assert_int_equal(used(a), 0);
	assert_int_equal(used(b), 1);
	/* cap_transfer's grant flag does the same. */
	assert_int_equal(cap_transfer(a, 9, b, 5, RWS, 0, true), KERR_OK);
	assert_null(capspace_slot(b, 5));
	assert_int_equal(rights_at(a, 9), W | S);
	assert_int_equal(x->k.refcnt, 1);
}

static void t_grant_without_R_skipped(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 5, a, 1, W | S | D, L4_MAP_ITEM_GRANT), KERR_OK);
	assert_ptr_equal(obj_at(a, 1), &x->k);
	assert_int_equal(rights_at(a, 1), W | S | D);
	assert_null(capspace_slot(b, 5));
	assert_int_equal(x->k.refcnt, 1);
}

static void t_grant_counted_to_weak_last_ref_destroys(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 5, a, 1, RWS,
			      L4_MAP_ITEM_GRANT | L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	assert_int_equal(x->destroys, 1);
	assert_int_equal(x->frees, 1);
	assert_null(capspace_slot(a, 1));
	assert_null(capspace_slot(b, 5));
}

static void t_grant_counted_to_weak_shared(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(a, 2, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(map1(b, 5, a, 2, RWS,
			      L4_MAP_ITEM_GRANT | L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	assert_int_equal(x->destroys, 0);
	assert_int_equal(x->k.refcnt, 1);
	assert_false(capspace_slot(b, 5)->counted);
	assert_null(capspace_slot(a, 2));
	assert_int_equal(mappings(&x->k), 2);
}

static void t_grant_onto_occupied(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	root(b, 5, y);
	assert_int_equal(map1(b, 5, a, 1, RWS, L4_MAP_ITEM_GRANT), KERR_OK);
	assert_int_equal(y->destroys, 1);
	assert_ptr_equal(obj_at(b, 5), &x->k);
	assert_null(capspace_slot(a, 1));
	assert_int_equal(x->k.refcnt, 1);
}

static void t_grant_onto_same_object(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(a, 2, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(map1(a, 1, a, 2, RWS, L4_MAP_ITEM_GRANT), KERR_OK);
	assert_null(capspace_slot(a, 2));
	assert_int_equal(rights_at(a, 1), W | S);	/* replaced: D gone */
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(mappings(&x->k), 1);
	assert_int_equal(x->destroys, 0);
}

/* ---------------------------------------------------------------- */
/* Unmap                                                             */

static void t_unmap_other_spaces_noop(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(unmap1(a, 1, RWSD, L4_FP_OTHER_SPACES), KERR_OK);
	assert_int_equal(unmap1(a, 1, RWSD, 0x40000000), KERR_OK);	/* no ALL */
	assert_int_equal(rights_at(a, 1), W | S | D);
	assert_int_equal(rights_at(b, 1), W | S);
	assert_int_equal(x->k.refcnt, 2);
}

static void t_unmap_all_without_R_strips_WS_here(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(unmap1(a, 1, W, L4_FP_ALL_SPACES), KERR_OK);
	assert_int_equal(rights_at(a, 1), S | D);
	assert_int_equal(unmap1(a, 1, S | D, L4_FP_DELETE_OBJ), KERR_OK);
	assert_int_equal(rights_at(a, 1), D);		/* D never stripped */
	assert_int_equal(rights_at(b, 1), W | S);	/* other space untouched */
	assert_int_equal(x->k.refcnt, 2);
	assert_int_equal(x->destroys, 0);
}

static void t_unmap_all_with_R_releases_own_slot(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);
	/* Even a slot with D is only released under ALL_SPACES. */
	assert_int_equal(unmap1(a, 1, RWSD, L4_FP_ALL_SPACES), KERR_OK);
	assert_null(capspace_slot(a, 1));
	assert_ptr_equal(obj_at(b, 1), &x->k);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(x->destroys, 0);
	assert_int_equal(used(a), 0);
}

static void t_unmap_flat_no_revocation_of_copies(void **st)
{
	struct capspace *a = space(), *b = space(), *c = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(map1(c, 1, b, 1, RWS, 0), KERR_OK);	/* b hands on */
	assert_int_equal(unmap1(b, 1, RWS, L4_FP_ALL_SPACES), KERR_OK);
	assert_null(capspace_slot(b, 1));
	assert_ptr_equal(obj_at(c, 1), &x->k);	/* no derivation tree */
	assert_int_equal(x->k.refcnt, 2);
}

static void t_unmap_all_last_ref_destroys(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	assert_int_equal(unmap1(a, 1, R, L4_FP_ALL_SPACES), KERR_OK);
	assert_int_equal(x->destroys, 1);
	assert_int_equal(x->frees, 1);
	assert_null(capspace_slot(a, 1));
	assert_null(capspace_slot(b, 1));
	assert_true(x->k.destroyed);
}

static void t_unmap_delete_obj_with_D_revokes_everywhere(void **st)
{
	struct capspace *a = space(), *b = space(), *c = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	root(a, 3, y);
	assert_int_equal(map1(a, 2, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(map1(b, 3, a, 1, RWSD, 0), KERR_OK);
	assert_int_equal(map1(b, 4, a, 1, RWS, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	assert_int_equal(map1(c, 1000, b, 3, RWS, 0), KERR_OK);
	assert_int_equal(map1(c, LAST_SLOT, a, 2, R, 0), KERR_OK);
	assert_int_equal(mappings(&x->k), 6);
	/* b's copy holds D, so b can delete the object for everyone. */
	assert_int_equal(unmap1(b, 3, RWSD, L4_FP_DELETE_OBJ), KERR_OK);
	assert_int_equal(x->destroys, 1);
	assert_int_equal(x->frees, 1);
	assert_int_equal(x->k.refcnt, 0);
	assert_null(x->k.mappings);
	assert_int_equal(used(a), 1);
	assert_ptr_equal(obj_at(a, 3), &y->k);
	assert_int_equal(used(b), 0);
	assert_int_equal(used(c), 0);
	assert_int_equal(capspace_next_used(c, 0), CAPSPACE_NONE);
}

static void t_unmap_delete_obj_without_D_releases(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);
	assert_int_equal(unmap1(b, 1, RWSD, L4_FP_DELETE_OBJ), KERR_OK);
	assert_null(capspace_slot(b, 1));
	assert_ptr_equal(obj_at(a, 1), &x->k);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(x->destroys, 0);
	/* Without D and as the last counted reference, it goes by refcount. */
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);
	cap_release(capspace_slot(a, 1));
	assert_int_equal(unmap1(b, 1, RWSD, L4_FP_DELETE_OBJ), KERR_OK);
	assert_int_equal(x->destroys, 1);
}

static void t_unmap_order_range(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();

	(void)st;
	root(a, 0, x);
	for (unsigned long i = 1; i < 32; i++)
		assert_int_equal(map1(a, i, a, 0, RWS, 0), KERR_OK);
	assert_int_equal(cap_unmap(a, l4_obj_fpage(SEL(16), 4, RWSD), L4_FP_ALL_SPACES),
			 KERR_OK);
	assert_int_equal(used(a), 16);
	assert_int_equal(capspace_next_used(a, 16), CAPSPACE_NONE);
	/* Base aligned down: SEL(5) with order 2 covers 4..7. */
	assert_int_equal(cap_unmap(a, l4_obj_fpage(SEL(5), 2, RWS), L4_FP_ALL_SPACES),
			 KERR_OK);
	assert_int_equal(used(a), 12);
	assert_non_null(capspace_slot(a, 3));
	assert_null(capspace_slot(a, 4));
	assert_null(capspace_slot(a, 7));
	assert_non_null(capspace_slot(a, 8));
	assert_int_equal(x->k.refcnt, 12);
	assert_int_equal(x->destroys, 0);
}

static void t_unmap_order_20(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 0, x);
	root(a, LAST_SLOT, y);
	assert_int_equal(map1(a, 70000, a, 0, RWS, 0), KERR_OK);
	assert_int_equal(map1(b, 0, a, 0, RWS, 0), KERR_OK);
	assert_int_equal(cap_unmap(a, l4_obj_fpage(0, 20, RWSD), L4_FP_DELETE_OBJ),
			 KERR_OK);
	assert_int_equal(used(a), 0);
	assert_int_equal(used(b), 0);
	assert_int_equal(x->destroys, 1);
	assert_int_equal(y->destroys, 1);
}

static void t_unmap_bad_fpage(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(cap_unmap(a, l4_fpage(SEL(1), 12, L4_FPAGE_RWX),
				   L4_FP_ALL_SPACES), KERR_INVAL);
	assert_int_equal(cap_unmap(a, l4_obj_fpage(0, 21, RWSD), L4_FP_ALL_SPACES),
			 KERR_RANGE);
	assert_int_equal(cap_unmap(a, l4_obj_fpage(SEL(CAPSPACE_SLOTS), 0, RWSD),
				   L4_FP_ALL_SPACES), KERR_RANGE);
	assert_ptr_equal(obj_at(a, 1), &x->k);
}

static void t_release(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	cap_release(&a->chunks[0]->slots[2]);		/* empty: no-op */
	cap_release_full(&a->chunks[0]->slots[2]);
	assert_int_equal(used(a), 1);
	assert_int_equal(map1(a, 2, a, 1, RWS, 0), KERR_OK);
	cap_release(capspace_slot(a, 1));		/* D, but only a release */
	assert_int_equal(x->destroys, 0);
	assert_int_equal(map1(a, 3, a, 2, RWS, 0), KERR_OK);
	assert_int_equal(map1(a, 1, a, 2, RWS, 0), KERR_OK);
	cap_release_full(capspace_slot(a, 1));		/* no D: a release */
	assert_int_equal(x->destroys, 0);
	assert_int_equal(x->k.refcnt, 2);
}

/* ---------------------------------------------------------------- */
/* Queries                                                           */

static void t_cap_valid(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	root(a, LAST_SLOT, x);
	assert_int_equal(cap_valid(a, SEL(1)), 1);
	assert_int_equal(cap_valid(a, SEL(1) | 1), 1);
	assert_int_equal(cap_valid(a, SEL(LAST_SLOT)), 1);
	assert_int_equal(cap_valid(a, SEL(2)), 0);
	assert_int_equal(cap_valid(a, SEL(0)), 0);
	assert_int_equal(cap_valid(a, SEL(1) | L4_INVALID_CAP_BIT), 0);
	assert_int_equal(cap_valid(a, L4_INVALID_CAP), 0);
	assert_int_equal(cap_valid(a, SEL(CAPSPACE_SLOTS) | SEL(1)), 0);
}

static void t_cap_equal_same_object(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(map1(a, 2, a, 1, R, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	assert_int_equal(cap_equal(a, SEL(1), SEL(2)), 1);	/* rights differ */
	assert_int_equal(cap_equal(a, SEL(1), SEL(1)), 1);
}

static void t_cap_equal_distinct_plain_objects(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain(), *y = plain();

	(void)st;
	root(a, 1, x);
	root(a, 2, y);
	assert_int_equal(kobj_obj_id(&x->k), ~0UL);
	assert_int_equal(cap_equal(a, SEL(1), SEL(2)), 0);
}

static void t_cap_equal_gate_labels(void **st)
{
	struct capspace *a = space();
	struct fake *g1 = gate(0x100), *g2 = gate(0x100), *g3 = gate(0x200);
	struct fake *g4 = gate(~0UL), *p = plain();

	(void)st;
	root(a, 1, g1);
	root(a, 2, g2);
	root(a, 3, g3);
	root(a, 4, g4);
	root(a, 5, p);
	/* Two gates with one label are two objects: labels prove nothing. */
	assert_int_equal(cap_equal(a, SEL(1), SEL(2)), 0);
	assert_int_equal(cap_equal(a, SEL(1), SEL(3)), 0);
	assert_int_equal(map1(a, 6, a, 1, R, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	assert_int_equal(cap_equal(a, SEL(1), SEL(6)), 1);	/* a copy */
	assert_int_equal(cap_equal(a, SEL(4), SEL(5)), 0);	/* ~0 is no id */
	assert_int_equal(cap_equal(a, SEL(1), SEL(5)), 0);
}

static void t_cap_equal_empty_or_invalid(void **st)
{
	struct capspace *a = space();
	struct fake *x = plain();

	(void)st;
	root(a, 1, x);
	assert_int_equal(cap_equal(a, SEL(1), SEL(2)), 0);
	assert_int_equal(cap_equal(a, SEL(2), SEL(1)), 0);
	assert_int_equal(cap_equal(a, SEL(2), SEL(2)), 0);	/* both empty */
	assert_int_equal(cap_equal(a, SEL(2), SEL(3)), 0);
	assert_int_equal(cap_equal(a, SEL(1), SEL(1) | L4_INVALID_CAP_BIT), 0);
	assert_int_equal(cap_equal(a, L4_INVALID_CAP, L4_INVALID_CAP), 0);
}

/* ---------------------------------------------------------------- */
/* Iteration and scale                                               */

static void t_next_used_across_chunks(void **st)
{
	static const unsigned long at[] = { 0, 63, 64, 1023, 1024, 5000, 70000,
					    LAST_SLOT - 1, LAST_SLOT };
	const size_t n = sizeof(at) / sizeof(at[0]);
	struct capspace *a = space();
	struct fake *x = plain();
	unsigned long i;
	size_t k = 0;

	(void)st;
	for (k = 0; k < n; k++)
		root(a, at[k], x);
	k = 0;
	for (i = capspace_next_used(a, 0); i != CAPSPACE_NONE;
	     i = capspace_next_used(a, i + 1))
		assert_int_equal(i, at[k++]);
	assert_int_equal(k, n);
	assert_int_equal(capspace_next_used(a, 1), 63);
	assert_int_equal(capspace_next_used(a, 65), 1023);
	assert_int_equal(capspace_next_used(a, 1025), 5000);
	assert_int_equal(capspace_next_used(a, 5001), 70000);
	assert_int_equal(capspace_next_used(a, 70001), LAST_SLOT - 1);
	assert_int_equal(capspace_next_used(a, LAST_SLOT), LAST_SLOT);
	assert_int_equal(capspace_next_used(a, CAPSPACE_SLOTS), CAPSPACE_NONE);
	assert_int_equal(capspace_next_used(a, ~0UL), CAPSPACE_NONE);
	cap_release(capspace_slot(a, 1023));
	cap_release(capspace_slot(a, 1024));
	cap_release(capspace_slot(a, 0));
	assert_int_equal(capspace_next_used(a, 0), 63);
	assert_int_equal(capspace_next_used(a, 65), 5000);
	assert_int_equal(used(a), n - 3);
	assert_int_equal(x->k.refcnt, n - 3);
}

static void t_many_slots_in_one_space(void **st)
{
	const unsigned long n = 70000;
	struct capspace *a = space(), *b = space();
	struct fake *x = plain();
	unsigned long i, k = 0;

	(void)st;
	root(a, 0, x);
	for (i = 1; i < n; i++)
		assert_int_equal(cap_transfer(a, i, a, 0, RWS, 0, false), KERR_OK);
	assert_int_equal(map1(b, 0, a, 0, RWSD, 0), KERR_OK);
	assert_int_equal(a->used, n);
	assert_int_equal(x->k.refcnt, n + 1);
	for (i = capspace_next_used(a, 0); i != CAPSPACE_NONE;
	     i = capspace_next_used(a, i + 1))
		assert_int_equal(i, k++);
	assert_int_equal(k, n);
	assert_int_equal(used(a), n);
	assert_int_equal(mappings(&x->k), n + 1);
	assert_int_equal(unmap1(b, 0, RWSD, L4_FP_DELETE_OBJ), KERR_OK);
	assert_int_equal(x->destroys, 1);
	assert_int_equal(x->frees, 1);
	assert_int_equal(used(a), 0);
	assert_int_equal(used(b), 0);
}

static void t_many_objects_in_one_space(void **st)
{
	const unsigned long n = 66000;
	struct capspace *a = space(), *b = space();
	struct fake **x = calloc(n, sizeof(*x));
	struct fake *shared = plain();

	(void)st;
	assert_non_null(x);
	for (unsigned long i = 0; i < n; i++) {
		x[i] = plain();
		root(a, i * 15, x[i]);		/* spread over ~967 chunks */
	}
	root(b, 2, shared);
	assert_int_equal(map1(a, 1, b, 2, RWS, 0), KERR_OK);
	assert_int_equal(used(a), n + 1);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(0, 20, RWS), L4_ITEM_MAP, ~0u),
			 KERR_OK);
	assert_int_equal(used(b), n + 2);
	assert_int_equal(shared->k.refcnt, 3);
	capspace_fini(a);		/* a held D: each x[i] is destroyed */
	assert_int_equal(used(a), 0);
	assert_int_equal(used(b), 2);	/* shared's root and its copy of a:1 */
	for (unsigned long i = 0; i < n; i++)
		assert_int_equal(x[i]->destroys, 1);
	assert_int_equal(shared->destroys, 0);
	assert_int_equal(shared->k.refcnt, 2);
	free(x);
}

/* ---------------------------------------------------------------- */
/* Finishing a space                                                 */

static void t_fini_delete_obj_semantics(void **st)
{
	struct capspace *a = space(), *b = space();
	struct fake *x = plain(), *y = plain(), *z = plain();

	(void)st;
	root(a, 1, x);					/* D here */
	assert_int_equal(map1(b, 1, a, 1, RWS, 0), KERR_OK);
	root(b, 2, y);
	assert_int_equal(map1(a, 2000, b, 2, RWS, 0), KERR_OK);	/* no D */
	root(b, 3, z);
	assert_int_equal(map1(a, 3, b, 3, RWS, L4_FPAGE_C_NO_REF_CNT), KERR_OK);
	capspace_fini(a);
	assert_int_equal(x->destroys, 1);
	assert_null(capspace_slot(b, 1));
	assert_int_equal(y->destroys, 0);
	assert_int_equal(y->k.refcnt, 1);
	assert_int_equal(z->destroys, 0);
	assert_int_equal(z->k.refcnt, 1);
	assert_int_equal(mappings(&z->k), 1);
	assert_int_equal(a->used, 0);
	for (unsigned long c = 0; c < CAPSPACE_CHUNKS; c++)
		assert_null(a->chunks[c]);
	assert_int_equal(used(b), 2);
}

/* A task holding its own cap with D: destroying it finishes its space. */
static void t_fini_task_with_own_cap(void **st)
{
	struct capspace *a = space();
	struct ftask *t = task();
	struct fake *x = plain();

	(void)st;
	assert_int_equal(capspace_insert_root(&t->cs, 1, &t->k), KERR_OK);
	root(&t->cs, 2, x);
	assert_int_equal(map1(a, 9, &t->cs, 1, RWS, 0), KERR_OK);
	kobj_destroy(&t->k);
	assert_int_equal(t->destroys, 1);
	assert_int_equal(t->frees, 1);
	assert_int_equal(x->destroys, 1);
	assert_null(capspace_slot(a, 9));
	assert_int_equal(t->cs.used, 0);
	assert_null(t->cs.chunks[0]);
}

/* capspace_fini called on a live task's space re-enters through its D cap. */
static void t_fini_reentrant(void **st)
{
	struct ftask *t = task();
	struct fake *x = plain();

	(void)st;
	root(&t->cs, 1, x);
	assert_int_equal(capspace_insert_root(&t->cs, 2, &t->k), KERR_OK);
	assert_int_equal(map1(&t->cs, 5000, &t->cs, 1, RWS, 0), KERR_OK);
	capspace_fini(&t->cs);
	assert_int_equal(t->destroys, 1);
	assert_int_equal(t->frees, 1);
	assert_int_equal(x->destroys, 1);
	assert_int_equal(t->cs.used, 0);
	assert_null(t->cs.chunks[0]);
	assert_null(t->cs.chunks[5000 / CAPSPACE_CHUNK_SLOTS]);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(t_init_empty),
		T(t_root_gets_full_rights_counted),
		T(t_root_out_of_range),
		T(t_root_over_D_destroys_occupant),
		T(t_root_over_no_D_releases_occupant),
		T(t_root_over_last_ref_destroys_occupant),
		T(t_root_same_object_upgrades_in_place),
		T(t_root_into_dead_space),
		T(t_lookup_selectors),
		T(t_map_copies),
		T(t_map_rights_intersect_source),
		T(t_map_without_R_maps_nothing),
		T(t_map_D_only_if_requested_and_held),
		T(t_map_rights_mask),
		T(t_map_obj_rights_intersect),
		T(t_map_weak),
		T(t_map_weak_release_keeps_object),
		T(t_map_from_weak_is_weak),
		T(t_map_empty_source),
		T(t_overmap_D_destroys_globally),
		T(t_overmap_no_D_drops_count),
		T(t_overmap_no_D_last_ref_destroys),
		T(t_overmap_weak_occupant),
		T(t_map_onto_itself_is_noop),
		T(t_map_same_object_replaces),
		T(t_map_same_object_weak_drops_count),
		T(t_map_order),
		T(t_map_order_20_whole_space),
		T(t_map_not_an_object_fpage),
		T(t_map_out_of_range),
		T(t_map_into_dead_space),
		T(t_overmap_cascade_kills_destination),
		T(t_overmap_cascade_empties_source),
		T(t_grant_moves),
		T(t_grant_without_R_skipped),
		T(t_grant_counted_to_weak_last_ref_destroys),
		T(t_grant_counted_to_weak_shared),
		T(t_grant_onto_occupied),
		T(t_grant_onto_same_object),
		T(t_unmap_other_spaces_noop),
		T(t_unmap_all_without_R_strips_WS_here),
		T(t_unmap_all_with_R_releases_own_slot),
		T(t_unmap_flat_no_revocation_of_copies),
		T(t_unmap_all_last_ref_destroys),
		T(t_unmap_delete_obj_with_D_revokes_everywhere),
		T(t_unmap_delete_obj_without_D_releases),
		T(t_unmap_order_range),
		T(t_unmap_order_20),
		T(t_unmap_bad_fpage),
		T(t_release),
		T(t_cap_valid),
		T(t_cap_equal_same_object),
		T(t_cap_equal_distinct_plain_objects),
		T(t_cap_equal_gate_labels),
		T(t_cap_equal_empty_or_invalid),
		T(t_next_used_across_chunks),
		T(t_many_slots_in_one_space),
		T(t_many_objects_in_one_space),
		T(t_fini_delete_obj_semantics),
		T(t_fini_task_with_own_cap),
		T(t_fini_reentrant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
