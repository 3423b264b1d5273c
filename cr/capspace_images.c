/*
 * capspace_images — the equivalence checker between two images (see
 * capspace_images.h). Hosted: linked into recap from libcaps.a.
 *
 * Differences are collected first (caps_report_collect) and written only
 * once both images were read, so an unreadable image gives one line on
 * stderr and nothing on stdout.
 */
#include <stdlib.h>
#include <string.h>

#include <recap/cap_layout.h>

#include "capspace_check.h"
#include "capspace_images.h"

#define USAGE "recap inspect --check-against ORIG RESTORED"

typedef unsigned long long ull;	/* for printf: uint64_t is not %llx */

/* A label the component serves: it dispatches on it, so it must come back
 * exactly (docs/cr.md "Badges"). */
static bool served(struct caps_entry const *e)
{
	return e->role == CAPS_ROLE_THREAD_GATE || e->role == CAPS_ROLE_EP_GATE;
}

static struct caps_badge_map const *translated(struct caps_badge_map const *m,
					       size_t n, uint64_t label)
{
	for (size_t i = 0; i < n; i++)
		if (m[i].old_badge == label)
			return &m[i];
	return NULL;
}

/* The translations the two spaces show, into *map (malloc'd, *n of them);
 * a served label changed under another slot's translation into rep.
 * false if out of memory. */
static bool derive(struct caps_space const *o, struct caps_space const *r,
		   struct caps_badge_map **map, size_t *n,
		   struct caps_report *rep)
{
	struct caps_badge_map *m = malloc((o->n ? o->n : 1) * sizeof(*m));
	char line[160];

	*map = m;
	*n = 0;
	if (!m)
		return false;
	for (size_t i = 0; i < o->n; i++) {
		struct caps_entry const *x = &o->entries[i];
		struct caps_entry const *y = caps_find(r, x->slot);

		if (!y || x->kind != L4X_KIND_GATE || y->kind != L4X_KIND_GATE ||
		    x->label == y->label || served(x) ||
		    translated(m, *n, x->label))
			continue;
		m[(*n)++] = (struct caps_badge_map){ x->label, y->label };
	}
	/* The checker accepts a translated label at any gate slot: hold the
	 * served ones to their label here. */
	for (size_t i = 0; i < o->n; i++) {
		struct caps_entry const *x = &o->entries[i];
		struct caps_entry const *y = caps_find(r, x->slot);

		if (y && served(x) && x->kind == L4X_KIND_GATE &&
		    x->label != y->label && translated(m, *n, x->label)) {
			snprintf(line, sizeof(line),
				 "slot 0x%llx: label 0x%llx before, 0x%llx after "
				 "restore (the component serves it)",
				 (ull)x->slot, (ull)x->label, (ull)y->label);
			caps_report_collect(rep, line);
		}
	}
	return true;
}

/* The new parent's object: RESTORED's slot of role parent; else slot 8's
 * object (reported). */
static uint64_t new_parent(struct caps_space const *r, struct caps_report *rep)
{
	struct caps_entry const *p8 = caps_find(r, RECAP_PARENT_SLOT);

	for (size_t i = 0; i < r->n; i++)
		if (r->entries[i].role == CAPS_ROLE_PARENT)
			return r->entries[i].object;
	caps_report_collect(rep, "no slot names the new parent (no slot of "
			    "role parent after restore)");
	return p8 ? p8->object : 0;
}

static bool read_space(char const *path, struct caps_space *cs, FILE *err)
{
	struct image_err ierr;
	struct caps_err cerr;
	struct image *img;

	if (image_open(path, &img, &ierr)) {
		fprintf(err, "recap inspect: %s\n", ierr.msg);
		return false;
	}
	if (caps_read(img, 0, cs, &cerr)) {
		fprintf(err, "recap inspect: %s: %s\n", path, cerr.msg);
		image_close(img);
		return false;
	}
	image_close(img);
	return true;
}

/* Count the lines of a report. */
static size_t lines(struct caps_report const *rep)
{
	size_t n = 0;

	for (size_t i = 0; i < rep->len; i++)
		n += rep->text[i] == '\n';
	return n;
}

int caps_images_check(char const *orig, char const *restored, FILE *out,
		      FILE *err)
{
	struct caps_space o, r;
	struct caps_report rep = { 0 };
	struct caps_badge_map *map = NULL;
	struct caps_check_args a;
	size_t nmap = 0, n;
	int rc = 1;

	caps_init(&o);
	caps_init(&r);
	if (!read_space(orig, &o, err) || !read_space(restored, &r, err))
		goto out;
	if (!derive(&o, &r, &map, &nmap, &rep)) {
		fprintf(err, "recap inspect: out of memory\n");
		goto out;
	}
	a = (struct caps_check_args){
		.orig = &o, .restored = &r, .new_parent = new_parent(&r, &rep),
		.badges = map, .nbadges = nmap,
		.report = caps_report_collect, .arg = &rep,
	};
	caps_check(&a);
	if (rep.truncated) {
		fprintf(err, "recap inspect: out of memory\n");
		goto out;
	}
	n = lines(&rep);
	if (n) {
		fprintf(out, "%s%zu difference%s\n", rep.text, n, n == 1 ? "" : "s");
	} else {
		fprintf(out, "equivalent: %zu slots, %zu label%s translated\n",
			r.n, nmap, nmap == 1 ? "" : "s");
		rc = 0;
	}
	if (fflush(out)) {
		fprintf(err, "recap inspect: cannot write the result\n");
		rc = 1;
	}
out:
	caps_report_free(&rep);
	free(map);
	caps_free(&o);
	caps_free(&r);
	return rc;
}

static int usage_error(FILE *err, char const *what, char const *arg)
{
	fprintf(err, "recap inspect: %s%s%s (usage: " USAGE ")\n", what,
		arg ? " " : "", arg ? arg : "");
	return 2;
}

int caps_images_main(int argc, char **argv, FILE *out, FILE *err)
{
	char const *orig = NULL, *restored = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--check-against")) {
			if (orig)
				return usage_error(err, "unexpected argument",
						   argv[i]);
			if (i + 1 == argc)
				return usage_error(err, "missing ORIG", NULL);
			orig = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error(err, "unknown option", argv[i]);
		} else if (restored) {
			return usage_error(err, "unexpected argument", argv[i]);
		} else {
			restored = argv[i];
		}
	}
	if (!orig)
		return usage_error(err, "missing --check-against ORIG", NULL);
	if (!restored)
		return usage_error(err, "missing RESTORED", NULL);
	return caps_images_check(orig, restored, out, err);
}
