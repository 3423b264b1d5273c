/*
 * Unit tests for the XML node reader of lib/base/xml_node.c
 * (recap/xml_node.h): documents checked whole, nodes, attributes,
 * sub-node iteration, content and raw text, and <start> nodes. The text
 * is untrusted bytes of a given length: every test that cuts a document
 * short copies it into a heap buffer of exactly that length, so that
 * AddressSanitizer catches a read past it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <recap/err.h>
#include <recap/xml_node.h>

/* len bytes of s in a heap block of exactly len bytes (no NUL after). */
static char *exact(char const *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, s, len);
	return p;
}

/*
 * Parse a copy of exactly len bytes, which stays until the next call (the
 * nodes point into it).
 */
static int parse_exact(char const *s, size_t len, struct recap_xml_node *root)
{
	static char *last;

	free(last);
	last = exact(s, len);
	return recap_xml_parse(last, len, root);
}

static int parse(char const *s, struct recap_xml_node *root)
{
	return parse_exact(s, strlen(s), root);
}

/* The node's raw text as a string (for comparisons). */
static char const *text(struct recap_xml_node const *n)
{
	static char buf[512];

	assert_int_equal(recap_xml_copy(n, buf, sizeof(buf)), RECAP_OK);
	return buf;
}

static char const nested[] =
	"<?xml version=\"1.0\"?>\n"
	"<!-- a launcher's config -->\n"
	"<config verbose=\"yes\">\n"
	"\t<start name=\"hello1\" caps=\"60\">\n"
	"\t\t<binary name=\"hello\"/>\n"
	"\t\t<resource name=\"RAM\" quantum=\"1M\"/>\n"
	"\t\t<config limit=\"3\"><sub a='&lt;x&gt;'/>text &amp; more</config>\n"
	"\t</start>\n"
	"\t<!-- <start name=\"commented\"/> -->\n"
	"\t<other/>\n"
	"\t<start name=\"counter\"/>\n"
	"</config>\n";

static void test_nested(void **state)
{
	struct recap_xml_node root, s, sub, cfg;
	char const *name, *p;
	char buf[64];
	size_t len;

	(void)state;
	assert_int_equal(recap_xml_parse(nested, strlen(nested), &root), RECAP_OK);
	assert_ptr_equal(root.p, strstr(nested, "<config verbose"));
	assert_ptr_equal(root.p + root.len, nested + strlen(nested) - 1);
	assert_int_equal(recap_xml_type(&root, &name), 6);
	assert_memory_equal(name, "config", 6);
	assert_true(recap_xml_has_type(&root, "config"));
	assert_false(recap_xml_has_type(&root, "confi"));
	assert_false(recap_xml_has_type(&root, "configs"));
	assert_int_equal(recap_xml_attr(&root, "verbose", buf, sizeof(buf)), RECAP_OK);
	assert_string_equal(buf, "yes");

	assert_int_equal(recap_xml_sub_count(&root, NULL), 3);
	assert_int_equal(recap_xml_sub_count(&root, "start"), 2);
	assert_int_equal(recap_xml_sub_count(&root, "other"), 1);
	assert_int_equal(recap_xml_sub_count(&root, "nothing"), 0);

	/* Any type, in order; the comment is not a node. */
	assert_int_equal(recap_xml_sub_first(&root, NULL, &s), RECAP_OK);
	assert_true(recap_xml_has_type(&s, "start"));
	assert_int_equal(recap_xml_sub_next(&root, NULL, &s), RECAP_OK);
	assert_string_equal(text(&s), "<other/>");
	assert_int_equal(recap_xml_sub_next(&root, NULL, &s), RECAP_OK);
	assert_string_equal(text(&s), "<start name=\"counter\"/>");
	assert_int_equal(recap_xml_sub_next(&root, NULL, &s), RECAP_ERR_NOENT);

	/* By type: <other/> is passed over. */
	assert_int_equal(recap_xml_sub_first(&root, "start", &s), RECAP_OK);
	assert_int_equal(recap_xml_attr(&s, "name", buf, sizeof(buf)), RECAP_OK);
	assert_string_equal(buf, "hello1");
	assert_int_equal(recap_xml_sub_first(&s, "config", &cfg), RECAP_OK);
	assert_string_equal(text(&cfg), "<config limit=\"3\"><sub a='&lt;x&gt;'/>"
				       "text &amp; more</config>");
	assert_int_equal(recap_xml_content(&cfg, &p, &len), RECAP_OK);
	assert_int_equal(len, strlen("<sub a='&lt;x&gt;'/>text &amp; more"));
	assert_memory_equal(p, "<sub a='&lt;x&gt;'/>text &amp; more", len);
	assert_int_equal(recap_xml_sub_first(&cfg, NULL, &sub), RECAP_OK);
	assert_int_equal(recap_xml_attr(&sub, "a", buf, sizeof(buf)), RECAP_OK);
	assert_string_equal(buf, "<x>");
	assert_int_equal(recap_xml_sub_next(&cfg, NULL, &sub), RECAP_ERR_NOENT);
	/* Nested attributes are not the parent's. */
	assert_int_equal(recap_xml_attr(&s, "limit", buf, sizeof(buf)), RECAP_ERR_NOENT);
	assert_int_equal(recap_xml_sub_next(&root, "start", &s), RECAP_OK);
	assert_int_equal(recap_xml_attr(&s, "name", buf, sizeof(buf)), RECAP_OK);
	assert_string_equal(buf, "counter");
	assert_int_equal(recap_xml_sub_next(&root, "start", &s), RECAP_ERR_NOENT);

	/* An empty element: no sub-nodes, empty content. */
	assert_int_equal(recap_xml_sub_first(&s, NULL, &sub), RECAP_ERR_NOENT);
	assert_int_equal(recap_xml_content(&s, &p, &len), RECAP_OK);
	assert_int_equal(len, 0);
	assert_ptr_equal(p, s.p + s.len);
}

