/*
 * Unit tests for lib/base/heap.c (recap/heap.h): one test per rule, then a
 * long random sequence checked against the invariants and against the
 * contents of every live block.
 *
 * Regions are slices of one aligned static arena, so the sizes below are
 * exact: a request of n bytes takes a block of n + 16 rounded up to 16,
 * at least 32.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include <recap/err.h>
#include <recap/heap.h>

#define ARENA 8192

static _Alignas(64) unsigned char arena[ARENA];
static struct heap h;

static int setup(void **state)
{
	(void)state;
	memset(arena, 0xee, sizeof(arena));
	heap_init(&h);
	return 0;
}

static void add(size_t off, size_t size)
{
	assert_int_equal(heap_add_region(&h, arena + off, size), RECAP_OK);
}

static struct heap_stats stats(void)
{
	struct heap_stats st;

	heap_stats(&h, &st);
	return st;
}

static void *must_alloc(size_t n)
{
	void *p = heap_alloc(&h, n);

	assert_non_null(p);
	assert_int_equal(heap_check(&h), RECAP_OK);
	return p;
}

static void must_free(void *p)
{
	assert_int_equal(heap_free(&h, p), RECAP_OK);
	assert_int_equal(heap_check(&h), RECAP_OK);
}

/* ---- regions ---------------------------------------------------------------- */

static void test_empty_heap_allocates_nothing(void **state)
{
	(void)state;
	assert_null(heap_alloc(&h, 1));
	assert_int_equal(stats().total, 0);
	assert_int_equal(heap_check(&h), RECAP_OK);
}

static void test_region_adds_its_size(void **state)
{
	struct heap_stats st;

	(void)state;
	add(0, 1024);
	st = stats();
	assert_int_equal(st.total, 1024);
	assert_int_equal(st.used, 0);
	assert_int_equal(st.free, 1024);
	assert_int_equal(st.blocks_free, 1);
	assert_int_equal(st.largest_free, 1024 - HEAP_HEADER);
}

static void test_region_ends_trimmed_to_alignment(void **state)
{
	(void)state;
	add(3, 1024);		/* [3, 1027) -> [16, 1024) */
	assert_int_equal(stats().total, 1024 - 16);
}

static void test_region_too_small_is_range(void **state)
{
	(void)state;
	assert_int_equal(heap_add_region(&h, arena, HEAP_MIN_BLOCK - 1),
			 RECAP_ERR_RANGE);
	assert_int_equal(heap_add_region(&h, arena + 1, HEAP_MIN_BLOCK),
			 RECAP_ERR_RANGE);
	assert_int_equal(heap_add_region(&h, arena + 8, 0), RECAP_ERR_RANGE);
	assert_int_equal(stats().total, 0);
	add(0, HEAP_MIN_BLOCK);
}

static void test_region_wrapping_address_space_is_range(void **state)
{
	(void)state;
	assert_int_equal(heap_add_region(&h, arena, SIZE_MAX),
			 RECAP_ERR_RANGE);
	assert_int_equal(stats().total, 0);
}

static void test_adjacent_regions_merge(void **state)
{
	(void)state;
	add(512, 512);
	add(0, 512);
	add(1024, 512);
	assert_int_equal(stats().blocks_free, 1);
	assert_int_equal(stats().largest_free, 1536 - HEAP_HEADER);
	must_alloc(1536 - HEAP_HEADER);
}

static void test_separate_regions_both_used(void **state)
{
	unsigned char *a, *b;

	(void)state;
	add(0, 256);
	add(4096, 256);
	a = must_alloc(200);
	b = must_alloc(200);
	assert_ptr_equal(a, arena + HEAP_HEADER);
	assert_ptr_equal(b, arena + 4096 + HEAP_HEADER);
	assert_null(heap_alloc(&h, 200));
}

/* ---- allocation ----------------------------------------------------------------- */

static void test_alloc_is_aligned_inside_region(void **state)
{
	unsigned char *p;
	size_t n;

	(void)state;
	add(0, ARENA);
	for (n = 1; n < 100; n += 7) {
		p = must_alloc(n);
		assert_int_equal((uintptr_t)p % HEAP_ALIGN, 0);
		assert_true(p >= arena && p + n <= arena + ARENA);
	}
}

static void test_alloc_counts_header_and_rounding(void **state)
{
	(void)state;
	add(0, 1024);
	must_alloc(1);
	assert_int_equal(heap_used(&h), 32);
	must_alloc(16);
	assert_int_equal(heap_used(&h), 64);
	must_alloc(17);
	assert_int_equal(heap_used(&h), 112);
	assert_int_equal(stats().blocks_used, 3);
	assert_int_equal(stats().free, 1024 - 112);
}

