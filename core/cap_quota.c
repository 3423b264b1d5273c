/*
 * cap_quota.c — capability accounts (cap_quota.h).
 *
 * Kept apart from the services so that the rule is in one place: a
 * service calls cap_quota_charge() before it creates an object for a
 * child and cap_quota_release() when it destroys it; refusing is this
 * file's business, and so is saying why.
 */
#include <recap/err.h>

#include "cap_quota.h"
#include "child.h"
#include "diag.h"

int cap_quota_charge(struct child *c, unsigned long n, char const *what)
{
	struct cap_account *a = &c->caps;

	if (n > a->quota - a->used) {
		diag("%s: capability quota exhausted: %s needs %lu, %lu of caps=%lu "
		     "used", c->name, what, n, a->used, a->quota);
		return RECAP_ERR_QUOTA;
	}
	a->used += n;
	return RECAP_OK;
}

void cap_quota_release(struct child *c, unsigned long n)
{
	struct cap_account *a = &c->caps;

	/* Never below zero, even if a caller's books were wrong. */
	a->used = n > a->used ? 0 : a->used - n;
}

int cap_quota_transfer(struct cap_account *from, struct cap_account *to,
		       unsigned long n)
{
	if (n > from->quota - from->used || n > ~0UL - to->quota)
		return RECAP_ERR_QUOTA;
	from->quota -= n;
	to->quota += n;
	return RECAP_OK;
}
