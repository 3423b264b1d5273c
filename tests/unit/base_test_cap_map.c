/*
 * Unit tests for lib/base/cap_map.c (recap/cap_map.h): one test per rule,
 * insert_map's against Genode's receive semantics
 * (fiasco-genode-semantics.md §3.2).
 *
 * The kernel is a fake: the component's capability space is an array of
 * object numbers (0: empty slot), and the three ops answer from it as
 * recapd does (an empty slot equals nothing). Each op counts its calls and
 * can be told to fail.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <l4/sys/err.h>

#include <recap/cap_alloc.h>
#include <recap/cap_map.h>
#include <recap/err.h>

#define USER RECAP_USER_BASE_SLOT
#define USER_SLOTS (RECAP_CAP_SLOTS - RECAP_USER_BASE_SLOT)
#define RCV 0x300UL	/* a receive-window slot, taken by the test */

struct fake_kernel {
	unsigned long obj[RECAP_CAP_SLOTS];	/* 0: empty */
	int equal_calls, valid_calls, move_calls;
	long equal_err, valid_err, move_err;	/* < 0: fail with it */
	l4_cap_idx_t move_from, move_to;	/* arguments of the last move */
};

static struct fake_kernel fk;
static struct cap_alloc ca;
static struct cap_map cm;

static unsigned long slot_of(l4_cap_idx_t sel)
{
	unsigned long s = recap_sel_slot(sel);

	assert_true(s < RECAP_CAP_SLOTS);
	assert_int_equal(sel & (L4_CAP_OFFSET - 1), 0);
	return s;
}

static long fake_equal(void *ctx, l4_cap_idx_t a, l4_cap_idx_t b)
{
	struct fake_kernel *k = ctx;
	unsigned long oa = k->obj[slot_of(a)], ob = k->obj[slot_of(b)];

	k->equal_calls++;
	if (k->equal_err < 0)
		return k->equal_err;
	return oa != 0 && oa == ob;
}

static long fake_valid(void *ctx, l4_cap_idx_t cap)
{
	struct fake_kernel *k = ctx;

	k->valid_calls++;
	if (k->valid_err < 0)
		return k->valid_err;
	return k->obj[slot_of(cap)] != 0;
}

static long fake_move(void *ctx, l4_cap_idx_t from, l4_cap_idx_t to)
{
	struct fake_kernel *k = ctx;

	k->move_calls++;
	k->move_from = from;
	k->move_to = to;
	if (k->move_err < 0)
		return k->move_err;
	k->obj[slot_of(to)] = k->obj[slot_of(from)];
	k->obj[slot_of(from)] = 0;
	return 0;
}

static struct cap_map_ops const fake_ops = {
	.cap_equal = fake_equal,
	.cap_valid = fake_valid,
	.move = fake_move,
};

static int setup(void **state)
{
	(void)state;
	fk = (struct fake_kernel){ .equal_err = 0 };
	cap_alloc_init(&ca);
	cap_map_init(&cm, &ca, &fake_ops, &fk);
	/* The receive window slot is the caller's, as in the runtime. */
	assert_int_equal(cap_alloc_at(&ca, RCV), RECAP_OK);
	return 0;
}

static unsigned long insert(recap_badge_t badge)
{
	unsigned long slot = RECAP_SLOT_NONE;

	assert_int_equal(cap_map_insert(&cm, badge, &slot), RECAP_OK);
	return slot;
}

/* Take every free component-controlled slot. */
static void exhaust_allocator(void)
{
	while (cap_alloc_one(&ca) != RECAP_SLOT_NONE)
		;
}

/* ---- empty map ------------------------------------------------------------ */

static void test_init_is_empty(void **state)
{
	(void)state;
	assert_int_equal(cap_map_count(&cm), 0);
	assert_int_equal(cap_map_find(&cm, 4), RECAP_SLOT_NONE);
	assert_int_equal(cap_map_badge_at(&cm, USER), RECAP_BADGE_INVALID);
}

