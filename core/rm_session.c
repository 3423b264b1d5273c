/*
 * rm_session.c — RM sessions (rm_session.h): ATTACH, DETACH and REGION on the
 * client's region map, arguments read and checked here, the work done by
 * region_map.c.
 */
#include <stdlib.h>

#include <recap/err.h>
#include <recap/region_map.h>

#include "child.h"
#include "dataspace.h"
#include "region_map.h"
#include "rm_session.h"
#include "session.h"

struct rm_session {
	struct session s;
	struct region_map *rm;		/* the client's address space */
};

static int rm_attach(struct rm_session *rs, struct rpc_request *req)
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
	ds = dataspace_from_request(req, 0);
	if (!ds)
		return RECAP_ERR_INVAL;
	err = region_map_attach(rs->rm, ds, size, offset, at, (unsigned)rights,
				&addr);
	if (err != RECAP_OK)
		return err;
	rpc_reply_start(req, NULL, 0);
	rpc_msg_put_word(&req->msg, addr);
	return RECAP_OK;
}

/* The first region at or above addr, with its dataspace if it has one. */
static int rm_region(struct rm_session *rs, struct rpc_request *req)
{
	l4_umword_t addr = rpc_msg_get_word(&req->msg);
	struct recap_cap cap = recap_cap_invalid();
	struct region const *r = rs->rm->regions;

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

static int rm_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct rm_session *rs = core_container_of(obj, struct rm_session, s.obj);
	l4_umword_t addr;

	switch (req->op) {
	case RECAP_RM_ATTACH:
		return rm_attach(rs, req);
	case RECAP_RM_DETACH:
		addr = rpc_msg_get_word(&req->msg);
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		return region_map_detach(rs->rm, addr);
	case RECAP_RM_REGION:
		return rm_region(rs, req);
	}
	return RECAP_ERR_INVAL;
}

static void rm_destroy(struct session *s)
{
	struct rm_session *rs = core_container_of(s, struct rm_session, s);

	rpc_object_detach(&rs->s.obj);
	free(rs);
}

int rm_session_open(struct child *client, struct recap_cap *cap)
{
	struct rm_session *rs = calloc(1, sizeof(*rs));
	int err;

	if (!rs)
		return RECAP_ERR_NOMEM;
	rs->rm = &client->rm;
	err = rpc_object_attach(&rs->s.obj, RPC_OBJECT_RPC, rm_dispatch);
	if (err != RECAP_OK) {
		free(rs);
		return err;
	}
	rs->s.destroy = rm_destroy;
	session_add(client, &rs->s);
	*cap = rpc_object_cap(&rs->s.obj);
	return RECAP_OK;
}
