/*
 * parent.c — a child's parent object (parent.h).
 *
 * Labels are Genode's: a session's label is the client's name, followed by
 * " -> " and the label the client asked for, if it did. The client chooses
 * only the part after its name, so nothing it asks for can make its output
 * look like another component's.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <recap/err.h>
#include <recap/parent.h>
#include <recap/rpc_wire.h>
#include <recap/session_args.h>

#include "cap_quota.h"
#include "child.h"
#include "child_pd.h"
#include "cpu.h"
#include "cr_service.h"
#include "diag.h"
#include "log.h"
#include "parent.h"
#include "pd_session.h"
#include "ram.h"
#include "rm_session.h"
#include "rom.h"
#include "service.h"
#include "session.h"
#include "signal.h"
#include "timer.h"

/* Labels end up in log lines: no control characters in them. */
static bool printable(char const *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* Does args ask for a new, empty PD (a child of the client)? */
static bool new_pd(char const *args)
{
	char v[8];

	return session_args_get(args, "new_pd", v, sizeof(v)) == RECAP_OK &&
	       !strcmp(v, "yes");
}

int parent_core_session(struct child *c, char const *service,
			char const *label, char const *asked, char const *args,
			struct recap_cap *cap)
{
	if (!strcmp(service, "PD") && new_pd(args))
		return child_pd_open(c, label, asked, args, cap);
	if (!strcmp(service, "LOG"))
		return log_session_open(c, label, cap);
	if (!strcmp(service, "RAM"))
		return ram_session_open(c, cap);
	if (!strcmp(service, "RM"))
		return rm_session_open(c, cap);
	if (!strcmp(service, "ROM"))
		return rom_session_open(c, asked, cap);
	if (!strcmp(service, "CPU"))
		return cpu_session_open(c, cap);
	if (!strcmp(service, "PD"))
		return pd_session_open(c, cap);
	if (!strcmp(service, "SIGNAL"))
		return signal_session_open(c, cap);
	if (!strcmp(service, "Timer"))
		return timer_session_open(c, cap);
	if (!strcmp(service, "CR"))
		return cr_service_open(c, cap);
	diag("%s: session \"%s\" denied: core does not provide it yet",
	     c->name, service);
	return RECAP_ERR_DENIED;
}

int parent_label(struct child *c, char const *asked, char *label,
		 size_t size)
{
	int n;

	if (!printable(asked))
		return RECAP_ERR_INVAL;
	if (asked[0])
		n = snprintf(label, size, "%s -> %s", c->name, asked);
	else
		n = snprintf(label, size, "%s", c->name);
	return n < 0 || (size_t)n >= size ? RECAP_ERR_RANGE : RECAP_OK;
}

/* A session of service at the child named server (service.h). */
static int child_service_session(struct child *c, char const *server,
				 char const *service, char const *label,
				 char const *args, struct recap_cap *cap)
{
	struct child *srv = child_find(server);

	if (!srv) {
		diag("%s: session \"%s\" denied: no child \"%s\"", c->name,
		     service, server);
		return RECAP_ERR_DENIED;
	}
	return service_session(c, srv, service, label, args, cap);
}

int parent_session_read(struct child *c, struct rpc_request *req,
			struct parent_session_request *r)
{
	int err;

	rpc_msg_get_string(&req->msg, r->service, sizeof(r->service));
	rpc_msg_get_string(&req->msg, r->args, sizeof(r->args));
	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps || !r->service[0])
		return RECAP_ERR_INVAL;
	err = session_args_get(r->args, "label", r->asked, sizeof(r->asked));
	if (err == RECAP_ERR_NOENT)
		r->asked[0] = '\0';
	else if (err != RECAP_OK)
		return err == RECAP_ERR_RANGE ? RECAP_ERR_RANGE : RECAP_ERR_INVAL;
	return parent_label(c, r->asked, r->label, sizeof(r->label));
}

static int parent_session(struct child *c, struct rpc_request *req)
{
	struct parent_session_request r;
	struct scenario_route_result route;
	struct recap_cap cap;
	int err = parent_session_read(c, req, &r);

	if (err != RECAP_OK)
		return err;
	/* A child's config is its parent's to give, never routed. */
	if (rom_is_config(r.service, r.asked))
		route = (struct scenario_route_result){ .kind = SCENARIO_ROUTE_PARENT };
	else
		route = scenario_route_label(c->scenario, c->name, r.service,
					     r.asked[0] ? r.asked : NULL);
	switch (route.kind) {
	case SCENARIO_ROUTE_PARENT:
		err = cap_quota_charge(c, CAP_QUOTA_ONE, "a session");
		if (err == RECAP_OK &&
		    (err = parent_core_session(c, r.service, r.label, r.asked,
					       r.args, &cap)) != RECAP_OK)
			cap_quota_release(c, CAP_QUOTA_ONE);
		break;
	case SCENARIO_ROUTE_CHILD:
		err = child_service_session(c, route.child, r.service, r.label,
					    r.args, &cap);
		break;
	default:
		diag("%s: session \"%s\" denied: %s", c->name, r.service,
		     scenario_deny_str(route.deny));
		err = RECAP_ERR_DENIED;
		break;
	}
	if (err != RECAP_OK)
		return err;
	rpc_reply_start(req, &cap, 1);
	return RECAP_OK;
}

/* The session named by capability argument 0, if it is one of c's. */
static struct session *request_session(struct child *c, struct rpc_request *req)
{
	struct rpc_object *obj = rpc_request_object(req, 0);

	return obj ? session_find(c, obj) : NULL;
}

static int parent_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct child *c = core_container_of(obj, struct child, parent);
	char buf[RECAP_SESSION_ARGS_MAX + 1];
	struct session *s;
	l4_umword_t code;

	switch (req->op) {
	case RECAP_PARENT_SESSION:
		return parent_session(c, req);
	case RECAP_PARENT_UPGRADE:
		/* No quotas yet: an upgrade of one's own session succeeds. */
		rpc_msg_get_string(&req->msg, buf, sizeof(buf));
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		return request_session(c, req) ? RECAP_OK : RECAP_ERR_NOENT;
	case RECAP_PARENT_CLOSE:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		s = request_session(c, req);
		if (!s)
			return service_close(c, req);	/* one at a child? */
		session_close(s);
		return RECAP_OK;
	case RECAP_PARENT_ANNOUNCE:
		rpc_msg_get_string(&req->msg, buf, sizeof(buf));
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1 ||
		    strlen(buf) > RECAP_SERVICE_NAME_MAX || !printable(buf))
			return RECAP_ERR_INVAL;
		return service_announce(c, buf, req);
	case RECAP_PARENT_EXIT:
		code = rpc_msg_get_word(&req->msg);
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		/* Core's verdict, as Genode's init gives it: a failure shows. */
		if (code)
			printf("[%s] exited with exit value %ld\n", c->name,
			       (long)code);
		child_exit(c, (long)code);
		return RPC_NO_REPLY;
	}
	return RECAP_ERR_INVAL;
}

int parent_attach(struct child *c)
{
	return rpc_object_attach(&c->parent, RPC_OBJECT_RPC, parent_dispatch);
}
