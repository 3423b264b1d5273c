/*
 * pd_session.c — core's PD service (pd_session.h; protocol:
 * recap/pd_session.h), Genode's Rpc_cap_factory on Fiasco.OC: an RPC
 * object of a component is an IPC gate core creates, bound to the thread
 * of the entrypoint that serves it, labelled with a badge from core's one
 * badge counter (rpc_badge_alloc: unique among everything core names).
 *
 * The entrypoint argument is trusted only as a capability: its label, as
 * the kernel reports it (not the badge the client claims: a restored
 * child may remember an old one), merely says which of the client's
 * threads to compare with, and the capability that arrived must be that
 * thread's very gate (rpc_request_cap_is, l4_task_cap_equal against
 * core's copy). A gate of
 * another PD's thread, an RPC object's gate or any of core's objects under
 * a thread's badge is refused.
 *
 * A client may wish for a badge (a restored child's gates keep their
 * labels): granted if core hands such badges out at all, none of core's
 * live objects has it (rpc_badge_grant), no thread gate of the PD has it
 * and no gate of this session bound to the same thread has it (the
 * entrypoint would not know which object a call is for). Another PD's gate with the same label does not matter:
 * it is not core's object, and nobody believes a label without
 * l4_task_cap_equal. So FREE_RPC_CAP finds the gate by capability, not by
 * badge.
 *
 * Core keeps every gate it made with D, so freeing one (or closing the
 * session, or the client's end) deletes it: all copies, in every PD,
 * empty at once, and a client still holding one gets an IPC error.
 *
 * Replacing a component by its restore (docs/cr.md, "Restoring a server
 * under its clients"): HOLD_RPC_CAPS moves every gate of a sub-child's
 * session into the keeping of its owner (the held list, charged to the
 * owner) and has the kernel hold it, so that it survives the PD and its
 * callers wait on it; ADOPT_RPC_CAP moves a held gate of the same owner
 * into the session of the owner's next sub-child, bound to one of its
 * threads — the very gate, so every client's copy works on. Held gates
 * nobody adopts go when their owner ends (pd_held_release).
 */
#include <stdlib.h>

#include <l4/sys/factory.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/sys/task.h>
#include <l4/sys/x.h>

#include <recap/err.h>
#include <recap/native_pd.h>
#include <recap/pd_session.h>

#include "cap_quota.h"
#include "cap_sel.h"
#include "child.h"
#include "cpu.h"
#include "diag.h"
#include "native_pd.h"
#include "pd_session.h"
#include "rm_session.h"
#include "session.h"

struct pd_rpc_cap {
	recap_badge_t badge;		/* the gate's label */
	l4_cap_idx_t gate;		/* core's selector, holding D */
	l4_cap_idx_t thread;		/* core's selector of the thread it is bound to */
	struct child *client;		/* whose cap quota it is charged to */
	struct pd_rpc_cap *next;
};

/* Gates held for their owner (HOLD_RPC_CAPS), until adopted or it ends. */
static struct pd_rpc_cap *held;

struct pd_session {
	struct session s;
	struct pd_rpc_cap *caps;	/* the gates this session made */
	unsigned ncaps;
	struct session *address_space;	/* ADDRESS_SPACE's RM session, once asked */
};

/*
 * ADDRESS_SPACE: an RM session on the PD's address space (Genode's
 * Pd_session::address_space()), made on first use, the same capability
 * every time, gone with the PD session. One capability of the quota.
 */
static int op_address_space(struct pd_session *ps, struct rpc_request *req)
{
	struct recap_cap cap;
	int err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
		return RECAP_ERR_INVAL;
	if (!ps->address_space) {
		err = cap_quota_charge(ps->s.client, CAP_QUOTA_ONE, "an address space");
		if (err != RECAP_OK)
			return err;
		err = rm_session_create_owned(ps->s.client, &ps->address_space);
		if (err != RECAP_OK) {
			cap_quota_release(ps->s.client, CAP_QUOTA_ONE);
			return err;
		}
	}
	cap = rpc_object_cap(&ps->address_space->obj);
	rpc_reply_start(req, &cap, 1);
	return RECAP_OK;
}

static void rpc_cap_free(struct pd_rpc_cap *rc)
{
	l4_task_delete_obj(L4_BASE_TASK_CAP, rc->gate);
	cap_sel_free(rc->gate);
	cap_quota_release(rc->client, CAP_QUOTA_ONE);
	free(rc);
}

/*
 * May a gate bound to thread be labelled the wished badge? See the head
 * comment; not a thread gate's of the PD either, which ALLOC_RPC_CAP
 * finds entrypoints by. RECAP_OK, RECAP_ERR_EXIST or RECAP_ERR_INVAL (a
 * badge core never hands out).
 */
