/*
 * Helpers shared by the capability-space tests: a sample space as cr would
 * capture it from a small component, its restored counterpart, and entry
 * comparison.
 *
 * Included by each test program (they are built one program per file), so
 * everything here is static.
 */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "capspace_record.h"

#define RWSD (CAPS_R | CAPS_W | CAPS_S | CAPS_D)
#define RWS (CAPS_R | CAPS_W | CAPS_S)
#define RW (CAPS_R | CAPS_W)

/* Add one entry (and its role fields) to CS; must succeed. */
static __attribute__((unused)) void
add(struct caps_space *cs, uint64_t slot, uint32_t kind, uint32_t rights,
    uint64_t object, uint64_t label, uint32_t role, uint32_t thread,
    uint64_t badge, char const *service, char const *detail)
{
	struct caps_entry e;
	struct caps_err err;

	caps_entry_init(&e);
	e.slot = slot;
	e.kind = kind;
	e.rights = rights;
	e.object = object;
	e.label = label;
	e.role = role;
	e.thread = thread;
	e.badge = badge;
	snprintf(e.service, sizeof(e.service), "%s", service);
	snprintf(e.detail, sizeof(e.detail), "%s", detail);
	if (caps_add(cs, &e, &err))
		fail_msg("caps_add slot 0x%llx: %s", (unsigned long long)slot,
			 err.msg);
}

#define SAMPLE_SLOTS 9
#define SAMPLE_PARENT 12		/* the original parent's gate */
#define NEW_PARENT 150			/* the new parent's gate */

/*
 * A component "hello" as captured: own task, parent, thread 0's three
 * thread-area slots, a LOG session named at two slots, a gate of its own
 * entrypoint, and a third party's factory. Object ids as the kernel
 * might hand them out.
 */
static __attribute__((unused)) void sample_space(struct caps_space *cs)
{
	caps_init(cs);
	snprintf(cs->name, sizeof(cs->name), "hello");
	/* Added out of order on purpose: caps_add sorts. */
	add(cs, 0x200, L4X_KIND_GATE, RW, 31, 0x2a, CAPS_ROLE_SESSION, 0, 0,
	    "LOG", "LOG session 'hello'");
	add(cs, 1, L4X_KIND_TASK, RWSD, 3, CAPS_NO_LABEL, CAPS_ROLE_TASK, 0, 0,
	    "", "");
	add(cs, 8, L4X_KIND_GATE, RWS, SAMPLE_PARENT, 0x1000,
	    CAPS_ROLE_PARENT, 0, 0, "", "");
	add(cs, 9, L4X_KIND_GATE, RWS, 20, 0x9, CAPS_ROLE_THREAD_GATE, 0, 0,
	    "", "");
	add(cs, 10, L4X_KIND_GATE, RWS, 21, 0xa, CAPS_ROLE_THREAD_PAGER, 0, 0,
	    "", "");
	add(cs, 11, L4X_KIND_IRQ, RWS, 22, 0, CAPS_ROLE_THREAD_IRQ, 0, 0, "",
	    "");
	add(cs, 0x201, L4X_KIND_GATE, RW, 31, 0x2a, CAPS_ROLE_SESSION, 0, 0,
	    "LOG", "");
	add(cs, 0x202, L4X_KIND_GATE, RWS, 40, 0x5, CAPS_ROLE_EP_GATE, 1, 0x5,
	    "", "");
	add(cs, 0x203, L4X_KIND_FACTORY, RWS, 2, CAPS_NO_LABEL,
	    CAPS_ROLE_UNKNOWN, 0, 0, "", "");
}

/*
 * The sample as a correct restore leaves it: every object recreated under
 * a new id (old + 100), slot 8 naming the new parent, the third party's
 * factory (object 2) still the same object. Roles and details are cr's
 * annotations: unless annotated, the restored capture has none, which
 * must not matter.
 */
static __attribute__((unused)) void restored_capture(struct caps_space *cs,
						     bool annotated)
{
	struct caps_space s;

	sample_space(&s);
	caps_init(cs);
	for (size_t i = 0; i < s.n; i++) {
		struct caps_entry e = s.entries[i];
		struct caps_err err;

		if (e.slot == 8)
			e.object = NEW_PARENT;
		else if (e.object != 2)
			e.object += 100;
		if (!annotated) {
			e.role = CAPS_ROLE_UNKNOWN;
			e.detail[0] = '\0';
		}
		assert_int_equal(caps_add(cs, &e, &err), CAPS_OK);
	}
	caps_free(&s);
}

static __attribute__((unused)) void restored_space(struct caps_space *cs)
{
	restored_capture(cs, false);
}

static __attribute__((unused)) void entry_equal(struct caps_entry const *a,
						struct caps_entry const *b)
{
	assert_int_equal(a->slot, b->slot);
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->rights, b->rights);
	assert_int_equal(a->object, b->object);
	assert_int_equal(a->label, b->label);
	assert_int_equal(a->role, b->role);
	assert_int_equal(a->thread, b->thread);
	assert_int_equal(a->badge, b->badge);
	assert_string_equal(a->service, b->service);
	assert_string_equal(a->detail, b->detail);
}

static __attribute__((unused)) void space_equal(struct caps_space const *a,
						struct caps_space const *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		entry_equal(&a->entries[i], &b->entries[i]);
}
