/*
 * Unit tests for lib/base/cap_alloc.c (recap/cap_alloc.h) and the layout
 * helpers of recap/cap_layout.h: one test per rule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <recap/cap_alloc.h>
#include <recap/cap_layout.h>
#include <recap/err.h>

#define USER RECAP_USER_BASE_SLOT
#define LAST (RECAP_CAP_SLOTS - 1)
#define USER_SLOTS (RECAP_CAP_SLOTS - RECAP_USER_BASE_SLOT)

static struct cap_alloc ca;

static int setup(void **state)
{
	(void)state;
	cap_alloc_init(&ca);
	return 0;
}

/* Take every component-controlled slot. */
static void take_all(void)
{
	unsigned long i;

	for (i = 0; i < USER_SLOTS; i++)
		assert_int_equal(cap_alloc_one(&ca), USER + i);
}

/* ---- layout ------------------------------------------------------------- */

static void test_layout_values(void **state)
{
	(void)state;
	assert_int_equal(RECAP_TASK_SLOT, 1);
	assert_int_equal(RECAP_PARENT_SLOT, 8);
	assert_int_equal(RECAP_USER_BASE_SLOT, 0x200);
	assert_int_equal(RECAP_CAP_SLOTS, 4096);
	assert_int_equal(recap_slot_sel(RECAP_TASK_SLOT), L4_BASE_TASK_CAP);
}

static void test_layout_selectors(void **state)
{
	(void)state;
	assert_int_equal(recap_slot_sel(RECAP_PARENT_SLOT), 0x8000);
	assert_int_equal(recap_sel_slot(0x8000), 8);
	assert_int_equal(recap_sel_slot(0x8000 | L4_SYSF_CALL), 8);
}

static void test_layout_thread_area(void **state)
{
	(void)state;
	assert_int_equal(recap_thread_slot(0, RECAP_THREAD_GATE), 9);
	assert_int_equal(recap_thread_slot(0, RECAP_THREAD_PAGER), 10);
	assert_int_equal(recap_thread_slot(0, RECAP_THREAD_IRQ), 11);
	assert_int_equal(recap_thread_slot(1, RECAP_THREAD_GATE), 12);
	assert_int_equal(recap_thread_slot(RECAP_THREAD_MAX - 1,
					   RECAP_THREAD_IRQ), 392);
	assert_true(recap_thread_slot(RECAP_THREAD_MAX - 1, RECAP_THREAD_IRQ) <
		    RECAP_USER_BASE_SLOT);
}

/* ---- init ----------------------------------------------------------------- */

static void test_init_core_slots_used(void **state)
{
	unsigned long s;

	(void)state;
	for (s = 0; s < USER; s++)
		assert_true(cap_alloc_used(&ca, s));
}

static void test_init_user_slots_free(void **state)
{
	unsigned long s;

	(void)state;
	for (s = USER; s < RECAP_CAP_SLOTS; s++)
		assert_false(cap_alloc_used(&ca, s));
	assert_int_equal(cap_alloc_avail(&ca), USER_SLOTS);
}

static void test_used_beyond_last_slot_is_false(void **state)
{
	(void)state;
	assert_false(cap_alloc_used(&ca, RECAP_CAP_SLOTS));
	assert_false(cap_alloc_used(&ca, RECAP_SLOT_NONE));
}

/* ---- alloc ---------------------------------------------------------------- */

static void test_alloc_first_fit_from_user_base(void **state)
{
	(void)state;
	assert_int_equal(cap_alloc_one(&ca), USER);
	assert_int_equal(cap_alloc_one(&ca), USER + 1);
	assert_true(cap_alloc_used(&ca, USER));
	assert_int_equal(cap_alloc_avail(&ca), USER_SLOTS - 2);
}

static void test_alloc_reuses_lowest_freed_slot(void **state)
{
	unsigned long i;

	(void)state;
	for (i = 0; i < 5; i++)
		cap_alloc_one(&ca);
	assert_int_equal(cap_alloc_free(&ca, USER + 3), RECAP_OK);
	assert_int_equal(cap_alloc_free(&ca, USER + 1), RECAP_OK);
	assert_int_equal(cap_alloc_one(&ca), USER + 1);
	assert_int_equal(cap_alloc_one(&ca), USER + 3);
	assert_int_equal(cap_alloc_one(&ca), USER + 5);
}

