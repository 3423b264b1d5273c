/*
 * test_objects — kernel-object rules that live outside the capability
 * space: gate labels, IRQ counting, object ids, the object table. Runs
 * in-process: no recapd, no Linux processes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <l4/sys/consts.h>

#include "capspace.h"
#include "ipc_gate.h"
#include "irq.h"
#include "kerr.h"
#include "objtab.h"
#include "thread.h"

/* A gate delivers its label with the invoker's W and S bits, nothing else. */
static void gate_label_carries_invoker_ws(void **state)
{
	(void)state;
	struct ipc_gate *g;
	assert_int_equal(ipc_gate_create(NULL, 0x1230, &g), KERR_OK);
	assert_int_equal(ipc_gate_label_for(g, L4_CAP_FPAGE_R), 0x1230);
	assert_int_equal(ipc_gate_label_for(g, L4_CAP_FPAGE_RW), 0x1231);
	assert_int_equal(ipc_gate_label_for(g, L4_CAP_FPAGE_RS), 0x1232);
	assert_int_equal(ipc_gate_label_for(g, L4_CAP_FPAGE_RWS), 0x1233);
	assert_int_equal(ipc_gate_label_for(g, L4_CAP_FPAGE_RWSD), 0x1233);
	kobj_destroy(&g->kobj);
}

/* Labels with either low bit set are refused on create and on bind. */
static void gate_label_low_bits_must_be_zero(void **state)
{
	(void)state;
	struct ipc_gate *g;
	assert_int_equal(ipc_gate_create(NULL, 0x101, &g), KERR_INVAL);
	assert_int_equal(ipc_gate_create(NULL, 0x102, &g), KERR_INVAL);
	assert_int_equal(ipc_gate_create(NULL, 0x100, &g), KERR_OK);
	assert_int_equal(ipc_gate_bind(g, NULL, 0x203), KERR_INVAL);
	assert_int_equal(g->label, 0x100);	/* a refused bind changes nothing */
	assert_int_equal(ipc_gate_bind(g, NULL, 0x200), KERR_OK);
	assert_int_equal(g->label, 0x200);
	kobj_destroy(&g->kobj);
}

/* A gate's identity (obj_id) is its label; plain objects have none. */
static void gate_obj_id_is_label(void **state)
{
	(void)state;
	struct ipc_gate *g;
	struct irq *q;
	assert_int_equal(ipc_gate_create(NULL, 0x40, &g), KERR_OK);
	assert_int_equal(irq_create(&q), KERR_OK);
	assert_int_equal(kobj_obj_id(&g->kobj), 0x40);
	assert_int_equal(kobj_obj_id(&q->kobj), 0);	/* unattached: label 0 */
	kobj_destroy(&g->kobj);
	kobj_destroy(&q->kobj);
}

/* Triggers are counted, not coalesced: k triggers, k deliveries. */
static void irq_triggers_are_counted(void **state)
{
	(void)state;
	struct irq *q;
	assert_int_equal(irq_create(&q), KERR_OK);
	for (int i = 0; i < 5; i++)
		irq_trigger(q);
	assert_int_equal(q->count, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(irq_consume(q), 1);
	assert_int_equal(irq_consume(q), 0);
	assert_int_equal(q->count, 0);
	kobj_destroy(&q->kobj);
}

/* Every object gets a fresh id; the table finds live objects by it and
 * forgets them when they are freed; ids are never handed out again. */
static void object_ids_unique_and_tabled(void **state)
{
	(void)state;
	struct ipc_gate *a, *b;
	assert_int_equal(ipc_gate_create(NULL, 0, &a), KERR_OK);
	assert_int_equal(ipc_gate_create(NULL, 0, &b), KERR_OK);
	uint64_t ida = a->kobj.id, idb = b->kobj.id;
	assert_true(ida != idb);
	assert_ptr_equal(objtab_find(ida), &a->kobj);
	assert_ptr_equal(objtab_find(idb), &b->kobj);
	kobj_destroy(&a->kobj);
	assert_null(objtab_find(ida));
	struct ipc_gate *c;
	assert_int_equal(ipc_gate_create(NULL, 0, &c), KERR_OK);
	assert_true(c->kobj.id > idb);
	kobj_destroy(&b->kobj);
	kobj_destroy(&c->kobj);
}

/* A re-created object is found under its old id through its successor. */
static void successor_resolves_old_id(void **state)
{
	(void)state;
	struct ipc_gate *now;
	assert_int_equal(ipc_gate_create(NULL, 0, &now), KERR_OK);
	objtab_set_successor(999999, &now->kobj);
	assert_ptr_equal(objtab_resolve(999999), &now->kobj);
	assert_null(objtab_find(999999));
	kobj_destroy(&now->kobj);
	assert_null(objtab_resolve(999999));	/* dropped with the object */
}

/* A gate in a capability space: delete_obj through a slot with D revokes it
 * in every space, and the table forgets it. */
static void gate_delete_obj_revokes_everywhere(void **state)
{
	(void)state;
	struct capspace a, b;
	struct ipc_gate *g;
	capspace_init(&a, NULL);
	capspace_init(&b, NULL);
	assert_int_equal(ipc_gate_create(NULL, 0x80, &g), KERR_OK);
	uint64_t id = g->kobj.id;
	assert_int_equal(capspace_insert_root(&a, 5, &g->kobj), KERR_OK);
	assert_int_equal(cap_transfer(&b, 7, &a, 5, L4_CAP_FPAGE_RW, 0, false), KERR_OK);
	assert_int_equal(cap_equal(&b, 7 << L4_CAP_SHIFT, 7 << L4_CAP_SHIFT), 1);
	assert_int_equal(cap_unmap(&a, l4_obj_fpage(5 << L4_CAP_SHIFT, 0, L4_CAP_FPAGE_RWSD),
				   L4_FP_DELETE_OBJ), KERR_OK);
	assert_int_equal(cap_valid(&a, 5 << L4_CAP_SHIFT), 0);
	assert_int_equal(cap_valid(&b, 7 << L4_CAP_SHIFT), 0);
	assert_null(objtab_find(id));
	capspace_fini(&a);
	capspace_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gate_label_carries_invoker_ws),
		cmocka_unit_test(gate_label_low_bits_must_be_zero),
		cmocka_unit_test(gate_obj_id_is_label),
		cmocka_unit_test(irq_triggers_are_counted),
		cmocka_unit_test(object_ids_unique_and_tabled),
		cmocka_unit_test(successor_resolves_old_id),
		cmocka_unit_test(gate_delete_obj_revokes_everywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
