/*
 * recap/rpc_server.h — RPC objects a component serves, and the requests
 * they get (Genode's Rpc_object and the server half of Ipc_server on
 * Fiasco.OC). Entrypoints serve them: recap/entrypoint.h.
 *
 * An RPC object is a struct recap_rpc_object embedded in the struct that
 * implements it; its dispatch function gets every well-formed request
 * (recap/rpc_wire.h) that arrives through the object's gate:
 *
 *	struct adder { struct recap_rpc_object obj; long total; };
 *
 *	static int adder_dispatch(struct recap_rpc_object *obj,
 *				  struct recap_rpc_request *req)
 *	{
 *		struct adder *a = RECAP_CONTAINER_OF(obj, struct adder, obj);
 *		l4_umword_t n = rpc_msg_get_word(&req->msg);
 *
 *		if (req->op != ADD || rpc_msg_end(&req->msg) != RECAP_OK)
 *			return RECAP_ERR_INVAL;
 *		a->total += n;
 *		recap_rpc_reply_start(req, NULL, 0);
 *		rpc_msg_put_word(&req->msg, a->total);
 *		return RECAP_OK;
 *	}
 *
 * As in core (core/rpc_server.h): dispatch returns the result (RECAP_OK or
 * a negative enum recap_err), or RECAP_RPC_NO_REPLY to answer nobody. The
 * request lives in the serving thread's message registers, and so does the
 * reply: read every argument first, then do what the call asks (which may
 * itself make RPC calls: they use the same registers), then build the
 * reply last. For an error result the reply is the result alone.
 *
 * Before dispatch the entrypoint checked what a client could forge: the
 * protocol label is 0, the message well-formed, an opcode present. The
 * object is the one the gate's label names (the kernel sets it; the client
 * cannot); mr[0], the client's idea of the destination, is not believed.
 * Anything else was answered RECAP_ERR_INVAL.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include <l4/sys/types.h>

#include <recap/capability.h>
#include <recap/rpc_msg.h>

#define RECAP_RPC_NO_REPLY 1

/* The struct of type that member, at ptr, is in. */
#define RECAP_CONTAINER_OF(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

struct recap_entrypoint;
struct recap_rpc_object;
struct recap_rpc_request;

typedef int (*recap_rpc_dispatch_fn)(struct recap_rpc_object *obj,
				     struct recap_rpc_request *req);

struct recap_rpc_object {
	struct recap_cap cap;		/* the capability to it; invalid while
					   not managed by an entrypoint */
	recap_rpc_dispatch_fn dispatch;
	struct recap_entrypoint *ep;	/* the entrypoint serving it */
	struct recap_rpc_object *next;	/* the entrypoint's pool chain */
};

struct recap_rpc_request {
	l4_msgtag_t tag;		/* as received */
	l4_umword_t label;		/* as received: badge | W/S rights */
	l4_umword_t op;			/* the opcode */
	struct rpc_msg msg;		/* the arguments, then the reply */
	bool reply_started;		/* recap_rpc_reply_start() was called */
	struct recap_entrypoint *ep;	/* serving it */
};

/* Begin the reply (result RECAP_OK) with n capabilities; see above. */
void recap_rpc_reply_start(struct recap_rpc_request *req,
			   struct recap_cap const *caps, unsigned n);

/*
 * The object of ep behind capability argument i of req, if the capability
 * that arrived is really that object's (same gate as the component's own
 * copy: l4_task_cap_equal), else NULL. A badge alone proves nothing: the
 * sender chose it. The message registers are left as they were. The
 * object must not be dissolved meanwhile (the caller's business).
 */
struct recap_rpc_object *recap_rpc_request_object(struct recap_entrypoint *ep,
						  struct recap_rpc_request *req,
						  unsigned i);

/*
 * Keep capability argument i of req: record it in the cap map (a known
 * object keeps its slot; a forged badge is refused, RECAP_ERR_DENIED) and
 * return it with its slot in *cap. The registers are left as they were.
 * RECAP_ERR_NOENT if argument i is no valid capability.
 */
int recap_rpc_request_cap(struct recap_rpc_request *req, unsigned i,
			  struct recap_cap *cap);
