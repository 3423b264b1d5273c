/*
 * dataspace.h — memory core hands out: a memfd, whole pages of it, behind
 * an RPC object (protocol: recap/dataspace.h) so that it can travel as a
 * capability and come back checked.
 *
 * A dataspace is made by a service (RAM: writable; ROM: filled, then
 * sealed read-only) and belongs to it: the service destroys it on FREE or
 * when its session closes. It knows where it is attached (its regions,
 * region_map.h), so that destroying it detaches it everywhere first —
 * nobody keeps a mapping of memory core has let go of.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "rpc_server.h"

struct region;
struct region_map;

struct dataspace {
	struct rpc_object obj;		/* its capability: INFO */
	int fd;				/* the memfd; core keeps it (contents, C/R);
					 * -1 for a managed dataspace */
	struct region_map *managed;	/* a managed dataspace: the region map it
					 * stands for (region_map.h); else NULL */
	size_t size;			/* bytes, a whole number of pages */
	bool writable;			/* false once sealed */
	struct region *regions;		/* its attachments, through ds_next */
	void const *owner;		/* the session that made it */
	struct dataspace *next;		/* in the owner's list */
};

/*
 * A new zero-filled, writable dataspace of size bytes (whole pages, not
 * 0); name labels the memfd (for /proc, for people). RECAP_OK and *out;
 * RECAP_ERR_NOMEM (no memory, memfd or gate left) or a kernel error.
 */
int dataspace_create(struct dataspace **out, char const *name, size_t size);

/* The same with a badge wish (0: any; see rpc_object_attach_badge). */
int dataspace_create_badge(struct dataspace **out, char const *name,
			   size_t size, recap_badge_t badge);

/*
 * A managed dataspace: no memory of its own, it stands for the region map
 * map of size bytes (whole pages, not 0), whose attachments appear
 * wherever it is attached. Writable (what is inside decides). RECAP_OK and
 * *out, or RECAP_ERR_NOMEM or a kernel error.
 */
int dataspace_create_managed(struct dataspace **out, struct region_map *map,
			     size_t size);

/*
 * A dataspace over fd, a memfd of size bytes (whole pages, not 0) made by
 * someone else (a restore's stream, from the recap command), which it
 * takes over: closed with the dataspace, or at once on failure. Seal it
 * before handing it out. RECAP_OK and *out, or as dataspace_create.
 */
int dataspace_adopt(struct dataspace **out, int fd, size_t size);

/*
 * Make ds read-only for good: no region map attaches it writable from now
 * on, and its memfd is sealed against resizing. ds must not be attached
 * writable anywhere. RECAP_OK or RECAP_ERR_INVAL.
 */
int dataspace_seal(struct dataspace *ds);

/* Detach ds from every region map, delete its capability, free it. */
void dataspace_destroy(struct dataspace *ds);

/*
 * The dataspace behind capability argument i of an RPC request, if it is
 * one of core's memfd dataspaces (rpc_request_object(), and of this kind;
 * not a managed one, which has no memfd to read or write); otherwise NULL.
 */
struct dataspace *dataspace_from_request(struct rpc_request *req, unsigned i);

/* The same, managed dataspaces included (for attaching: region maps). */
struct dataspace *dataspace_any_from_request(struct rpc_request *req, unsigned i);