static void test_alloc_zero_gives_unique_minimal_block(void **state)
{
	void *a, *b;

	(void)state;
	add(0, 1024);
	a = must_alloc(0);
	b = must_alloc(0);
	assert_ptr_not_equal(a, b);
	assert_int_equal(heap_used(&h), 2 * HEAP_MIN_BLOCK);
	must_free(a);
	must_free(b);
}

static void test_alloc_first_fit_from_the_front(void **state)
{
	unsigned char *a;

	(void)state;
	add(0, 1024);
	a = must_alloc(100);
	assert_ptr_equal(a, arena + HEAP_HEADER);
	assert_ptr_equal(must_alloc(100), arena + 128 + HEAP_HEADER);
}

static void test_alloc_reuses_lowest_fitting_hole(void **state)
{
	unsigned char *a, *d;

	(void)state;
	add(0, 2048);
	a = must_alloc(48);	/* block 64 */
	must_alloc(112);	/* block 128 */
	must_alloc(48);
	d = must_alloc(112);
	must_alloc(48);		/* d's hole must not merge with the tail */
	must_free(a);
	must_free(d);
	assert_ptr_equal(must_alloc(100), d);	/* a's hole is too small */
	assert_ptr_equal(must_alloc(40), a);
}

static void test_split_leaves_remainder_free(void **state)
{
	(void)state;
	add(0, 1024);
	must_alloc(100);
	assert_int_equal(stats().blocks_free, 1);
	assert_int_equal(stats().free, 1024 - 128);
}

static void test_small_remainder_handed_out_whole(void **state)
{
	(void)state;
	add(0, 160);
	/* 160 - 144 = 16 < HEAP_MIN_BLOCK: no split, the block is all used. */
	must_alloc(128);
	assert_int_equal(heap_used(&h), 160);
	assert_int_equal(stats().blocks_free, 0);
	assert_null(heap_alloc(&h, 0));
}

