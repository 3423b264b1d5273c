/*
 * service.c — services announced by children and the sessions core opened
 * at them (service.h).
 *
 * Calling a component from core's one thread is the dangerous part: while
 * core waits, nobody else is served. So every call to a root has a send
 * timeout (the server's entrypoint must be waiting to take the call: one
 * that is itself blocked calling core never will, and that must not be a
 * deadlock) and a receive timeout (a server that took the call must answer
 * in time). A late answer finds no caller: the kernel drops it. Whatever
 * a root answers is checked as a client's request would be: the wire
 * format, the result, exactly one capability, and that capability really
 * an IPC gate under the badge the root claims for it (the kernel's label,
 * l4x_cap_info) — so the client's cap map never records a capability under
 * a badge that is not its own.
 *
 * Both lists are short (a few services, a few sessions per client) and
 * searched linearly.
 */
#include <stdlib.h>
#include <string.h>

#include <l4/sys/consts.h>
#include <l4/sys/ipc.h>
#include <l4/sys/task.h>
#include <l4/sys/utcb.h>
#include <l4/sys/x.h>

#include <recap/err.h>
#include <recap/parent.h>
#include <recap/root.h>
#include <recap/rpc_msg.h>

#include "cap_sel.h"
#include "child.h"
#include "diag.h"
#include "rpc_server.h"
#include "service.h"

#define SERVICES_PER_SERVER_MAX 16	/* announcements one child may keep */
#define SESSIONS_PER_CLIENT_MAX 64	/* sessions one child may hold at servers */

struct service {
	struct child *server;
	char name[RECAP_SERVICE_NAME_MAX + 1];
	struct recap_cap root;		/* core's copy */
	struct service *next;
};

struct remote_session {
	struct child *client;
	struct child *server;
	char service[RECAP_SERVICE_NAME_MAX + 1];
	struct recap_cap cap;		/* core's copy of the session */
	struct remote_session *next;
};

static struct service *services;
static struct remote_session *sessions;

/* ---- core's copies of capabilities ----------------------------------------- */

static void cap_drop(l4_cap_idx_t sel)
{
	if (!l4_is_valid_cap(sel))
		return;
	l4_task_release_cap(L4_BASE_TASK_CAP, sel);
	cap_sel_free(sel);
}

/* Is the capability at core's sel an IPC gate labelled badge? */
static bool gate_has_badge(l4_cap_idx_t sel, recap_badge_t badge)
{
	struct l4x_cap_info info;

	if (l4x_cap_info(L4X_BASE_HOST_CAP, L4_BASE_TASK_CAP, sel, &info) < 0)
		return false;
	return info.kind == L4X_KIND_GATE && recap_label_badge(info.obj_id) == badge;
}

/* ---- the registry ----------------------------------------------------------- */

static struct service *service_find(struct child const *server, char const *name)
{
	for (struct service *s = services; s; s = s->next)
		if (s->server == server && !strcmp(s->name, name))
			return s;
	return NULL;
}

static unsigned count_services(struct child const *server)
{
	unsigned n = 0;

	for (struct service *s = services; s; s = s->next)
		n += s->server == server;
	return n;
}

static unsigned count_sessions(struct child const *client)
{
	unsigned n = 0;

	for (struct remote_session *r = sessions; r; r = r->next)
		n += r->client == client;
	return n;
}

int service_announce(struct child *server, char const *name,
		     struct rpc_request *req)
{
	struct recap_cap got = req->msg.caps[0];
	struct service *s;
	l4_cap_idx_t sel;
	long err;

	if (!name[0] || !recap_cap_valid(got)) {
		diag("%s: announce of \"%s\" refused: no root capability",
		     server->name, name);
		return RECAP_ERR_INVAL;
	}
	/* Core would call itself and wait for nobody. */
	if (rpc_request_object(req, 0)) {
		diag("%s: announce of \"%s\" refused: the root is an object "
		     "of core's", server->name, name);
		return RECAP_ERR_DENIED;
	}
	if (!gate_has_badge(got.sel, got.badge)) {
		diag("%s: announce of \"%s\" refused: the root is no IPC gate "
		     "with the badge it claims", server->name, name);
		return RECAP_ERR_INVAL;
	}
	s = service_find(server, name);
	if (!s && count_services(server) >= SERVICES_PER_SERVER_MAX) {
		diag("%s: announce of \"%s\" refused: more than %d services",
		     server->name, name, SERVICES_PER_SERVER_MAX);
		return RECAP_ERR_NOMEM;
	}
	/* Out of the receive window, which the next request overwrites. */
	sel = cap_sel_alloc();
	if (!l4_is_valid_cap(sel))
		return RECAP_ERR_NOMEM;
	err = l4_error(l4_task_map(L4_BASE_TASK_CAP, L4_BASE_TASK_CAP,
				   l4_obj_fpage(got.sel, 0, L4_CAP_FPAGE_RWSD),
				   sel | L4_ITEM_MAP | L4_MAP_ITEM_GRANT));
	if (err < 0) {
		cap_sel_free(sel);
		return RECAP_ERR_NOMEM;
	}
	if (!s) {
		s = calloc(1, sizeof(*s));
		if (!s) {
			cap_drop(sel);
			return RECAP_ERR_NOMEM;
		}
		s->server = server;
		strncpy(s->name, name, sizeof(s->name) - 1);
		s->next = services;
		services = s;
	} else {
		cap_drop(s->root.sel);	/* replaced */
	}
	s->root = (struct recap_cap){ .badge = got.badge, .sel = sel };
	return RECAP_OK;
}