static void test_alloc_crosses_word_boundaries(void **state)
{
	unsigned long i;

	(void)state;
	for (i = 0; i < 130; i++)
		assert_int_equal(cap_alloc_one(&ca), USER + i);
}

static void test_alloc_exhausted_returns_none(void **state)
{
	(void)state;
	take_all();
	assert_int_equal(cap_alloc_avail(&ca), 0);
	assert_int_equal(cap_alloc_one(&ca), RECAP_SLOT_NONE);
}

/* ---- alloc_range ------------------------------------------------------------ */

static void test_range_is_consecutive(void **state)
{
	(void)state;
	assert_int_equal(cap_alloc_range(&ca, 4), USER);
	assert_true(cap_alloc_used(&ca, USER + 3));
	assert_false(cap_alloc_used(&ca, USER + 4));
	assert_int_equal(cap_alloc_avail(&ca), USER_SLOTS - 4);
}

static void test_range_first_fit_skips_small_holes(void **state)
{
	unsigned long i;

	(void)state;
	for (i = 0; i < 16; i++)
		cap_alloc_one(&ca);
	cap_alloc_free(&ca, USER + 2);			/* hole of 1 */
	cap_alloc_free_range(&ca, USER + 5, 3);		/* hole of 3 */
	cap_alloc_free_range(&ca, USER + 10, 4);	/* hole of 4 */
	assert_int_equal(cap_alloc_range(&ca, 4), USER + 10);
	assert_int_equal(cap_alloc_range(&ca, 3), USER + 5);
	assert_int_equal(cap_alloc_range(&ca, 1), USER + 2);
}

static void test_range_spans_word_boundaries(void **state)
{
	unsigned long i;

	(void)state;
	for (i = 0; i < 62; i++)
		cap_alloc_one(&ca);
	assert_int_equal(cap_alloc_range(&ca, 4), USER + 62);
}

static void test_range_fits_at_the_very_end(void **state)
{
	(void)state;
	take_all();
	cap_alloc_free_range(&ca, LAST - 3, 4);
	assert_int_equal(cap_alloc_range(&ca, 5), RECAP_SLOT_NONE);
	assert_int_equal(cap_alloc_range(&ca, 4), LAST - 3);
}

static void test_range_zero_or_too_long_is_none(void **state)
{
	(void)state;
	assert_int_equal(cap_alloc_range(&ca, 0), RECAP_SLOT_NONE);
	assert_int_equal(cap_alloc_range(&ca, USER_SLOTS + 1),
			 RECAP_SLOT_NONE);
	assert_int_equal(cap_alloc_avail(&ca), USER_SLOTS);
	assert_int_equal(cap_alloc_range(&ca, USER_SLOTS), USER);
}

static void test_range_no_run_changes_nothing(void **state)
{
	unsigned long s;

	(void)state;
	/* Every other slot taken: no run of 2. */
	for (s = USER; s < RECAP_CAP_SLOTS; s += 2)
		assert_int_equal(cap_alloc_at(&ca, s), RECAP_OK);
	assert_int_equal(cap_alloc_range(&ca, 2), RECAP_SLOT_NONE);
	assert_int_equal(cap_alloc_avail(&ca), USER_SLOTS / 2);
}

/* ---- alloc_at ---------------------------------------------------------------- */

static void test_at_takes_that_slot(void **state)
{
	(void)state;
	assert_int_equal(cap_alloc_at(&ca, USER + 1), RECAP_OK);
	assert_true(cap_alloc_used(&ca, USER + 1));
	assert_int_equal(cap_alloc_one(&ca), USER);
	assert_int_equal(cap_alloc_one(&ca), USER + 2);
}

