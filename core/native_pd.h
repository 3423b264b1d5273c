/*
 * native_pd.h — core's side of the native PD interface
 * (recap/native_pd.h), the C/R extension of the PD session: requests on
 * a PD session whose opcode is one of RECAP_NATIVE_PD_*_OP are handed here
 * with the session's client, the PD they act on.
 */
#pragma once

#include <stdbool.h>

#include <l4/sys/types.h>

#include <recap/native_pd.h>

struct child;
struct rpc_request;

/* Is op one of the native PD's opcodes? */
static inline bool native_pd_op(l4_umword_t op)
{
	return op >= RECAP_NATIVE_PD_FIRST_OP && op <= RECAP_NATIVE_PD_LAST_OP;
}

/* Serve one native PD request on c's PD (pd_session.c's dispatch). */
int native_pd_dispatch(struct child *c, struct rpc_request *req);
