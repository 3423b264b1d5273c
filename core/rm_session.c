/*
 * rm_session.c — RM sessions (rm_session.h): ATTACH, DETACH and REGION on the
 * client's region map, CREATE of managed region maps and their own
 * protocol (DATASPACE, FAULT_HANDLER, STATE besides ATTACH, DETACH,
 * REGION); arguments read and checked here, the work done by
 * region_map.c.
 *
 * A managed map belongs to the session that created it: closing the
 * session (or the client's end) destroys it, which destroys its dataspace
 * (every window goes) and resumes its blocked threads, which then fault
 * on unbacked memory and crash.
 */
#include <stdlib.h>

#include <l4/sys/consts.h>
#include <l4/sys/x.h>

#include <recap/err.h>
#include <recap/region_map.h>

#include "cap_quota.h"
#include "child.h"
#include "dataspace.h"
#include "region_map.h"
#include "rm_session.h"
#include "session.h"
#include "signal.h"

/* A managed map costs its own capability and its dataspace's. */
#define RM_MANAGED_CAPS 2

struct rm_managed {
	struct rpc_object obj;		/* its capability: the map's protocol */
	struct region_map map;
	struct rm_session *owner;
	struct rm_managed *next;	/* in owner->managed */
};

struct rm_session {
	struct session s;
	struct region_map *rm;		/* the client's address space */
	struct rm_managed *managed;	/* the maps it created */
	unsigned nmanaged;
};

static int rm_attach(struct region_map *rm, struct rpc_request *req)
{
	l4_umword_t size = rpc_msg_get_word(&req->msg);
	l4_umword_t offset = rpc_msg_get_word(&req->msg);
	l4_umword_t at = rpc_msg_get_word(&req->msg);
	l4_umword_t rights = rpc_msg_get_word(&req->msg);
	struct dataspace *ds;
	l4_addr_t addr;
	int err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1 ||
	    rights > ~0U)
		return RECAP_ERR_INVAL;
	ds = dataspace_any_from_request(req, 0);
	if (!ds)
		return RECAP_ERR_INVAL;
	err = region_map_attach(rm, ds, size, offset, at, (unsigned)rights,
				&addr);
	if (err != RECAP_OK)
		return err;
	rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, addr);
	return RECAP_OK;
}

static int rm_detach(struct region_map *rm, struct rpc_request *req)
{
	l4_umword_t addr = rpc_msg_get_word(&req->msg);

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
		return RECAP_ERR_INVAL;
	return region_map_detach(rm, addr);
}

/* The first region at or above addr, with its dataspace if it has one. */
static int rm_region(struct region_map *rm, struct rpc_request *req)
{
	l4_umword_t addr = rpc_msg_get_word(&req->msg);
	struct recap_cap cap = recap_cap_invalid();
	struct region const *r = rm->regions;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
		return RECAP_ERR_INVAL;
	while (r && r->addr + r->size <= addr)
		r = r->next;
	if (!r)
		return RECAP_ERR_NOENT;
	if (r->kind == REGION_DS)
		cap = rpc_object_cap(&r->ds->obj);
	rpc_reply_start(req, &cap, 1);
	rpc_msg_put_word(&req->msg, r->addr);
	rpc_msg_put_word(&req->msg, r->size);
	rpc_msg_put_word(&req->msg, r->offset);
	rpc_msg_put_word(&req->msg, r->rights);
	return RECAP_OK;
}

/* ---- managed maps --------------------------------------------------------- */

static int managed_fault_handler(struct rm_managed *m, struct rpc_request *req)
{
	recap_badge_t badge;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	if (!recap_cap_valid(req->msg.caps[0])) {
		m->map.sigh = 0;
		return RECAP_OK;
	}
	badge = signal_request_context(req, 0);
	if (!badge)
		return RECAP_ERR_INVAL;
	m->map.sigh = badge;
	return RECAP_OK;
}

static int managed_state(struct rm_managed *m, struct rpc_request *req)
{
	l4_addr_t offset = 0;
	bool write = false;
	unsigned long type;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
		return RECAP_ERR_INVAL;
	/* Kernel calls (which thread still waits): before the reply. */
	if (!region_map_fault_state(&m->map, &offset, &write))
		type = RECAP_RM_FAULT_NONE;
	else
		type = write ? RECAP_RM_FAULT_WRITE : RECAP_RM_FAULT_READ;
	rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, type);
	rpc_msg_put_word(&req->msg, offset);
	rpc_msg_put_word(&req->msg, m->map.sigh);
	return RECAP_OK;
}

