/*
 * recap/rpc.h — calling an RPC object from a component (the client side of
 * recap/rpc_wire.h; Genode's Rpc_client / Ipc_client on Fiasco.OC).
 *
 *	struct rpc_msg m;
 *	recap_rpc_begin(&m, session, RECAP_LOG_WRITE, NULL, 0);
 *	rpc_msg_put_string(&m, text, len);
 *	err = recap_rpc_call(env, session, &m);
 *	... if err == RECAP_OK, m reads the reply's data: rpc_msg_get_word(&m),
 *	    and m.caps[i] are the capabilities it carried, already in the cap
 *	    map (sel = their slot) ...
 *
 * The message is built in the calling thread's UTCB, so nothing else may
 * use the UTCB between begin and the last read of the reply.
 */
#pragma once

#include <l4/sys/types.h>

#include <recap/capability.h>
#include <recap/env.h>
#include <recap/rpc_msg.h>

/* Begin a call of op on dst with ncaps capability arguments. */
void recap_rpc_begin(struct rpc_msg *m, struct recap_cap dst, l4_umword_t op,
		     struct recap_cap const *caps, unsigned ncaps);

/*
 * Send the call to dst and wait for the reply. Returns the first marshalling
 * error of m, RECAP_ERR_IPC if the kernel could not deliver the call or the
 * reply, RECAP_ERR_INVAL for a malformed reply, an error of recording a
 * received capability (cap_map_insert_map: RECAP_ERR_DENIED for a
 * capability under a badge it does not have, RECAP_ERR_NOMEM), or else the
 * server's result (RECAP_OK or a negative enum recap_err).
 * On RECAP_OK m is positioned at the reply's first data word.
 */
int recap_rpc_call(struct recap_env *env, struct recap_cap dst,
		   struct rpc_msg *m);

/*
 * After recap_rpc_call and reading the reply's words: the reply must also
 * have carried exactly one valid capability and nothing else (m->caps[0]).
 * RECAP_OK, or RECAP_ERR_INVAL: the server is broken or hostile.
 */
int recap_rpc_end_one_cap(struct rpc_msg *m);

/* Forget a capability given back or destroyed: drop its cap-map entry. */
void recap_cap_forget(struct recap_env *env, struct recap_cap cap);