static void test_content_and_copy(void **state)
{
	struct recap_xml_node root;
	char const *p;
	size_t len;
	char small[9];

	(void)state;
	assert_int_equal(parse("<a>hi</a >", &root), RECAP_OK);
	assert_int_equal(root.len, 10);
	assert_int_equal(recap_xml_content(&root, &p, &len), RECAP_OK);
	assert_int_equal(len, 2);
	assert_memory_equal(p, "hi", 2);
	assert_int_equal(parse("<a></a>", &root), RECAP_OK);
	assert_int_equal(recap_xml_content(&root, &p, &len), RECAP_OK);
	assert_int_equal(len, 0);

	/* copy: the whole text and a NUL, or nothing. */
	assert_int_equal(parse("<config/>", &root), RECAP_OK);
	assert_int_equal(recap_xml_copy(&root, small, sizeof(small)), RECAP_ERR_RANGE);
	assert_string_equal(small, "");
	assert_int_equal(recap_xml_copy(&root, small, 0), RECAP_ERR_RANGE);
	{
		char fits[10];

		assert_int_equal(recap_xml_copy(&root, fits, sizeof(fits)), RECAP_OK);
		assert_string_equal(fits, "<config/>");
	}
}

static void test_attr_values(void **state)
{
	struct recap_xml_node root;
	char buf[16];

	(void)state;
	assert_int_equal(parse("<c v=\"&lt;&gt;&amp;&quot;&apos;\" w='&#65;&#x42;&#x6a;'"
			       " e=\"\" q='\"'/>", &root), RECAP_OK);
	assert_int_equal(recap_xml_attr(&root, "v", buf, sizeof(buf)), RECAP_OK);
	assert_string_equal(buf, "<>&\"'");
	assert_int_equal(recap_xml_attr(&root, "w", buf, sizeof(buf)), RECAP_OK);
	assert_string_equal(buf, "ABj");
	assert_int_equal(recap_xml_attr(&root, "e", buf, sizeof(buf)), RECAP_OK);
	assert_string_equal(buf, "");
	assert_int_equal(recap_xml_attr(&root, "q", buf, sizeof(buf)), RECAP_OK);
	assert_string_equal(buf, "\"");
	assert_true(recap_xml_has_attr(&root, "v"));
	assert_true(recap_xml_has_attr(&root, "e"));
	assert_false(recap_xml_has_attr(&root, "x"));
	assert_int_equal(recap_xml_attr(&root, "x", buf, sizeof(buf)), RECAP_ERR_NOENT);
	assert_string_equal(buf, "");
	/* Too long: what fits, NUL-terminated. */
	assert_int_equal(recap_xml_attr(&root, "v", buf, 3), RECAP_ERR_RANGE);
	assert_string_equal(buf, "<>");
	assert_int_equal(recap_xml_attr(&root, "v", buf, 6), RECAP_OK);
	assert_string_equal(buf, "<>&\"'");
	assert_int_equal(recap_xml_attr(&root, "v", buf, 5), RECAP_ERR_RANGE);
}