/* ---- calling a root --------------------------------------------------------- */

/* A receive window of fresh slots, one capability each. */
static void arm_window(l4_utcb_t *u, l4_cap_idx_t window)
{
	l4_buf_regs_t *br = l4_utcb_br_u(u);

	br->bdr = 0;
	for (unsigned i = 0; i < RECAP_RPC_MAX_CAPS; i++)
		br->br[i] = (window + ((l4_cap_idx_t)i << L4_CAP_SHIFT)) |
			    L4_RCV_ITEM_SINGLE_CAP;
}

/* Release and free the window's slots, but for slot keep (or none: -1). */
static void window_free(l4_cap_idx_t window, int keep)
{
	for (int i = 0; i < (int)RECAP_RPC_MAX_CAPS; i++)
		if (i != keep)
			cap_drop(window + ((l4_cap_idx_t)i << L4_CAP_SHIFT));
}

/*
 * Call op on s's root: SESSION with label and args (the session capability
 * into *session), or CLOSE with the capability arg. The result as
 * service.h says for service_session; the reason for a failure of core's
 * or the server's making goes to stderr (what names the client).
 */
static int root_call(struct service const *s, char const *what,
		     l4_umword_t op, char const *label, char const *args,
		     struct recap_cap const *arg, struct recap_cap *session)
{
	l4_utcb_t *u = l4_utcb();
	l4_umword_t *mr = l4_utcb_mr_u(u)->mr;
	l4_cap_idx_t window = cap_sel_alloc_range(RECAP_RPC_MAX_CAPS);
	struct rpc_msg m;
	l4_msgtag_t tag;
	long result;
	int err;

	if (!l4_is_valid_cap(window))
		return RECAP_ERR_NOMEM;
	rpc_msg_start(&m, mr, s->root.badge, arg, arg ? 1 : 0);
	rpc_msg_put_word(&m, op);
	if (op == RECAP_ROOT_SESSION) {
		rpc_msg_put_string(&m, label, strlen(label));
		rpc_msg_put_string(&m, args, strlen(args));
	}
	err = rpc_msg_finish(&m, &tag);
	if (err != RECAP_OK) {
		window_free(window, -1);
		return err;
	}
	arm_window(u, window);
	tag = l4_ipc_call(s->root.sel, u, tag,
			  l4_timeout(l4_timeout_from_us(RECAP_ROOT_SEND_MS * 1000ULL),
				     l4_timeout_from_us(RECAP_ROOT_REPLY_MS * 1000ULL)));
	if (l4_msgtag_has_error(tag)) {
		l4_umword_t ipc = l4_ipc_error(tag, u);

		window_free(window, -1);
		if (ipc == L4_IPC_SETIMEOUT) {
			diag("%s: \"%s\" at %s: its root did not take the call "
			     "within %d ms (busy), try again", what, s->name,
			     s->server->name, RECAP_ROOT_SEND_MS);
			return RECAP_ERR_AGAIN;
		}
		if (ipc == L4_IPC_RETIMEOUT) {
			diag("%s: \"%s\" at %s: its root did not answer within "
			     "%d ms", what, s->name, s->server->name,
			     RECAP_ROOT_REPLY_MS);
			return RECAP_ERR_IPC;
		}
		diag("%s: \"%s\" at %s: calling its root failed (IPC error "
		     "%lu)", what, s->name, s->server->name, (unsigned long)ipc);
		return RECAP_ERR_DENIED;
	}
	err = rpc_msg_parse(&m, mr, tag, window);
	result = err == RECAP_OK ? (long)rpc_msg_head(&m) : 0;
	if (err != RECAP_OK || result > 0 || result < -4095) {
		diag("%s: \"%s\" at %s: malformed answer from its root, refused",
		     what, s->name, s->server->name);
		window_free(window, -1);
		return RECAP_ERR_INVAL;
	}
	if (result < 0) {
		window_free(window, -1);
		return (int)result;	/* the server's own answer */
	}
	if (op != RECAP_ROOT_SESSION) {
		window_free(window, -1);
		return rpc_msg_end(&m) == RECAP_OK && !m.ncaps ? RECAP_OK
							       : RECAP_ERR_INVAL;
	}
	if (rpc_msg_end(&m) != RECAP_OK || m.ncaps != 1 ||
	    !recap_cap_valid(m.caps[0])) {
		diag("%s: \"%s\" at %s: its root's answer carries no session "
		     "capability, refused", what, s->name, s->server->name);
		window_free(window, -1);
		return RECAP_ERR_INVAL;
	}
	/* The only valid capability arrived in window slot 0. */
	*session = m.caps[0];
	if (!gate_has_badge(session->sel, session->badge)) {
		diag("%s: \"%s\" at %s: the session its root gave is no IPC "
		     "gate with the badge it claims, refused", what, s->name,
		     s->server->name);
		window_free(window, -1);
		return RECAP_ERR_INVAL;
	}
	window_free(window, 0);
	return RECAP_OK;
}

