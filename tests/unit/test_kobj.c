/*
 * Unit tests for kernel/kobj.c: ids, kind names, obj_id, and the two-stage
 * end of life (destroy once; free once, when destroyed and unpinned),
 * including destruction reached through the capability layer.
 *
 * The tests run in the order listed in main(); the first one relies on
 * being the first to create an object in this process.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "capspace.h"
#include "kerr.h"
#include "kobj.h"

#define SEL(i) ((l4_cap_idx_t)(i) << L4_CAP_SHIFT)
#define RWS (L4_CAP_FPAGE_R | L4_CAP_FPAGE_W | L4_CAP_FPAGE_S)

struct fake {
	struct kobj k;
	int destroys;
	int frees;
	unsigned long label;
	/* what ops->destroy saw */
	unsigned long refcnt_at_destroy;
	bool mapped_at_destroy;
	bool destroyed_at_destroy;
};

static struct fake *as_fake(struct kobj const *o)
{
	return (struct fake *)((char *)o - offsetof(struct fake, k));
}

static void fake_destroy(struct kobj *o)
{
	struct fake *f = as_fake(o);

	f->destroys++;
	f->refcnt_at_destroy = o->refcnt;
	f->mapped_at_destroy = o->mappings != NULL;
	f->destroyed_at_destroy = o->destroyed;
}

static void fake_free(struct kobj *o)
{
	as_fake(o)->frees++;
}

static unsigned long fake_label(struct kobj const *o)
{
	return as_fake(o)->label;
}

/* A destroy that destroys itself again (as a dying task dropping its own cap). */
static void selfish_destroy(struct kobj *o)
{
	as_fake(o)->destroys++;
	kobj_destroy(o);
}

static const struct kobj_ops plain_ops = { "plain", fake_destroy, fake_free, NULL };
static const struct kobj_ops gate_ops = { "gate", fake_destroy, fake_free, fake_label };
static const struct kobj_ops selfish_ops = { "selfish", selfish_destroy, fake_free, NULL };
static const struct kobj_ops bare_ops = { "bare", NULL, NULL, NULL };

static struct fake *fake_new(enum kobj_kind kind, const struct kobj_ops *ops)
{
	struct fake *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	kobj_init(&f->k, kind, ops);
	return f;
}

static struct capspace *space_new(void)
{
	struct capspace *cs = malloc(sizeof(*cs));

	assert_non_null(cs);
	capspace_init(cs, NULL);
	return cs;
}

static void space_free(struct capspace *cs)
{
	capspace_fini(cs);
	free(cs);
}

/* ---------------------------------------------------------------- */

static void t_first_id_is_one(void **st)
{
	struct fake *f;

	(void)st;
	assert_int_equal(kobj_next_id(), 1);
	assert_int_equal(kobj_next_id(), 1);	/* peeking does not consume */
	f = fake_new(KOBJ_IRQ, &plain_ops);
	assert_int_equal(f->k.id, 1);
	assert_int_equal(kobj_next_id(), 2);
	free(f);
}

static void t_init_fields(void **st)
{
	struct fake *f;
	uint64_t id = kobj_next_id();

	(void)st;
	f = fake_new(KOBJ_GATE, &gate_ops);
	assert_int_equal(f->k.kind, KOBJ_GATE);
	assert_int_equal(f->k.id, id);
	assert_int_equal(f->k.refcnt, 0);
	assert_int_equal(f->k.pins, 0);
	assert_null(f->k.mappings);
	assert_false(f->k.destroyed);
	assert_ptr_equal(f->k.ops, &gate_ops);
	free(f);
}

static void t_ids_unique_and_increasing(void **st)
{
	enum { N = 1000 };
	struct fake *f[N];
	uint64_t first = kobj_next_id();

	(void)st;
	for (int i = 0; i < N; i++) {
		f[i] = fake_new(KOBJ_THREAD, &plain_ops);
		assert_int_equal(f[i]->k.id, first + (uint64_t)i);
	}
	assert_int_equal(kobj_next_id(), first + N);
	for (int i = 0; i < N; i++)
		free(f[i]);
}

static void t_ids_never_reused(void **st)
{
	struct fake *a = fake_new(KOBJ_IRQ, &plain_ops);
	uint64_t old = a->k.id;
	struct fake *b;

	(void)st;
	kobj_destroy(&a->k);
	assert_int_equal(a->frees, 1);
	free(a);
	b = fake_new(KOBJ_IRQ, &plain_ops);
	assert_int_equal(b->k.id, old + 1);
	assert_int_equal(kobj_next_id(), old + 2);
	free(b);
}