static void test_l4_ops_are_complete(void **state)
{
	(void)state;
	assert_non_null(cap_map_l4_ops.cap_equal);
	assert_non_null(cap_map_l4_ops.cap_valid);
	assert_non_null(cap_map_l4_ops.move);
}

/* ---- insert ----------------------------------------------------------------- */

static void test_insert_takes_fresh_slot(void **state)
{
	(void)state;
	assert_int_equal(insert(4), USER);
	assert_int_equal(insert(8), USER + 1);
	assert_true(cap_alloc_used(&ca, USER + 1));
	assert_int_equal(cap_map_count(&cm), 2);
}

static void test_insert_then_find_both_ways(void **state)
{
	(void)state;
	insert(4);
	assert_int_equal(cap_map_find(&cm, 4), USER);
	assert_int_equal(cap_map_badge_at(&cm, USER), 4);
}

static void test_insert_present_badge_is_exist(void **state)
{
	unsigned long slot = 0;
	unsigned long avail;

	(void)state;
	insert(4);
	avail = cap_alloc_avail(&ca);
	assert_int_equal(cap_map_insert(&cm, 4, &slot), RECAP_ERR_EXIST);
	assert_int_equal(slot, 0);
	assert_int_equal(cap_alloc_avail(&ca), avail);
	assert_int_equal(cap_map_count(&cm), 1);
}

static void test_insert_bad_badge_is_inval(void **state)
{
	unsigned long slot;

	(void)state;
	assert_int_equal(cap_map_insert(&cm, 0, &slot), RECAP_ERR_INVAL);
	assert_int_equal(cap_map_insert(&cm, RECAP_BADGE_INVALID, &slot),
			 RECAP_ERR_INVAL);
	assert_int_equal(cap_map_find(&cm, 0), RECAP_SLOT_NONE);
	assert_int_equal(cap_map_count(&cm), 0);
}

static void test_insert_without_slot_is_nomem(void **state)
{
	unsigned long slot;

	(void)state;
	exhaust_allocator();
	assert_int_equal(cap_map_insert(&cm, 4, &slot), RECAP_ERR_NOMEM);
	assert_int_equal(cap_map_find(&cm, 4), RECAP_SLOT_NONE);
	assert_int_equal(cap_map_count(&cm), 0);
}

/* ---- insert_at --------------------------------------------------------------- */

static void test_insert_at_core_slot_leaves_allocator(void **state)
{
	unsigned long avail = cap_alloc_avail(&ca);

	(void)state;
	assert_int_equal(cap_map_insert_at(&cm, 4, RECAP_PARENT_SLOT), RECAP_OK);
	assert_int_equal(cap_map_find(&cm, 4), RECAP_PARENT_SLOT);
	assert_int_equal(cap_alloc_avail(&ca), avail);
	assert_int_equal(cap_map_remove(&cm, 4), RECAP_OK);
	assert_int_equal(cap_alloc_avail(&ca), avail);
}

static void test_insert_at_user_slot_takes_it(void **state)
{
	(void)state;
	assert_int_equal(cap_map_insert_at(&cm, 4, USER + 7), RECAP_OK);
	assert_true(cap_alloc_used(&ca, USER + 7));
	assert_int_equal(insert(8), USER);	/* first fit, not USER + 7 */
}

static void test_insert_at_adopts_callers_slot(void **state)
{
	(void)state;
	assert_int_equal(cap_alloc_at(&ca, USER + 7), RECAP_OK);
	assert_int_equal(cap_map_insert_at(&cm, 4, USER + 7), RECAP_OK);
	assert_int_equal(cap_map_remove(&cm, 4), RECAP_OK);
	assert_false(cap_alloc_used(&ca, USER + 7));
}

static void test_insert_at_drops_badges_old_entry(void **state)
{
	(void)state;
	insert(4);
	assert_int_equal(cap_map_insert_at(&cm, 4, USER + 7), RECAP_OK);
	assert_int_equal(cap_map_find(&cm, 4), USER + 7);
	assert_int_equal(cap_map_badge_at(&cm, USER), RECAP_BADGE_INVALID);
	assert_false(cap_alloc_used(&ca, USER));
	assert_int_equal(cap_map_count(&cm), 1);
}

