/*
 * root.c — a component's root objects (recap/root.h): the parent's
 * SESSION and CLOSE calls, read and checked here, handed to the server's
 * callbacks.
 *
 * The handlers run while the parent waits for them (recap/root.h), so this
 * file calls nobody: it only reads the request and builds the reply.
 */
#include <recap/err.h>
#include <recap/parent.h>
#include <recap/root.h>

static int root_session(struct recap_root *root, struct recap_rpc_request *req)
{
	char label[RECAP_ROOT_LABEL_MAX + 1];
	char args[RECAP_SESSION_ARGS_MAX + 1];
	struct recap_cap session = recap_cap_invalid();
	int err;

	rpc_msg_get_string(&req->msg, label, sizeof(label));
	rpc_msg_get_string(&req->msg, args, sizeof(args));
	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps || !label[0])
		return RECAP_ERR_INVAL;
	err = root->session(root, label, args, &session);
	if (err != RECAP_OK)
		return err;
	/* A callback that claims success owes a capability. */
	if (!recap_cap_valid(session))
		return RECAP_ERR_INVAL;
	recap_rpc_reply_start(req, &session, 1);
	return RECAP_OK;
}

static int root_close(struct recap_root *root, struct recap_rpc_request *req)
{
	struct recap_rpc_object *obj;

	if (rpc_msg_end(&req->msg) != RECAP_OK || req->msg.ncaps != 1)
		return RECAP_ERR_INVAL;
	obj = recap_rpc_request_object(root->ep, req, 0);
	if (!obj || obj == &root->obj)
		return RECAP_ERR_NOENT;
	if (root->close)
		root->close(root, obj);
	return RECAP_OK;
}

static int root_dispatch(struct recap_rpc_object *obj,
			 struct recap_rpc_request *req)
{
	struct recap_root *root = RECAP_CONTAINER_OF(obj, struct recap_root, obj);

	switch (req->op) {
	case RECAP_ROOT_SESSION:
		return root_session(root, req);
	case RECAP_ROOT_CLOSE:
		return root_close(root, req);
	}
	return RECAP_ERR_INVAL;
}

int recap_root_manage(struct recap_entrypoint *ep, struct recap_root *root,
		      recap_root_session_fn session, recap_root_close_fn close,
		      void *arg)
{
	root->ep = ep;
	root->session = session;
	root->close = close;
	root->arg = arg;
	return recap_ep_manage(ep, &root->obj, root_dispatch);
}