static void test_at_taken_slot_is_exist(void **state)
{
	(void)state;
	assert_int_equal(cap_alloc_at(&ca, LAST), RECAP_OK);
	assert_int_equal(cap_alloc_at(&ca, LAST), RECAP_ERR_EXIST);
	assert_int_equal(cap_alloc_avail(&ca), USER_SLOTS - 1);
}

static void test_at_core_slot_or_beyond_is_range(void **state)
{
	(void)state;
	assert_int_equal(cap_alloc_at(&ca, RECAP_PARENT_SLOT), RECAP_ERR_RANGE);
	assert_int_equal(cap_alloc_at(&ca, USER - 1), RECAP_ERR_RANGE);
	assert_int_equal(cap_alloc_at(&ca, RECAP_CAP_SLOTS), RECAP_ERR_RANGE);
}

/* ---- free ------------------------------------------------------------------ */

static void test_free_makes_slot_available(void **state)
{
	(void)state;
	cap_alloc_one(&ca);
	assert_int_equal(cap_alloc_free(&ca, USER), RECAP_OK);
	assert_false(cap_alloc_used(&ca, USER));
	assert_int_equal(cap_alloc_avail(&ca), USER_SLOTS);
}

static void test_free_unused_slot_is_noent(void **state)
{
	(void)state;
	assert_int_equal(cap_alloc_free(&ca, USER), RECAP_ERR_NOENT);
	cap_alloc_one(&ca);
	cap_alloc_free(&ca, USER);
	assert_int_equal(cap_alloc_free(&ca, USER), RECAP_ERR_NOENT);
	assert_int_equal(cap_alloc_avail(&ca), USER_SLOTS);
}

static void test_free_core_slot_or_beyond_is_range(void **state)
{
	(void)state;
	assert_int_equal(cap_alloc_free(&ca, RECAP_TASK_SLOT), RECAP_ERR_RANGE);
	assert_int_equal(cap_alloc_free(&ca, RECAP_CAP_SLOTS), RECAP_ERR_RANGE);
	assert_true(cap_alloc_used(&ca, RECAP_TASK_SLOT));
}

static void test_free_range_all_or_nothing(void **state)
{
	(void)state;
	cap_alloc_range(&ca, 4);
	cap_alloc_free(&ca, USER + 2);
	assert_int_equal(cap_alloc_free_range(&ca, USER, 4), RECAP_ERR_NOENT);
	assert_true(cap_alloc_used(&ca, USER));
	assert_true(cap_alloc_used(&ca, USER + 3));
	assert_int_equal(cap_alloc_free_range(&ca, USER, 2), RECAP_OK);
	assert_int_equal(cap_alloc_avail(&ca), USER_SLOTS - 1);
}

static void test_free_range_past_the_end_is_range(void **state)
{
	(void)state;
	cap_alloc_at(&ca, LAST);
	assert_int_equal(cap_alloc_free_range(&ca, LAST, 2), RECAP_ERR_RANGE);
	assert_true(cap_alloc_used(&ca, LAST));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_layout_values),
		T(test_layout_selectors),
		T(test_layout_thread_area),
		T(test_init_core_slots_used),
		T(test_init_user_slots_free),
		T(test_used_beyond_last_slot_is_false),
		T(test_alloc_first_fit_from_user_base),
		T(test_alloc_reuses_lowest_freed_slot),
		T(test_alloc_crosses_word_boundaries),
		T(test_alloc_exhausted_returns_none),
		T(test_range_is_consecutive),
		T(test_range_first_fit_skips_small_holes),
		T(test_range_spans_word_boundaries),
		T(test_range_fits_at_the_very_end),
		T(test_range_zero_or_too_long_is_none),
		T(test_range_no_run_changes_nothing),
		T(test_at_takes_that_slot),
		T(test_at_taken_slot_is_exist),
		T(test_at_core_slot_or_beyond_is_range),
		T(test_free_makes_slot_available),
		T(test_free_unused_slot_is_noent),
		T(test_free_core_slot_or_beyond_is_range),
		T(test_free_range_all_or_nothing),
		T(test_free_range_past_the_end_is_range),
	};
#undef T

	return cmocka_run_group_tests_name("base/cap_alloc", tests, NULL, NULL);
}