static void test_insert_at_replaces_other_badge_at_slot(void **state)
{
	(void)state;
	assert_int_equal(cap_map_insert_at(&cm, 4, USER + 7), RECAP_OK);
	assert_int_equal(cap_map_insert_at(&cm, 8, USER + 7), RECAP_OK);
	assert_int_equal(cap_map_find(&cm, 4), RECAP_SLOT_NONE);
	assert_int_equal(cap_map_find(&cm, 8), USER + 7);
	assert_true(cap_alloc_used(&ca, USER + 7));
	assert_int_equal(cap_map_count(&cm), 1);
}

static void test_insert_at_same_place_is_noop(void **state)
{
	(void)state;
	assert_int_equal(cap_map_insert_at(&cm, 4, USER + 7), RECAP_OK);
	assert_int_equal(cap_map_insert_at(&cm, 4, USER + 7), RECAP_OK);
	assert_int_equal(cap_map_find(&cm, 4), USER + 7);
	assert_true(cap_alloc_used(&ca, USER + 7));
	assert_int_equal(cap_map_count(&cm), 1);
}

static void test_insert_at_bad_slot_is_range(void **state)
{
	(void)state;
	assert_int_equal(cap_map_insert_at(&cm, 4, 0), RECAP_ERR_RANGE);
	assert_int_equal(cap_map_insert_at(&cm, 4, RECAP_CAP_SLOTS),
			 RECAP_ERR_RANGE);
	assert_int_equal(cap_map_insert_at(&cm, 0, USER), RECAP_ERR_INVAL);
	assert_int_equal(cap_map_count(&cm), 0);
}

/* ---- remove ------------------------------------------------------------------ */

static void test_remove_forgets_and_frees_slot(void **state)
{
	(void)state;
	insert(4);
	assert_int_equal(cap_map_remove(&cm, 4), RECAP_OK);
	assert_int_equal(cap_map_find(&cm, 4), RECAP_SLOT_NONE);
	assert_false(cap_alloc_used(&ca, USER));
	assert_int_equal(cap_map_count(&cm), 0);
}

static void test_remove_unknown_is_noent(void **state)
{
	(void)state;
	insert(4);
	assert_int_equal(cap_map_remove(&cm, 8), RECAP_ERR_NOENT);
	assert_int_equal(cap_map_remove(&cm, 0), RECAP_ERR_NOENT);
	assert_int_equal(cap_map_count(&cm), 1);
}

static void test_remove_does_not_unmap(void **state)
{
	unsigned long slot;

	(void)state;
	fk.obj[RCV] = 77;
	assert_int_equal(cap_map_insert_map(&cm, 4, RCV, &slot), RECAP_OK);
	assert_int_equal(cap_map_remove(&cm, 4), RECAP_OK);
	assert_int_equal(fk.obj[slot], 77);	/* overwritten on reuse only */
}

/* ---- insert_map ---------------------------------------------------------------- */

static void test_insert_map_unknown_moves_to_fresh_slot(void **state)
{
	unsigned long slot;

	(void)state;
	fk.obj[RCV] = 77;
	assert_int_equal(cap_map_insert_map(&cm, 4, RCV, &slot), RECAP_OK);
	assert_int_equal(slot, USER);
	assert_int_equal(cap_map_find(&cm, 4), USER);
	assert_int_equal(fk.move_calls, 1);
	assert_int_equal(fk.move_from, recap_slot_sel(RCV));
	assert_int_equal(fk.move_to, recap_slot_sel(USER));
	assert_int_equal(fk.obj[USER], 77);
	assert_int_equal(fk.obj[RCV], 0);
	assert_int_equal(fk.equal_calls + fk.valid_calls, 0);
}

