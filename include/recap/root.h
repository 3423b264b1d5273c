/*
 * recap/root.h — services provided by components: the root object a
 * server announces to its parent, and through which the parent opens and
 * closes sessions for clients (Genode's Root interface, as init used it
 * before 16.11: the parent calls the root synchronously).
 *
 * Protocol of a root object (wire format: recap/rpc_wire.h):
 *   SESSION  string label, string args    -> 1 cap: the session
 *   CLOSE    cap session                  -> -
 * label is the client's whole label, as the parent made it (the client's
 * name, then " -> " and what the client asked for, if anything): the
 * client cannot choose the part before the arrow, so a server may trust
 * it. args are the client's Genode-style session arguments.
 *
 * Only the parent calls a root, and it waits a bounded time for the answer
 * (core: RECAP_ROOT_SEND_MS to get the call in, RECAP_ROOT_REPLY_MS for the
 * reply). That has a consequence a server must respect: while its root
 * handles a call the parent is blocked in that call, so the handler must
 * not call the parent or anything the parent serves (core: LOG, PD, RAM,
 * ... — no recap_log, no recap_ep_manage). It hands out objects made
 * beforehand and makes new ones later, from a client's call on a session,
 * say. A handler that calls core anyway stalls until core gives up.
 *
 * In a component:
 *
 *	static struct recap_root root;
 *	recap_root_manage(env->ep, &root, on_session, on_close, arg);
 *	recap_parent_announce(env, "Hello", root.obj.cap);
 *
 * on_session gets the label and args and sets *session to the capability of
 * one of its RPC objects (RECAP_OK), or returns an error the client gets.
 * on_close gets the session object, believed only if the capability that
 * came names an object of the root's entrypoint (recap_rpc_request_object);
 * anything else is answered RECAP_ERR_NOENT without calling it.
 */
#pragma once

#include <recap/capability.h>
#include <recap/entrypoint.h>
#include <recap/rpc_server.h>

/* A SESSION's label and args fit one message: 3 + 1 + 24 + 1 + 32 < 63 words. */
#define RECAP_ROOT_LABEL_MAX 191	/* bytes, as core's LOG labels */

#define RECAP_ROOT_SEND_MS 100	/* core waits this long to get a call in */
#define RECAP_ROOT_REPLY_MS 2000 /* and this long for the root's answer */

enum recap_root_op {
	RECAP_ROOT_SESSION = 1,
	RECAP_ROOT_CLOSE = 2,
};

struct recap_root;

typedef int (*recap_root_session_fn)(struct recap_root *root,
				     char const *label, char const *args,
				     struct recap_cap *session);
typedef void (*recap_root_close_fn)(struct recap_root *root,
				    struct recap_rpc_object *session);

struct recap_root {
	struct recap_rpc_object obj;	/* obj.cap is what to announce */
	struct recap_entrypoint *ep;	/* serves the root and its sessions */
	recap_root_session_fn session;
	recap_root_close_fn close;
	void *arg;			/* the caller's */
};

/*
 * Let ep serve root with the given callbacks (close may be NULL: nothing to
 * do on a close). RECAP_OK or recap_ep_manage's error.
 */
int recap_root_manage(struct recap_entrypoint *ep, struct recap_root *root,
		      recap_root_session_fn session, recap_root_close_fn close,
		      void *arg);