static void test_exhaustion_returns_null_and_changes_nothing(void **state)
{
	struct heap_stats before, after;

	(void)state;
	add(0, 1024);
	must_alloc(500);
	heap_stats(&h, &before);
	assert_null(heap_alloc(&h, 1024));
	heap_stats(&h, &after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_int_equal(heap_check(&h), RECAP_OK);
}

static void test_exact_fit_of_whole_region(void **state)
{
	(void)state;
	add(0, 1024);
	must_alloc(1024 - HEAP_HEADER);
	assert_int_equal(heap_used(&h), 1024);
	assert_null(heap_alloc(&h, 1));
}

static void test_huge_request_is_null(void **state)
{
	(void)state;
	add(0, 1024);
	assert_null(heap_alloc(&h, SIZE_MAX));
	assert_null(heap_alloc(&h, SIZE_MAX - HEAP_HEADER));
	assert_int_equal(heap_used(&h), 0);
}

/* ---- free and coalescing ---------------------------------------------------------- */

static void test_free_returns_bytes(void **state)
{
	void *p;

	(void)state;
	add(0, 1024);
	p = must_alloc(100);
	must_free(p);
	assert_int_equal(heap_used(&h), 0);
	assert_int_equal(stats().blocks_used, 0);
	assert_int_equal(stats().blocks_free, 1);
}

static void test_free_merges_with_next(void **state)
{
	void *a, *b;

	(void)state;
	add(0, 1024);
	a = must_alloc(100);
	b = must_alloc(100);
	must_free(b);		/* merges with the tail */
	assert_int_equal(stats().blocks_free, 1);
	must_free(a);
	assert_int_equal(stats().blocks_free, 1);
	assert_int_equal(stats().largest_free, 1024 - HEAP_HEADER);
}

static void test_free_merges_with_previous(void **state)
{
	void *a, *b;

	(void)state;
	add(0, 256);
	a = must_alloc(100);
	b = must_alloc(100);	/* 128 + 128: the region is full */
	must_free(a);
	must_free(b);
	assert_int_equal(stats().blocks_free, 1);
	assert_int_equal(stats().largest_free, 256 - HEAP_HEADER);
}

static void test_free_merges_both_sides(void **state)
{
	void *a, *b, *c;

	(void)state;
	add(0, 384);
	a = must_alloc(100);
	b = must_alloc(100);
	c = must_alloc(100);
	must_free(a);
	must_free(c);
	assert_int_equal(stats().blocks_free, 2);
	must_free(b);
	assert_int_equal(stats().blocks_free, 1);
	assert_int_equal(stats().largest_free, 384 - HEAP_HEADER);
}

static void test_no_merge_across_a_gap(void **state)
{
	(void)state;
	add(0, 256);
	add(512, 256);
	assert_int_equal(stats().blocks_free, 2);
	assert_int_equal(stats().largest_free, 256 - HEAP_HEADER);
}

static void test_fragmentation_then_recovery(void **state)
{
	void *p[16];
	int i;

	(void)state;
	add(0, 16 * 64);
	for (i = 0; i < 16; i++)
		p[i] = must_alloc(48);		/* blocks of 64 */
	for (i = 0; i < 16; i += 2)
		must_free(p[i]);
	/* Half the heap is free, but only in 64-byte holes. */
	assert_int_equal(stats().free, 8 * 64);
	assert_int_equal(stats().blocks_free, 8);
	assert_int_equal(stats().largest_free, 64 - HEAP_HEADER);
	assert_null(heap_alloc(&h, 64));
	for (i = 1; i < 16; i += 2)
		must_free(p[i]);
	assert_int_equal(stats().blocks_free, 1);
	must_alloc(16 * 64 - HEAP_HEADER);
}

static void test_free_null_is_ok(void **state)
{
	(void)state;
	assert_int_equal(heap_free(&h, NULL), RECAP_OK);
}

static void test_double_free_is_inval(void **state)
{
	void *a;

	(void)state;
	add(0, 1024);
	a = must_alloc(100);
	must_alloc(100);
	must_free(a);
	assert_int_equal(heap_free(&h, a), RECAP_ERR_INVAL);
	assert_int_equal(heap_check(&h), RECAP_OK);
	assert_int_equal(heap_used(&h), 128);
}

static void test_free_of_foreign_pointer_is_inval(void **state)
{
	unsigned char *a;

	(void)state;
	add(0, 1024);
	a = must_alloc(100);
	assert_int_equal(heap_free(&h, a + 1), RECAP_ERR_INVAL);
	assert_int_equal(heap_free(&h, a + 32), RECAP_ERR_INVAL);
	assert_int_equal(heap_free(&h, arena + 2048), RECAP_ERR_INVAL);
	assert_int_equal(heap_used(&h), 128);
	assert_int_equal(heap_check(&h), RECAP_OK);
}

static void test_free_with_overwritten_header_is_inval(void **state)
{
	unsigned char *a;

	(void)state;
	add(0, 1024);
	a = must_alloc(100);
	memset(a - 8, 0, 8);	/* an underflowing write hits the tag */
	assert_int_equal(heap_free(&h, a), RECAP_ERR_INVAL);
	assert_int_equal(heap_used(&h), 128);
}

/* ---- random sequence --------------------------------------------------------------- */

#define LIVE 64

static uint32_t rng = 12345;

static uint32_t next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

static void test_random_sequence_keeps_invariants(void **state)
{
	unsigned char *p[LIVE] = { NULL };
	size_t len[LIVE] = { 0 };
	int step, i;
	size_t k;

	(void)state;
	add(16, 3000);
	add(4096, 4000);
	for (step = 0; step < 20000; step++) {
		i = (int)(next_rand() % LIVE);
		if (p[i] != NULL) {
			for (k = 0; k < len[i]; k++)
				assert_int_equal(p[i][k], (unsigned char)(i + k));
			must_free(p[i]);
			p[i] = NULL;
			continue;
		}
		len[i] = next_rand() % 300;
		p[i] = heap_alloc(&h, len[i]);
		assert_int_equal(heap_check(&h), RECAP_OK);
		if (p[i] != NULL)
			for (k = 0; k < len[i]; k++)
				p[i][k] = (unsigned char)(i + k);
	}
	for (i = 0; i < LIVE; i++)
		must_free(p[i]);
	assert_int_equal(heap_used(&h), 0);
	assert_int_equal(stats().blocks_free, 2);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
	const struct CMUnitTest tests[] = {
		T(test_empty_heap_allocates_nothing),
		T(test_region_adds_its_size),
		T(test_region_ends_trimmed_to_alignment),
		T(test_region_too_small_is_range),
		T(test_region_wrapping_address_space_is_range),
		T(test_adjacent_regions_merge),
		T(test_separate_regions_both_used),
		T(test_alloc_is_aligned_inside_region),
		T(test_alloc_counts_header_and_rounding),
		T(test_alloc_zero_gives_unique_minimal_block),
		T(test_alloc_first_fit_from_the_front),
		T(test_alloc_reuses_lowest_fitting_hole),
		T(test_split_leaves_remainder_free),
		T(test_small_remainder_handed_out_whole),
		T(test_exhaustion_returns_null_and_changes_nothing),
		T(test_exact_fit_of_whole_region),
		T(test_huge_request_is_null),
		T(test_free_returns_bytes),
		T(test_free_merges_with_next),
		T(test_free_merges_with_previous),
		T(test_free_merges_both_sides),
		T(test_no_merge_across_a_gap),
		T(test_fragmentation_then_recovery),
		T(test_free_null_is_ok),
		T(test_double_free_is_inval),
		T(test_free_of_foreign_pointer_is_inval),
		T(test_free_with_overwritten_header_is_inval),
		T(test_random_sequence_keeps_invariants),
	};
#undef T

	return cmocka_run_group_tests_name("base/heap", tests, NULL, NULL);
}