static void test_insert_map_known_same_object_returns_entry(void **state)
{
	unsigned long slot;

	(void)state;
	fk.obj[RCV] = 77;
	cap_map_insert_map(&cm, 4, RCV, &slot);
	fk.obj[RCV] = 77;	/* the same object arrives again */
	assert_int_equal(cap_map_insert_map(&cm, 4, RCV, &slot), RECAP_OK);
	assert_int_equal(slot, USER);
	assert_int_equal(fk.move_calls, 1);	/* only the first time */
	assert_int_equal(fk.obj[RCV], 77);	/* left for the caller */
	assert_int_equal(cap_map_count(&cm), 1);
	assert_int_equal(cap_alloc_avail(&ca), USER_SLOTS - 2);
}

static void test_insert_map_known_other_live_object_is_denied(void **state)
{
	unsigned long slot = 0;

	(void)state;
	fk.obj[RCV] = 77;
	cap_map_insert_map(&cm, 4, RCV, &slot);
	fk.obj[RCV] = 99;	/* a different object claims badge 4 */
	slot = 0;
	assert_int_equal(cap_map_insert_map(&cm, 4, RCV, &slot),
			 RECAP_ERR_DENIED);
	assert_int_equal(slot, 0);
	assert_int_equal(cap_map_find(&cm, 4), USER);
	assert_int_equal(fk.obj[USER], 77);
	assert_int_equal(fk.obj[RCV], 99);
	assert_int_equal(fk.move_calls, 1);
	assert_int_equal(cap_map_count(&cm), 1);
}

static void test_insert_map_known_dead_entry_is_replaced(void **state)
{
	unsigned long slot;

	(void)state;
	insert(8);			/* USER */
	fk.obj[USER] = 55;
	assert_int_equal(cap_map_insert_at(&cm, 4, USER + 1), RECAP_OK);
	/* USER + 1 is empty: the object behind badge 4 is gone. */
	fk.obj[RCV] = 99;
	assert_int_equal(cap_map_insert_map(&cm, 4, RCV, &slot), RECAP_OK);
	/* The dead slot was given back first, so first fit reuses it. */
	assert_int_equal(slot, USER + 1);
	assert_int_equal(fk.obj[USER + 1], 99);
	assert_int_equal(fk.obj[RCV], 0);
	assert_int_equal(fk.valid_calls, 1);
	assert_int_equal(cap_map_count(&cm), 2);
}

static void test_insert_map_dead_core_slot_entry_moves_to_user(void **state)
{
	unsigned long slot;

	(void)state;
	assert_int_equal(cap_map_insert_at(&cm, 4, RECAP_PARENT_SLOT), RECAP_OK);
	fk.obj[RCV] = 99;
	assert_int_equal(cap_map_insert_map(&cm, 4, RCV, &slot), RECAP_OK);
	assert_int_equal(slot, USER);
	assert_int_equal(cap_map_badge_at(&cm, RECAP_PARENT_SLOT),
			 RECAP_BADGE_INVALID);
}

static void test_insert_map_without_slot_is_nomem(void **state)
{
	unsigned long slot;

	(void)state;
	exhaust_allocator();
	fk.obj[RCV] = 77;
	assert_int_equal(cap_map_insert_map(&cm, 4, RCV, &slot),
			 RECAP_ERR_NOMEM);
	assert_int_equal(fk.move_calls, 0);
	assert_int_equal(fk.obj[RCV], 77);
	assert_int_equal(cap_map_count(&cm), 0);
}

static void test_insert_map_failed_move_gives_slot_back(void **state)
{
	unsigned long slot;
	unsigned long avail = cap_alloc_avail(&ca);

	(void)state;
	fk.obj[RCV] = 77;
	fk.move_err = -L4_EPERM;
	assert_int_equal(cap_map_insert_map(&cm, 4, RCV, &slot), -L4_EPERM);
	assert_int_equal(cap_alloc_avail(&ca), avail);
	assert_int_equal(cap_map_find(&cm, 4), RECAP_SLOT_NONE);
	assert_int_equal(cap_map_count(&cm), 0);
}

