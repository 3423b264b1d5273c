/*
 * capspace_check — capability-space equivalence (see capspace_check.h).
 *
 * The object correspondence is checked on (original, restored, slot)
 * triples sorted twice: by original object, where every group must agree
 * on one restored object, and by restored object, where every group must
 * agree on one original object. Within a group the lowest slot is the
 * reference each other slot is reported against, so a message names two
 * concrete slots someone can look at.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <recap/cap_layout.h>

#include "capspace_check.h"

#define LINE_MAX_CHARS 256

struct checker {
	struct caps_check_args const *a;
	size_t violations;
};

static void violation(struct checker *c, char const *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void violation(struct checker *c, char const *fmt, ...)
{
	char line[LINE_MAX_CHARS];
	va_list ap;

	c->violations++;
	if (!c->a->report)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	c->a->report(c->a->arg, line);
}

typedef unsigned long long ull;	/* for printf: uint64_t is not %llx */

/* "0x2a", or "none". */
static char const *label_str(uint64_t label, char buf[24])
{
	if (label == CAPS_NO_LABEL)
		return "none";
	snprintf(buf, 24, "0x%llx", (ull)label);
	return buf;
}

/* The translation of a gate's badge, if the caller gave one. */
static struct caps_badge_map const *translation(struct caps_check_args const *a,
						uint64_t badge)
{
	for (size_t i = 0; i < a->nbadges; i++)
		if (a->badges[i].old_badge == badge)
			return &a->badges[i];
	return NULL;
}

static void check_used_slot(struct checker *c, struct caps_entry const *o,
			    struct caps_entry const *r)
{
	char b1[24], b2[24], b3[24];
	struct caps_badge_map const *t = NULL;
	uint64_t want = o->label;

	if (o->kind != r->kind)
		violation(c, "slot 0x%llx: kind %s before, %s after restore",
			  (ull)o->slot, caps_kind_str(o->kind, b1),
			  caps_kind_str(r->kind, b2));
	if (o->rights != r->rights)
		violation(c, "slot 0x%llx: rights %s before, %s after restore",
			  (ull)o->slot, caps_rights_str(o->rights, b1),
			  caps_rights_str(r->rights, b2));
	if (o->kind == L4X_KIND_GATE && (t = translation(c->a, o->label)))
		want = t->new_badge;
	if (want == r->label)
		return;
	if (t)
		violation(c, "slot 0x%llx: label %s before (translated: %s), "
			  "%s after restore", (ull)o->slot,
			  label_str(o->label, b1), label_str(want, b2),
			  label_str(r->label, b3));
	else
		violation(c, "slot 0x%llx: label %s before, %s after restore",
			  (ull)o->slot, label_str(o->label, b1),
			  label_str(r->label, b2));
}

/* One slot used in both spaces: the objects it named and names. */
struct pair {
	uint64_t from;			/* original object */
	uint64_t to;			/* restored object */
	uint64_t slot;
};

static int cmp_u64(uint64_t x, uint64_t y)
{
	return (x > y) - (x < y);
}

static int by_from(void const *x, void const *y)
{
	struct pair const *p = x, *q = y;

	return cmp_u64(p->from, q->from) ? cmp_u64(p->from, q->from)
					 : cmp_u64(p->slot, q->slot);
}

static int by_to(void const *x, void const *y)
{
	struct pair const *p = x, *q = y;

	return cmp_u64(p->to, q->to) ? cmp_u64(p->to, q->to)
				     : cmp_u64(p->slot, q->slot);
}

/* One original object, one restored object: sorted by_from, each group's
 * first pair is what the others must agree with. */
static void check_function(struct checker *c, struct pair *p, size_t n)
{
	qsort(p, n, sizeof(*p), by_from);
	for (size_t ref = 0, i = 1; i < n; i++) {
		if (p[i].from != p[ref].from) {
			ref = i;
			continue;
		}
		if (p[i].to != p[ref].to)
			violation(c, "slots 0x%llx and 0x%llx: named one object "
				  "(%llu) before, two (%llu and %llu) after "
				  "restore", (ull)p[ref].slot, (ull)p[i].slot,
				  (ull)p[i].from, (ull)p[ref].to,
				  (ull)p[i].to);
	}
}

