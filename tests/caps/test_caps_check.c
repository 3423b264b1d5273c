/*
 * Unit tests for cr/capspace_check: a correct restore passes (identical
 * spaces too), and each kind of violation is reported with its exact line
 * and counted: a slot missing or extra, kind, rights or label changed, one
 * object become two, two objects become one, slot 8 not naming the new
 * parent. Badge translations are honoured for gates and only for gates.
 */
#include "caps_test.h"

#include <stdlib.h>

#include "capspace_check.h"

/* The entry at SLOT of CS, writable (the tests damage restored spaces). */
static struct caps_entry *at(struct caps_space *cs, uint64_t slot)
{
	return (struct caps_entry *)caps_find(cs, slot);
}

/* Check ORIG against RESTORED; the report must be exactly WANT (lines
 * joined by '\n', each ending in one) and count its lines. */
static void check_is(struct caps_space const *orig,
		     struct caps_space const *restored,
		     struct caps_badge_map const *badges, size_t nbadges,
		     char const *want)
{
	struct caps_report rep = { 0 };
	struct caps_check_args a = {
		.orig = orig,
		.restored = restored,
		.new_parent = NEW_PARENT,
		.badges = badges,
		.nbadges = nbadges,
		.report = caps_report_collect,
		.arg = &rep,
	};
	size_t lines = 0;
	size_t n = caps_check(&a);

	for (char const *p = want; *p; p++)
		lines += *p == '\n';
	if (strcmp(rep.text ? rep.text : "", want))
		fail_msg("want:\n%s  got:\n%s", want,
			 rep.text ? rep.text : "");
	assert_int_equal(n, lines);
	assert_false(rep.truncated);
	/* Without a callback the count is the same. */
	a.report = NULL;
	assert_int_equal(caps_check(&a), lines);
	caps_report_free(&rep);
}

static void test_equivalent(void **state)
{
	struct caps_space o, r, empty;
	(void)state;

	sample_space(&o);
	restored_space(&r);
	check_is(&o, &r, NULL, 0, "");

	/* Identical spaces pass when the parent is the same object. */
	at(&o, 8)->object = NEW_PARENT;
	check_is(&o, &o, NULL, 0, "");

	/* Two empty spaces differ only in the parent. */
	caps_init(&empty);
	check_is(&empty, &empty, NULL, 0,
		 "slot 0x8: empty after restore, not the new parent (object "
		 "150)\n");
	caps_free(&o);
	caps_free(&r);
}

static void test_missing_extra(void **state)
{
	struct caps_space o, r;
	struct caps_entry e;
	(void)state;

	sample_space(&o);
	restored_space(&r);
	/* Slot 0x202 lost, slot 0x300 gained. */
	r.entries[r.n - 2] = r.entries[r.n - 1];
	r.n--;
	caps_entry_init(&e);
	e.slot = 0x300;
	e.kind = L4X_KIND_IRQ;
	e.rights = RWS;
	e.object = 333;
	assert_int_equal(caps_add(&r, &e, NULL), CAPS_OK);
	check_is(&o, &r, NULL, 0,
		 "slot 0x202: used before (gate, object 40), empty after "
		 "restore\n"
		 "slot 0x300: empty before, used after restore (irq, object "
		 "333)\n");
	caps_free(&o);
	caps_free(&r);
}

static void test_kind_rights_label(void **state)
{
	struct caps_space o, r;
	(void)state;

	sample_space(&o);
	restored_space(&r);
	at(&r, 9)->kind = L4X_KIND_IRQ;
	at(&r, 10)->kind = 42;
	at(&r, 0x200)->rights = CAPS_R;
	at(&r, 0x201)->rights = RWSD;
	at(&r, 0x202)->label = 0x6;
	at(&r, 0x203)->label = 0x1;
	at(&r, 11)->label = CAPS_NO_LABEL;
	check_is(&o, &r, NULL, 0,
		 "slot 0x9: kind gate before, irq after restore\n"
		 "slot 0xa: kind gate before, kind 42 after restore\n"
		 "slot 0xb: label 0x0 before, none after restore\n"
		 "slot 0x200: rights RW-- before, R--- after restore\n"
		 "slot 0x201: rights RW-- before, RWSD after restore\n"
		 "slot 0x202: label 0x5 before, 0x6 after restore\n"
		 "slot 0x203: label none before, 0x1 after restore\n");
	caps_free(&o);
	caps_free(&r);
}

/* One object named at two slots must stay one object. */
static void test_not_a_function(void **state)
{
	struct caps_space o, r;
	(void)state;

	sample_space(&o);
	restored_space(&r);
	at(&r, 0x201)->object = 132;	/* the session's second slot */
	check_is(&o, &r, NULL, 0,
		 "slots 0x200 and 0x201: named one object (31) before, two "
		 "(131 and 132) after restore\n");

	/* Named at three slots, split three ways: each against the first. */
	add(&o, 0x204, L4X_KIND_GATE, RW, 31, 0x2a, CAPS_ROLE_SESSION, 0, 0,
	    "LOG", "");
	add(&r, 0x204, L4X_KIND_GATE, RW, 133, 0x2a, CAPS_ROLE_UNKNOWN, 0, 0,
	    "", "");
	check_is(&o, &r, NULL, 0,
		 "slots 0x200 and 0x201: named one object (31) before, two "
		 "(131 and 132) after restore\n"
		 "slots 0x200 and 0x204: named one object (31) before, two "
		 "(131 and 133) after restore\n");
	caps_free(&o);
	caps_free(&r);
}