static void test_numbers(void **state)
{
	static struct { char const *s; int err; unsigned long v; } const cases[] = {
		{ "0", RECAP_OK, 0 },
		{ "4096", RECAP_OK, 4096 },
		{ "4K", RECAP_OK, 4096 },
		{ "1M", RECAP_OK, 1UL << 20 },
		{ "8M", RECAP_OK, 8UL << 20 },
		{ "2G", RECAP_OK, 2UL << 30 },
		{ "0x10", RECAP_OK, 16 },
		{ "0XfF", RECAP_OK, 255 },
		{ "18446744073709551615", RECAP_OK, ~0UL },
		{ "18446744073709551616", RECAP_ERR_RANGE, 0 },
		{ "17179869183G", RECAP_OK, 17179869183UL << 30 },
		{ "17179869184G", RECAP_ERR_RANGE, 0 },
		{ "0xffffffffffffffff", RECAP_OK, ~0UL },
		{ "0x10000000000000000", RECAP_ERR_RANGE, 0 },
		{ "", RECAP_ERR_INVAL, 0 },
		{ "K", RECAP_ERR_INVAL, 0 },
		{ "0x", RECAP_ERR_INVAL, 0 },
		{ "0x1M", RECAP_ERR_INVAL, 0 },
		{ "1k", RECAP_ERR_INVAL, 0 },
		{ "1MB", RECAP_ERR_INVAL, 0 },
		{ "1 M", RECAP_ERR_INVAL, 0 },
		{ " 1", RECAP_ERR_INVAL, 0 },
		{ "-1", RECAP_ERR_INVAL, 0 },
		{ "12a", RECAP_ERR_INVAL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned long v = 12345;
		int err = recap_xml_ulong_parse(cases[i].s, &v);

		if (err != cases[i].err)
			fail_msg("\"%s\": %d, not %d", cases[i].s, err, cases[i].err);
		if (err == RECAP_OK && v != cases[i].v)
			fail_msg("\"%s\": %lu, not %lu", cases[i].s, v, cases[i].v);
		if (err != RECAP_OK && v != 12345)
			fail_msg("\"%s\": *out written on error", cases[i].s);
	}
}

static void test_attr_ulong(void **state)
{
	struct recap_xml_node root;
	unsigned long v = 7;

	(void)state;
	assert_int_equal(parse("<r quantum=\"&#52;M\" bad=\"x\" big=\"99999999999999999999\""
			       " long=\"0000000000000000000000000000000000000000000000000000"
			       "0000000000001\"/>", &root), RECAP_OK);
	assert_int_equal(recap_xml_attr_ulong(&root, "quantum", &v), RECAP_OK);
	assert_int_equal(v, 4UL << 20);
	v = 7;
	assert_int_equal(recap_xml_attr_ulong(&root, "none", &v), RECAP_ERR_NOENT);
	assert_int_equal(v, 7);
	assert_int_equal(recap_xml_attr_ulong(&root, "bad", &v), RECAP_ERR_INVAL);
	assert_int_equal(recap_xml_attr_ulong(&root, "big", &v), RECAP_ERR_RANGE);
	assert_int_equal(recap_xml_attr_ulong(&root, "long", &v), RECAP_ERR_INVAL);
	assert_int_equal(v, 7);
}

static void test_well_formed(void **state)
{
	static char const *const good[] = {
		"<a/>",
		"<a />",
		"<a></a>",
		"<a\n\tb = 'c'\r\n></a\n>",
		"  \n<a/>\n  ",
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?><a/>",
		"<!-- c --><!----><a/><!-- d -->\n",
		"<a>text &lt; &#x41; &#65; > ]] </a>",
		"<a><![CDATA[ <not> & a tag ]]></a>",
		"<a><b><c/></b><b/>t<!-- <x> --></a>",
		"<_:a-1.b/>",
		"<a v='\xc3\xa9'>\xc3\xa9</a>",		/* UTF-8 bytes pass */
	};
	struct recap_xml_node root;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int err = parse(good[i], &root);

		if (err != RECAP_OK)
			fail_msg("\"%s\": %d, not RECAP_OK", good[i], err);
		if (!root.p || root.p[0] != '<' || root.p[root.len - 1] != '>')
			fail_msg("\"%s\": root not an element", good[i]);
	}
}