static void test_insert_map_kernel_query_errors_pass_through(void **state)
{
	unsigned long slot;

	(void)state;
	insert(4);
	fk.obj[RCV] = 77;
	fk.equal_err = -(L4_EIPC_LO + 3);
	assert_int_equal(cap_map_insert_map(&cm, 4, RCV, &slot),
			 -(L4_EIPC_LO + 3));
	fk.equal_err = 0;
	fk.valid_err = -L4_EPERM;
	assert_int_equal(cap_map_insert_map(&cm, 4, RCV, &slot), -L4_EPERM);
	assert_int_equal(cap_map_find(&cm, 4), USER);
	assert_int_equal(fk.move_calls, 0);
}

static void test_insert_map_bad_arguments(void **state)
{
	unsigned long slot;

	(void)state;
	assert_int_equal(cap_map_insert_map(&cm, 0, RCV, &slot),
			 RECAP_ERR_INVAL);
	assert_int_equal(cap_map_insert_map(&cm, RECAP_BADGE_INVALID, RCV,
					    &slot), RECAP_ERR_INVAL);
	assert_int_equal(cap_map_insert_map(&cm, 4, RECAP_CAP_SLOTS, &slot),
			 RECAP_ERR_RANGE);
	assert_int_equal(fk.move_calls + fk.equal_calls, 0);
}

/* ---- rewrite ------------------------------------------------------------------ */

static void test_rewrite_keeps_slot(void **state)
{
	(void)state;
	insert(4);
	assert_int_equal(cap_map_rewrite(&cm, 4, 40), RECAP_OK);
	assert_int_equal(cap_map_find(&cm, 4), RECAP_SLOT_NONE);
	assert_int_equal(cap_map_find(&cm, 40), USER);
	assert_int_equal(cap_map_badge_at(&cm, USER), 40);
	assert_true(cap_alloc_used(&ca, USER));
	assert_int_equal(cap_map_count(&cm), 1);
}

static void test_rewrite_unknown_is_noent(void **state)
{
	(void)state;
	assert_int_equal(cap_map_rewrite(&cm, 4, 40), RECAP_ERR_NOENT);
}

static void test_rewrite_onto_present_badge_is_exist(void **state)
{
	(void)state;
	insert(4);
	insert(8);
	assert_int_equal(cap_map_rewrite(&cm, 4, 8), RECAP_ERR_EXIST);
	assert_int_equal(cap_map_find(&cm, 4), USER);
	assert_int_equal(cap_map_find(&cm, 8), USER + 1);
}

static void test_rewrite_to_itself_is_noop(void **state)
{
	(void)state;
	insert(4);
	assert_int_equal(cap_map_rewrite(&cm, 4, 4), RECAP_OK);
	assert_int_equal(cap_map_find(&cm, 4), USER);
}

static void test_rewrite_to_bad_badge_is_inval(void **state)
{
	(void)state;
	insert(4);
	assert_int_equal(cap_map_rewrite(&cm, 4, 0), RECAP_ERR_INVAL);
	assert_int_equal(cap_map_rewrite(&cm, 4, RECAP_BADGE_INVALID),
			 RECAP_ERR_INVAL);
	assert_int_equal(cap_map_find(&cm, 4), USER);
}

/* Badges swapped through a spare one: what a restore does. */
static void test_rewrite_permutation(void **state)
{
	(void)state;
	insert(4);
	insert(8);
	assert_int_equal(cap_map_rewrite(&cm, 4, 12), RECAP_OK);
	assert_int_equal(cap_map_rewrite(&cm, 8, 4), RECAP_OK);
	assert_int_equal(cap_map_rewrite(&cm, 12, 8), RECAP_OK);
	assert_int_equal(cap_map_find(&cm, 4), USER + 1);
	assert_int_equal(cap_map_find(&cm, 8), USER);
}

/* ---- iteration ---------------------------------------------------------------- */

