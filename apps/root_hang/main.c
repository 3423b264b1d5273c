/*
 * root_hang — a hostile or broken server, for the error cases of services
 * provided by components (tests/scenarios/service_errors.xml). Config
 * mode=
 *
 *   silent  provides "Hello" in the scenario but never announces it
 *   hang    announces a root on an entrypoint thread of its own that
 *           takes core's call and never answers
 *   nocap   announces a root that answers SESSION with success but no
 *           capability
 *   forged  announces a root that answers SESSION with a capability to
 *           one of its objects under a badge that is not that object's
 *   abuse   sends core malformed ANNOUNCEs (no capability, core's own
 *           parent object as the root, a signal context that is no gate,
 *           a name with a control character), a re-announcement, and a
 *           CLOSE of a session core never gave, printing each answer
 *
 * and, in every mode but abuse (which exits when done), exits exit_ms (default 5000) milliseconds after it
 * started, on a Timer signal to its main entrypoint (which the hanging
 * root, on its own thread, leaves free).
 */
#include <l4/sys/ipc.h>

#include <recap/config.h>
#include <recap/entrypoint.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent.h>
#include <recap/parent_client.h>
#include <recap/root.h>
#include <recap/rpc.h>
#include <recap/rpc_server.h>
#include <recap/signal.h>
#include <recap/string.h>
#include <recap/timer.h>

#define MODE_MAX 16

static struct recap_env *env;
static struct recap_entrypoint ep2;
static struct recap_rpc_object root, other;
static struct recap_signal_context bye;
static char mode[MODE_MAX];

static int other_dispatch(struct recap_rpc_object *obj,
			  struct recap_rpc_request *req)
{
	(void)obj;
	(void)req;
	return RECAP_ERR_INVAL;
}

/* Not recap/root.h's checked root: answers it should never give. */
static int root_dispatch(struct recap_rpc_object *obj,
			 struct recap_rpc_request *req)
{
	struct recap_cap forged;

	(void)obj;
	if (!RECAP_STRING_NAME(strcmp)(mode, "hang")) {
		/* Took the call; the answer never comes. */
		for (;;)
			l4_ipc_sleep(L4_IPC_NEVER);
	}
	if (!RECAP_STRING_NAME(strcmp)(mode, "nocap")) {
		recap_rpc_reply_start(req, NULL, 0);
		return RECAP_OK;
	}
	/* forged: our object's capability, under another badge. */
	forged = (struct recap_cap){ .badge = other.cap.badge + RECAP_BADGE_STEP,
				     .sel = other.cap.sel };
	recap_rpc_reply_start(req, &forged, 1);
	return RECAP_OK;
}

/* ANNOUNCE name with the given capabilities, raw: core's checks, not ours. */
static int announce_raw(char const *name, struct recap_cap const *caps,
			unsigned ncaps)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, env->parent, RECAP_PARENT_ANNOUNCE, caps, ncaps);
	rpc_msg_put_string(&m, name, RECAP_STRING_NAME(strlen)(name));
	err = recap_rpc_call(env, env->parent, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

static void abuse(void)
{
	struct recap_cap ctx = recap_signal_context_cap(&bye);
	struct recap_cap obj;
	struct rpc_msg m;
	int err;

	if ((err = recap_ep_manage(env->ep, &root, root_dispatch)) ||
	    (err = recap_ep_manage(env->ep, &other, other_dispatch))) {
		recap_log(env, "root_hang: abuse: %s", recap_err_str(err));
		recap_parent_exit(env, 1);
	}
	recap_log(env, "root_hang: announce without a root: %s",
		  recap_err_str(announce_raw("Hello", NULL, 0)));
	recap_log(env, "root_hang: announce core's parent object: %s",
		  recap_err_str(announce_raw("Hello", &env->parent, 1)));
	recap_log(env, "root_hang: announce a signal context: %s",
		  recap_err_str(announce_raw("Hello", &ctx, 1)));
	recap_log(env, "root_hang: announce \"He\\tllo\": %s",
		  recap_err_str(announce_raw("He\tllo", &root.cap, 1)));
	recap_log(env, "root_hang: announce: %s",
		  recap_err_str(announce_raw("Hello", &root.cap, 1)));
	recap_log(env, "root_hang: announce again, another root: %s",
		  recap_err_str(announce_raw("Hello", &other.cap, 1)));
	/* A session core never gave: one of our own objects. */
	obj = other.cap;
	recap_rpc_begin(&m, env->parent, RECAP_PARENT_CLOSE, &obj, 1);
	err = recap_rpc_call(env, env->parent, &m);
	recap_log(env, "root_hang: close a session core never gave: %s",
		  recap_err_str(err));
	recap_parent_exit(env, 0);
}

static void on_bye(void *arg)
{
	(void)arg;
	recap_log(env, "root_hang: %s: exiting", mode);
	recap_parent_exit(env, 0);
}

void component_construct(struct recap_env *e)
{
	struct recap_entrypoint *ep;
	struct recap_cap timer;
	int err;

	env = e;
	recap_config_string(env, "mode", mode, sizeof(mode), "silent");
	if ((err = recap_signal_context_create(env, &bye, on_bye, NULL)) ||
	    (err = recap_timer_open(env, &timer)) ||
	    (err = recap_timer_sigh(env, timer, recap_signal_context_cap(&bye))) ||
	    (err = recap_timer_trigger_once(env, timer,
			recap_config_ulong(env, "exit_ms", 5000) * 1000))) {
		recap_log(env, "root_hang: setup: %s", recap_err_str(err));
		recap_parent_exit(env, 1);
	}
	if (!RECAP_STRING_NAME(strcmp)(mode, "abuse"))
		abuse();
	if (!RECAP_STRING_NAME(strcmp)(mode, "silent")) {
		recap_log(env, "root_hang: silent: not announcing");
		return;
	}
	ep = env->ep;
	if (!RECAP_STRING_NAME(strcmp)(mode, "hang")) {
		err = recap_ep_create(env, &ep2, "root");
		ep = &ep2;
	}
	if (err || (err = recap_ep_manage(ep, &root, root_dispatch)) ||
	    (err = recap_ep_manage(env->ep, &other, other_dispatch)) ||
	    (err = recap_parent_announce(env, "Hello", root.cap))) {
		recap_log(env, "root_hang: %s: %s", mode, recap_err_str(err));
		recap_parent_exit(env, 1);
	}
	recap_log(env, "root_hang: %s: announced \"Hello\"", mode);
}
