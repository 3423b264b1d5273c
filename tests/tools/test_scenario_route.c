/*
 * Unit tests for tools/scenario_route.c: session routing by Genode init's
 * rules (scenario.h). One scenario, tests/tools/configs/routes.xml, with
 * a component per rule under test; each test asks where one request goes
 * and checks the answer, the denial reason and the deciding rule.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "scenario.h"

#define CONFIGS "tests/tools/configs/"

static int setup(void **state)
{
	struct scenario *s;
	struct scenario_result r = scenario_load_file(CONFIGS "routes.xml", &s);

	if (r.err) {
		print_error("%s\n", r.msg);
		return -1;
	}
	*state = s;
	return 0;
}

static int teardown(void **state)
{
	scenario_free(*state);
	return 0;
}

/* The line of rule i of client's <route>, or of <default-route> (NULL). */
static long rule_line(struct scenario const *s, char const *client, size_t i)
{
	struct scenario_routes const *r = client ?
		&scenario_find(s, client)->route : &s->default_route;

	assert_true(i < r->n_rules);
	return r->rules[i].line;
}

static void expect_parent(struct scenario const *s, char const *client,
			  char const *service, char const *label, long line)
{
	struct scenario_route_result r =
		scenario_route_label(s, client, service, label);

	assert_int_equal(r.kind, SCENARIO_ROUTE_PARENT);
	assert_null(r.child);
	assert_int_equal(r.deny, SCENARIO_DENY_NONE);
	assert_int_equal(r.line, line);
}

static void expect_child(struct scenario const *s, char const *client,
			 char const *service, char const *label,
			 char const *server, long line)
{
	struct scenario_route_result r =
		scenario_route_label(s, client, service, label);

	assert_int_equal(r.kind, SCENARIO_ROUTE_CHILD);
	assert_non_null(r.child);
	assert_string_equal(r.child, server);
	assert_int_equal(r.deny, SCENARIO_DENY_NONE);
	assert_int_equal(r.line, line);
}

static void expect_denied(struct scenario const *s, char const *client,
			  char const *service, char const *label,
			  enum scenario_deny why, long line)
{
	struct scenario_route_result r =
		scenario_route_label(s, client, service, label);

	assert_int_equal(r.kind, SCENARIO_ROUTE_DENIED);
	assert_null(r.child);
	assert_int_equal(r.deny, why);
	assert_int_equal(r.line, line);
}

/* <default-route>: <any-service> <parent/> <any-child/> </any-service>. */
static void test_default_route(void **state)
{
	struct scenario const *s = *state;
	long const line = rule_line(s, NULL, 0);

	assert_int_equal(line, 17);	/* the absolute line, once */
	expect_parent(s, "plain", "LOG", NULL, line);
	expect_parent(s, "plain", "ROM", NULL, line);
	/* the parent first: it provides Blk, so two child providers do not matter */
	expect_parent(s, "plain", "Blk", NULL, line);
	expect_child(s, "plain", "Gui", NULL, "gui", line);
	expect_child(s, "plain", "Report", NULL, "fs1", line);
	expect_denied(s, "plain", "File_system", NULL,
		      SCENARIO_DENY_AMBIGUOUS, line);
	expect_denied(s, "plain", "Nope", NULL, SCENARIO_DENY_NO_PROVIDER, line);
	/* scenario_route() is the unlabelled case */
	assert_int_equal(scenario_route(s, "plain", "Gui").kind,
			 SCENARIO_ROUTE_CHILD);
	assert_string_equal(scenario_route(s, "plain", "Gui").child, "gui");
}

/* A child may route to itself by the default route: init does not care. */
static void test_default_route_to_self(void **state)
{
	struct scenario const *s = *state;

	expect_child(s, "gui", "Gui", NULL, "gui", rule_line(s, NULL, 0));
}

/* Under <service name=..> the first target decides, even when it fails. */
static void test_named_first_target_decides(void **state)
{
	struct scenario const *s = *state;

	/* <service name="LOG"> <child name="fs1"/> <parent/> </service> */
	expect_denied(s, "app", "LOG", NULL, SCENARIO_DENY_CHILD,
		      rule_line(s, "app", 0));
	/* <service name="Timer"> <any-child/> <parent/> </service> */
	expect_denied(s, "app", "Timer", NULL, SCENARIO_DENY_NO_PROVIDER,
		      rule_line(s, "app", 1));
	/* <service name="Gui"> <parent/> <any-child/> </service> */
	expect_denied(s, "app", "Gui", NULL, SCENARIO_DENY_PARENT,
		      rule_line(s, "app", 5));
}

/* An explicit <child name=..> needs no uniqueness. */
static void test_named_child(void **state)
{
	struct scenario const *s = *state;

	expect_child(s, "app", "File_system", NULL, "fs2",
		     rule_line(s, "app", 2));
}