static void test_iter_visits_pairs_in_slot_order(void **state)
{
	struct cap_map_iter it = CAP_MAP_ITER_INIT;
	recap_badge_t badge;
	unsigned long slot;

	(void)state;
	cap_map_insert_at(&cm, 100, USER + 9);
	insert(200);
	cap_map_insert_at(&cm, 300, RECAP_PARENT_SLOT);
	assert_true(cap_map_iter_next(&cm, &it, &badge, &slot));
	assert_int_equal(badge, 300);
	assert_int_equal(slot, RECAP_PARENT_SLOT);
	assert_true(cap_map_iter_next(&cm, &it, &badge, &slot));
	assert_int_equal(badge, 200);
	assert_int_equal(slot, USER);
	assert_true(cap_map_iter_next(&cm, &it, &badge, &slot));
	assert_int_equal(badge, 100);
	assert_int_equal(slot, USER + 9);
	assert_false(cap_map_iter_next(&cm, &it, &badge, &slot));
	assert_false(cap_map_iter_next(&cm, &it, &badge, &slot));
}

static void test_iter_empty_map(void **state)
{
	struct cap_map_iter it = CAP_MAP_ITER_INIT;
	recap_badge_t badge;
	unsigned long slot;

	(void)state;
	assert_false(cap_map_iter_next(&cm, &it, &badge, &slot));
}

static void test_iter_may_remove_current(void **state)
{
	struct cap_map_iter it = CAP_MAP_ITER_INIT;
	recap_badge_t badge;
	unsigned long slot, seen = 0;

	(void)state;
	insert(4);
	insert(8);
	insert(12);
	while (cap_map_iter_next(&cm, &it, &badge, &slot)) {
		assert_int_equal(cap_map_remove(&cm, badge), RECAP_OK);
		seen++;
	}
	assert_int_equal(seen, 3);
	assert_int_equal(cap_map_count(&cm), 0);
}

/* ---- capacity and hash chains ----------------------------------------------- */

/* A deterministic spread of badges, multiples of 4 as core makes them. */
static recap_badge_t badge_n(unsigned long n)
{
	return ((n * 2654435761UL) % 0x10000000UL + 1) * 4;
}

static void test_full_map_with_colliding_chains(void **state)
{
	unsigned long i, slot;

	(void)state;
	assert_int_equal(cap_alloc_free(&ca, RCV), RECAP_OK);
	/* Every user slot, plus the thread area: more entries than buckets
	 * would need without collisions. */
	for (i = 0; i < USER_SLOTS; i++)
		assert_int_equal(insert(badge_n(i)), USER + i);
	for (i = 0; i < RECAP_THREAD_MAX; i++)
		assert_int_equal(cap_map_insert_at(&cm, badge_n(USER_SLOTS + i),
			recap_thread_slot(i, RECAP_THREAD_GATE)), RECAP_OK);
	assert_int_equal(cap_map_count(&cm), USER_SLOTS + RECAP_THREAD_MAX);
	assert_int_equal(cap_map_insert(&cm, 8, &slot), RECAP_ERR_NOMEM);

	/* Remove every third: entries in the middle of chains go. */
	for (i = 0; i < USER_SLOTS + RECAP_THREAD_MAX; i += 3)
		assert_int_equal(cap_map_remove(&cm, badge_n(i)), RECAP_OK);
	for (i = 0; i < USER_SLOTS + RECAP_THREAD_MAX; i++) {
		unsigned long want = i >= USER_SLOTS
			? recap_thread_slot(i - USER_SLOTS, RECAP_THREAD_GATE)
			: USER + i;

		if (i % 3 == 0)
			want = RECAP_SLOT_NONE;
		assert_int_equal(cap_map_find(&cm, badge_n(i)), want);
	}
	/* And back: the freed user slots are refilled in order. */
	for (i = 0; i < USER_SLOTS; i += 3)
		assert_int_equal(insert(badge_n(i)), USER + i);
	for (i = 0; i < USER_SLOTS; i++)
		assert_int_equal(cap_map_find(&cm, badge_n(i)), USER + i);
}

