/*
 * policy.c — how cr answers its children's session requests: the real
 * session comes from the child API's forwarding (the child's env
 * sessions, core's sessions through its PD handle, or cr's own parent),
 * and what the child gets is cr's intercepting object in front of it
 * (intercept/). The config ROM is cr's own object already and services
 * cr does not intercept are recorded by the child API and passed on.
 */
#include <recap/entrypoint.h>
#include <recap/err.h>
#include <recap/parent_client.h>
#include <recap/session_args.h>
#include <recap/string.h>

#include "cr.h"
#include "intercept/intercept.h"
#include "real.h"

static struct cr_child *child_of(struct recap_child *ch)
{
	return RECAP_CONTAINER_OF(ch, struct cr_child, child);
}

/* The session already standing for real (the env sessions are asked for
 * more than once and are one session each). */
static struct cr_session *session_for(struct cr_child *c, struct recap_cap real)
{
	for (unsigned i = 0; i < CR_MAX_SESSIONS; i++)
		if (c->sessions[i].used && c->sessions[i].real.badge == real.badge)
			return &c->sessions[i];
	return NULL;
}

static struct cr_session *session_alloc(struct cr_child *c)
{
	for (unsigned i = 0; i < CR_MAX_SESSIONS; i++)
		if (!c->sessions[i].used)
			return &c->sessions[i];
	return NULL;
}

/* cr_session_open, and how the child API is to record the session:
 * a third party's (through cr's parent) as such, so that the child can
 * close it and a checkpoint finds it; cr's own objects not. */
static int session_open(struct cr_child *c, char const *service,
			char const *args, recap_badge_t badge,
			struct recap_cap *cap, enum recap_child_via *via_out)
{
	enum cr_service svc = cr_service_of(service);
	enum recap_child_via via;
	struct recap_cap real;
	struct cr_session *s;
	int err;

	*via_out = RECAP_CHILD_VIA_LOCAL;
	err = recap_child_session_forward(&c->child, service, args, &real, &via);
	if (err != RECAP_OK)
		return err;
	/* The config ROM is cr's object; other services pass through. */
	if (via == RECAP_CHILD_VIA_LOCAL || svc == CR_SVC_OTHER) {
		*cap = real;
		*via_out = via;
		return RECAP_OK;
	}
	s = session_for(c, real);
	if (s) {
		*cap = s->obj.cap;
		return RECAP_OK;
	}
	s = session_alloc(c);
	if (!s)
		return RECAP_ERR_NOMEM;
	*s = (struct cr_session){ .used = true, .service = svc, .real = real,
				  .child = c };
	s->timer.sigh = s->requests.sigh = RECAP_BADGE_INVALID;
	RECAP_STRING_NAME(strlcpy)(s->service_name, service, sizeof(s->service_name));
	RECAP_STRING_NAME(strlcpy)(s->args, args, sizeof(s->args));
	err = badge ? recap_ep_manage_badge(c->ep, &s->obj,
					    cr_intercept_dispatch(svc), badge)
		    : RECAP_ERR_EXIST;
	if (err == RECAP_ERR_EXIST)
		err = recap_ep_manage(c->ep, &s->obj, cr_intercept_dispatch(svc));
	if (err != RECAP_OK) {
		s->used = false;
		return err;
	}
	s->object = cr_own_object_id(c->env, s->obj.cap);
	*cap = s->obj.cap;
	return RECAP_OK;
}

int cr_session_open(struct cr_child *c, char const *service, char const *args,
		    recap_badge_t badge, struct recap_cap *cap)
{
	enum recap_child_via via;

	return session_open(c, service, args, badge, cap, &via);
}

static int policy_session(struct recap_child *ch, char const *service,
			  char const *args, struct recap_cap *cap,
			  enum recap_child_via *via)
{
	return session_open(child_of(ch), service, args, 0, cap, via);
}

/*
 * A child that serves others (docs/cr.md, "Restoring a server under its
 * clients"): cr announces the service at its own parent with the child's
 * own root gate, not an object of cr's in front of it. Clients then call
 * the child's entrypoint directly, as its sessions' gates are called,
 * and a replacing restore keeps that very gate (PD HOLD / ADOPT), so
 * core's record of the service stays right without a new announcement.
 */
static int policy_announce(struct recap_child *ch, char const *service,
			   struct recap_cap root)
{
	return recap_parent_announce(ch->env, service, root);
}

struct recap_child_policy const cr_policy = {
	.session = policy_session,
	.announce = policy_announce,
};