static void t_kind_names(void **st)
{
	(void)st;
	assert_string_equal(kobj_kind_name(KOBJ_NONE), "none");
	assert_string_equal(kobj_kind_name(KOBJ_TASK), "task");
	assert_string_equal(kobj_kind_name(KOBJ_THREAD), "thread");
	assert_string_equal(kobj_kind_name(KOBJ_GATE), "gate");
	assert_string_equal(kobj_kind_name(KOBJ_IRQ), "irq");
	assert_string_equal(kobj_kind_name(KOBJ_FACTORY), "factory");
	assert_string_equal(kobj_kind_name(KOBJ_LOG), "log");
	assert_string_equal(kobj_kind_name(KOBJ_HOST), "host");
	assert_string_equal(kobj_kind_name(KOBJ_KIND_COUNT), "?");
	assert_string_equal(kobj_kind_name((enum kobj_kind)-1), "?");
}

static void t_obj_id(void **st)
{
	struct fake *p = fake_new(KOBJ_TASK, &plain_ops);
	struct fake *g = fake_new(KOBJ_GATE, &gate_ops);

	(void)st;
	g->label = 0x1230;
	assert_int_equal(kobj_obj_id(&p->k), ~0UL);
	assert_int_equal(kobj_obj_id(&g->k), 0x1230);
	free(p);
	free(g);
}

static void t_destroy_once_then_free(void **st)
{
	struct fake *f = fake_new(KOBJ_IRQ, &plain_ops);

	(void)st;
	kobj_destroy(&f->k);
	assert_true(f->k.destroyed);
	assert_int_equal(f->destroys, 1);
	assert_int_equal(f->frees, 1);
	assert_true(f->destroyed_at_destroy);
	kobj_destroy(&f->k);		/* idempotent */
	assert_int_equal(f->destroys, 1);
	assert_int_equal(f->frees, 1);
	free(f);
}

static void t_free_waits_for_last_pin(void **st)
{
	struct fake *f = fake_new(KOBJ_IRQ, &plain_ops);

	(void)st;
	kobj_pin(&f->k);
	kobj_pin(&f->k);
	kobj_destroy(&f->k);
	assert_int_equal(f->destroys, 1);
	assert_int_equal(f->frees, 0);
	assert_int_equal(f->k.pins, 2);
	kobj_unpin(&f->k);
	assert_int_equal(f->frees, 0);
	kobj_unpin(&f->k);
	assert_int_equal(f->frees, 1);
	assert_int_equal(f->k.pins, 0);
	assert_int_equal(f->destroys, 1);
	free(f);
}

static void t_unpin_live_object_keeps_it(void **st)
{
	struct fake *f = fake_new(KOBJ_IRQ, &plain_ops);

	(void)st;
	kobj_pin(&f->k);
	kobj_unpin(&f->k);
	assert_int_equal(f->frees, 0);
	assert_int_equal(f->destroys, 0);
	assert_false(f->k.destroyed);
	kobj_destroy(&f->k);
	assert_int_equal(f->frees, 1);
	free(f);
}

static void t_destroy_reentrant(void **st)
{
	struct fake *f = fake_new(KOBJ_TASK, &selfish_ops);

	(void)st;
	kobj_destroy(&f->k);
	assert_int_equal(f->destroys, 1);
	assert_int_equal(f->frees, 1);
	free(f);
}

static void t_destroy_without_ops(void **st)
{
	struct fake *f = fake_new(KOBJ_LOG, &bare_ops);
	struct capspace *a = space_new();

	(void)st;
	assert_int_equal(capspace_insert_root(a, 1, &f->k), KERR_OK);
	kobj_pin(&f->k);
	kobj_destroy(&f->k);
	assert_true(f->k.destroyed);
	assert_null(capspace_slot(a, 1));
	kobj_unpin(&f->k);
	assert_int_equal(kobj_obj_id(&f->k), ~0UL);
	space_free(a);
	free(f);
}

