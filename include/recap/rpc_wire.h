/*
 * recap/rpc_wire.h — the RPC wire format between components and core: the
 * one Genode uses on Fiasco.OC, so that what crosses a gate can be read the
 * same way on both sides.
 *
 * A call goes through an IPC gate whose label is the badge of the RPC
 * object behind it (core allocates badges: multiples of 4, so the kernel can
 * OR the invoker's W/S bits into the label). Message registers of a call:
 *
 *   mr[0]            the destination's badge as the client knows it. No
 *                    server checks it: the label the kernel delivers
 *                    (& ~3) picks the object, and a restored client keeps
 *                    sending the badges it remembers while its capabilities
 *                    may carry new labels
 *   mr[1]            n, the number of capability arguments (0..4)
 *   mr[2 .. 2+n)     their badges (RECAP_BADGE_INVALID for an invalid one),
 *                    the sender's claims: core looks a received capability
 *                    up by its kernel label (l4x_cap_info), a component by
 *                    the claimed badge; both confirm with l4_task_cap_equal
 *   mr[2+n]          the opcode
 *   mr[3+n ..)       argument words
 *   then one map item per valid capability, in order:
 *                    [L4_ITEM_MAP, l4_obj_fpage(sel, 0, L4_FPAGE_RWX)]
 *   tag: l4_msgtag(0, words, items, 0)
 *
 * A reply has the same shape with mr[0] the result (RECAP_OK or a negative
 * enum recap_err) and no opcode: result data words follow the badges.
 *
 * Receiving capabilities: before a call (client) or a wait (server) the
 * receiver arms its buffer registers with a window of four consecutive
 * slots: bdr = 0, br[i] = (window + i) << 12 | L4_RCV_ITEM_SINGLE_CAP. The
 * i-th valid badge of a message pairs with window slot i and goes through
 * cap_map_insert_map() (recap/cap_map.h), which keeps one slot per object.
 *
 * Strings travel as a length word followed by the bytes, packed into words
 * (little endian), without a terminating NUL. A string holds no NUL byte.
 *
 * Receivers check everything before they act (lib/base/rpc_msg.c does it
 * for both sides): words >= 2 + n (+ 1 for the opcode of a call), n <= 4,
 * exactly one map item per valid badge, string lengths within the words
 * sent and at most RECAP_RPC_MAX_STRING, no words left over.
 *
 * Code: recap/rpc_msg.h builds and reads messages in this format.
 */
#pragma once

#include <l4/sys/types.h>

#include <recap/badge.h>

#define RECAP_RPC_MAX_CAPS 4

/* Longest string one message carries (leaves room for the header words). */
#define RECAP_RPC_MAX_STRING 384

/* Word indices of a call with n capability arguments. */
static inline unsigned recap_rpc_opcode_word(unsigned ncaps)
{
	return 2 + ncaps;
}

/* Word index of the first result data word of a reply with n capabilities. */
static inline unsigned recap_rpc_reply_data_word(unsigned ncaps)
{
	return 2 + ncaps;
}
