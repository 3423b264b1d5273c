/*
 * rpc_server — a component that provides a service: it announces "Hello"
 * (hello.h) to its parent with a root object (recap/root.h), and serves
 * each session on its main entrypoint. Capabilities go both ways: a client
 * hands it a callback it calls, and it hands out counters of its own.
 *
 * The root's handlers run while core waits for them, so they call nobody
 * (recap/root.h): a session object is made beforehand (one spare, always
 * managed), and everything that needs core — making the next spare,
 * logging a session's opening, dissolving a closed session — is left to
 * the "reaper" signal, which the handlers submit to this component itself (an IRQ
 * trigger: no call). The signal runs on the main entrypoint once the
 * handler has answered.
 *
 * Config: sessions="N" — exit after N sessions were closed (0, default:
 * serve for ever).
 */
#include <recap/config.h>
#include <recap/entrypoint.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/root.h>
#include <recap/rpc.h>
#include <recap/rpc_server.h>
#include <recap/signal.h>
#include <recap/string.h>

#include "hello.h"

#define SESSIONS_MAX 4
#define COUNTERS_MAX 8

enum session_state {
	SESSION_FREE,		/* not managed */
	SESSION_SPARE,		/* managed, waiting for a client */
	SESSION_OPEN,
	SESSION_CLOSED,		/* closed by the root, not yet dissolved */
};

struct counter {
	struct recap_rpc_object obj;
	unsigned long value;
};

struct hello_session {
	struct recap_rpc_object obj;
	enum session_state state;
	bool greeted;			/* the reaper logged its opening */
	char label[RECAP_ROOT_LABEL_MAX + 1];
	struct recap_cap callback;	/* the client's, or invalid */
	struct counter counters[COUNTERS_MAX];
	unsigned ncounters;
};

static struct recap_env *env;
static struct recap_root root;
static struct hello_session sessions[SESSIONS_MAX];
static struct recap_signal_context reaper;
static unsigned long closes, closes_max;

/* ---- a counter ------------------------------------------------------------- */

static int counter_dispatch(struct recap_rpc_object *obj,
			    struct recap_rpc_request *req)
{
	struct counter *c = RECAP_CONTAINER_OF(obj, struct counter, obj);

	if (req->op != HELLO_COUNTER_INC || rpc_msg_end(&req->msg) != RECAP_OK ||
	    req->msg.ncaps)
		return RECAP_ERR_INVAL;
	recap_rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, ++c->value);
	return RECAP_OK;
}

/* ---- a session ------------------------------------------------------------- */

/* SQUARE n on the stored callback; the error, the answer in *out. */
static int call_callback(struct hello_session *s, l4_umword_t n,
			 l4_umword_t *out)
{
	struct rpc_msg m;
	int err;

	*out = 0;
	if (!recap_cap_valid(s->callback))
		return RECAP_ERR_NOENT;
	recap_rpc_begin(&m, s->callback, HELLO_CALLBACK_SQUARE, NULL, 0);
	rpc_msg_put_word(&m, n);
	err = recap_rpc_call(env, s->callback, &m);
	if (err != RECAP_OK)
		return err;
	*out = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}

static int op_store(struct hello_session *s, struct recap_rpc_request *req)
{
	struct recap_cap cb;
	l4_umword_t sq;
	int err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	err = recap_rpc_request_cap(req, 0, &cb);
	if (err != RECAP_OK)
		return err;
	if (recap_cap_valid(s->callback) && s->callback.badge != cb.badge)
		recap_cap_forget(env, s->callback);
	s->callback = cb;
	err = call_callback(s, 7, &sq);
	if (err != RECAP_OK)
		return err;
	recap_log(env, "rpc_server: stored a callback; it says 7 * 7 = %lu",
		  (unsigned long)sq);
	recap_rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, sq);
	return RECAP_OK;
}

static int op_make_counter(struct hello_session *s,
			   struct recap_rpc_request *req)
{
	struct counter *c;
	int err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
		return RECAP_ERR_INVAL;
	if (s->ncounters >= COUNTERS_MAX)
		return RECAP_ERR_NOMEM;
	c = &s->counters[s->ncounters];
	c->value = 0;
	err = recap_ep_manage(env->ep, &c->obj, counter_dispatch);
	if (err != RECAP_OK)
		return err;
	s->ncounters++;
	recap_log(env, "rpc_server: made counter %u", s->ncounters);
	recap_rpc_reply_start(req, &c->obj.cap, 1);
	return RECAP_OK;
}

static int op_identify(struct hello_session *s, struct recap_rpc_request *req)
{
	struct recap_rpc_object *obj;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	/* Believed only if the capability is really one of ours. */
	obj = recap_rpc_request_object(env->ep, req, 0);
	for (unsigned i = 0; obj && i < s->ncounters; i++) {
		if (obj != &s->counters[i].obj)
			continue;
		recap_rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, i + 1);
		return RECAP_OK;
	}
	return RECAP_ERR_DENIED;
}

static int session_dispatch(struct recap_rpc_object *obj,
			    struct recap_rpc_request *req)
{
	struct hello_session *s = RECAP_CONTAINER_OF(obj, struct hello_session, obj);
	l4_umword_t a, b;
	int err;

