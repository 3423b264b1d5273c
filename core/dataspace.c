/*
 * dataspace.c — core's dataspaces (dataspace.h).
 *
 * Backing store is a memfd per dataspace: ftruncate makes it zero-filled
 * without touching a page, the task stub maps it MAP_SHARED wherever a
 * region map says, and core keeps the descriptor so that the contents stay
 * reachable for checkpoints after every mapping is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <recap/dataspace.h>
#include <recap/err.h>

#include "child.h"
#include "dataspace.h"
#include "region_map.h"

static int ds_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct dataspace *ds = core_container_of(obj, struct dataspace, obj);

	switch (req->op) {
	case RECAP_DS_INFO:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, ds->size);
		rpc_msg_put_word(&req->msg, ds->writable);
		return RECAP_OK;
	case RECAP_DS_KIND:
		if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps)
			return RECAP_ERR_INVAL;
		rpc_reply_start(req, NULL, 0);
		rpc_msg_put_word(&req->msg, ds->managed ? RECAP_DS_KIND_MANAGED
						       : RECAP_DS_KIND_MEMORY);
		return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

int dataspace_create(struct dataspace **out, char const *name, size_t size)
{
	return dataspace_create_badge(out, name, size, 0);
}

int dataspace_create_badge(struct dataspace **out, char const *name,
			   size_t size, recap_badge_t badge)
{
	struct dataspace *ds;
	int err;

	if (!size || size % L4_PAGESIZE)
		return RECAP_ERR_INVAL;
	ds = calloc(1, sizeof(*ds));
	if (!ds)
		return RECAP_ERR_NOMEM;
	ds->fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (ds->fd < 0 || ftruncate(ds->fd, (off_t)size) < 0) {
		if (ds->fd >= 0)
			close(ds->fd);
		free(ds);
		return RECAP_ERR_NOMEM;
	}
	ds->size = size;
	ds->writable = true;
	err = rpc_object_attach_badge(&ds->obj, RPC_OBJECT_RPC, ds_dispatch, badge);
	if (err != RECAP_OK) {
		close(ds->fd);
		free(ds);
		return err;
	}
	*out = ds;
	return RECAP_OK;
}

int dataspace_create_managed(struct dataspace **out, struct region_map *map,
			     size_t size)
{
	struct dataspace *ds;
	int err;

	if (!size || size % L4_PAGESIZE)
		return RECAP_ERR_INVAL;
	ds = calloc(1, sizeof(*ds));
	if (!ds)
		return RECAP_ERR_NOMEM;
	*ds = (struct dataspace){ .fd = -1, .managed = map, .size = size,
				  .writable = true };
	err = rpc_object_attach(&ds->obj, RPC_OBJECT_RPC, ds_dispatch);
	if (err != RECAP_OK) {
		free(ds);
		return err;
	}
	*out = ds;
	return RECAP_OK;
}

int dataspace_adopt(struct dataspace **out, int fd, size_t size)
{
	struct dataspace *ds;
	int err;

	if (!size || size % L4_PAGESIZE) {
		close(fd);
		return RECAP_ERR_INVAL;
	}
	ds = calloc(1, sizeof(*ds));
	if (!ds) {
		close(fd);
		return RECAP_ERR_NOMEM;
	}
	ds->fd = fd;
	ds->size = size;
	ds->writable = true;
	err = rpc_object_attach(&ds->obj, RPC_OBJECT_RPC, ds_dispatch);
	if (err != RECAP_OK) {
		close(fd);
		free(ds);
		return err;
	}
	*out = ds;
	return RECAP_OK;
}

int dataspace_seal(struct dataspace *ds)
{
	for (struct region const *r = ds->regions; r; r = r->ds_next)
		if (r->rights & L4_FPAGE_W)
			return RECAP_ERR_INVAL;
	/* Not F_SEAL_WRITE: a write-sealed memfd maps without VM_MAYWRITE,
	 * which userfaultfd refuses to track (kernel/host/dirty.c), and a
	 * checkpoint must see every region. Read-only is core's rule (no
	 * writable attachment); the size at least is fixed for good, so no
	 * mapping can ever reach past the end. */
	if (fcntl(ds->fd, F_ADD_SEALS, F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) < 0)
		return RECAP_ERR_INVAL;
	ds->writable = false;
	return RECAP_OK;
}

void dataspace_destroy(struct dataspace *ds)
{
	region_map_detach_ds(ds);
	rpc_object_detach(&ds->obj);
	if (ds->fd >= 0)
		close(ds->fd);
	free(ds);
}

struct dataspace *dataspace_any_from_request(struct rpc_request *req, unsigned i)
{
	struct rpc_object *obj = rpc_request_object(req, i);

	/* The pool holds every kind of object: only ours are dataspaces. */
	if (!obj || obj->dispatch != ds_dispatch)
		return NULL;
	return core_container_of(obj, struct dataspace, obj);
}

struct dataspace *dataspace_from_request(struct rpc_request *req, unsigned i)
{
	struct dataspace *ds = dataspace_any_from_request(req, i);

	return ds && !ds->managed ? ds : NULL;
}
