/*
 * signal.c — core's SIGNAL sessions and their contexts (signal.h).
 *
 * A context is an IRQ core creates with its factory, so core holds it with
 * D: deleting it empties the client's copy too and detaches it from the
 * thread, and no trigger counted but not yet delivered survives it. Core
 * keeps its own capability for triggering (timeouts) and for recognising
 * the context when a client passes it back (FREE_CONTEXT, Timer SIGH).
 *
 * Contexts are found by badge through a small hash table (several services
 * signal by badge, see signal.h) and listed per session, so that closing a
 * session frees its contexts.
 */
#include <stdlib.h>
#include <string.h>

#include <l4/sys/consts.h>
#include <l4/sys/factory.h>
#include <l4/sys/irq.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/sys/task.h>
#include <l4/sys/utcb.h>

#include <recap/err.h>
#include <recap/signal_session.h>

#include "cap_quota.h"
#include "cap_sel.h"
#include "child.h"
#include "cpu.h"
#include "session.h"
#include "signal.h"

#define CONTEXT_BUCKETS 64u		/* a power of two */

struct signal_session;

struct signal_context {
	recap_badge_t badge;		/* its name in messages; never reused */
	l4_cap_idx_t irq;		/* core's capability, with D */
	struct signal_session *session;
	struct signal_context *next;	/* the session's contexts */
	struct signal_context *chain;	/* the hash bucket's */
};

struct signal_session {
	struct session s;
	struct signal_context *contexts;
	unsigned ncontexts;
};

static struct signal_context *table[CONTEXT_BUCKETS];

static unsigned bucket(recap_badge_t badge)
{
	return (unsigned)(badge / RECAP_BADGE_STEP) & (CONTEXT_BUCKETS - 1);
}

static struct signal_context *context_find(recap_badge_t badge)
{
	for (struct signal_context *x = table[bucket(badge)]; x; x = x->chain)
		if (x->badge == badge)
			return x;
	return NULL;
}

static void context_free(struct signal_context *x)
{
	struct signal_context **p = &table[bucket(x->badge)];

	while (*p && *p != x)
		p = &(*p)->chain;
	if (*p)
		*p = x->chain;
	for (p = &x->session->contexts; *p && *p != x; p = &(*p)->next)
		;
	if (*p)
		*p = x->next;
	x->session->ncontexts--;
	cap_quota_release(x->session->s.client, CAP_QUOTA_ONE);
	l4_task_delete_obj(L4_BASE_TASK_CAP, x->irq);
	cap_sel_free(x->irq);
	free(x);
}

/* ALLOC_CONTEXT: the arguments are read; make the IRQ, bind, record. */
static int context_alloc(struct signal_session *ss, l4_umword_t thread_index,
			 l4_umword_t label, recap_badge_t wish,
			 struct signal_context **out)
{
	l4_cap_idx_t thread = cpu_thread_kcap(ss->s.client, thread_index);
	struct signal_context *x;
	long err;