	if (s->state != SESSION_OPEN)
		return RECAP_ERR_DENIED;
	switch (req->op) {
	case HELLO_ADD:
		a = rpc_msg_get_word(&req->msg);
		b = rpc_msg_get_word(&req->msg);
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		recap_rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, a + b);
		return RECAP_OK;
	case HELLO_LABEL:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		recap_rpc_reply_start(req, NULL, 0);
		rpc_msg_put_string(&req->msg, s->label,
				   RECAP_STRING_NAME(strlen)(s->label));
		return RECAP_OK;
	case HELLO_STORE:
		return op_store(s, req);
	case HELLO_CALL_STORED:
		a = rpc_msg_get_word(&req->msg);
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		err = call_callback(s, a, &b);
		if (err != RECAP_OK)
			return err;
		recap_rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, b);
		return RECAP_OK;
	case HELLO_MAKE_COUNTER:
		return op_make_counter(s, req);
	case HELLO_IDENTIFY:
		return op_identify(s, req);
	}
	return RECAP_ERR_INVAL;
}

/* ---- the root: runs while core waits, so it calls nobody -------------------- */

static int root_session(struct recap_root *r, char const *label,
			char const *args, struct recap_cap *cap)
{
	(void)r;
	(void)args;
	for (unsigned i = 0; i < SESSIONS_MAX; i++) {
		struct hello_session *s = &sessions[i];

		if (s->state != SESSION_SPARE)
			continue;
		s->state = SESSION_OPEN;
		s->greeted = false;
		RECAP_STRING_NAME(strlcpy)(s->label, label, sizeof(s->label));
		*cap = s->obj.cap;
		recap_signal_submit(recap_signal_context_cap(&reaper));
		return RECAP_OK;
	}
	/* The reaper makes the next spare, unless all are in use. */
	return RECAP_ERR_AGAIN;
}

static void root_close(struct recap_root *r, struct recap_rpc_object *obj)
{
	(void)r;
	for (unsigned i = 0; i < SESSIONS_MAX; i++) {
		if (obj != &sessions[i].obj || sessions[i].state != SESSION_OPEN)
			continue;
		sessions[i].state = SESSION_CLOSED;
		recap_signal_submit(recap_signal_context_cap(&reaper));
	}
}

/* ---- the reaper: what the root could not do --------------------------------- */

static void reap(struct hello_session *s)
{
	for (unsigned i = 0; i < s->ncounters; i++)
		recap_ep_dissolve(env->ep, &s->counters[i].obj);
	s->ncounters = 0;
	recap_ep_dissolve(env->ep, &s->obj);
	if (recap_cap_valid(s->callback))
		recap_cap_forget(env, s->callback);
	s->callback = recap_cap_invalid();
	s->state = SESSION_FREE;
	recap_log(env, "rpc_server: session \"%s\" closed", s->label);
	closes++;
}

/* One spare managed, if a slot is free. */
static int make_spare(void)
{
	struct hello_session *free_one = 0;
	int err;

	for (unsigned i = 0; i < SESSIONS_MAX; i++) {
		if (sessions[i].state == SESSION_SPARE)
			return RECAP_OK;
		if (sessions[i].state == SESSION_FREE && !free_one)
			free_one = &sessions[i];
	}
	if (!free_one)
		return RECAP_OK;	/* all in use: the root says AGAIN */
	err = recap_ep_manage(env->ep, &free_one->obj, session_dispatch);
	if (err == RECAP_OK)
		free_one->state = SESSION_SPARE;
	return err;
}

static void on_reaper(void *arg)
{
	int err;

	(void)arg;
	for (unsigned i = 0; i < SESSIONS_MAX; i++) {
		struct hello_session *s = &sessions[i];

		if ((s->state == SESSION_OPEN || s->state == SESSION_CLOSED) &&
		    !s->greeted) {
			s->greeted = true;
			recap_log(env, "rpc_server: session \"%s\" opened", s->label);
		}
		if (s->state == SESSION_CLOSED)
			reap(s);
	}
	if (closes_max && closes >= closes_max) {
		recap_log(env, "rpc_server: served %lu session(s), exiting", closes);
		recap_parent_exit(env, 0);
	}
	err = make_spare();
	if (err != RECAP_OK)
		recap_log(env, "rpc_server: no spare session: %s",
			  recap_err_str(err));
}

void component_construct(struct recap_env *e)
{
	int err;

	env = e;
	closes_max = recap_config_ulong(env, "sessions", 0);
	for (unsigned i = 0; i < SESSIONS_MAX; i++)
		sessions[i].callback = recap_cap_invalid();
	if ((err = recap_signal_context_create(env, &reaper, on_reaper, NULL)) ||
	    (err = make_spare()) ||
	    (err = recap_root_manage(env->ep, &root, root_session, root_close,
				     NULL))) {
		recap_log(env, "rpc_server: setup: %s", recap_err_str(err));
		recap_parent_exit(env, 1);
	}
	/* Last: from here on, core may call the root at any time. */
	err = recap_parent_announce(env, HELLO_SERVICE, root.obj.cap);
	if (err != RECAP_OK) {
		recap_log(env, "rpc_server: announce: %s", recap_err_str(err));
		recap_parent_exit(env, 1);
	}
	recap_log(env, "rpc_server: announced \"%s\"", HELLO_SERVICE);
}
