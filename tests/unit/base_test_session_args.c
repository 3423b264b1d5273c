/*
 * Unit tests for lib/base/session_args.c (recap/session_args.h): Genode
 * session argument strings as a parent reads them from an untrusted
 * client.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <recap/err.h>
#include <recap/session_args.h>

static char buf[32];

static int get(char const *args, char const *key)
{
	return session_args_get(args, key, buf, sizeof(buf));
}

static void test_quoted_and_bare_values(void **state)
{
	char const *args = "label=\"hello -> log\", ram_quota=4096, cap_quota=3";

	(void)state;
	assert_int_equal(get(args, "label"), RECAP_OK);
	assert_string_equal(buf, "hello -> log");
	assert_int_equal(get(args, "ram_quota"), RECAP_OK);
	assert_string_equal(buf, "4096");
	assert_int_equal(get(args, "cap_quota"), RECAP_OK);
	assert_string_equal(buf, "3");
}

static void test_absent_key(void **state)
{
	(void)state;
	assert_int_equal(get("ram_quota=1", "label"), RECAP_ERR_NOENT);
	assert_int_equal(get("", "label"), RECAP_ERR_NOENT);
	assert_int_equal(get("   ", "label"), RECAP_ERR_NOENT);
	/* A key that merely starts like the one asked for is another key. */
	assert_int_equal(get("labels=x", "label"), RECAP_ERR_NOENT);
	assert_int_equal(get("label=x", "labels"), RECAP_ERR_NOENT);
}

static void test_spaces_and_escapes(void **state)
{
	(void)state;
	assert_int_equal(get("  a = 1 ,b=\"x\\\"y\\\\z\"  ", "b"), RECAP_OK);
	assert_string_equal(buf, "x\"y\\z");
	assert_int_equal(get("a=1.5:+-_x", "a"), RECAP_OK);
	assert_string_equal(buf, "1.5:+-_x");
	assert_int_equal(get("a=\"\"", "a"), RECAP_OK);
	assert_string_equal(buf, "");
}

static void test_first_occurrence_counts(void **state)
{
	(void)state;
	assert_int_equal(get("label=\"a\", label=\"b\"", "label"), RECAP_OK);
	assert_string_equal(buf, "a");
}

static void test_malformed_is_refused_everywhere(void **state)
{
	(void)state;
	assert_int_equal(get("label", "label"), RECAP_ERR_INVAL);
	assert_int_equal(get("=x", "label"), RECAP_ERR_INVAL);
	assert_int_equal(get("label=\"open", "label"), RECAP_ERR_INVAL);
	assert_int_equal(get("label=", "label"), RECAP_ERR_INVAL);
	assert_int_equal(get("label=a b", "label"), RECAP_ERR_INVAL);
	assert_int_equal(get("label=a;b=c", "label"), RECAP_ERR_INVAL);
	/* Even after the key asked for. */
	assert_int_equal(get("label=a, ???", "label"), RECAP_ERR_INVAL);
	assert_string_equal(buf, "");
}

static void test_too_long_value(void **state)
{
	char small[4];

	(void)state;
	assert_int_equal(session_args_get("a=\"abcd\"", "a", small, sizeof(small)),
			 RECAP_ERR_RANGE);
	assert_string_equal(small, "");
	assert_int_equal(session_args_get("a=abc", "a", small, sizeof(small)),
			 RECAP_OK);
	assert_string_equal(small, "abc");
}

int main(void)
{
#define T(f) cmocka_unit_test(f)
	const struct CMUnitTest tests[] = {
		T(test_quoted_and_bare_values),
		T(test_absent_key),
		T(test_spaces_and_escapes),
		T(test_first_occurrence_counts),
		T(test_malformed_is_refused_everywhere),
		T(test_too_long_value),
	};
#undef T

	return cmocka_run_group_tests_name("base/session_args", tests, NULL, NULL);
}
