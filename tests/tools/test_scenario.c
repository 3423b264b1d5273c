/*
 * Unit tests for tools/scenario.c: a config using every feature parses into
 * exactly the expected model, defaults apply where a value is absent, and
 * every malformed config is refused with its exact message, line included.
 *
 * The malformed cases are a table (bad_cases[]), one cmocka test each; their
 * documents are written one line per string literal so the line numbers in
 * the expected messages can be read off the source.
 *
 * Run from the top of the tree: configs are read from tests/tools/configs/.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

#define CONFIGS "tests/tools/configs/"

static struct scenario *load_ok(char const *xml)
{
	struct scenario *s = NULL;
	struct scenario_result r = scenario_load_string(xml, strlen(xml),
							"t.xml", &s);
	if (r.err)
		fail_msg("unexpected error %d: %s", r.err, r.msg);
	assert_non_null(s);
	return s;
}

/* ---------------------------------------------------------------- */
/* The full example                                                  */

static void test_full_config(void **state)
{
	struct scenario *s;
	struct scenario_result r;
	struct scenario_start const *st;
	struct scenario_rule const *rule;
	static char const *const parents[] = {
		"PD", "CPU", "RM", "RAM", "ROM", "LOG"
	};
	(void)state;

	r = scenario_load_file(CONFIGS "full.xml", &s);
	assert_int_equal(r.err, SCENARIO_OK);
	assert_string_equal(r.msg, "");
	assert_non_null(s);
	assert_string_equal(s->file, CONFIGS "full.xml");

	assert_int_equal(s->n_parent_provides, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(s->parent_provides[i].name, parents[i]);
		assert_int_equal(s->parent_provides[i].line, 5 + i);
	}
	assert_int_equal(s->default_caps, 120);

	assert_true(s->default_route.present);
	assert_int_equal(s->default_route.line, 15);
	assert_int_equal(s->default_route.n_rules, 1);
	rule = &s->default_route.rules[0];
	assert_null(rule->service);
	assert_null(rule->label);
	assert_null(rule->label_prefix);
	assert_null(rule->label_suffix);
	assert_int_equal(rule->line, 16);
	assert_int_equal(rule->n_targets, 2);
	assert_int_equal(rule->targets[0].kind, SCENARIO_TARGET_PARENT);
	assert_null(rule->targets[0].child);
	assert_int_equal(rule->targets[1].kind, SCENARIO_TARGET_ANY_CHILD);
	assert_int_equal(rule->targets[1].line, 16);

	assert_int_equal(s->n_starts, 3);

	st = &s->starts[0];
	assert_ptr_equal(scenario_find(s, "timer"), st);
	assert_string_equal(st->name, "timer");
	assert_string_equal(st->binary, "timer_drv");
	assert_int_equal(st->caps, 50);
	assert_int_equal(st->ram, 512 * 1024);
	assert_int_equal(st->n_provides, 1);
	assert_string_equal(st->provides[0].name, "Timer");
	assert_int_equal(st->provides[0].line, 22);
	assert_false(st->route.present);
	assert_int_equal(st->route.n_rules, 0);
	assert_null(st->config);
	assert_int_equal(st->config_len, 0);
	assert_int_equal(st->line, 19);

	st = &s->starts[1];
	assert_ptr_equal(scenario_find(s, "server"), st);
	assert_string_equal(st->binary, "server");	/* default: the name */
	assert_int_equal(st->caps, 120);		/* from <default> */
	assert_int_equal(st->ram, 4 << 20);
	assert_int_equal(st->n_provides, 2);
	assert_string_equal(st->provides[0].name, "Hello");
	assert_string_equal(st->provides[1].name, "Report");
	assert_true(scenario_provides(st, "Report"));
	assert_false(scenario_provides(st, "Timer"));
	assert_string_equal(st->config,
		"<config verbose=\"yes\">\n"
		"\t\t\t<policy label=\"client\" greeting=\"hi &amp; bye\"/>\n"
		"\t\t</config>");
	assert_int_equal(st->config_len, strlen(st->config));

	st = &s->starts[2];
	assert_ptr_equal(scenario_find(s, "client"), st);
	assert_string_equal(st->binary, "hello_client");
	assert_int_equal(st->caps, 200);
	assert_int_equal(st->ram, 1ULL << 30);
	assert_int_equal(st->n_provides, 0);
	assert_string_equal(st->config, "<config/>");
	assert_true(st->route.present);
	assert_int_equal(st->route.line, 39);
	assert_int_equal(st->route.n_rules, 4);

	rule = &st->route.rules[0];
	assert_string_equal(rule->service, "Hello");
	assert_int_equal(rule->n_targets, 1);
	assert_int_equal(rule->targets[0].kind, SCENARIO_TARGET_CHILD);
	assert_string_equal(rule->targets[0].child, "server");
	assert_int_equal(rule->line, 40);

	rule = &st->route.rules[1];
	assert_string_equal(rule->service, "ROM");
	assert_null(rule->label);
	assert_string_equal(rule->label_prefix, "cfg.");
	assert_null(rule->label_suffix);

	rule = &st->route.rules[2];
	assert_string_equal(rule->label, "hello_client");
	assert_int_equal(rule->targets[0].kind, SCENARIO_TARGET_PARENT);

	rule = &st->route.rules[3];
	assert_null(rule->service);
	assert_int_equal(rule->n_targets, 2);
	assert_int_equal(rule->line, 43);

	assert_null(scenario_find(s, "nobody"));
	scenario_free(s);
}