	if (label == 0)
		return RECAP_ERR_INVAL;
	/* A restored context keeps its badge where it is free. */
	if (wish && context_find(wish))
		return RECAP_ERR_EXIST;
	if (wish && (err = rpc_badge_grant(wish)) != RECAP_OK)
		return (int)err;
	if (!l4_is_valid_cap(thread))
		return RECAP_ERR_NOENT;
	if (ss->ncontexts >= RECAP_SIGNAL_CONTEXTS_MAX)
		return RECAP_ERR_RANGE;
	if ((err = cap_quota_charge(ss->s.client, CAP_QUOTA_ONE, "a signal context")))
		return (int)err;
	x = calloc(1, sizeof(*x));
	if (!x) {
		cap_quota_release(ss->s.client, CAP_QUOTA_ONE);
		return RECAP_ERR_NOMEM;
	}
	x->irq = cap_sel_alloc();
	if (!l4_is_valid_cap(x->irq)) {
		cap_quota_release(ss->s.client, CAP_QUOTA_ONE);
		free(x);
		return RECAP_ERR_NOMEM;
	}
	err = l4_error(l4_factory_create_irq(L4_BASE_FACTORY_CAP, x->irq));
	if (err >= 0)
		err = l4_error(l4_rcv_ep_bind_thread(x->irq, thread, label));
	if (err < 0) {
		l4_task_delete_obj(L4_BASE_TASK_CAP, x->irq);
		cap_sel_free(x->irq);
		cap_quota_release(ss->s.client, CAP_QUOTA_ONE);
		free(x);
		return (int)err;
	}
	x->badge = wish ? wish : rpc_badge_alloc();
	x->session = ss;
	x->next = ss->contexts;
	ss->contexts = x;
	ss->ncontexts++;
	x->chain = table[bucket(x->badge)];
	table[bucket(x->badge)] = x;
	*out = x;
	return RECAP_OK;
}

static int signal_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct signal_session *ss =
		core_container_of(obj, struct signal_session, s.obj);
	struct signal_context *x = NULL;
	struct recap_cap cap;
	l4_umword_t thread, label;
	recap_badge_t badge;
	int err;

	switch (req->op) {
	case RECAP_SIGNAL_ALLOC_CONTEXT:
		thread = rpc_msg_get_word(&req->msg);
		label = rpc_msg_get_word(&req->msg);
		badge = rpc_msg_get_word_or(&req->msg, 0);
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		err = context_alloc(ss, thread, label, badge, &x);
		if (err != RECAP_OK)
			return err;
		cap = (struct recap_cap){ .badge = x->badge, .sel = x->irq };
		rpc_reply_start(req, &cap, 1);
		return RECAP_OK;
	case RECAP_SIGNAL_FREE_CONTEXT:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		badge = signal_request_context(req, 0);
		x = badge ? context_find(badge) : NULL;
		if (!x || x->session != ss)
			return RECAP_ERR_INVAL;
		context_free(x);
		return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

static void signal_destroy(struct session *s)
{
	struct signal_session *ss = core_container_of(s, struct signal_session, s);

	while (ss->contexts)
		context_free(ss->contexts);
	rpc_object_detach(&ss->s.obj);
	free(ss);
}

int signal_session_open(struct child *client, struct recap_cap *cap)
{
	struct signal_session *ss = calloc(1, sizeof(*ss));
	int err;

	if (!ss)
		return RECAP_ERR_NOMEM;
	err = rpc_object_attach(&ss->s.obj, RPC_OBJECT_RPC, signal_dispatch);
	if (err != RECAP_OK) {
		free(ss);
		return err;
	}
	ss->s.destroy = signal_destroy;
	session_add(client, &ss->s);
	*cap = rpc_object_cap(&ss->s.obj);
	return RECAP_OK;
}

recap_badge_t signal_request_context(struct rpc_request *req, unsigned i)
{
	struct signal_context *x;

	if (i >= req->msg.ncaps || !recap_cap_valid(req->msg.caps[i]))
		return 0;
	x = context_find(req->msg.caps[i].badge);
	if (x)	/* a live context's badge on another object: a forgery */
		return rpc_request_cap_is(req, i, x->irq) ? x->badge : 0;
	/* A badge no context has: a restored component may name a context
	 * by the badge it knew before; believe the kernel's identity of
	 * what arrived. */
	for (unsigned b = 0; b < CONTEXT_BUCKETS; b++)
		for (x = table[b]; x; x = x->chain)
			if (rpc_request_cap_is(req, i, x->irq))
				return x->badge;
	return 0;
}

bool signal_submit(recap_badge_t badge)
{
	struct signal_context *x = context_find(badge);

	/* A trigger sends no words: the registers stay as they are. */
	if (x)
		l4_irq_trigger(x->irq);
	return x != NULL;
}