static void test_malformed(void **state)
{
	static char const *const bad[] = {
		"",
		"   ",
		"<!-- only a comment -->",
		"text",
		"text<a/>",
		"<a/>text",
		"<a/><b/>",			/* two roots */
		"<a>",				/* not closed */
		"<a><b></a>",			/* b not closed */
		"<a></b>",			/* wrong end tag */
		"<a></a></a>",
		"<a></ a>",
		"<a></a x>",
		"</a>",
		"<a/ >",
		"< a/>",
		"<1a/>",
		"<a b/>",			/* no value */
		"<a b=c/>",			/* unquoted */
		"<a b=\"c/>",			/* unterminated value */
		"<a b=\"1\"c=\"2\"/>",		/* not separated */
		"<a b=\"1\" b=\"2\"/>",		/* given twice */
		"<a b=\"<\"/>",
		"<a b=\"&bogus;\"/>",
		"<a b=\"&amp\"/>",
		"<a b=\"&#0;\"/>",
		"<a b=\"&#128;\"/>",
		"<a b=\"&#x;\"/>",
		"<a b=\"&#12345;\"/>",
		"<a =\"1\"/>",
		"<a>&bogus;</a>",		/* entities in text too */
		"<a>& </a>",
		"<a><!-- -- --></a>",		/* "--" in a comment */
		"<a><!-- unterminated </a>",
		"<!-- unterminated <a/>",
		"<a><![CDATA[ unterminated </a>",
		"<a><?pi?></a>",		/* no processing instructions */
		"<a><!DOCTYPE x></a>",
		"<!DOCTYPE a><a/>",
		"<?xml version=\"1.0\"<a/>",	/* unterminated declaration */
		"<a/><?xml version=\"1.0\"?>",
		"<?xmlfoo?><a/>",
		"<?pi?><a/>",
	};
	struct recap_xml_node root;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = parse(bad[i], &root);

		if (err != RECAP_ERR_INVAL)
			fail_msg("\"%s\": %d, not RECAP_ERR_INVAL", bad[i], err);
		if (root.p || root.len)
			fail_msg("\"%s\": a root all the same", bad[i]);
	}
	/* A NUL byte inside the length is malformed, not an end. */
	assert_int_equal(parse_exact("<a>\0</a>", 8, &root), RECAP_ERR_INVAL);
	assert_int_equal(parse_exact("<a/>\0", 5, &root), RECAP_ERR_INVAL);
	assert_int_equal(parse_exact("<a b='\0'/>", 9, &root), RECAP_ERR_INVAL);
}

/* Every proper prefix of a well-formed document is malformed. */
static void test_cut_short(void **state)
{
	static char const *const docs[] = {
		"<a b=\"1\"><c d='&amp;'/>t&#65;<!-- x --><![CDATA[y]]></a>",
		"<?xml version=\"1.0\"?><config attr=\"value\"/>",
		nested,
	};
	struct recap_xml_node root;

	(void)state;
	for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
		size_t len = strlen(docs[d]);
		size_t end = len;

		/* Trailing white space may go; the last '>' may not. */
		while (docs[d][end - 1] != '>')
			end--;
		assert_int_equal(parse_exact(docs[d], len, &root), RECAP_OK);
		for (size_t n = 0; n < end; n++) {
			int err = parse_exact(docs[d], n, &root);

			if (err != RECAP_ERR_INVAL)
				fail_msg("doc %zu cut to %zu: %d", d, n, err);
		}
	}
}

