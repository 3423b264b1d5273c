/*
 * child_pd.c — PD handles (child_pd.h; protocol: recap/child_pd.h).
 *
 * Everything a handle opens is an ordinary session of core's whose client
 * is the child (parent_core_session with client = the child): the child's
 * threads, address space, RAM and signal contexts are its own at core,
 * named by its own struct child, exactly as a component core started from
 * the scenario. Only the way in differs: the parent asks, not the child,
 * so a parent that forwards, serves or virtualises those sessions (cr)
 * sees each of them.
 *
 * Invariants: a handle names one child from its SESSION to its close; the
 * child's record lives exactly as long as the handle; the quotas the
 * child got are the parent's until the handle closes.
 */
#include <stdlib.h>
#include <string.h>

#include <recap/child_pd.h>
#include <recap/err.h>
#include <recap/parent.h>
#include <recap/rpc_wire.h>
#include <recap/session_args.h>

#include "cap_quota.h"
#include "child.h"
#include "child_pd.h"
#include "log.h"
#include "parent.h"
#include "session.h"
#include "signal.h"

struct child_pd {
	struct session s;	/* the owner's session */
	struct child *child;	/* the PD it names */
};

/* A quota argument: decimal or 0x hex digits; 0 if absent. */
static int quota_arg(char const *args, char const *key, unsigned long *v)
{
	char buf[24], *end;
	int err = session_args_get(args, key, buf, sizeof(buf));

	*v = 0;
	if (err == RECAP_ERR_NOENT)
		return RECAP_OK;
	if (err != RECAP_OK || buf[0] < '0' || buf[0] > '9')
		return RECAP_ERR_INVAL;
	*v = strtoul(buf, &end, 0);
	return *end ? RECAP_ERR_INVAL : RECAP_OK;
}

/* SESSION: a session of core's for the child. */
static int op_session(struct child_pd *h, struct rpc_request *req)
{
	struct parent_session_request r;
	struct child *c = h->child;
	struct recap_cap cap;
	int err = parent_session_read(c, req, &r);

	if (err != RECAP_OK)
		return err;
	if (!c->running)
		return RECAP_ERR_NOENT;
	/* Charged to the child, as a session it asked core for itself. */
	err = cap_quota_charge(c, CAP_QUOTA_ONE, "a session");
	if (err != RECAP_OK)
		return err;
	err = parent_core_session(c, r.service, r.label, r.asked, r.args, &cap);
	if (err != RECAP_OK) {
		cap_quota_release(c, CAP_QUOTA_ONE);
		return err;
	}
	rpc_reply_start(req, &cap, 1);
	return RECAP_OK;
}

static int child_pd_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct child_pd *h = core_container_of(obj, struct child_pd, s.obj);
	struct rpc_object *o;
	struct session *s;
	recap_badge_t badge;

	switch (req->op) {
	case RECAP_CHILD_PD_SESSION:
		return op_session(h, req);
	case RECAP_CHILD_PD_CLOSE:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		o = rpc_request_object(req, 0);
		s = o ? session_find(h->child, o) : NULL;
		if (!s)
			return RECAP_ERR_NOENT;
		session_close(s);
		return RECAP_OK;
	case RECAP_CHILD_PD_SIGH:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		if (!recap_cap_valid(req->msg.caps[0])) {
			h->child->end_sigh = 0;
			return RECAP_OK;
		}
		badge = signal_request_context(req, 0);
		if (!badge)
			return RECAP_ERR_INVAL;
		h->child->end_sigh = badge;
		return RECAP_OK;
	case RECAP_CHILD_PD_STATE:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, h->child->running);
		rpc_msg_put_word(&req->msg, (l4_umword_t)h->child->exit_code);
		return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

static void child_pd_destroy(struct session *s)
{
	struct child_pd *h = core_container_of(s, struct child_pd, s);

	child_destroy_empty(h->child);
	rpc_object_detach(&h->s.obj);
	free(h);
}

int child_pd_open(struct child *owner, char const *label, char const *asked,
		  char const *args, struct recap_cap *cap)
{
	unsigned long ram, caps;
	struct child_pd *h;
	int err;

	if (!asked[0])
		return RECAP_ERR_INVAL;		/* a child needs a name */
	if (child_find(label))
		return RECAP_ERR_EXIST;
	if ((err = quota_arg(args, "ram_quota", &ram)) != RECAP_OK ||
	    (err = quota_arg(args, "cap_quota", &caps)) != RECAP_OK)
		return err;
	if (ram > owner->ram.quota - owner->ram.used)
		return RECAP_ERR_NOMEM;
	h = calloc(1, sizeof(*h));
	if (!h)
		return RECAP_ERR_NOMEM;
	err = child_create_empty(owner, label, ram, 0, &h->child);
	if (err != RECAP_OK) {
		free(h);
		return err;
	}
	err = cap_quota_transfer(&owner->caps, &h->child->caps, caps);
	if (err == RECAP_OK) {
		h->child->caps_lent = caps;
		owner->ram.quota -= ram;
		h->child->ram_lent = ram;
		err = rpc_object_attach(&h->s.obj, RPC_OBJECT_RPC, child_pd_dispatch);
	}
	if (err != RECAP_OK) {
		child_destroy_empty(h->child);
		free(h);
		return err;
	}
	h->s.destroy = child_pd_destroy;
	session_add(owner, &h->s);
	*cap = rpc_object_cap(&h->s.obj);
	return RECAP_OK;
}
