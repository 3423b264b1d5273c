/*
 * l4/sys/ipc_gate.h -- IPC gates: kernel objects that forward every message
 * sent to them to the thread they are bound to, stamped with the gate's
 * label.  Create one with l4_factory_create_gate().
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/types.h>
#include <l4/sys/utcb.h>
#include <l4/sys/ipc.h>
#include <l4/sys/rcv_endpoint.h>

enum L4_ipc_gate_ops
{
  L4_IPC_GATE_BIND_OP     = 0x10,  /* == L4_RCV_EP_BIND_OP */
  L4_IPC_GATE_GET_INFO_OP = 0x11,
};

/* Old name of l4_rcv_ep_bind_thread() for gates. */
L4_INLINE l4_msgtag_t
l4_ipc_gate_bind_thread_u(l4_cap_idx_t gate, l4_cap_idx_t thread,
                          l4_umword_t label, l4_utcb_t *u)
{ return l4_rcv_ep_bind_thread_u(gate, thread, label, u); }

L4_INLINE l4_msgtag_t
l4_ipc_gate_bind_thread(l4_cap_idx_t gate, l4_cap_idx_t thread,
                        l4_umword_t label)
{ return l4_rcv_ep_bind_thread_u(gate, thread, label, l4_utcb()); }

/* Read the gate's label (returned in mr0) into *label. */
L4_INLINE l4_msgtag_t
l4_ipc_gate_get_infos_u(l4_cap_idx_t gate, l4_umword_t *label, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  l4_msgtag_t tag;

  v->mr[0] = L4_IPC_GATE_GET_INFO_OP;
  tag = l4_ipc_call(gate, u, l4_msgtag(L4_PROTO_KOBJECT, 1, 0, 0),
                    L4_IPC_NEVER);
  if (!l4_msgtag_has_error(tag) && l4_msgtag_label(tag) >= 0)
    *label = v->mr[0];
  return tag;
}

L4_INLINE l4_msgtag_t
l4_ipc_gate_get_infos(l4_cap_idx_t gate, l4_umword_t *label)
{ return l4_ipc_gate_get_infos_u(gate, label, l4_utcb()); }
