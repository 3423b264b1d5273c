/*
 * Unit tests for the config reader of lib/base/config.c
 * (recap_config_attr, recap/config.h): attributes of the root element of
 * a config ROM, which a component reads as untrusted bytes of a given
 * length (not a C string).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <recap/config.h>
#include <recap/err.h>

static char buf[32];

static int get(char const *xml, char const *key)
{
	return recap_config_attr(xml, strlen(xml), key, buf, sizeof(buf));
}

static void test_attributes(void **state)
{
	char const *xml = "<config period_ms=\"500\" n_mib='64' name=\"x y\"/>";

	(void)state;
	assert_int_equal(get(xml, "period_ms"), RECAP_OK);
	assert_string_equal(buf, "500");
	assert_int_equal(get(xml, "n_mib"), RECAP_OK);
	assert_string_equal(buf, "64");
	assert_int_equal(get(xml, "name"), RECAP_OK);
	assert_string_equal(buf, "x y");
}

static void test_absent(void **state)
{
	(void)state;
	assert_int_equal(get("<config/>", "a"), RECAP_ERR_NOENT);
	assert_string_equal(buf, "");
	assert_int_equal(get("<config a=\"1\"/>", "b"), RECAP_ERR_NOENT);
	/* A prefix or an extension of a name is another name. */
	assert_int_equal(get("<config ab=\"1\"/>", "a"), RECAP_ERR_NOENT);
	assert_int_equal(get("<config a=\"1\"/>", "ab"), RECAP_ERR_NOENT);
	/* Only the root's start tag counts, not nested elements. */
	assert_int_equal(get("<config><sub a=\"1\"/></config>", "a"), RECAP_ERR_NOENT);
}

static void test_prolog_and_spaces(void **state)
{
	(void)state;
	assert_int_equal(get("<?xml version=\"1.0\"?>\n<!-- a > b -->\n"
			     "<config\n\ta = \"1\"\r\n>\n</config>", "a"), RECAP_OK);
	assert_string_equal(buf, "1");
	assert_int_equal(get("  <config a=\"\" ></config>  ", "a"), RECAP_OK);
	assert_string_equal(buf, "");
}

static void test_entities(void **state)
{
	(void)state;
	assert_int_equal(get("<c v=\"&lt;&gt;&amp;&quot;&apos;\"/>", "v"), RECAP_OK);
	assert_string_equal(buf, "<>&\"'");
	assert_int_equal(get("<c v=\"&#65;&#x42;&#x6a;\"/>", "v"), RECAP_OK);
	assert_string_equal(buf, "ABj");
	assert_int_equal(get("<c v='say \"hi\"'/>", "v"), RECAP_OK);
	assert_string_equal(buf, "say \"hi\"");
}

static void test_malformed(void **state)
{
	static char const *const bad[] = {
		"",
		"   ",
		"config a=\"1\"/>",		/* no '<' */
		"<1config a=\"1\"/>",		/* bad element name */
		"<!DOCTYPE x><config a=\"1\"/>",
		"<config a=\"1\"",		/* no end of tag */
		"<config a=\"1/>",		/* unterminated value */
		"<config a=1/>",		/* unquoted */
		"<config a/>",			/* no value */
		"<config a=\"1\"b=\"2\"/>",	/* not separated */
		"<config a=\"<\"/>",
		"<config a=\"&bogus;\"/>",
		"<config a=\"&amp\"/>",
		"<config a=\"&#0;\"/>",
		"<config a=\"&#200;\"/>",
		"<config a=\"&#x;\"/>",
		"<config a=\"&#123456;\"/>",
		"<config a=\"1\" a=\"2\"/>",	/* the key given twice */
		"<config a=\"1\">",		/* not closed: the whole is checked */
		"<config a=\"1\"><x></config>",	/* nor is a nested element */
		"<config a=\"1\"/>junk",		/* nothing after the root */
		"<?xml version=\"1.0\"<config a=\"1\"/>",
		"<!-- unterminated <config a=\"1\"/>",
		"<config =\"1\"/>",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = get(bad[i], "a");

		if (err != RECAP_ERR_INVAL)
			fail_msg("\"%s\": %d, not RECAP_ERR_INVAL", bad[i], err);
	}
}

static void test_whole_tag_checked(void **state)
{
	(void)state;
	/* The key comes first; what follows is broken all the same. */
	assert_int_equal(get("<config a=\"1\" b=\"2/>", "a"), RECAP_ERR_INVAL);
	assert_int_equal(get("<config a=\"1\" b=\"&x;\"/>", "a"), RECAP_ERR_INVAL);
	/* Another attribute given twice is malformed all the same. */
	assert_int_equal(get("<config b=\"1\" b=\"2\" a=\"3\"/>", "a"), RECAP_ERR_INVAL);
}

static void test_length_bounds(void **state)
{
	char const *xml = "<config a=\"123\"/>";

	(void)state;
	/* Bytes past len do not exist: the tag is cut short. */
	assert_int_equal(recap_config_attr(xml, 14, "a", buf, sizeof(buf)),
			 RECAP_ERR_INVAL);
	assert_int_equal(recap_config_attr(xml, strlen(xml), "a", buf, 4), RECAP_OK);
	assert_string_equal(buf, "123");
	assert_int_equal(recap_config_attr(xml, strlen(xml), "a", buf, 3),
			 RECAP_ERR_RANGE);
	assert_string_equal(buf, "12");
	/* A NUL byte inside the given length is malformed, not an end. */
	assert_int_equal(recap_config_attr("<c a=\"1\0\"/>", 11, "a", buf, sizeof(buf)),
			 RECAP_ERR_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attributes),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_prolog_and_spaces),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_whole_tag_checked),
		cmocka_unit_test(test_length_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