/* The example configs for later scenarios must stay loadable. */
static void test_example_configs(void **state)
{
	static char const *const files[] = { "hello.xml", "counter.xml" };
	(void)state;

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[256];
		struct scenario *s;
		struct scenario_result r;

		snprintf(path, sizeof(path), CONFIGS "%s", files[i]);
		r = scenario_load_file(path, &s);
		if (r.err)
			fail_msg("%s", r.msg);
		scenario_free(s);
	}
}

static void test_defaults(void **state)
{
	struct scenario *s = load_ok("<config><start name=\"a\"/></config>");
	struct scenario_start const *a = scenario_find(s, "a");
	(void)state;

	assert_int_equal(s->n_parent_provides, 0);
	assert_false(s->default_route.present);
	assert_int_equal(s->default_caps, SCENARIO_DEFAULT_CAPS);
	assert_non_null(a);
	assert_string_equal(a->binary, "a");
	assert_int_equal(a->caps, SCENARIO_DEFAULT_CAPS);
	assert_int_equal(a->ram, SCENARIO_DEFAULT_RAM);
	assert_int_equal(a->n_provides, 0);
	assert_false(a->route.present);
	assert_null(a->config);
	scenario_free(s);
}

/* <default caps> applies to starts before it too; explicit caps win. */
static void test_default_caps_after_starts(void **state)
{
	struct scenario *s = load_ok(
		"<config>\n"
		"<start name=\"a\"/>\n"
		"<start name=\"b\" caps=\"7\"/>\n"
		"<default caps=\"300\"/>\n"
		"</config>\n");
	(void)state;

	assert_int_equal(scenario_find(s, "a")->caps, 300);
	assert_int_equal(scenario_find(s, "b")->caps, 7);
	scenario_free(s);
}

