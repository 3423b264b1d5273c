/*
 * Unit tests for lib/base/format.c (recap/format.h): exact expected strings,
 * one test per rule, then a sweep that compares with the host's snprintf
 * wherever recap/format.h promises C's behaviour.
 *
 * Most calls go through fmt(), which has no format attribute: several
 * formats here are deliberately ones GCC warns about ("%-05d", "%q").
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <recap/format.h>

static int fmt_n(char *buf, size_t size, char const *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = recap_vsnprintf(buf, size, f, ap);
	va_end(ap);
	return n;
}

/* Format into a large buffer; check the text and the returned length. */
#define CHECK(want, ...)                                                   \
	do {                                                               \
		char b_[256];                                              \
		int n_ = fmt_n(b_, sizeof(b_), __VA_ARGS__);               \
		assert_string_equal(b_, want);                             \
		assert_int_equal(n_, strlen(want));                        \
	} while (0)

/* ---- plain text --------------------------------------------------------- */

static void test_text_is_copied(void **state)
{
	(void)state;
	CHECK("", "");
	CHECK("hello, world", "hello, world");
}

static void test_percent_percent(void **state)
{
	(void)state;
	CHECK("100%", "100%%");
	CHECK("%%", "%%%%");
}

/* ---- integers ------------------------------------------------------------ */

static void test_d_signed_decimal(void **state)
{
	(void)state;
	CHECK("0 42 -42", "%d %d %d", 0, 42, -42);
	CHECK("-2147483648 2147483647", "%d %d", INT_MIN, INT_MAX);
}

static void test_i_is_d(void **state)
{
	(void)state;
	CHECK("-7", "%i", -7);
}

static void test_u_unsigned_decimal(void **state)
{
	(void)state;
	CHECK("4294967295", "%u", UINT_MAX);
	CHECK("4294967295", "%u", -1);
}

static void test_x_lowercase_hex(void **state)
{
	(void)state;
	CHECK("0 deadbeef", "%x %x", 0u, 0xdeadbeefu);
}

static void test_X_uppercase_hex(void **state)
{
	(void)state;
	CHECK("DEADBEEF", "%X", 0xdeadbeefu);
}

static void test_l_long(void **state)
{
	(void)state;
	CHECK("-9223372036854775808", "%ld", LONG_MIN);
	CHECK("18446744073709551615", "%lu", ULONG_MAX);
	CHECK("ffffffffffffffff", "%lx", ULONG_MAX);
	CHECK("-5", "%li", -5L);
}

static void test_ll_long_long(void **state)
{
	(void)state;
	CHECK("18446744073709551615", "%llu", ULLONG_MAX);
	CHECK("-9223372036854775808", "%lld", LLONG_MIN);
	CHECK("123456789ABC", "%llX", 0x123456789abcULL);
}

static void test_z_size_t(void **state)
{
	(void)state;
	CHECK("18446744073709551615", "%zu", SIZE_MAX);
	CHECK("10", "%zx", (size_t)16);
}

static void test_int_argument_truncated_to_int(void **state)
{
	(void)state;
	/* Without 'l', only an int is taken from the argument list. */
	CHECK("ffffffff 7", "%x %d", 0xffffffffu, 7);
}

/* ---- pointers, strings, characters -------------------------------------- */

static void test_p_pointer_hex(void **state)
{
	(void)state;
	CHECK("0x1234abcd", "%p", (void *)0x1234abcdUL);
	CHECK("0xffffffffffffffff", "%p", (void *)UINTPTR_MAX);
}

static void test_p_null_is_0x0(void **state)
{
	(void)state;
	CHECK("0x0", "%p", NULL);
}

static void test_s_string(void **state)
{
	(void)state;
	CHECK("a-bc-", "a-%s-%s", "bc", "");
}

static void test_s_null(void **state)
{
	(void)state;
	CHECK("(null)", "%s", (char *)NULL);
}

static void test_c_character(void **state)
{
	(void)state;
	CHECK("xyz", "x%cz", 'y');
}

/* ---- width, flags, precision -------------------------------------------- */

static void test_width_pads_left_with_spaces(void **state)
{
	(void)state;
	CHECK("   42", "%5d", 42);
	CHECK("  -42", "%5d", -42);
	CHECK("   ab", "%5s", "ab");
	CHECK("    c", "%5c", 'c');
	CHECK(" 0x10", "%5p", (void *)16);
}

static void test_width_never_truncates(void **state)
{
	(void)state;
	CHECK("123456", "%3d", 123456);
	CHECK("abcdef", "%3s", "abcdef");
}

