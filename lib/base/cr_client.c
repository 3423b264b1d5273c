/*
 * cr_client.c — the CR session client (recap/cr_session.h): one RPC per
 * call. Used by cr (and apps/cr_echo) to take checkpoint and restore
 * requests from core and answer them.
 */
#include <recap/cr_session.h>
#include <recap/err.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>
#include <recap/string.h>

int recap_cr_open(struct recap_env *env, struct recap_cap *cr)
{
	return recap_parent_session(env, "CR", "", cr);
}

int recap_cr_sigh(struct recap_env *env, struct recap_cap cr,
		  struct recap_cap context)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, cr, RECAP_CR_SIGH, &context, 1);
	err = recap_rpc_call(env, cr, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

int recap_cr_fetch(struct recap_env *env, struct recap_cap cr,
		   struct recap_cr_request *req)
{
	struct rpc_msg m;
	int err;

	*req = (struct recap_cr_request){ .ds = recap_cap_invalid() };
	recap_rpc_begin(&m, cr, RECAP_CR_FETCH, NULL, 0);
	err = recap_rpc_call(env, cr, &m);
	if (err != RECAP_OK)
		return err;
	req->id = rpc_msg_get_word(&m);
	req->kind = rpc_msg_get_word(&m);
	req->flags = rpc_msg_get_word(&m);
	req->length = rpc_msg_get_word(&m);
	rpc_msg_get_string(&m, req->target, sizeof(req->target));
	rpc_msg_get_string(&m, req->as_label, sizeof(req->as_label));
	if (req->kind == RECAP_CR_RESTORE) {
		/* Exactly the stream's dataspace, or core is broken. */
		if (recap_rpc_end_one_cap(&m) != RECAP_OK)
			return RECAP_ERR_INVAL;
		req->ds = m.caps[0];
		return RECAP_OK;
	}
	err = rpc_msg_end(&m);
	return err == RECAP_OK && m.ncaps ? RECAP_ERR_INVAL : err;
}

int recap_cr_progress(struct recap_env *env, struct recap_cap cr,
		      unsigned long id, unsigned long done, unsigned long total)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, cr, RECAP_CR_PROGRESS, NULL, 0);
	rpc_msg_put_word(&m, id);
	rpc_msg_put_word(&m, done);
	rpc_msg_put_word(&m, total);
	err = recap_rpc_call(env, cr, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

int recap_cr_done(struct recap_env *env, struct recap_cap cr,
		  struct recap_cr_request *req, int status, char const *message,
		  struct recap_cap ds, unsigned long length)
{
	struct rpc_msg m;
	unsigned ncaps = recap_cap_valid(ds) ? 1 : 0;
	int err;

	if (!message)
		message = "";
	recap_rpc_begin(&m, cr, RECAP_CR_DONE, &ds, ncaps);
	rpc_msg_put_word(&m, req->id);
	rpc_msg_put_word(&m, (unsigned long)(long)status);
	rpc_msg_put_word(&m, length);
	rpc_msg_put_string(&m, message, RECAP_STRING_NAME(strlen)(message));
	err = recap_rpc_call(env, cr, &m);
	if (err == RECAP_OK)
		err = rpc_msg_end(&m);
	/* Core destroys a restore's stream at DONE: its gate is gone. */
	if (recap_cap_valid(req->ds)) {
		recap_cap_forget(env, req->ds);
		req->ds = recap_cap_invalid();
	}
	return err;
}
