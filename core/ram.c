/*
 * ram.c — RAM sessions (ram.h): allocation against the quota, dataspaces
 * kept per session so that closing the session (or the client's end)
 * frees them all and refunds the account.
 */
#include <stdio.h>
#include <stdlib.h>

#include <l4/sys/consts.h>

#include <recap/err.h>
#include <recap/ram_session.h>

#include "cap_quota.h"
#include "child.h"
#include "dataspace.h"
#include "ram.h"
#include "session.h"

struct ram_session {
	struct session s;
	struct ram_account *account;	/* the client's */
	struct dataspace *dataspaces;	/* what it allocated, through next */
	unsigned nds;
	char memfd_name[CHILD_NAME_MAX + 8];	/* "ram:CLIENT" */
};

static int ram_alloc(struct ram_session *rs, struct rpc_request *req)
{
	l4_umword_t size = rpc_msg_get_word(&req->msg);
	recap_badge_t wish = rpc_msg_get_word_or(&req->msg, 0);
	struct ram_account *a = rs->account;
	struct dataspace *ds;
	struct recap_cap cap;
	int err;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps || !size)
		return RECAP_ERR_INVAL;
	if (size > a->quota - a->used)
		return RECAP_ERR_NOMEM;
	/* Rounding up cannot wrap: size is at most the quota, far below. */
	size = (size + L4_PAGESIZE - 1) & ~(L4_PAGESIZE - 1);
	if (size > a->quota - a->used || rs->nds >= RECAP_RAM_MAX_DS)
		return RECAP_ERR_NOMEM;
	err = cap_quota_charge(rs->s.client, CAP_QUOTA_ONE, "a RAM dataspace");
	if (err == RECAP_OK &&
	    (err = dataspace_create_badge(&ds, rs->memfd_name, size, wish)) != RECAP_OK)
		cap_quota_release(rs->s.client, CAP_QUOTA_ONE);
	if (err != RECAP_OK)
		return err;
	ds->owner = rs;
	ds->next = rs->dataspaces;
	rs->dataspaces = ds;
	rs->nds++;
	a->used += size;
	cap = rpc_object_cap(&ds->obj);
	rpc_reply_start(req, &cap, 1);
	rpc_msg_put_word(&req->msg, size);
	return RECAP_OK;
}

/* Take ds out of rs, refund it, destroy it. */
static void ram_release(struct ram_session *rs, struct dataspace *ds)
{
	struct dataspace **p = &rs->dataspaces;

	while (*p && *p != ds)
		p = &(*p)->next;
	if (*p)
		*p = ds->next;
	rs->nds--;
	rs->account->used -= ds->size;
	cap_quota_release(rs->s.client, CAP_QUOTA_ONE);
	dataspace_destroy(ds);
}

static int ram_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct ram_session *rs = core_container_of(obj, struct ram_session, s.obj);
	struct dataspace *ds;

	switch (req->op) {
	case RECAP_RAM_ALLOC:
		return ram_alloc(rs, req);
	case RECAP_RAM_FREE:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
			return RECAP_ERR_INVAL;
		ds = dataspace_from_request(req, 0);
		if (!ds)
			return RECAP_ERR_INVAL;
		if (ds->owner != rs)
			return RECAP_ERR_NOENT;
		ram_release(rs, ds);
		return RECAP_OK;
	case RECAP_RAM_QUOTA:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, rs->account->quota);
		rpc_msg_put_word(&req->msg, rs->account->used);
		return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

static void ram_destroy(struct session *s)
{
	struct ram_session *rs = core_container_of(s, struct ram_session, s);

	while (rs->dataspaces)
		ram_release(rs, rs->dataspaces);
	rpc_object_detach(&rs->s.obj);
	free(rs);
}

int ram_session_open(struct child *client, struct recap_cap *cap)
{
	struct ram_session *rs = calloc(1, sizeof(*rs));
	int err;

	if (!rs)
		return RECAP_ERR_NOMEM;
	rs->account = &client->ram;
	snprintf(rs->memfd_name, sizeof(rs->memfd_name), "ram:%s", client->name);
	err = rpc_object_attach(&rs->s.obj, RPC_OBJECT_RPC, ram_dispatch);
	if (err != RECAP_OK) {
		free(rs);
		return err;
	}
	rs->s.destroy = ram_destroy;
	session_add(client, &rs->s);
	*cap = rpc_object_cap(&rs->s.obj);
	return RECAP_OK;
}