static void test_label_constraints(void **state)
{
	struct scenario const *s = *state;

	/* <service name="ROM" label="skin"> <child name="gui"/> */
	expect_child(s, "app", "ROM", "skin", "gui", rule_line(s, "app", 3));
	/* label_prefix="font." label_suffix=".ttf" -> <parent/> */
	expect_parent(s, "app", "ROM", "font.mono.ttf", rule_line(s, "app", 4));
	expect_parent(s, "app", "ROM", "font..ttf", rule_line(s, "app", 4));
	/* prefix and suffix are checked apart, as in Genode: they may overlap */
	expect_parent(s, "app", "ROM", "font.ttf", rule_line(s, "app", 4));
	/* suffix wrong, prefix wrong, near misses of label="skin" */
	expect_child(s, "app", "ROM", "font.mono.otf", "gui",
		     rule_line(s, "app", 6));
	expect_child(s, "app", "ROM", "fonts.mono.ttf", "gui",
		     rule_line(s, "app", 6));
	expect_child(s, "app", "ROM", "skins", "gui", rule_line(s, "app", 6));
	expect_child(s, "app", "ROM", "", "gui", rule_line(s, "app", 6));
	/* unlabelled: no label rule matches */
	expect_child(s, "app", "ROM", NULL, "gui", rule_line(s, "app", 6));
}

/*
 * Under <any-service> a failing target passes on to the next one and then
 * to the next matching rule; the last failure is the reason given.
 */
static void test_wildcard_falls_through(void **state)
{
	struct scenario const *s = *state;

	/* rule 6: <child name="gui"/> fails; rule 7: <parent/> fails; rule 8 */
	expect_child(s, "app", "Report", NULL, "fs1", rule_line(s, "app", 8));
	/* rule 7 */
	expect_parent(s, "app", "Blk", NULL, rule_line(s, "app", 7));
	expect_denied(s, "app", "Nope", NULL, SCENARIO_DENY_NO_PROVIDER,
		      rule_line(s, "app", 8));
}

/* <any-child/> with several providers denies at once, not falling through. */
static void test_ambiguous_denies_at_once(void **state)
{
	struct scenario const *s = *state;

	/* <any-service> <any-child/> <parent/> </any-service>; parent has Blk */
	expect_denied(s, "amb", "Blk", NULL, SCENARIO_DENY_AMBIGUOUS,
		      rule_line(s, "amb", 0));
	expect_parent(s, "amb", "LOG", NULL, rule_line(s, "amb", 0));
}

/* A <route> replaces <default-route>; it does not extend it. */
static void test_route_replaces_default(void **state)
{
	struct scenario const *s = *state;

	expect_parent(s, "strict", "Timer", NULL, rule_line(s, "strict", 0));
	expect_denied(s, "strict", "LOG", NULL, SCENARIO_DENY_NO_RULE, 0);
	expect_denied(s, "strict", "Gui", NULL, SCENARIO_DENY_NO_RULE, 0);
	/* an empty <route/> grants nothing */
	expect_denied(s, "jailed", "LOG", NULL, SCENARIO_DENY_NO_RULE, 0);
}

static void test_unknown_client(void **state)
{
	struct scenario const *s = *state;

	expect_denied(s, "nobody", "LOG", NULL, SCENARIO_DENY_NO_CLIENT, 0);
}

/* Without <default-route> a start without <route> gets nothing. */
static void test_no_default_route(void **state)
{
	char const xml[] =
		"<config>\n"
		"<parent-provides> <service name=\"LOG\"/> </parent-provides>\n"
		"<start name=\"a\"/>\n"
		"</config>\n";
	struct scenario *s;
	struct scenario_result r = scenario_load_string(xml, strlen(xml),
							"t.xml", &s);
	(void)state;

	assert_int_equal(r.err, SCENARIO_OK);
	expect_denied(s, "a", "LOG", NULL, SCENARIO_DENY_NO_RULE, 0);
	scenario_free(s);
}

static void test_deny_strings(void **state)
{
	(void)state;

	assert_string_equal(scenario_deny_str(SCENARIO_DENY_NONE), "not denied");
	assert_string_equal(scenario_deny_str(SCENARIO_DENY_NO_CLIENT),
			    "no such client");
	assert_string_equal(scenario_deny_str(SCENARIO_DENY_NO_RULE),
			    "no route matches");
	assert_string_equal(scenario_deny_str(SCENARIO_DENY_PARENT),
			    "the parent does not provide the service");
	assert_string_equal(scenario_deny_str(SCENARIO_DENY_CHILD),
			    "the child does not provide the service");
	assert_string_equal(scenario_deny_str(SCENARIO_DENY_NO_PROVIDER),
			    "no child provides the service");
	assert_string_equal(scenario_deny_str(SCENARIO_DENY_AMBIGUOUS),
			    "several children provide the service");
	assert_string_equal(scenario_deny_str((enum scenario_deny)99), "?");
}

int main(void)
{
	struct CMUnitTest const tests[] = {
		cmocka_unit_test(test_default_route),
		cmocka_unit_test(test_default_route_to_self),
		cmocka_unit_test(test_named_first_target_decides),
		cmocka_unit_test(test_named_child),
		cmocka_unit_test(test_label_constraints),
		cmocka_unit_test(test_wildcard_falls_through),
		cmocka_unit_test(test_ambiguous_denies_at_once),
		cmocka_unit_test(test_route_replaces_default),
		cmocka_unit_test(test_unknown_client),
		cmocka_unit_test(test_no_default_route),
		cmocka_unit_test(test_deny_strings),
	};

	return cmocka_run_group_tests_name("scenario_route", tests, setup,
					   teardown);
}