static void t_destroy_empties_every_slot(void **st)
{
	struct capspace *a = space_new(), *b = space_new(), *c = space_new();
	struct fake *x = fake_new(KOBJ_GATE, &gate_ops);
	struct fake *y = fake_new(KOBJ_GATE, &gate_ops);

	(void)st;
	assert_int_equal(capspace_insert_root(a, 1, &x->k), KERR_OK);
	assert_int_equal(capspace_insert_root(a, 2, &y->k), KERR_OK);
	assert_int_equal(cap_map(a, a, l4_obj_fpage(SEL(1), 0, RWS), SEL(3), ~0u), KERR_OK);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(SEL(1), 0, RWS), SEL(1023), ~0u),
			 KERR_OK);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(SEL(1), 0, RWS),
				 SEL(1024) | L4_FPAGE_C_NO_REF_CNT, ~0u), KERR_OK);
	assert_int_equal(cap_map(c, a, l4_obj_fpage(SEL(2), 0, RWS), SEL(0), ~0u), KERR_OK);
	assert_int_equal(cap_map(c, a, l4_obj_fpage(SEL(1), 0, RWS),
				 SEL(CAPSPACE_SLOTS - 1), ~0u), KERR_OK);
	assert_int_equal(x->k.refcnt, 4);
	assert_int_equal(a->used, 3);
	assert_int_equal(b->used, 2);
	assert_int_equal(c->used, 2);

	kobj_destroy(&x->k);
	assert_int_equal(x->destroys, 1);
	assert_int_equal(x->frees, 1);
	assert_int_equal(x->refcnt_at_destroy, 0);
	assert_false(x->mapped_at_destroy);
	assert_int_equal(x->k.refcnt, 0);
	assert_null(x->k.mappings);
	/* Counts and bitmaps are fixed: iteration sees exactly the rest. */
	assert_int_equal(a->used, 1);
	assert_int_equal(a->chunks[0]->used, 1);
	assert_int_equal(a->chunks[0]->bitmap[0], 1ULL << 2);
	assert_int_equal(capspace_next_used(a, 0), 2);
	assert_int_equal(capspace_next_used(a, 3), CAPSPACE_NONE);
	assert_int_equal(b->used, 0);
	assert_int_equal(b->chunks[0]->used, 0);
	assert_int_equal(b->chunks[1]->used, 0);
	assert_int_equal(b->chunks[0]->bitmap[15], 0);
	assert_int_equal(b->chunks[1]->bitmap[0], 0);
	assert_int_equal(capspace_next_used(b, 0), CAPSPACE_NONE);
	assert_int_equal(c->used, 1);
	assert_int_equal(c->chunks[CAPSPACE_CHUNKS - 1]->used, 0);
	assert_int_equal(capspace_next_used(c, 0), 0);
	assert_int_equal(capspace_next_used(c, 1), CAPSPACE_NONE);
	/* The other object is untouched. */
	assert_int_equal(y->k.refcnt, 2);
	assert_int_equal(y->destroys, 0);
	assert_int_equal(cap_equal(c, SEL(0), SEL(2)), 0);

	space_free(a);
	space_free(b);
	space_free(c);
	assert_int_equal(y->destroys, 1);
	free(x);
	free(y);
}

static void t_last_counted_release_destroys_once(void **st)
{
	struct capspace *a = space_new(), *b = space_new();
	struct fake *x = fake_new(KOBJ_IRQ, &plain_ops);

	(void)st;
	assert_int_equal(capspace_insert_root(a, 1, &x->k), KERR_OK);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(SEL(1), 0, RWS), SEL(1), ~0u), KERR_OK);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(SEL(1), 0, RWS), SEL(2), ~0u), KERR_OK);
	assert_int_equal(cap_map(b, a, l4_obj_fpage(SEL(1), 0, RWS),
				 SEL(3) | L4_FPAGE_C_NO_REF_CNT, ~0u), KERR_OK);
	assert_int_equal(x->k.refcnt, 3);
	cap_release(capspace_slot(a, 1));
	assert_int_equal(x->destroys, 0);
	assert_int_equal(x->k.refcnt, 2);
	cap_release(capspace_slot(b, 1));
	assert_int_equal(x->destroys, 0);
	cap_release(capspace_slot(b, 3));		/* weak: no effect on count */
	assert_int_equal(x->destroys, 0);
	assert_int_equal(x->k.refcnt, 1);
	assert_int_equal(cap_map(b, b, l4_obj_fpage(SEL(2), 0, RWS),
				 SEL(4) | L4_FPAGE_C_NO_REF_CNT, ~0u), KERR_OK);
	cap_release(capspace_slot(b, 2));
	assert_int_equal(x->destroys, 1);
	assert_int_equal(x->frees, 1);
	assert_null(capspace_slot(b, 4));		/* weak copy emptied */
	assert_int_equal(b->used, 0);
	assert_int_equal(a->used, 0);
	space_free(a);
	space_free(b);
	assert_int_equal(x->destroys, 1);
	assert_int_equal(x->frees, 1);
	free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_first_id_is_one),	/* must stay first */
		cmocka_unit_test(t_init_fields),
		cmocka_unit_test(t_ids_unique_and_increasing),
		cmocka_unit_test(t_ids_never_reused),
		cmocka_unit_test(t_kind_names),
		cmocka_unit_test(t_obj_id),
		cmocka_unit_test(t_destroy_once_then_free),
		cmocka_unit_test(t_free_waits_for_last_pin),
		cmocka_unit_test(t_unpin_live_object_keeps_it),
		cmocka_unit_test(t_destroy_reentrant),
		cmocka_unit_test(t_destroy_without_ops),
		cmocka_unit_test(t_destroy_empties_every_slot),
		cmocka_unit_test(t_last_counted_release_destroys_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