/*
 * White box: badges that share a bucket under cap_map.c's hash, found by
 * search. Should the hash change, the test still holds, only less sharply.
 */
static unsigned bucket_of(recap_badge_t badge)
{
	return (unsigned)(((uint64_t)badge * 0x9e3779b97f4a7c15ULL) >> 52);
}

static void test_long_chain_removal_anywhere(void **state)
{
	recap_badge_t chain[6];
	recap_badge_t b;
	unsigned long i, n = 0;

	(void)state;
	for (b = 4; n < 6; b += 4)
		if (bucket_of(b) == bucket_of(4))
			chain[n++] = b;
	for (i = 0; i < 6; i++)
		assert_int_equal(insert(chain[i]), USER + i);
	/* Middle, tail (first inserted), head (last inserted). */
	assert_int_equal(cap_map_remove(&cm, chain[2]), RECAP_OK);
	assert_int_equal(cap_map_remove(&cm, chain[0]), RECAP_OK);
	assert_int_equal(cap_map_remove(&cm, chain[5]), RECAP_OK);
	assert_int_equal(cap_map_find(&cm, chain[1]), USER + 1);
	assert_int_equal(cap_map_find(&cm, chain[3]), USER + 3);
	assert_int_equal(cap_map_find(&cm, chain[4]), USER + 4);
	assert_int_equal(cap_map_find(&cm, chain[0]), RECAP_SLOT_NONE);
	assert_int_equal(cap_map_find(&cm, chain[2]), RECAP_SLOT_NONE);
	assert_int_equal(cap_map_find(&cm, chain[5]), RECAP_SLOT_NONE);
	assert_int_equal(cap_map_rewrite(&cm, chain[3], chain[0]), RECAP_OK);
	assert_int_equal(cap_map_find(&cm, chain[0]), USER + 3);
	assert_int_equal(cap_map_count(&cm), 3);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_init_is_empty),
		T(test_l4_ops_are_complete),
		T(test_insert_takes_fresh_slot),
		T(test_insert_then_find_both_ways),
		T(test_insert_present_badge_is_exist),
		T(test_insert_bad_badge_is_inval),
		T(test_insert_without_slot_is_nomem),
		T(test_insert_at_core_slot_leaves_allocator),
		T(test_insert_at_user_slot_takes_it),
		T(test_insert_at_adopts_callers_slot),
		T(test_insert_at_drops_badges_old_entry),
		T(test_insert_at_replaces_other_badge_at_slot),
		T(test_insert_at_same_place_is_noop),
		T(test_insert_at_bad_slot_is_range),
		T(test_remove_forgets_and_frees_slot),
		T(test_remove_unknown_is_noent),
		T(test_remove_does_not_unmap),
		T(test_insert_map_unknown_moves_to_fresh_slot),
		T(test_insert_map_known_same_object_returns_entry),
		T(test_insert_map_known_other_live_object_is_denied),
		T(test_insert_map_known_dead_entry_is_replaced),
		T(test_insert_map_dead_core_slot_entry_moves_to_user),
		T(test_insert_map_without_slot_is_nomem),
		T(test_insert_map_failed_move_gives_slot_back),
		T(test_insert_map_kernel_query_errors_pass_through),
		T(test_insert_map_bad_arguments),
		T(test_rewrite_keeps_slot),
		T(test_rewrite_unknown_is_noent),
		T(test_rewrite_onto_present_badge_is_exist),
		T(test_rewrite_to_itself_is_noop),
		T(test_rewrite_to_bad_badge_is_inval),
		T(test_rewrite_permutation),
		T(test_iter_visits_pairs_in_slot_order),
		T(test_iter_empty_map),
		T(test_iter_may_remove_current),
		T(test_full_map_with_colliding_chains),
		T(test_long_chain_removal_anywhere),
	};
#undef T

	return cmocka_run_group_tests_name("base/cap_map", tests, NULL, NULL);
}
