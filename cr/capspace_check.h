/*
 * capspace_check — is a restored capability space equivalent to the one
 * that was checkpointed? A test tool: every checkpoint/restore test runs it
 * on the space captured before and the space captured after restore.
 *
 * Equivalent means (DESIGN.md §5.2):
 *   - the same slots are used;
 *   - per slot the same kind, rights and label, where a gate's label may
 *     have been translated on restore (a badge already taken, e.g. by the
 *     still running original of a clone): the caller passes the
 *     translations and the restored gate must carry the new badge;
 *   - the correspondence original object -> restored object, taken over
 *     all slots used in both, is a function (two slots that named one
 *     object still name one object) and injective (two slots that named
 *     different objects still do);
 *   - slot RECAP_PARENT_SLOT names the new parent.
 *
 * Slot 8's label is compared like any other: cr chooses the label of the
 * gate it hands a child as its parent, so a restore keeps it or passes a
 * translation. Roles, service names and details are cr's annotations, not
 * kernel state, and are not compared.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capspace_record.h"

/* A gate label changed on restore. */
struct caps_badge_map {
	uint64_t old_badge;
	uint64_t new_badge;
};

/* Called once per violation with one line (no newline). */
typedef void caps_report_fn(void *arg, char const *msg);

struct caps_check_args {
	struct caps_space const *orig;		/* as checkpointed */
	struct caps_space const *restored;	/* as captured after restore */
	uint64_t new_parent;		/* object id slot 8 must name now */
	struct caps_badge_map const *badges;	/* may be NULL; an old badge
						   listed twice: the first */
	size_t nbadges;
	caps_report_fn *report;		/* may be NULL: just count */
	void *arg;			/* for report */
};

/*
 * Check A and report every violation: first the per-slot ones in slot
 * order, then the correspondence (not a function, then not injective,
 * each ordered by object), then the parent slot. Returns the number of
 * violations, 0 if the spaces are equivalent. Running out of memory is
 * reported (and counted) as a violation: the checker never calls spaces
 * equivalent it could not check.
 */
size_t caps_check(struct caps_check_args const *a);

/*
 * A caps_report_fn collecting lines: ARG is a struct caps_report; each
 * message is appended to text followed by '\n'. If memory runs out, text
 * keeps what fitted and truncated is set.
 */
struct caps_report {
	char *text;			/* malloc'd, NUL-terminated; NULL if empty */
	size_t len;
	size_t cap;
	bool truncated;
};

void caps_report_collect(void *arg, char const *msg);
void caps_report_free(struct caps_report *r);
