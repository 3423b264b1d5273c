/*
 * service.h — services provided by components: what children announced to
 * core (their parent), and the sessions core opened for clients at them.
 *
 * A server announces a service with the capability of its root object
 * (recap/root.h); core keeps its own copy of that capability. A client
 * routed to the server (<child name=..>) gets its session from the root,
 * which core calls synchronously, as Genode's init did before 16.11 — but
 * with bounded timeouts (RECAP_ROOT_SEND_MS to get the call in,
 * RECAP_ROOT_REPLY_MS for the answer), so a hung or hostile server delays
 * core by at most that and never stops it. Core keeps a copy of each
 * session capability it passed on, so that the client's CLOSE can be
 * checked and handed to the root with the very capability.
 *
 * Invariants:
 *  - at most one announcement per (server, name); a new one replaces it;
 *  - every announcement's server is running: a server's announcements go
 *    when it ends, and so do core's copies of its sessions (the server's
 *    gates die with it; the client's copies simply stop working);
 *  - every forwarded session's client is running: its sessions are closed
 *    at their roots when it ends;
 *  - each copy core keeps is in a slot of its own (cap_sel.h), released
 *    and freed exactly when its record goes.
 */
#pragma once

#include <recap/capability.h>

struct child;
struct rpc_request;

/*
 * server announces service with the root capability in argument 0 of req.
 * RECAP_OK; RECAP_ERR_INVAL: no capability, or not an IPC gate under the
 * badge it claims; RECAP_ERR_DENIED: an object of core's own;
 * RECAP_ERR_NOMEM. Reasons go to stderr.
 */
int service_announce(struct child *server, char const *service,
		     struct rpc_request *req);

/*
 * Open a session of service at server for client, label being the
 * client's whole label and args its session arguments. On RECAP_OK *cap
 * is the session capability (core's copy, to be put into the reply).
 * RECAP_ERR_AGAIN: the server has not announced service yet, or its root
 * did not take the call within RECAP_ROOT_SEND_MS; RECAP_ERR_IPC: the
 * root took it and gave no answer within RECAP_ROOT_REPLY_MS;
 * RECAP_ERR_DENIED: the server has ended, or its root is gone;
 * RECAP_ERR_INVAL: a malformed answer; else the root's own error.
 */
int service_session(struct child *client, struct child *server,
		    char const *service, char const *label, char const *args,
		    struct recap_cap *cap);

/*
 * client closes the session named by capability argument 0 of req, if it
 * is one core opened for it at a server: the root is told (its answer
 * does not matter) and core's copy goes. RECAP_ERR_NOENT: not such a
 * session of client's; RECAP_ERR_AGAIN: the root could not take the call
 * (busy), the session stays open for the client to close again — at its
 * end core tries once more and forgets it either way.
 */
int service_close(struct child *client, struct rpc_request *req);

/*
 * c ends: its announcements and the sessions served by it are forgotten,
 * the sessions it holds at servers are closed there.
 */
void service_child_exit(struct child *c);