static int wish_check(struct pd_session *ps, l4_cap_idx_t thread,
		      recap_badge_t wish)
{
	l4_cap_idx_t t, g;

	if (cpu_thread_by_gate(ps->s.client, wish, &t, &g))
		return RECAP_ERR_EXIST;
	for (struct pd_rpc_cap *rc = ps->caps; rc; rc = rc->next)
		if (rc->badge == wish && rc->thread == thread)
			return RECAP_ERR_EXIST;
	return rpc_badge_grant(wish);
}

/* rc is ps's now: the reply carries its gate under its badge. */
static int rpc_cap_hand_out(struct pd_session *ps, struct pd_rpc_cap *rc,
			    struct rpc_request *req)
{
	struct recap_cap cap = { .badge = rc->badge, .sel = rc->gate };

	rc->next = ps->caps;
	ps->caps = rc;
	ps->ncaps++;
	rpc_reply_start(req, &cap, 1);
	return RECAP_OK;
}

static int op_alloc_rpc_cap(struct pd_session *ps, struct rpc_request *req)
{
	struct child *c = ps->s.client;
	l4_cap_idx_t thread, gate;
	struct pd_rpc_cap *rc;
	recap_badge_t wish = rpc_msg_get_word_or(&req->msg, 0);
	recap_badge_t label;
	long err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1 ||
	    !recap_cap_valid(req->msg.caps[0]))
		return RECAP_ERR_INVAL;
	label = rpc_request_label(req, 0);
	if (!cpu_thread_by_gate(c, label, &thread, &gate))
		return RECAP_ERR_NOENT;
	if (!rpc_request_cap_is(req, 0, gate))
		return RECAP_ERR_DENIED;
	if (ps->ncaps >= RECAP_PD_RPC_CAPS_MAX)
		return RECAP_ERR_NOMEM;
	if (wish && (err = wish_check(ps, thread, wish)))
		return (int)err;
	rc = calloc(1, sizeof(*rc));
	if (!rc)
		return RECAP_ERR_NOMEM;
	if ((err = cap_quota_charge(c, CAP_QUOTA_ONE, "an RPC object")) != RECAP_OK) {
		free(rc);
		return (int)err;
	}
	rc->client = c;
	rc->thread = thread;
	rc->gate = cap_sel_alloc();
	if (!l4_is_valid_cap(rc->gate)) {
		cap_quota_release(c, CAP_QUOTA_ONE);
		free(rc);
		return RECAP_ERR_NOMEM;
	}
	rc->badge = wish ? wish : rpc_badge_alloc();
	err = l4_error(l4_factory_create_gate(L4_BASE_FACTORY_CAP, rc->gate, thread,
					      rc->badge));
	if (err < 0) {
		diag("%s: creating an RPC object's gate failed (%ld)", c->name, err);
		cap_sel_free(rc->gate);
		cap_quota_release(c, CAP_QUOTA_ONE);
		free(rc);
		return err > -4096 ? (int)err : RECAP_ERR_NOMEM;
	}
	return rpc_cap_hand_out(ps, rc, req);
}

static int op_free_rpc_cap(struct pd_session *ps, struct rpc_request *req)
{
	struct pd_rpc_cap **p = &ps->caps, *rc;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	if (!recap_cap_valid(req->msg.caps[0]))
		return RECAP_ERR_NOENT;		/* a dead capability: freed already */
	/* By capability: two of the session's gates (bound to different
	 * threads) may have one badge, and the claimed badge proves nothing. */
	while (*p && !rpc_request_cap_is(req, 0, (*p)->gate))
		p = &(*p)->next;
	rc = *p;
	if (!rc)
		return RECAP_ERR_NOENT;
	*p = rc->next;
	ps->ncaps--;
	rpc_cap_free(rc);
	return RECAP_OK;
}

/*
 * HOLD_RPC_CAPS: every gate of the session into the keeping of the
 * client's owner (only a sub-child's session: someone must be able to
 * adopt them), held by the kernel. One capability of the owner's quota
 * each, the client's given back; stops at the first the owner cannot pay
 * for (RECAP_ERR_NOMEM; those moved stay held).
 */
static int op_hold_rpc_caps(struct pd_session *ps, struct rpc_request *req)
{
	struct child *keeper = ps->s.client->owner;
	int err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
		return RECAP_ERR_INVAL;
	if (!keeper)
		return RECAP_ERR_DENIED;
	while (ps->caps) {
		struct pd_rpc_cap *rc = ps->caps;

		err = cap_quota_charge(keeper, CAP_QUOTA_ONE, "a held RPC object");
		if (err != RECAP_OK)
			return err;
		l4x_ipc_gate_hold(rc->gate, 1);
		cap_quota_release(rc->client, CAP_QUOTA_ONE);
		rc->client = keeper;
		ps->caps = rc->next;
		ps->ncaps--;
		rc->next = held;
		held = rc;
	}
	return RECAP_OK;
}

