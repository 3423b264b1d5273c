/*
 * l4/sys/rcv_endpoint.h -- binding a receive endpoint (IPC gate or IRQ) to
 * the thread that will receive what arrives through it.
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/types.h>
#include <l4/sys/utcb.h>
#include <l4/sys/ipc.h>

enum L4_rcv_ep_ops
{
  L4_RCV_EP_BIND_OP = 0x10,
};

/*
 * Bind endpoint `ep` to `thread`; messages arriving through it carry
 * `label` (for a gate: label | the invoker's W/S rights, so the low two
 * bits of a gate label must be 0, else -L4_EINVAL).  Needs S on both caps.
 * mr0 op, mr1 label, then the thread as a map item [mr2, mr3], so that the
 * kernel checks the caller's rights on it.
 */
L4_INLINE l4_msgtag_t
l4_rcv_ep_bind_thread_u(l4_cap_idx_t ep, l4_cap_idx_t thread,
                        l4_umword_t label, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[0] = L4_RCV_EP_BIND_OP;
  v->mr[1] = label;
  v->mr[2] = l4_map_obj_control(0, 0);
  v->mr[3] = l4_obj_fpage(thread, 0, L4_CAP_FPAGE_RWS).raw;
  return l4_ipc_call(ep, u, l4_msgtag(L4_PROTO_KOBJECT, 2, 1, 0),
                     L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_rcv_ep_bind_thread(l4_cap_idx_t ep, l4_cap_idx_t thread, l4_umword_t label)
{ return l4_rcv_ep_bind_thread_u(ep, thread, label, l4_utcb()); }