static void test_minus_pads_right(void **state)
{
	(void)state;
	CHECK("42   |", "%-5d|", 42);
	CHECK("ab   |", "%-5s|", "ab");
	CHECK("c  |", "%-3c|", 'c');
}

static void test_zero_pads_integers_after_sign(void **state)
{
	(void)state;
	CHECK("00042", "%05d", 42);
	CHECK("-0042", "%05d", -42);
	CHECK("000ff", "%05x", 0xffu);
	CHECK("0x000010", "%08p", (void *)16);
}

static void test_zero_ignored_with_minus(void **state)
{
	(void)state;
	CHECK("42   |", "%-05d|", 42);
}

static void test_zero_does_not_pad_text(void **state)
{
	(void)state;
	CHECK("   ab", "%05s", "ab");
	CHECK("    c", "%05c", 'c');
}

static void test_string_precision_limits_length(void **state)
{
	(void)state;
	CHECK("abc", "%.3s", "abcdef");
	CHECK("ab", "%.3s", "ab");
	CHECK("", "%.0s", "abc");
	CHECK("   ab|", "%5.2s|", "abc");
	CHECK("ab   |", "%-5.2s|", "abc");
}

static void test_string_precision_reads_no_further(void **state)
{
	char const unterminated[3] = { 'a', 'b', 'c' };

	(void)state;
	CHECK("abc", "%.3s", unterminated);
}

static void test_integer_precision_is_minimum_digits(void **state)
{
	(void)state;
	CHECK("007", "%.3d", 7);
	CHECK("-007", "%.3d", -7);
	CHECK("  007", "%5.3d", 7);
	CHECK("12345", "%.3d", 12345);
}

static void test_zero_with_precision_zero_has_no_digits(void **state)
{
	(void)state;
	CHECK("||", "|%.0d|", 0);
	CHECK("|   |", "|%3.0u|", 0u);
}

static void test_zero_flag_ignored_with_precision(void **state)
{
	(void)state;
	CHECK("  007", "%05.3d", 7);
}

static void test_star_width_and_precision(void **state)
{
	(void)state;
	CHECK("   42", "%*d", 5, 42);
	CHECK("ab", "%.*s", 2, "abcd");
	CHECK("  abc", "%*.*s", 5, 3, "abcdef");
}

static void test_negative_star_width_left_aligns(void **state)
{
	(void)state;
	CHECK("42   |", "%*d|", -5, 42);
}

static void test_negative_star_precision_is_none(void **state)
{
	(void)state;
	CHECK("abcd", "%.*s", -1, "abcd");
	CHECK("00042", "%0*.*d", 5, -1, 42);
}

/* ---- truncation and the return value ------------------------------------ */

static void test_truncates_and_terminates(void **state)
{
	char b[6] = "XXXXX";

	(void)state;
	assert_int_equal(fmt_n(b, 5, "hello %s", "world"), 11);
	assert_string_equal(b, "hell");
	assert_int_equal(b[5], '\0');	/* the canary beyond size: untouched */
}

static void test_truncates_inside_a_conversion(void **state)
{
	char b[4];

	(void)state;
	assert_int_equal(fmt_n(b, sizeof(b), "%d", 123456), 6);
	assert_string_equal(b, "123");
}

static void test_size_one_gives_empty_string(void **state)
{
	char b[2] = { 'x', 'y' };

	(void)state;
	assert_int_equal(fmt_n(b, 1, "abc"), 3);
	assert_int_equal(b[0], '\0');
	assert_int_equal(b[1], 'y');
}

static void test_size_zero_writes_nothing(void **state)
{
	char b[1] = { 'x' };

	(void)state;
	assert_int_equal(fmt_n(b, 0, "abc%d", 12), 5);
	assert_int_equal(b[0], 'x');
	assert_int_equal(fmt_n(NULL, 0, "%s", "four"), 4);
}

static void test_exact_fit(void **state)
{
	char b[4];

	(void)state;
	assert_int_equal(fmt_n(b, sizeof(b), "abc"), 3);
	assert_string_equal(b, "abc");
}

/* ---- unknown conversions ------------------------------------------------- */

static void test_unknown_conversion_is_copied(void **state)
{
	(void)state;
	CHECK("%q", "%q");
	CHECK("%-5.2q", "%-5.2q");
	CHECK("%lq", "%lq");
}

static void test_unknown_conversion_consumes_no_argument(void **state)
{
	(void)state;
	CHECK("%q 5", "%q %d", 5);
	CHECK("%f x", "%f %s", "x");
}