static void test_depth(void **state)
{
	char doc[256];
	struct recap_xml_node root;
	size_t n = 0;

	(void)state;
	/* RECAP_XML_DEPTH_MAX open elements, an empty one one deeper. */
	for (int i = 0; i < RECAP_XML_DEPTH_MAX; i++, n += 3)
		memcpy(doc + n, "<a>", 3);
	memcpy(doc + n, "<b/>", 4);
	for (int i = 0; i < RECAP_XML_DEPTH_MAX; i++)
		memcpy(doc + n + 4 + 4 * i, "</a>", 4);
	assert_int_equal(parse_exact(doc, n + 4 + 4 * RECAP_XML_DEPTH_MAX, &root),
			 RECAP_ERR_RANGE);
	/* Without it: exactly the limit. */
	memmove(doc + n, doc + n + 4, 4 * RECAP_XML_DEPTH_MAX);
	assert_int_equal(parse_exact(doc, n + 4 * RECAP_XML_DEPTH_MAX, &root),
			 RECAP_OK);
}

static void test_attr_at_end(void **state)
{
	/* The attribute's value ends with the buffer: one byte short. */
	static char const doc[] = "<config a=\"123\"/>";
	struct recap_xml_node root;
	char *p = exact(doc, strlen(doc));
	char buf[8];

	(void)state;
	assert_int_equal(recap_xml_parse(p, strlen(doc), &root), RECAP_OK);
	assert_int_equal(recap_xml_attr(&root, "a", buf, sizeof(buf)), RECAP_OK);
	assert_string_equal(buf, "123");
	/* A node cut by hand to end inside its value: malformed, no overread. */
	root.len = 14;
	assert_int_equal(recap_xml_attr(&root, "a", buf, sizeof(buf)), RECAP_ERR_INVAL);
	root.len = 15;
	assert_int_equal(recap_xml_attr(&root, "a", buf, sizeof(buf)), RECAP_ERR_INVAL);
	root.len = 16;
	assert_int_equal(recap_xml_attr(&root, "a", buf, sizeof(buf)), RECAP_ERR_INVAL);
	root.len = 0;
	assert_int_equal(recap_xml_attr(&root, "a", buf, sizeof(buf)), RECAP_ERR_INVAL);
	assert_int_equal(recap_xml_sub_first(&root, NULL, &root), RECAP_ERR_INVAL);
	free(p);
}

static void test_sub_bounds(void **state)
{
	static char const doc[] = "<a><b/><c></c></a>";
	struct recap_xml_node root, sub, other;
	char const *p;
	size_t len;

	(void)state;
	assert_int_equal(recap_xml_parse(doc, strlen(doc), &root), RECAP_OK);
	assert_int_equal(recap_xml_sub_first(&root, "c", &sub), RECAP_OK);
	assert_string_equal(text(&sub), "<c></c>");
	/* A node from another text is not a sub-node. */
	assert_int_equal(recap_xml_parse("<b/>", 4, &other), RECAP_OK);
	assert_int_equal(recap_xml_sub_next(&root, NULL, &other), RECAP_ERR_INVAL);
	/* Nor one that runs past the parent. */
	sub.len = 100;
	assert_int_equal(recap_xml_sub_next(&root, NULL, &sub), RECAP_ERR_INVAL);
	/* A parent cut by hand before its end tag: malformed. */
	root.len -= 1;
	assert_int_equal(recap_xml_content(&root, &p, &len), RECAP_ERR_INVAL);
	/* Iteration stops at the first end tag: it sees both sub-nodes. */
	assert_int_equal(recap_xml_sub_count(&root, NULL), 2);
	root.len -= 3;
	assert_int_equal(recap_xml_content(&root, &p, &len), RECAP_ERR_INVAL);
}

static int start(char const *xml, struct recap_start_info *info)
{
	struct recap_xml_node root, s;
	int err = parse(xml, &root);

	if (err != RECAP_OK)
		return 1000 + err;	/* the test's own document is bad */
	s = root;
	if (recap_xml_has_type(&root, "config") &&
	    recap_xml_sub_first(&root, "start", &s) != RECAP_OK)
		return 2000;
	return recap_start_node_read(&s, info);
}