static void test_limits_accepted(void **state)
{
	struct scenario *s = load_ok(
		"<config>\n"
		"<start name=\"a\" caps=\"1048576\">\n"
		"  <resource name=\"RAM\" quantum=\"1024G\"/>\n"
		"</start>\n"
		"<start name=\"b\" caps=\"1\">\n"
		"  <resource name=\"RAM\" quantum=\"1\"/>\n"
		"</start>\n"
		"<start name=\"_x-Y.9\">\n"
		"  <resource name=\"RAM\" quantum=\"1099511627776\"/>\n"
		"</start>\n"
		"<start name=\"a23456789012345678901234567890123456789012345678901234567890123\"/>\n"
		"</config>\n");
	(void)state;

	assert_int_equal(scenario_find(s, "a")->caps, SCENARIO_CAPS_MAX);
	assert_int_equal(scenario_find(s, "a")->ram, SCENARIO_RAM_MAX);
	assert_int_equal(scenario_find(s, "b")->caps, 1);
	assert_int_equal(scenario_find(s, "b")->ram, 1);
	assert_int_equal(scenario_find(s, "_x-Y.9")->ram, SCENARIO_RAM_MAX);
	assert_int_equal(s->n_starts, 4);
	scenario_free(s);
}

/* Comments and whitespace are layout; a nested <config> is not checked. */
static void test_comments_and_free_config(void **state)
{
	struct scenario *s = load_ok(
		"<config>\n"
		"<!-- c -->\n"
		"<start name=\"a\"> <!-- c -->\n"
		"  <config><anything at=\"all\">text<![CDATA[<x>]]></anything></config>\n"
		"</start>\n"
		"</config>\n");
	(void)state;

	assert_string_equal(scenario_find(s, "a")->config,
		"<config><anything at=\"all\">text<![CDATA[<x>]]></anything></config>");
	scenario_free(s);
}

static void test_string_without_file_name(void **state)
{
	char const xml[] = "<config>\n<start/>\n</config>\n";
	struct scenario *s = (struct scenario *)1;
	struct scenario_result r;
	(void)state;

	r = scenario_load_string(xml, strlen(xml), NULL, &s);
	assert_int_equal(r.err, SCENARIO_ERR_MISSING);
	assert_int_equal(r.line, 2);
	assert_string_equal(r.msg,
		"<string>:2: <start> has no \"name\" attribute");
	assert_null(s);
}

static void test_missing_file(void **state)
{
	struct scenario *s = (struct scenario *)1;
	struct scenario_result r;
	(void)state;

	r = scenario_load_file(CONFIGS "no-such.xml", &s);
	assert_int_equal(r.err, SCENARIO_ERR_IO);
	assert_int_equal(r.line, 0);
	assert_string_equal(r.msg, CONFIGS
		"no-such.xml: cannot read: No such file or directory");
	assert_null(s);

	r = scenario_load_file(CONFIGS, &s);
	assert_int_equal(r.err, SCENARIO_ERR_IO);
	assert_string_equal(r.msg, CONFIGS ": cannot read: Is a directory");
}

static void test_bad_file(void **state)
{
	struct scenario *s;
	struct scenario_result r;
	(void)state;

	r = scenario_load_file(CONFIGS "bad_route.xml", &s);
	assert_int_equal(r.err, SCENARIO_ERR_NO_CHILD);
	assert_int_equal(r.line, 5);
	assert_string_equal(r.msg, CONFIGS
		"bad_route.xml:5: <child name=\"b\">: there is no <start name=\"b\">");
	assert_null(s);
}

/* ---------------------------------------------------------------- */
/* Malformed configs                                                 */

struct bad_case {
	char const *name;
	char const *xml;
	enum scenario_err err;
	long line;
	char const *msg;
};

#define NAME_RULE "(1 to 63 letters, digits, '_', '-' or '.', not \".\" or \"..\")"