static int managed_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct rm_managed *m = core_container_of(obj, struct rm_managed, obj);
	struct recap_cap cap;

	switch (req->op) {
	case RECAP_RM_ATTACH:
		return rm_attach(&m->map, req);
	case RECAP_RM_DETACH:
		return rm_detach(&m->map, req);
	case RECAP_RM_REGION:
		return rm_region(&m->map, req);
	case RECAP_RM_DATASPACE:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		cap = rpc_object_cap(&m->map.ds->obj);
		rpc_reply_start(req, &cap, 1);
		rpc_msg_put_word(&req->msg, m->map.size);
		return RECAP_OK;
	case RECAP_RM_FAULT_HANDLER:
		return managed_fault_handler(m, req);
	case RECAP_RM_STATE:
		return managed_state(m, req);
	}
	return RECAP_ERR_INVAL;
}

static void managed_destroy(struct rm_managed *m)
{
	region_map_fini_managed(&m->map);
	rpc_object_detach(&m->obj);
	cap_quota_release(m->owner->s.client, RM_MANAGED_CAPS);
	free(m);
}

static int rm_create(struct rm_session *rs, struct rpc_request *req)
{
	l4_umword_t size = rpc_msg_get_word(&req->msg);
	struct rm_managed *m;
	struct recap_cap cap;
	int err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps || !size)
		return RECAP_ERR_INVAL;
	if (size > L4X_TASK_VM_END - L4X_TASK_VM_START)
		return RECAP_ERR_RANGE;
	size = (size + L4_PAGESIZE - 1) & ~(L4_PAGESIZE - 1);
	if (rs->nmanaged >= RECAP_RM_MANAGED_MAX)
		return RECAP_ERR_NOMEM;
	err = cap_quota_charge(rs->s.client, RM_MANAGED_CAPS, "a managed region map");
	if (err != RECAP_OK)
		return err;
	m = calloc(1, sizeof(*m));
	if (!m) {
		cap_quota_release(rs->s.client, RM_MANAGED_CAPS);
		return RECAP_ERR_NOMEM;
	}
	region_map_init_managed(&m->map, size);
	err = dataspace_create_managed(&m->map.ds, &m->map, size);
	if (err == RECAP_OK) {
		err = rpc_object_attach(&m->obj, RPC_OBJECT_RPC, managed_dispatch);
		if (err != RECAP_OK)
			dataspace_destroy(m->map.ds);
	}
	if (err != RECAP_OK) {
		cap_quota_release(rs->s.client, RM_MANAGED_CAPS);
		free(m);
		return err;
	}
	m->owner = rs;
	m->next = rs->managed;
	rs->managed = m;
	rs->nmanaged++;
	cap = rpc_object_cap(&m->obj);
	rpc_reply_start(req, &cap, 1);
	return RECAP_OK;
}

/* ---- the session ----------------------------------------------------------- */

static int rm_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct rm_session *rs = core_container_of(obj, struct rm_session, s.obj);

	switch (req->op) {
	case RECAP_RM_ATTACH:
		return rm_attach(rs->rm, req);
	case RECAP_RM_DETACH:
		return rm_detach(rs->rm, req);
	case RECAP_RM_REGION:
		return rm_region(rs->rm, req);
	case RECAP_RM_CREATE:
		return rm_create(rs, req);
	}
	return RECAP_ERR_INVAL;
}

static void rm_destroy(struct session *s)
{
	struct rm_session *rs = core_container_of(s, struct rm_session, s);

	while (rs->managed) {
		struct rm_managed *m = rs->managed;

		rs->managed = m->next;
		managed_destroy(m);
	}
	rpc_object_detach(&rs->s.obj);
	free(rs);
}

/* A session on client's address space, in no list yet. */
static int rm_session_new(struct child *client, struct rm_session **out)
{
	struct rm_session *rs = calloc(1, sizeof(*rs));
	int err;

	if (!rs)
		return RECAP_ERR_NOMEM;
	rs->rm = &client->rm;
	rs->s.client = client;
	err = rpc_object_attach(&rs->s.obj, RPC_OBJECT_RPC, rm_dispatch);
	if (err != RECAP_OK) {
		free(rs);
		return err;
	}
	rs->s.destroy = rm_destroy;
	*out = rs;
	return RECAP_OK;
}

int rm_session_open(struct child *client, struct recap_cap *cap)
{
	struct rm_session *rs;
	int err = rm_session_new(client, &rs);

	if (err != RECAP_OK)
		return err;
	session_add(client, &rs->s);
	*cap = rpc_object_cap(&rs->s.obj);
	return RECAP_OK;
}

int rm_session_create_owned(struct child *client, struct session **out)
{
	struct rm_session *rs;
	int err = rm_session_new(client, &rs);

	if (err == RECAP_OK)
		*out = &rs->s;
	return err;
}
