/*
 * Allocation failure in tools/scenario*.c: for every allocation a load
 * makes, fail exactly that one and check the load either reports
 * SCENARIO_ERR_NOMEM (nothing leaked, as the sanitizer build checks) or
 * gives the complete, correct model. Never a half-built model, never a
 * different error.
 *
 * The scenario objects are linked with --wrap=malloc,calloc,realloc,strdup
 * (mk/tools.mk), which sends their calls here; libxml2's allocations come
 * here through xmlMemSetup().
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlmemory.h>

#include "scenario.h"

#define CONFIGS "tests/tools/configs/"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(char const *s);

static long alloc_count;	/* allocations since the run began */
static long fail_at;		/* fail this one (1-based); 0: none */

static bool inject(void)
{
	return ++alloc_count == fail_at;
}

void *__wrap_malloc(size_t n)
{
	return inject() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return inject() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n)
{
	return inject() ? NULL : __real_realloc(p, n);
}

char *__wrap_strdup(char const *s)
{
	return inject() ? NULL : __real_strdup(s);
}

/* libxml2's allocator hooks: the same counter. */
static void *xml_malloc(size_t n)
{
	return __wrap_malloc(n);
}

static void *xml_realloc(void *p, size_t n)
{
	return __wrap_realloc(p, n);
}

static char *xml_strdup(char const *s)
{
	return __wrap_strdup(s);
}

/* Everything in the model, as text, to compare a load with the reference. */
static void describe_routes(FILE *f, struct scenario_routes const *r)
{
	fprintf(f, " routes %d %ld:", r->present, r->line);
	for (size_t i = 0; i < r->n_rules; i++) {
		struct scenario_rule const *rule = &r->rules[i];
		fprintf(f, " [%s %s %s %s %ld",
			rule->service ? rule->service : "*",
			rule->label ? rule->label : "-",
			rule->label_prefix ? rule->label_prefix : "-",
			rule->label_suffix ? rule->label_suffix : "-",
			rule->line);
		for (size_t j = 0; j < rule->n_targets; j++)
			fprintf(f, " %d:%s:%ld", rule->targets[j].kind,
				rule->targets[j].child ? rule->targets[j].child : "-",
				rule->targets[j].line);
		fprintf(f, "]");
	}
}

static void describe(struct scenario const *s, char *buf, size_t size)
{
	FILE *f = fmemopen(buf, size, "w");

	assert_non_null(f);
	fprintf(f, "%s caps %lu parent:", s->file, s->default_caps);
	for (size_t i = 0; i < s->n_parent_provides; i++)
		fprintf(f, " %s@%ld", s->parent_provides[i].name,
			s->parent_provides[i].line);
	describe_routes(f, &s->default_route);
	for (size_t i = 0; i < s->n_starts; i++) {
		struct scenario_start const *st = &s->starts[i];
		fprintf(f, "\nstart %s %s %lu %llu %ld provides:", st->name,
			st->binary, st->caps, (unsigned long long)st->ram,
			st->line);
		for (size_t j = 0; j < st->n_provides; j++)
			fprintf(f, " %s@%ld", st->provides[j].name,
				st->provides[j].line);
		describe_routes(f, &st->route);
		fprintf(f, " config %zu %s", st->config_len,
			st->config ? st->config : "-");
	}
	assert_int_equal(fclose(f), 0);
}

/*
 * Load path with each allocation failing in turn. expect: the error the
 * load gives without injected failures (SCENARIO_OK: compare the model).
 */
static void fail_each_allocation(char const *path, enum scenario_err expect)
{
	static char want[16384], got[16384];
	struct scenario *s;
	struct scenario_result r;
	long runs = 0;

	fail_at = 0;
	r = scenario_load_file(path, &s);
	assert_int_equal(r.err, expect);
	if (s)
		describe(s, want, sizeof(want));
	scenario_free(s);

	for (fail_at = 1;; fail_at++, runs++) {
		alloc_count = 0;
		r = scenario_load_file(path, &s);
		if (r.err == SCENARIO_ERR_NOMEM) {
			assert_null(s);
			assert_string_equal(r.msg + strlen(path),
					    ": out of memory");
			continue;
		}
		if (r.err != expect)
			fail_msg("allocation %ld failed: %s", fail_at, r.msg);
		if (s) {
			describe(s, got, sizeof(got));
			assert_string_equal(got, want);
			scenario_free(s);
		}
		if (alloc_count < fail_at)
			break;	/* no allocation left to fail */
	}
	fail_at = 0;
	assert_true(runs > 20);
}

static void test_oom_full(void **state)
{
	(void)state;
	fail_each_allocation(CONFIGS "full.xml", SCENARIO_OK);
}

static void test_oom_routes(void **state)
{
	(void)state;
	fail_each_allocation(CONFIGS "routes.xml", SCENARIO_OK);
}

/* An error found late, after the whole model is built, and cleaned up. */
static void test_oom_bad(void **state)
{
	(void)state;
	fail_each_allocation(CONFIGS "bad_route.xml", SCENARIO_ERR_NO_CHILD);
}

int main(void)
{
	struct CMUnitTest const tests[] = {
		cmocka_unit_test(test_oom_full),
		cmocka_unit_test(test_oom_routes),
		cmocka_unit_test(test_oom_bad),
	};

	if (xmlMemSetup(free, xml_malloc, xml_realloc, xml_strdup))
		return 1;
	return cmocka_run_group_tests_name("scenario_oom", tests, NULL, NULL);
}