static void test_start_node(void **state)
{
	static char const doc[] =
		"<config><start name=\"hello1\" caps=\"60\">\n"
		"  <binary name=\"hello\"/>\n"
		"  <resource name=\"RAM\" quantum=\"2M\"/>\n"
		"  <!-- its own -->\n"
		"  <config limit=\"3\" period_ms=\"100\"><x/></config>\n"
		"</start></config>";
	struct recap_xml_node root, s;
	struct recap_start_info info;

	(void)state;
	assert_int_equal(recap_xml_parse(doc, strlen(doc), &root), RECAP_OK);
	assert_int_equal(recap_xml_sub_first(&root, "start", &s), RECAP_OK);
	assert_int_equal(recap_start_node_read(&s, &info), RECAP_OK);
	assert_string_equal(info.name, "hello1");
	assert_string_equal(info.binary, "hello");
	assert_int_equal(info.ram_quota, 2UL << 20);
	assert_int_equal(info.caps, 60);
	assert_ptr_equal(info.config, strstr(doc, "<config limit"));
	assert_int_equal(info.config_len,
			 strlen("<config limit=\"3\" period_ms=\"100\"><x/></config>"));
	assert_null(info.why);

	/* Defaults: binary is the name; no RAM, caps, config: 0, NULL. */
	assert_int_equal(start("<start name=\"counter\"/>", &info), RECAP_OK);
	assert_string_equal(info.name, "counter");
	assert_string_equal(info.binary, "counter");
	assert_int_equal(info.ram_quota, 0);
	assert_int_equal(info.caps, 0);
	assert_null(info.config);
	assert_int_equal(info.config_len, 0);

	assert_int_equal(start("<start name=\"a.b_c-1\"><resource name=\"RAM\" "
			       "quantum=\"4096\"/><config/></start>", &info), RECAP_OK);
	assert_int_equal(info.ram_quota, 4096);
	assert_int_equal(info.config_len, 9);
	assert_memory_equal(info.config, "<config/>", 9);
	/* 63 bytes of name are fine. */
	assert_int_equal(start("<start name=\"123456789012345678901234567890123456789"
			       "012345678901234567890123\"/>", &info), RECAP_OK);
	assert_int_equal(strlen(info.name), 63);
}