/*
 * ADOPT_RPC_CAP: the gate the client's owner holds under the badge,
 * bound to the entrypoint (checked as for ALLOC_RPC_CAP), this session's
 * from now on; the kernel hands it the calls that waited on the gate.
 */
static int op_adopt_rpc_cap(struct pd_session *ps, struct rpc_request *req)
{
	struct child *c = ps->s.client;
	recap_badge_t badge = rpc_msg_get_word_or(&req->msg, 0);
	struct pd_rpc_cap **p = &held, *rc;
	l4_cap_idx_t thread, gate, other;
	long err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1 ||
	    !recap_cap_valid(req->msg.caps[0]) || !badge)
		return RECAP_ERR_INVAL;
	if (!cpu_thread_by_gate(c, rpc_request_label(req, 0), &thread, &gate))
		return RECAP_ERR_NOENT;
	if (!rpc_request_cap_is(req, 0, gate))
		return RECAP_ERR_DENIED;
	while (*p && !((*p)->client == c->owner && (*p)->badge == badge))
		p = &(*p)->next;
	rc = *p;
	if (!c->owner || !rc)
		return RECAP_ERR_NOENT;
	if (ps->ncaps >= RECAP_PD_RPC_CAPS_MAX)
		return RECAP_ERR_NOMEM;
	if (cpu_thread_by_gate(c, badge, &other, &gate))
		return RECAP_ERR_EXIST;
	for (struct pd_rpc_cap *o = ps->caps; o; o = o->next)
		if (o->badge == badge && o->thread == thread)
			return RECAP_ERR_EXIST;
	if ((err = cap_quota_charge(c, CAP_QUOTA_ONE, "an RPC object")) != RECAP_OK)
		return (int)err;
	err = l4_error(l4_rcv_ep_bind_thread(rc->gate, thread, rc->badge));
	if (err < 0) {
		diag("%s: binding a held gate failed (%ld)", c->name, err);
		cap_quota_release(c, CAP_QUOTA_ONE);
		return RECAP_ERR_NOMEM;
	}
	l4x_ipc_gate_hold(rc->gate, 0);
	*p = rc->next;
	cap_quota_release(rc->client, CAP_QUOTA_ONE);
	rc->client = c;
	rc->thread = thread;
	return rpc_cap_hand_out(ps, rc, req);
}

void pd_held_release(struct child *keeper)
{
	struct pd_rpc_cap **p = &held;

	while (*p) {
		struct pd_rpc_cap *rc = *p;

		if (rc->client != keeper) {
			p = &rc->next;
			continue;
		}
		*p = rc->next;
		rpc_cap_free(rc);
	}
}

static int pd_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct pd_session *ps = core_container_of(obj, struct pd_session, s.obj);

	switch (req->op) {
	case RECAP_PD_ALLOC_RPC_CAP:
		return op_alloc_rpc_cap(ps, req);
	case RECAP_PD_FREE_RPC_CAP:
		return op_free_rpc_cap(ps, req);
	case RECAP_PD_ADDRESS_SPACE:
		return op_address_space(ps, req);
	case RECAP_PD_HOLD_RPC_CAPS:
		return op_hold_rpc_caps(ps, req);
	case RECAP_PD_ADOPT_RPC_CAP:
		return op_adopt_rpc_cap(ps, req);
	}
	if (native_pd_op(req->op))
		return native_pd_dispatch(ps->s.client, req);
	return RECAP_ERR_INVAL;
}

static void pd_session_destroy(struct session *s)
{
	struct pd_session *ps = core_container_of(s, struct pd_session, s);

	while (ps->caps) {
		struct pd_rpc_cap *rc = ps->caps;

		ps->caps = rc->next;
		rpc_cap_free(rc);
	}
	if (ps->address_space) {
		ps->address_space->destroy(ps->address_space);
		cap_quota_release(ps->s.client, CAP_QUOTA_ONE);
	}
	rpc_object_detach(&ps->s.obj);
	free(ps);
}

int pd_session_open(struct child *client, struct recap_cap *cap)
{
	struct pd_session *ps = calloc(1, sizeof(*ps));
	int err;

	if (!ps)
		return RECAP_ERR_NOMEM;
	err = rpc_object_attach(&ps->s.obj, RPC_OBJECT_RPC, pd_dispatch);
	if (err != RECAP_OK) {
		free(ps);
		return err;
	}
	ps->s.destroy = pd_session_destroy;
	session_add(client, &ps->s);
	*cap = rpc_object_cap(&ps->s.obj);
	return RECAP_OK;
}
