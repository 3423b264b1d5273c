/*
 * recap/parent.h — the parent interface: what a component asks of whoever
 * started it, through the gate at RECAP_PARENT_SLOT (whose badge the
 * component finds in its own `_parent_cap` word at the start of .data).
 *
 * Opcodes and arguments (wire format: recap/rpc_wire.h):
 *   SESSION   string service, string args      -> 1 cap: the session
 *             args are Genode-style: "label=\"x\", ram_quota=4096"
 *   UPGRADE   cap session, string args          -> -
 *   CLOSE     cap session                       -> -
 *   ANNOUNCE  string service, cap root          -> -
 *   EXIT      word code                         -> (no reply expected)
 * Errors: RECAP_ERR_DENIED (unknown or unrouted service),
 *         RECAP_ERR_NOMEM (quota), RECAP_ERR_INVAL (malformed request),
 *         for a service a component provides (recap/root.h) also
 *         RECAP_ERR_AGAIN (not announced yet, or its server busy: retry)
 *         and RECAP_ERR_IPC (its server took the request, never answered).
 *
 * Both strings of a SESSION must fit one message: the limits below keep
 * them within the registers (3 header words + 1 + 8 + 1 + 32 < 63).
 *
 * The client side is recap/parent_client.h; core's parent objects serve
 * it (core/parent.c).
 */
#pragma once

#define RECAP_SERVICE_NAME_MAX 63	/* bytes, as a scenario name */
#define RECAP_SESSION_ARGS_MAX 256	/* bytes */

enum recap_parent_op {
	RECAP_PARENT_SESSION = 1,
	RECAP_PARENT_UPGRADE = 2,
	RECAP_PARENT_CLOSE = 3,
	RECAP_PARENT_ANNOUNCE = 4,
	RECAP_PARENT_EXIT = 5,
};