static void check_injective(struct checker *c, struct pair *p, size_t n)
{
	qsort(p, n, sizeof(*p), by_to);
	for (size_t ref = 0, i = 1; i < n; i++) {
		if (p[i].to != p[ref].to) {
			ref = i;
			continue;
		}
		if (p[i].from != p[ref].from)
			violation(c, "slots 0x%llx and 0x%llx: named two objects "
				  "(%llu and %llu) before, one (%llu) after "
				  "restore", (ull)p[ref].slot, (ull)p[i].slot,
				  (ull)p[ref].from, (ull)p[i].from,
				  (ull)p[i].to);
	}
}

static void check_parent(struct checker *c)
{
	struct caps_entry const *r = caps_find(c->a->restored,
					       RECAP_PARENT_SLOT);

	if (!r)
		violation(c, "slot 0x%lx: empty after restore, not the new "
			  "parent (object %llu)", RECAP_PARENT_SLOT,
			  (ull)c->a->new_parent);
	else if (r->object != c->a->new_parent)
		violation(c, "slot 0x%lx: names object %llu after restore, not "
			  "the new parent (object %llu)", RECAP_PARENT_SLOT,
			  (ull)r->object, (ull)c->a->new_parent);
}

size_t caps_check(struct caps_check_args const *a)
{
	struct checker c = { a, 0 };
	struct caps_space const *o = a->orig, *r = a->restored;
	size_t i = 0, j = 0, n = 0;
	size_t most = o->n < r->n ? o->n : r->n;
	struct pair *pairs = malloc((most ? most : 1) * sizeof(*pairs));
	char b[16];

	/* Both spaces are sorted by slot: walk them side by side. */
	while (i < o->n || j < r->n) {
		struct caps_entry const *x = i < o->n ? &o->entries[i] : NULL;
		struct caps_entry const *y = j < r->n ? &r->entries[j] : NULL;

		if (x && (!y || x->slot < y->slot)) {
			violation(&c, "slot 0x%llx: used before (%s, object "
				  "%llu), empty after restore", (ull)x->slot,
				  caps_kind_str(x->kind, b), (ull)x->object);
			i++;
		} else if (!x || y->slot < x->slot) {
			violation(&c, "slot 0x%llx: empty before, used after "
				  "restore (%s, object %llu)", (ull)y->slot,
				  caps_kind_str(y->kind, b), (ull)y->object);
			j++;
		} else {
			check_used_slot(&c, x, y);
			if (pairs)
				pairs[n++] = (struct pair){ x->object,
							    y->object, x->slot };
			i++;
			j++;
		}
	}
	if (pairs) {
		check_function(&c, pairs, n);
		check_injective(&c, pairs, n);
	} else {
		violation(&c, "out of memory: object correspondence not "
			  "checked");
	}
	free(pairs);
	check_parent(&c);
	return c.violations;
}

void caps_report_collect(void *arg, char const *msg)
{
	struct caps_report *rep = arg;
	size_t len = strlen(msg);

	if (rep->truncated)
		return;
	/* The message, a newline, the NUL. */
	if (len + 2 > rep->cap - rep->len) {
		size_t cap = rep->cap ? rep->cap : 256;
		char *t;

		while (cap - rep->len < len + 2)
			cap *= 2;
		if (!(t = realloc(rep->text, cap))) {
			rep->truncated = true;
			return;
		}
		rep->text = t;
		rep->cap = cap;
	}
	memcpy(rep->text + rep->len, msg, len);
	rep->len += len;
	rep->text[rep->len++] = '\n';
	rep->text[rep->len] = '\0';
}

void caps_report_free(struct caps_report *rep)
{
	free(rep->text);
	*rep = (struct caps_report){ 0 };
}
