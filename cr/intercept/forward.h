/*
 * forward.h — passing a child's call on to the real object, and keeping a
 * copy of both halves for whoever records it.
 *
 * Every session cr hands a child is an object of cr's that stands for a
 * session of core's (or of a third party's). Most of its work is the same
 * for every service: take the call apart, make the same call on the real
 * object, and give the child the reply as it came. What differs per
 * service is only what to remember, so the forwarder hands the recorder
 * the call and the reply as words and capabilities (struct cr_call), and
 * the recorder reads them with the usual rpc_msg cursor (cr_call_args,
 * cr_call_reply).
 *
 * Capabilities the child sends are passed on from cr's receive window
 * without being kept; capabilities in the reply are recorded in cr's cap
 * map (recap_rpc_call does it) before they go on to the child, so cr holds
 * a copy of everything core hands its children.
 */
#pragma once

#include <l4/sys/types.h>
#include <l4/sys/utcb.h>

#include <recap/capability.h>
#include <recap/env.h>
#include <recap/rpc_server.h>
#include <recap/rpc_wire.h>

/* One call and its reply, as they crossed cr. */
struct cr_call {
	l4_umword_t op;
	/* The call: words after the opcode, and its capabilities (in cr's
	 * receive window: valid until cr next receives). */
	l4_umword_t args[L4_UTCB_GENERIC_DATA_SIZE];
	unsigned nargs;
	struct recap_cap arg_caps[RECAP_RPC_MAX_CAPS];
	unsigned narg_caps;
	/* The reply: result, data words, capabilities (cr's own copies). */
	int result;
	l4_umword_t ret[L4_UTCB_GENERIC_DATA_SIZE];
	unsigned nret;
	struct recap_cap ret_caps[RECAP_RPC_MAX_CAPS];
	unsigned nret_caps;
};

/*
 * Take req (its opcode read, nothing else) apart into call. RECAP_OK, or
 * RECAP_ERR_INVAL if words were read from it already.
 */
int cr_call_take(struct recap_rpc_request *req, struct cr_call *call);

/*
 * Make the call on dst and fill in the reply half. Returns the call's
 * result (also in call->result); RECAP_ERR_IPC if dst is gone.
 */
int cr_call_make(struct recap_env *env, struct recap_cap dst, struct cr_call *call);

/* Answer req with call's reply (result, words, capabilities). */
int cr_call_answer(struct recap_rpc_request *req, struct cr_call const *call);

/* Read cursors over the call's argument words and the reply's data words. */
void cr_call_args(struct cr_call *call, struct rpc_msg *m);
void cr_call_reply(struct cr_call *call, struct rpc_msg *m);

/* cr_call_take, cr_call_make and cr_call_answer in one: a plain forward. */
int cr_forward(struct recap_env *env, struct recap_cap dst,
	       struct recap_rpc_request *req, struct cr_call *call);