static struct bad_case const bad_cases[] = {
	{ "tag mismatch",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "</config>\n",
	  SCENARIO_ERR_XML, 3, "t.xml:3: not well-formed XML: "
	  "Opening and ending tag mismatch: start line 2 and config" },
	{ "truncated",
	  "<config>\n"
	  "<start name=\"a\"/>\n",
	  SCENARIO_ERR_XML, 3, "t.xml:3: not well-formed XML: "	/* at EOF */
	  "Premature end of data in tag config line 1" },
	{ "empty document", "",
	  SCENARIO_ERR_XML, 1, "t.xml:1: not well-formed XML: Document is empty" },
	{ "undefined entity",
	  "<config>\n"
	  "<start name=\"&x;\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_XML, 2, "t.xml:2: not well-formed XML: "
	  "Entity 'x' not defined" },
	{ "undefined namespace",
	  "<config>\n"
	  "\n"
	  "<x:start name=\"a\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_XML, 3, "t.xml:3: not well-formed XML: "
	  "Namespace prefix x on start is not defined" },
	{ "doctype",
	  "<?xml version=\"1.0\"?>\n"
	  "<!DOCTYPE config [\n"
	  "  <!ENTITY ram \"1M\">\n"
	  "]>\n"
	  "<config/>\n",
	  SCENARIO_ERR_UNKNOWN, 2, "t.xml:2: <!DOCTYPE> is not allowed" },
	{ "root not config",
	  "<?xml version=\"1.0\"?>\n"
	  "<init>\n"
	  "</init>\n",
	  SCENARIO_ERR_ROOT, 2, "t.xml:2: root element is <init>, not <config>" },
	{ "attribute on config",
	  "<config verbose=\"yes\">\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 1,
	  "t.xml:1: unknown attribute \"verbose\" in <config>" },
	{ "unknown top-level element",
	  "<config>\n"
	  "<start name=\"a\"/>\n"
	  "<strat name=\"b\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 3, "t.xml:3: unknown element <strat> in <config>" },
	{ "text in config",
	  "<config>\n"
	  "<start name=\"a\"/> oops\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 2, "t.xml:2: unexpected text in <config>" },
	{ "start without name",
	  "<config>\n"
	  "<start name=\"a\"/>\n"
	  "<start caps=\"5\">\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_MISSING, 3, "t.xml:3: <start> has no \"name\" attribute" },
	{ "start name with a space",
	  "<config>\n"
	  "<start name=\"a b\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_NAME, 2,
	  "t.xml:2: <start name=\"a b\">: not a valid name " NAME_RULE },
	{ "empty start name",
	  "<config>\n"
	  "<start name=\"\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_NAME, 2,
	  "t.xml:2: <start name=\"\">: not a valid name " NAME_RULE },
	{ "start name ..",
	  "<config>\n"
	  "<start name=\"..\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_NAME, 2,
	  "t.xml:2: <start name=\"..\">: not a valid name " NAME_RULE },
	{ "start name too long",
	  "<config>\n"
	  "<start name=\"a234567890123456789012345678901234567890123456789012345678901234\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_NAME, 2, "t.xml:2: <start name=\"a234567890123456789012345"
	  "678901234567890123456789012345678901234\">: not a valid name " NAME_RULE },
	{ "binary name with a slash",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <binary name=\"../etc/passwd\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_NAME, 3,
	  "t.xml:3: <binary name=\"../etc/passwd\">: not a valid name " NAME_RULE },
	{ "duplicate start",
	  "<config>\n"
	  "<start name=\"a\"/>\n"
	  "<start name=\"b\"/>\n"
	  "<start name=\"a\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_DUP_START, 4,
	  "t.xml:4: duplicate <start name=\"a\"> (first at line 2)" },
	{ "unknown start attribute",
	  "<config>\n"
	  "<start name=\"a\" priority=\"-1\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 2,
	  "t.xml:2: unknown attribute \"priority\" in <start>" },
	{ "caps not a number",
	  "<config>\n"
	  "<start name=\"a\" caps=\"lots\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_NUMBER, 2, "t.xml:2: caps=\"lots\" is not a number" },
	{ "caps negative",
	  "<config>\n"
	  "<start name=\"a\" caps=\"-1\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_NUMBER, 2, "t.xml:2: caps=\"-1\" is not a number" },
	{ "caps with a space",
	  "<config>\n"
	  "<start name=\"a\" caps=\"5 \"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_NUMBER, 2, "t.xml:2: caps=\"5 \" is not a number" },
	{ "caps empty",
	  "<config>\n"
	  "<start name=\"a\" caps=\"\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_NUMBER, 2, "t.xml:2: caps=\"\" is not a number" },
	{ "caps zero",
	  "<config>\n"
	  "<start name=\"a\" caps=\"0\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_RANGE, 2,
	  "t.xml:2: caps=\"0\" is out of range (1 to 1048576)" },
	{ "caps too many",
	  "<config>\n"
	  "<start name=\"a\" caps=\"1048577\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_RANGE, 2,
	  "t.xml:2: caps=\"1048577\" is out of range (1 to 1048576)" },
	{ "caps beyond 64 bits",
	  "<config>\n"
	  "<start name=\"a\" caps=\"99999999999999999999999\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_RANGE, 2, "t.xml:2: caps=\"99999999999999999999999\" "
	  "is out of range (1 to 1048576)" },
	{ "default caps zero",
	  "<config>\n"
	  "<default caps=\"0\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_RANGE, 2,
	  "t.xml:2: caps=\"0\" is out of range (1 to 1048576)" },
	{ "quantum with unknown unit",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"RAM\" quantum=\"4X\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_NUMBER, 3, "t.xml:3: quantum=\"4X\" is not a number of "
	  "bytes (digits, optionally followed by K, M or G)" },
	{ "quantum lower-case unit",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"RAM\" quantum=\"4m\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_NUMBER, 3, "t.xml:3: quantum=\"4m\" is not a number of "
	  "bytes (digits, optionally followed by K, M or G)" },
	{ "quantum unit only",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"RAM\" quantum=\"M\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_NUMBER, 3, "t.xml:3: quantum=\"M\" is not a number of "
	  "bytes (digits, optionally followed by K, M or G)" },
	{ "quantum two units",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"RAM\" quantum=\"4MK\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_NUMBER, 3, "t.xml:3: quantum=\"4MK\" is not a number of "
	  "bytes (digits, optionally followed by K, M or G)" },
	{ "quantum zero",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"RAM\" quantum=\"0K\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_RANGE, 3, "t.xml:3: quantum=\"0K\" is out of range "
	  "(1 to 1099511627776 bytes)" },
	{ "quantum too large",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"RAM\" quantum=\"1025G\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_RANGE, 3, "t.xml:3: quantum=\"1025G\" is out of range "
	  "(1 to 1099511627776 bytes)" },
	{ "quantum overflowing when scaled",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"RAM\" quantum=\"17179869184G\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_RANGE, 3, "t.xml:3: quantum=\"17179869184G\" is out of "
	  "range (1 to 1099511627776 bytes)" },
	{ "quantum missing",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"RAM\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_MISSING, 3,
	  "t.xml:3: <resource> has no \"quantum\" attribute" },
	{ "resource other than RAM",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"CPU\" quantum=\"10\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 3, "t.xml:3: <resource name=\"CPU\"> in "
	  "<start name=\"a\">: unknown resource (only \"RAM\")" },
	{ "RAM given twice",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"RAM\" quantum=\"1M\"/>\n"
	  "  <resource name=\"RAM\" quantum=\"2M\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_DUP_ELEMENT, 4, "t.xml:4: second <resource name=\"RAM\"> "
	  "in <start name=\"a\"> (first at line 3)" },
	{ "unknown element in start",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <resource name=\"RAM\" quantum=\"1M\"/>\n"
	  "  <bianry name=\"b\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 4,
	  "t.xml:4: unknown element <bianry> in <start name=\"a\">" },
	{ "text in start",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  binary=b\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 3,
	  "t.xml:3: unexpected text in <start name=\"a\">" },
	{ "two binaries",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <binary name=\"x\"/>\n"
	  "  <binary name=\"y\"/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_DUP_ELEMENT, 4,
	  "t.xml:4: second <binary> in <start name=\"a\"> (first at line 3)" },
	{ "binary without name",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <binary/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_MISSING, 3, "t.xml:3: <binary> has no \"name\" attribute" },
	{ "element inside binary",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <binary name=\"x\">\n"
	  "    <arg/>\n"
	  "  </binary>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 4, "t.xml:4: unknown element <arg> in <binary>" },
	{ "two configs",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <config/>\n"
	  "  <config/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_DUP_ELEMENT, 4,
	  "t.xml:4: second <config> in <start name=\"a\"> (first at line 3)" },
	{ "service provided twice",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <provides>\n"
	  "    <service name=\"Timer\"/>\n"
	  "    <service name=\"LOG\"/>\n"
	  "    <service name=\"Timer\"/>\n"
	  "  </provides>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_DUP_SERVICE, 6, "t.xml:6: service \"Timer\" provided twice "
	  "in <provides> (first at line 4)" },
	{ "parent service listed twice",
	  "<config>\n"
	  "<parent-provides>\n"
	  "  <service name=\"LOG\"/>\n"
	  "  <service name=\"LOG\"/>\n"
	  "</parent-provides>\n"
	  "</config>\n",
	  SCENARIO_ERR_DUP_SERVICE, 4, "t.xml:4: service \"LOG\" provided twice "
	  "in <parent-provides> (first at line 3)" },
	{ "two parent-provides",
	  "<config>\n"
	  "<parent-provides/>\n"
	  "<parent-provides/>\n"
	  "</config>\n",
	  SCENARIO_ERR_DUP_ELEMENT, 3,
	  "t.xml:3: second <parent-provides> in <config> (first at line 2)" },
	{ "unknown element in provides",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <provides> <sevrice name=\"X\"/> </provides>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 3,
	  "t.xml:3: unknown element <sevrice> in <provides>" },
	{ "service name invalid",
	  "<config>\n"
	  "<parent-provides>\n"
	  "  <service name=\"File system\"/>\n"
	  "</parent-provides>\n"
	  "</config>\n",
	  SCENARIO_ERR_NAME, 3,
	  "t.xml:3: <service name=\"File system\">: not a valid name " NAME_RULE },
	{ "route to a missing child",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <route>\n"
	  "    <service name=\"LOG\"> <child name=\"logger\"/> </service>\n"
	  "  </route>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_NO_CHILD, 4,
	  "t.xml:4: <child name=\"logger\">: there is no <start name=\"logger\">" },
	{ "earliest missing child is reported",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <route> <any-service> <child name=\"y\"/> </any-service> </route>\n"
	  "</start>\n"
	  "<default-route>\n"
	  "  <any-service> <child name=\"z\"/> </any-service>\n"
	  "</default-route>\n"
	  "</config>\n",
	  SCENARIO_ERR_NO_CHILD, 3,
	  "t.xml:3: <child name=\"y\">: there is no <start name=\"y\">" },
	{ "missing child in default-route",
	  "<config>\n"
	  "<default-route>\n"
	  "  <any-service> <parent/> <child name=\"z\"/> </any-service>\n"
	  "</default-route>\n"
	  "<start name=\"a\"/>\n"
	  "</config>\n",
	  SCENARIO_ERR_NO_CHILD, 3,
	  "t.xml:3: <child name=\"z\">: there is no <start name=\"z\">" },
	{ "child without name",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <route>\n"
	  "    <service name=\"LOG\"> <child/> </service>\n"
	  "  </route>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_MISSING, 4, "t.xml:4: <child> has no \"name\" attribute" },
	{ "unknown route target",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <route>\n"
	  "    <service name=\"LOG\"> <local/> </service>\n"
	  "  </route>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 4,
	  "t.xml:4: unknown element <local> in <service name=\"LOG\">" },
	{ "attribute on parent target",
	  "<config>\n"
	  "<default-route>\n"
	  "  <any-service> <parent label=\"x\"/> </any-service>\n"
	  "</default-route>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 3,
	  "t.xml:3: unknown attribute \"label\" in <parent>" },
	{ "rule without target",
	  "<config>\n"
	  "<default-route>\n"
	  "  <service name=\"LOG\"/>\n"
	  "</default-route>\n"
	  "</config>\n",
	  SCENARIO_ERR_MISSING, 3, "t.xml:3: <service name=\"LOG\"> has no target "
	  "(<parent/>, <child name=..>, <any-child/>)" },
	{ "any-service without target",
	  "<config>\n"
	  "<default-route>\n"
	  "  <any-service> <!-- nothing --> </any-service>\n"
	  "</default-route>\n"
	  "</config>\n",
	  SCENARIO_ERR_MISSING, 3, "t.xml:3: <any-service> has no target "
	  "(<parent/>, <child name=..>, <any-child/>)" },
	{ "name on any-service",
	  "<config>\n"
	  "<default-route>\n"
	  "  <any-service name=\"LOG\"> <parent/> </any-service>\n"
	  "</default-route>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 3,
	  "t.xml:3: unknown attribute \"name\" in <any-service>" },
	{ "route service without name",
	  "<config>\n"
	  "<default-route>\n"
	  "  <service label=\"x\"> <parent/> </service>\n"
	  "</default-route>\n"
	  "</config>\n",
	  SCENARIO_ERR_MISSING, 3, "t.xml:3: <service> has no \"name\" attribute" },
	{ "unknown element in route",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <route>\n"
	  "    <any-servce> <parent/> </any-servce>\n"
	  "  </route>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 4,
	  "t.xml:4: unknown element <any-servce> in <route>" },
	{ "two routes",
	  "<config>\n"
	  "<start name=\"a\">\n"
	  "  <route/>\n"
	  "  <route/>\n"
	  "</start>\n"
	  "</config>\n",
	  SCENARIO_ERR_DUP_ELEMENT, 4,
	  "t.xml:4: second <route> in <start name=\"a\"> (first at line 3)" },
	{ "two default-routes",
	  "<config>\n"
	  "<default-route/>\n"
	  "\n"
	  "<default-route/>\n"
	  "</config>\n",
	  SCENARIO_ERR_DUP_ELEMENT, 4,
	  "t.xml:4: second <default-route> in <config> (first at line 2)" },
	{ "text in a route",
	  "<config>\n"
	  "<default-route>\n"
	  "  <any-service> parent </any-service>\n"
	  "</default-route>\n"
	  "</config>\n",
	  SCENARIO_ERR_UNKNOWN, 3, "t.xml:3: unexpected text in <any-service>" },
};

static void test_bad(void **state)
{
	struct bad_case const *c = *state;
	struct scenario *s = (struct scenario *)1;
	struct scenario_result r;

	r = scenario_load_string(c->xml, strlen(c->xml), "t.xml", &s);
	assert_string_equal(r.msg, c->msg);
	assert_int_equal(r.err, c->err);
	assert_int_equal(r.line, c->line);
	assert_null(s);
}

int main(void)
{
	static struct CMUnitTest const fixed[] = {
		cmocka_unit_test(test_full_config),
		cmocka_unit_test(test_example_configs),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_default_caps_after_starts),
		cmocka_unit_test(test_limits_accepted),
		cmocka_unit_test(test_comments_and_free_config),
		cmocka_unit_test(test_string_without_file_name),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_bad_file),
	};
	size_t const n_fixed = sizeof(fixed) / sizeof(fixed[0]);
	size_t const n_bad = sizeof(bad_cases) / sizeof(bad_cases[0]);
	struct CMUnitTest *tests = calloc(n_fixed + n_bad, sizeof(*tests));
	int failed;

	if (!tests)
		return 1;
	memcpy(tests, fixed, sizeof(fixed));
	for (size_t i = 0; i < n_bad; i++) {
		tests[n_fixed + i] = (struct CMUnitTest){
			.name = bad_cases[i].name,
			.test_func = test_bad,
			.initial_state = (void *)&bad_cases[i],
		};
	}
	failed = _cmocka_run_group_tests("scenario", tests, n_fixed + n_bad,
					 NULL, NULL);
	free(tests);
	return failed;
}