/* ---- sessions --------------------------------------------------------------- */

int service_session(struct child *client, struct child *server,
		    char const *name, char const *label, char const *args,
		    struct recap_cap *cap)
{
	struct remote_session *r;
	struct service *s;
	int err;

	if (!server->running) {
		diag("%s: session \"%s\" denied: its server \"%s\" has ended",
		     client->name, name, server->name);
		return RECAP_ERR_DENIED;
	}
	s = service_find(server, name);
	if (!s) {
		/* Started together, the server may just not be there yet. */
		diag("%s: session \"%s\": \"%s\" has not announced it (yet)",
		     client->name, name, server->name);
		return RECAP_ERR_AGAIN;
	}
	if (count_sessions(client) >= SESSIONS_PER_CLIENT_MAX) {
		diag("%s: session \"%s\" denied: more than %d sessions at "
		     "components", client->name, name, SESSIONS_PER_CLIENT_MAX);
		return RECAP_ERR_NOMEM;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return RECAP_ERR_NOMEM;
	err = root_call(s, client->name, RECAP_ROOT_SESSION, label, args, NULL,
			&r->cap);
	if (err != RECAP_OK) {
		free(r);
		return err;
	}
	r->client = client;
	r->server = server;
	strncpy(r->service, name, sizeof(r->service) - 1);
	r->next = sessions;
	sessions = r;
	*cap = r->cap;
	return RECAP_OK;
}

/*
 * Tell r's root (if its service is still announced) that r is closed.
 * RECAP_ERR_AGAIN if the root could not take the call (its entrypoint
 * busy, perhaps calling core): worth another try later; any other outcome
 * is final — the root's answer does not matter.
 */
static int close_at_root(struct remote_session const *r)
{
	struct service *s = r->server->running ? service_find(r->server, r->service)
					       : NULL;
	int err;

	if (!s)
		return RECAP_OK;
	err = root_call(s, r->client->name, RECAP_ROOT_CLOSE, NULL, NULL,
			&r->cap, NULL);
	if (err != RECAP_OK && err != RECAP_ERR_AGAIN)
		diag("%s: closing \"%s\" at %s: %s", r->client->name, r->service,
		     r->server->name, recap_err_str(err));
	return err == RECAP_ERR_AGAIN ? err : RECAP_OK;
}

static void session_free(struct remote_session **p)
{
	struct remote_session *r = *p;

	*p = r->next;
	cap_drop(r->cap.sel);
	free(r);
}

int service_close(struct child *client, struct rpc_request *req)
{
	struct recap_cap got = req->msg.caps[0];

	if (!recap_cap_valid(got))
		return RECAP_ERR_NOENT;
	for (struct remote_session **p = &sessions; *p; p = &(*p)->next) {
		struct remote_session *r = *p;

		if (r->client != client || r->cap.badge != got.badge)
			continue;
		/* The badge is the client's claim; the capability decides. */
		if (!rpc_request_cap_is(req, 0, r->cap.sel))
			return RECAP_ERR_NOENT;
		/* Kept for the client's runtime to try again (and for its
		 * end, the last try). */
		if (close_at_root(r) == RECAP_ERR_AGAIN)
			return RECAP_ERR_AGAIN;
		session_free(p);
		return RECAP_OK;
	}
	return RECAP_ERR_NOENT;
}

void service_child_exit(struct child *c)
{
	for (struct remote_session **p = &sessions; *p;) {
		if ((*p)->client == c)
			close_at_root(*p);
		if ((*p)->client == c || (*p)->server == c)
			session_free(p);
		else
			p = &(*p)->next;
	}
	for (struct service **p = &services; *p;) {
		struct service *s = *p;

		if (s->server != c) {
			p = &s->next;
			continue;
		}
		*p = s->next;
		cap_drop(s->root.sel);
		free(s);
	}
}