static void test_lone_percent_at_end_is_copied(void **state)
{
	(void)state;
	CHECK("50%", "50%");
	CHECK("50%-", "50%-");
}

/* ---- the format-checked entry point --------------------------------------- */

static void test_snprintf_formats(void **state)
{
	char b[32];

	(void)state;
	assert_int_equal(recap_snprintf(b, sizeof(b), "%s=%lu", "n", 7UL), 3);
	assert_string_equal(b, "n=7");
}

/* ---- agreement with C ------------------------------------------------------ */

static void test_agrees_with_host_snprintf(void **state)
{
	static char const *const int_fmts[] = {
		"%d", "%5d", "%-5d|", "%05d", "%.3d", "%8.3d", "%-8.3d|",
		"%.0d", "%u", "%7u", "%x", "%08x", "%X", "%-6X|", "%.5x",
	};
	static int const ints[] = { 0, 1, -1, 42, -42, 99999, -100000,
				    INT_MAX, INT_MIN };
	static char const *const str_fmts[] = {
		"%s", "%8s", "%-8s|", "%.2s", "%6.2s", "%-6.2s|", "%.0s",
	};
	static char const *const strs[] = { "", "a", "abc", "abcdefghij" };
	char got[64], want[64];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(int_fmts) / sizeof(int_fmts[0]); i++) {
		for (j = 0; j < sizeof(ints) / sizeof(ints[0]); j++) {
			int n = fmt_n(got, sizeof(got), int_fmts[i], ints[j]);

			snprintf(want, sizeof(want), int_fmts[i], ints[j]);
			assert_string_equal(got, want);
			assert_int_equal(n, strlen(want));
		}
	}
	for (i = 0; i < sizeof(str_fmts) / sizeof(str_fmts[0]); i++) {
		for (j = 0; j < sizeof(strs) / sizeof(strs[0]); j++) {
			fmt_n(got, sizeof(got), str_fmts[i], strs[j]);
			snprintf(want, sizeof(want), str_fmts[i], strs[j]);
			assert_string_equal(got, want);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_is_copied),
		cmocka_unit_test(test_percent_percent),
		cmocka_unit_test(test_d_signed_decimal),
		cmocka_unit_test(test_i_is_d),
		cmocka_unit_test(test_u_unsigned_decimal),
		cmocka_unit_test(test_x_lowercase_hex),
		cmocka_unit_test(test_X_uppercase_hex),
		cmocka_unit_test(test_l_long),
		cmocka_unit_test(test_ll_long_long),
		cmocka_unit_test(test_z_size_t),
		cmocka_unit_test(test_int_argument_truncated_to_int),
		cmocka_unit_test(test_p_pointer_hex),
		cmocka_unit_test(test_p_null_is_0x0),
		cmocka_unit_test(test_s_string),
		cmocka_unit_test(test_s_null),
		cmocka_unit_test(test_c_character),
		cmocka_unit_test(test_width_pads_left_with_spaces),
		cmocka_unit_test(test_width_never_truncates),
		cmocka_unit_test(test_minus_pads_right),
		cmocka_unit_test(test_zero_pads_integers_after_sign),
		cmocka_unit_test(test_zero_ignored_with_minus),
		cmocka_unit_test(test_zero_does_not_pad_text),
		cmocka_unit_test(test_string_precision_limits_length),
		cmocka_unit_test(test_string_precision_reads_no_further),
		cmocka_unit_test(test_integer_precision_is_minimum_digits),
		cmocka_unit_test(test_zero_with_precision_zero_has_no_digits),
		cmocka_unit_test(test_zero_flag_ignored_with_precision),
		cmocka_unit_test(test_star_width_and_precision),
		cmocka_unit_test(test_negative_star_width_left_aligns),
		cmocka_unit_test(test_negative_star_precision_is_none),
		cmocka_unit_test(test_truncates_and_terminates),
		cmocka_unit_test(test_truncates_inside_a_conversion),
		cmocka_unit_test(test_size_one_gives_empty_string),
		cmocka_unit_test(test_size_zero_writes_nothing),
		cmocka_unit_test(test_exact_fit),
		cmocka_unit_test(test_unknown_conversion_is_copied),
		cmocka_unit_test(test_unknown_conversion_consumes_no_argument),
		cmocka_unit_test(test_lone_percent_at_end_is_copied),
		cmocka_unit_test(test_snprintf_formats),
		cmocka_unit_test(test_agrees_with_host_snprintf),
	};

	return cmocka_run_group_tests_name("base/format", tests, NULL, NULL);
}
