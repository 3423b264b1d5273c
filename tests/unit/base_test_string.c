/*
 * Unit tests for lib/base/string.c (recap/string.h). Hosted, the functions
 * are named recap_memset etc., so they are tested under those names next to
 * libc's own, which serve as the reference.
 *
 * The sweep tests work on malloc'ed buffers of exact size, so that under
 * ASan a word access past either end is caught.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include <recap/string.h>

#define SWEEP_LEN 70	/* longer than a few words plus a misaligned head */
#define SWEEP_OFF 16	/* every misalignment, twice over */

static unsigned char *pattern_buf(size_t n, unsigned seed)
{
	unsigned char *b = malloc(n);
	size_t i;

	assert_non_null(b);
	for (i = 0; i < n; i++)
		b[i] = (unsigned char)(seed + i * 7);
	return b;
}

/* ---- memset ---------------------------------------------------------- */

static void test_memset_fills_exactly_n_bytes(void **state)
{
	unsigned char b[8] = { 1, 1, 1, 1, 1, 1, 1, 1 };
	unsigned char const want[8] = { 1, 9, 9, 9, 9, 9, 1, 1 };

	(void)state;
	assert_ptr_equal(recap_memset(b + 1, 9, 5), b + 1);
	assert_memory_equal(b, want, sizeof(b));
}

static void test_memset_uses_low_byte_of_c(void **state)
{
	unsigned char b[3] = { 0 };

	(void)state;
	recap_memset(b, 0x1ab, sizeof(b));
	assert_int_equal(b[0], 0xab);
	assert_int_equal(b[2], 0xab);
}

static void test_memset_zero_length_writes_nothing(void **state)
{
	unsigned char b[1] = { 5 };

	(void)state;
	recap_memset(b, 0, 0);
	assert_int_equal(b[0], 5);
}

static void test_memset_every_alignment_and_length(void **state)
{
	size_t off, n;

	(void)state;
	for (off = 0; off < SWEEP_OFF; off++) {
		for (n = 0; n <= SWEEP_LEN; n++) {
			unsigned char *got = pattern_buf(off + n + 1, 3);
			unsigned char *want = pattern_buf(off + n + 1, 3);

			recap_memset(got + off, 0xc5, n);
			memset(want + off, 0xc5, n);
			assert_memory_equal(got, want, off + n + 1);
			free(got);
			free(want);
		}
	}
}

/* ---- memcpy ---------------------------------------------------------- */

static void test_memcpy_returns_destination(void **state)
{
	char d[4];

	(void)state;
	assert_ptr_equal(recap_memcpy(d, "abc", 4), d);
	assert_string_equal(d, "abc");
}

static void test_memcpy_every_alignment_and_length(void **state)
{
	size_t doff, soff, n;

	(void)state;
	for (doff = 0; doff < SWEEP_OFF; doff++) {
		for (soff = 0; soff < SWEEP_OFF; soff++) {
			for (n = 0; n <= SWEEP_LEN; n += 3) {
				unsigned char *s = pattern_buf(soff + n, 11);
				unsigned char *got = pattern_buf(doff + n + 1, 1);
				unsigned char *want = pattern_buf(doff + n + 1, 1);

				recap_memcpy(got + doff, s + soff, n);
				memcpy(want + doff, s + soff, n);
				assert_memory_equal(got, want, doff + n + 1);
				free(s);
				free(got);
				free(want);
			}
		}
	}
}

/* Copies from the size that takes the string-copy path up, at odd offsets:
 * exactly the bytes asked for, nothing beyond. */
static void test_memcpy_large(void **state)
{
	static size_t const lengths[] = { 511, 512, 513, 4096, 65537, 1 << 20 };

	(void)state;
	for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		size_t n = lengths[i];
		unsigned char *s = pattern_buf(n + 3, 7);
		unsigned char *got = pattern_buf(n + 10, 1);
		unsigned char *want = pattern_buf(n + 10, 1);

		recap_memcpy(got + 5, s + 3, n);
		memcpy(want + 5, s + 3, n);
		assert_memory_equal(got, want, n + 10);
		free(s);
		free(got);
		free(want);
	}
}

/* ---- memmove --------------------------------------------------------- */

/* Move n bytes inside one buffer from src to dst offset; compare to libc. */
static void check_move(size_t dst, size_t src, size_t n)
{
	size_t len = (dst > src ? dst : src) + n;
	unsigned char *got = pattern_buf(len, 5);
	unsigned char *want = pattern_buf(len, 5);

	assert_ptr_equal(recap_memmove(got + dst, got + src, n), got + dst);
	memmove(want + dst, want + src, n);
	assert_memory_equal(got, want, len);
	free(got);
	free(want);
}

static void test_memmove_overlap_downwards(void **state)
{
	size_t src, n;

	(void)state;
	for (src = 1; src < 2 * SWEEP_OFF; src++)
		for (n = 0; n <= SWEEP_LEN; n++)
			check_move(src % 3, src + src % 3, n);
}

static void test_memmove_overlap_upwards(void **state)
{
	size_t dst, n;

	(void)state;
	for (dst = 1; dst < 2 * SWEEP_OFF; dst++)
		for (n = 0; n <= SWEEP_LEN; n++)
			check_move(dst + dst % 5, dst % 5, n);
}

static void test_memmove_onto_itself_is_identity(void **state)
{
	(void)state;
	check_move(3, 3, SWEEP_LEN);
}

/* ---- memcmp ---------------------------------------------------------- */

