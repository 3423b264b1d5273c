/*
 * replace.c — a restore that takes the place of the stopped original
 * (`recap restore --replace`, docs/cr.md "Restoring a server under its
 * clients"): the original's entrypoint gates — its clients' sessions, the
 * objects it handed out, the root cr announced for it — go into core's
 * keeping (PD HOLD_RPC_CAPS) before the original ends, and the restore
 * binds each to the restored thread of the same index (PD ADOPT_RPC_CAP)
 * instead of making a new gate. The kernel holds the gates meanwhile:
 * calls through them wait and go to the restored threads, in order.
 *
 * Invariants: only a stopped child is ended (its threads paused at the
 * checkpoint, no call of a client's taken since: the kernel hands a
 * paused thread no message); its record stays in cr's list, nameless and
 * inert: cr's objects in front of its former sessions stay managed on
 * cr's entrypoint (nobody can call them: the PD that held them is gone),
 * so no pointer into the record dangles.
 */
#include <recap/err.h>
#include <recap/pd_session.h>
#include <recap/string.h>

#include "../intercept/forward.h"
#include "rst.h"

int rst_replace_end(struct rst *r, char const *name)
{
	struct cr_child *old = cr_child_find(r->cr, name);
	struct cr_call call = { .op = RECAP_PD_HOLD_RPC_CAPS };
	struct recap_child *ch;
	int err;

	/* None (any more): a plain restore that adopts what core holds
	 * (a replacing restore that failed before may be tried again). */
	if (!old)
		return RECAP_OK;
	if (!old->stopped)
		return rst_fail(r, RECAP_ERR_DENIED, "%s is running: only a child "
				"stopped by its checkpoint (--stop) can be replaced",
				name);
	err = cr_call_make(r->env, old->child.pd, &call);
	if (err != RECAP_OK)
		return rst_fail(r, err, "%s: core does not hold its gates: %s", name,
				recap_err_str(err));
	/* Its third parties' sessions are the restore's to adopt (cr kept
	 * them at the checkpoint): its end must not close them. */
	ch = &old->child;
	for (unsigned i = 0; i < RECAP_CHILD_SESSIONS_MAX; i++)
		if (ch->sessions[i].via == RECAP_CHILD_VIA_PARENT)
			ch->sessions[i].cap = recap_cap_invalid();
	recap_child_destroy(ch);
	old->name[0] = '\0';
	return RECAP_OK;
}

int rst_replace_adopt(struct rst *r, struct recap_cap ep, recap_badge_t label,
		      struct recap_cap *gate)
{
	struct cr_call call = { .op = RECAP_PD_ADOPT_RPC_CAP, .args = { label },
				.nargs = 1, .narg_caps = 1, .arg_caps = { ep } };
	int err = cr_call_make(r->env, r->c->child.pd, &call);

	if (err == RECAP_OK && call.nret_caps != 1)
		err = RECAP_ERR_INVAL;
	if (err == RECAP_OK)
		*gate = call.ret_caps[0];
	return err;
}