static void test_start_node_bad(void **state)
{
	static struct { char const *xml; int err; char const *why; } const bad[] = {
		{ "<begin name=\"a\"/>", RECAP_ERR_INVAL, "not a <start> node" },
		{ "<start/>", RECAP_ERR_INVAL, "a name is required" },
		{ "<start name=\"\"/>", RECAP_ERR_INVAL, "<start name>: not a valid name" },
		{ "<start name=\"..\"/>", RECAP_ERR_INVAL, "<start name>: not a valid name" },
		{ "<start name=\"a b\"/>", RECAP_ERR_INVAL, "<start name>: not a valid name" },
		{ "<start name=\"a&quot;\"/>", RECAP_ERR_INVAL, "<start name>: not a valid name" },
		{ "<start name=\"1234567890123456789012345678901234567890123456789"
		  "0123456789012345\"/>", RECAP_ERR_INVAL, "<start name>: not a valid name" },
		{ "<start name=\"a\" ram=\"1\"/>", RECAP_ERR_INVAL,
		  "<start> takes name and caps only" },
		{ "<start name=\"a\">text</start>", RECAP_ERR_INVAL, "text in <start>" },
		{ "<start name=\"a\"><![CDATA[x]]></start>", RECAP_ERR_INVAL, "text in <start>" },
		{ "<start name=\"a\" caps=\"0\"/>", RECAP_ERR_INVAL,
		  "caps is not a number (decimal digits, at least 1)" },
		{ "<start name=\"a\" caps=\"1K\"/>", RECAP_ERR_INVAL,
		  "caps is not a number (decimal digits, at least 1)" },
		{ "<start name=\"a\" caps=\"0x10\"/>", RECAP_ERR_INVAL,
		  "caps is not a number (decimal digits, at least 1)" },
		{ "<start name=\"a\" caps=\"99999999999999999999999\"/>", RECAP_ERR_RANGE,
		  "caps is not a number (decimal digits, at least 1)" },
		{ "<start name=\"a\"><binary/></start>", RECAP_ERR_INVAL,
		  "a name is required" },
		{ "<start name=\"a\"><binary name=\"b\" x=\"1\"/></start>", RECAP_ERR_INVAL,
		  "<binary> takes a name only" },
		{ "<start name=\"a\"><binary name=\"b\">t</binary></start>", RECAP_ERR_INVAL,
		  "<binary> takes a name only" },
		{ "<start name=\"a\"><binary name=\"b/c\"/></start>", RECAP_ERR_INVAL,
		  "<binary name>: not a valid name" },
		{ "<start name=\"a\"><binary name=\"b\"/><binary name=\"b\"/></start>",
		  RECAP_ERR_INVAL, "second <binary>" },
		{ "<start name=\"a\"><resource name=\"CPU\" quantum=\"1\"/></start>",
		  RECAP_ERR_INVAL, "unknown resource (only \"RAM\")" },
		{ "<start name=\"a\"><resource name=\"RAM\"/></start>",
		  RECAP_ERR_INVAL, "<resource> without quantum" },
		{ "<start name=\"a\"><resource name=\"RAM\" quantum=\"1M\" x=\"\"/></start>",
		  RECAP_ERR_INVAL, "<resource> takes name and quantum only" },
		{ "<start name=\"a\"><resource name=\"RAM\" quantum=\"1M\"><x/></resource></start>",
		  RECAP_ERR_INVAL, "<resource> takes name and quantum only" },
		{ "<start name=\"a\"><resource name=\"RAM\" quantum=\"0\"/></start>",
		  RECAP_ERR_INVAL, "quantum is not a number of bytes (digits, optionally "
		  "followed by K, M or G; at least 1)" },
		{ "<start name=\"a\"><resource name=\"RAM\" quantum=\"0x100\"/></start>",
		  RECAP_ERR_INVAL, "quantum is not a number of bytes (digits, optionally "
		  "followed by K, M or G; at least 1)" },
		{ "<start name=\"a\"><resource name=\"RAM\" quantum=\"1T\"/></start>",
		  RECAP_ERR_INVAL, "quantum is not a number of bytes (digits, optionally "
		  "followed by K, M or G; at least 1)" },
		{ "<start name=\"a\"><resource name=\"RAM\" quantum=\"M\"/></start>",
		  RECAP_ERR_INVAL, "quantum is not a number of bytes (digits, optionally "
		  "followed by K, M or G; at least 1)" },
		{ "<start name=\"a\"><resource name=\"RAM\" quantum=\"99999999999G\"/></start>",
		  RECAP_ERR_RANGE, "quantum is not a number of bytes (digits, optionally "
		  "followed by K, M or G; at least 1)" },
		{ "<start name=\"a\"><resource name=\"RAM\" quantum=\"1M\"/>"
		  "<resource name=\"RAM\" quantum=\"1M\"/></start>",
		  RECAP_ERR_INVAL, "second <resource name=\"RAM\">" },
		{ "<start name=\"a\"><config/><config/></start>",
		  RECAP_ERR_INVAL, "second <config>" },
		{ "<start name=\"a\"><route/></start>", RECAP_ERR_INVAL,
		  "unknown element (only <binary>, <resource>, <config>)" },
	};
	struct recap_start_info info;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int err = start(bad[i].xml, &info);

		if (err != bad[i].err)
			fail_msg("\"%s\": %d, not %d", bad[i].xml, err, bad[i].err);
		if (!info.why || strcmp(info.why, bad[i].why))
			fail_msg("\"%s\": why \"%s\", not \"%s\"", bad[i].xml,
				 info.why ? info.why : "(null)", bad[i].why);
	}
	/* The name is read first, for the log. */
	assert_int_equal(start("<start name=\"c5\">text</start>", &info), RECAP_ERR_INVAL);
	assert_string_equal(info.name, "c5");
	assert_int_equal(start("<start name=\"a/b\"/>", &info), RECAP_ERR_INVAL);
	assert_string_equal(info.name, "a/b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_content_and_copy),
		cmocka_unit_test(test_attr_values),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_attr_ulong),
		cmocka_unit_test(test_well_formed),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_attr_at_end),
		cmocka_unit_test(test_sub_bounds),
		cmocka_unit_test(test_start_node),
		cmocka_unit_test(test_start_node_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