static void test_memcmp_equal_is_zero(void **state)
{
	(void)state;
	assert_int_equal(recap_memcmp("abcd", "abcd", 4), 0);
	assert_int_equal(recap_memcmp("a", "b", 0), 0);
}

static void test_memcmp_sign_of_first_difference(void **state)
{
	(void)state;
	assert_true(recap_memcmp("abcd", "abdd", 4) < 0);
	assert_true(recap_memcmp("abdd", "abcd", 4) > 0);
}

static void test_memcmp_bytes_are_unsigned(void **state)
{
	(void)state;
	assert_true(recap_memcmp("\x80", "\x01", 1) > 0);
}

static void test_memcmp_stops_at_n(void **state)
{
	(void)state;
	assert_int_equal(recap_memcmp("abX", "abY", 2), 0);
}

/* ---- strlen, strcmp, strncmp ------------------------------------------- */

static void test_strlen_counts_to_nul(void **state)
{
	(void)state;
	assert_int_equal(recap_strlen(""), 0);
	assert_int_equal(recap_strlen("abc"), 3);
	assert_int_equal(recap_strlen("ab\0cd"), 2);
}

static void test_strcmp_orders_strings(void **state)
{
	(void)state;
	assert_int_equal(recap_strcmp("abc", "abc"), 0);
	assert_true(recap_strcmp("abc", "abd") < 0);
	assert_true(recap_strcmp("abd", "abc") > 0);
	assert_int_equal(recap_strcmp("", ""), 0);
}

static void test_strcmp_prefix_sorts_first(void **state)
{
	(void)state;
	assert_true(recap_strcmp("ab", "abc") < 0);
	assert_true(recap_strcmp("abc", "ab") > 0);
}

static void test_strcmp_chars_are_unsigned(void **state)
{
	(void)state;
	assert_true(recap_strcmp("\x80", "a") > 0);
}

static void test_strncmp_looks_at_n_chars(void **state)
{
	(void)state;
	assert_int_equal(recap_strncmp("abcX", "abcY", 3), 0);
	assert_true(recap_strncmp("abcX", "abcY", 4) < 0);
	assert_int_equal(recap_strncmp("a", "b", 0), 0);
}

static void test_strncmp_stops_at_nul(void **state)
{
	(void)state;
	/* Equal strings shorter than n: nothing after the NUL is read. */
	assert_int_equal(recap_strncmp("ab\0X", "ab\0Y", 10), 0);
	assert_true(recap_strncmp("ab", "abc", 10) < 0);
}

/* ---- strlcpy ----------------------------------------------------------- */

static void test_strlcpy_copies_when_it_fits(void **state)
{
	char d[8];

	(void)state;
	memset(d, 'x', sizeof(d));
	assert_int_equal(recap_strlcpy(d, "abc", sizeof(d)), 3);
	assert_string_equal(d, "abc");
	assert_int_equal(d[4], 'x');
}

static void test_strlcpy_truncates_and_terminates(void **state)
{
	char d[4];

	(void)state;
	assert_int_equal(recap_strlcpy(d, "abcdef", sizeof(d)), 6);
	assert_string_equal(d, "abc");
}

static void test_strlcpy_size_one_gives_empty_string(void **state)
{
	char d[2] = { 'x', 'y' };

	(void)state;
	assert_int_equal(recap_strlcpy(d, "abc", 1), 3);
	assert_int_equal(d[0], '\0');
	assert_int_equal(d[1], 'y');
}

static void test_strlcpy_size_zero_writes_nothing(void **state)
{
	char d[1] = { 'x' };

	(void)state;
	assert_int_equal(recap_strlcpy(d, "abc", 0), 3);
	assert_int_equal(d[0], 'x');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memset_fills_exactly_n_bytes),
		cmocka_unit_test(test_memset_uses_low_byte_of_c),
		cmocka_unit_test(test_memset_zero_length_writes_nothing),
		cmocka_unit_test(test_memset_every_alignment_and_length),
		cmocka_unit_test(test_memcpy_returns_destination),
		cmocka_unit_test(test_memcpy_every_alignment_and_length),
		cmocka_unit_test(test_memcpy_large),
		cmocka_unit_test(test_memmove_overlap_downwards),
		cmocka_unit_test(test_memmove_overlap_upwards),
		cmocka_unit_test(test_memmove_onto_itself_is_identity),
		cmocka_unit_test(test_memcmp_equal_is_zero),
		cmocka_unit_test(test_memcmp_sign_of_first_difference),
		cmocka_unit_test(test_memcmp_bytes_are_unsigned),
		cmocka_unit_test(test_memcmp_stops_at_n),
		cmocka_unit_test(test_strlen_counts_to_nul),
		cmocka_unit_test(test_strcmp_orders_strings),
		cmocka_unit_test(test_strcmp_prefix_sorts_first),
		cmocka_unit_test(test_strcmp_chars_are_unsigned),
		cmocka_unit_test(test_strncmp_looks_at_n_chars),
		cmocka_unit_test(test_strncmp_stops_at_nul),
		cmocka_unit_test(test_strlcpy_copies_when_it_fits),
		cmocka_unit_test(test_strlcpy_truncates_and_terminates),
		cmocka_unit_test(test_strlcpy_size_one_gives_empty_string),
		cmocka_unit_test(test_strlcpy_size_zero_writes_nothing),
	};

	return cmocka_run_group_tests_name("base/string", tests, NULL, NULL);
}