/* Two objects must stay two objects. */
static void test_not_injective(void **state)
{
	struct caps_space o, r;
	(void)state;

	sample_space(&o);
	restored_space(&r);
	at(&r, 10)->object = 120;	/* the pager is now thread 0's gate */
	check_is(&o, &r, NULL, 0,
		 "slots 0x9 and 0xa: named two objects (20 and 21) before, "
		 "one (120) after restore\n");

	/* Both at once: 0x201 leaves its session for the EP gate's object. */
	at(&r, 10)->object = 121;
	at(&r, 0x201)->object = 140;
	check_is(&o, &r, NULL, 0,
		 "slots 0x200 and 0x201: named one object (31) before, two "
		 "(131 and 140) after restore\n"
		 "slots 0x201 and 0x202: named two objects (31 and 40) before, "
		 "one (140) after restore\n");
	caps_free(&o);
	caps_free(&r);
}

static void test_parent(void **state)
{
	struct caps_space o, r;
	(void)state;

	sample_space(&o);
	restored_space(&r);
	/* Still the old parent (a restore that forgot to replace it). */
	at(&r, 8)->object = SAMPLE_PARENT;
	check_is(&o, &r, NULL, 0,
		 "slot 0x8: names object 12 after restore, not the new parent "
		 "(object 150)\n");

	/* Slot 8 empty: missing, and not the parent. */
	memmove(&r.entries[1], &r.entries[2],
		(r.n - 2) * sizeof(r.entries[0]));
	r.n--;
	assert_null(caps_find(&r, 8));
	check_is(&o, &r, NULL, 0,
		 "slot 0x8: used before (gate, object 12), empty after "
		 "restore\n"
		 "slot 0x8: empty after restore, not the new parent (object "
		 "150)\n");

	/* The original parent named at another slot too must map there. */
	caps_free(&r);
	restored_space(&r);
	add(&o, 0x210, L4X_KIND_GATE, RWS, SAMPLE_PARENT, 0x1000,
	    CAPS_ROLE_PARENT, 0, 0, "", "");
	add(&r, 0x210, L4X_KIND_GATE, RWS, NEW_PARENT, 0x1000,
	    CAPS_ROLE_UNKNOWN, 0, 0, "", "");
	check_is(&o, &r, NULL, 0, "");
	at(&r, 0x210)->object = 112;
	check_is(&o, &r, NULL, 0,
		 "slots 0x8 and 0x210: named one object (12) before, two "
		 "(150 and 112) after restore\n");
	caps_free(&o);
	caps_free(&r);
}

static void test_badge_translation(void **state)
{
	struct caps_space o, r;
	struct caps_badge_map const map[] = {
		{ 0x5, 0x105 },			/* the EP gate's badge */
		{ 0x2a, 0x12a },		/* the session's */
		{ 0x0, 0x100 },			/* matches the IRQ's label */
		{ 0x5, 0x999 },			/* listed twice: ignored */
	};
	(void)state;

	sample_space(&o);
	restored_space(&r);
	at(&r, 0x202)->label = 0x105;
	at(&r, 0x200)->label = 0x12a;
	at(&r, 0x201)->label = 0x12a;
	check_is(&o, &r, map, 4, "");

	/* Without the translations, three labels differ. */
	check_is(&o, &r, NULL, 0,
		 "slot 0x200: label 0x2a before, 0x12a after restore\n"
		 "slot 0x201: label 0x2a before, 0x12a after restore\n"
		 "slot 0x202: label 0x5 before, 0x105 after restore\n");

	/* A translated gate keeping its old badge is a violation. */
	at(&r, 0x201)->label = 0x2a;
	check_is(&o, &r, map, 4,
		 "slot 0x201: label 0x2a before (translated: 0x12a), 0x2a "
		 "after restore\n");

	/* Translations are for gates: the IRQ's label 0 is not translated. */
	at(&r, 0x201)->label = 0x12a;
	at(&r, 11)->label = 0x100;
	check_is(&o, &r, map, 4,
		 "slot 0xb: label 0x0 before, 0x100 after restore\n");
	caps_free(&o);
	caps_free(&r);
}

/* Several kinds at once come in the documented order. */
static void test_order(void **state)
{
	struct caps_space o, r;
	(void)state;

	sample_space(&o);
	restored_space(&r);
	at(&r, 8)->object = 999;
	at(&r, 9)->object = 103;	/* = the task's restored object */
	at(&r, 0x203)->rights = CAPS_R;
	at(&r, 0x201)->object = 132;
	check_is(&o, &r, NULL, 0,
		 "slot 0x203: rights RWS- before, R--- after restore\n"
		 "slots 0x200 and 0x201: named one object (31) before, two "
		 "(131 and 132) after restore\n"
		 "slots 0x1 and 0x9: named two objects (3 and 20) before, one "
		 "(103) after restore\n"
		 "slot 0x8: names object 999 after restore, not the new parent "
		 "(object 150)\n");
	caps_free(&o);
	caps_free(&r);
}

/* The collector keeps every line, however many. */
static void test_report_collect(void **state)
{
	struct caps_report rep = { 0 };
	char line[64];
	(void)state;

	for (int i = 0; i < 1000; i++) {
		snprintf(line, sizeof(line), "violation %d", i);
		caps_report_collect(&rep, line);
	}
	assert_false(rep.truncated);
	assert_int_equal(strlen(rep.text), rep.len);
	assert_memory_equal(rep.text, "violation 0\nviolation 1\n", 24);
	assert_string_equal(rep.text + rep.len - 14, "violation 999\n");
	caps_report_free(&rep);
	assert_null(rep.text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equivalent),
		cmocka_unit_test(test_missing_extra),
		cmocka_unit_test(test_kind_rights_label),
		cmocka_unit_test(test_not_a_function),
		cmocka_unit_test(test_not_injective),
		cmocka_unit_test(test_parent),
		cmocka_unit_test(test_badge_translation),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_report_collect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
