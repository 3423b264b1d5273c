/*
 * l4/sys/irq.h -- software interrupts (Fiasco "IRQ sender" objects):
 * trigger, acknowledge and wait, bind to / detach from a thread.
 *
 * Protocols, as in the l4sys Genode pins (2019):
 *   - operations every IRQ understands (trigger, EOI/unmask) use
 *     L4_PROTO_IRQ, opcode in mr0 where there is one;
 *   - operations of the IRQ-sender type (detach) use L4_PROTO_IRQ_SENDER;
 *   - binding to a thread is the generic receive-endpoint bind
 *     (L4_PROTO_KOBJECT, see rcv_endpoint.h); l4_irq_attach() is kept as
 *     its old name.  (2019 l4sys sent attach as IRQ_SENDER op 0; recap
 *     sends only the receive-endpoint form, so recapd needs only that.)
 * A triggered IRQ arrives at the bound thread as a message whose label is
 * the label given at bind time.  Under the 2019 kernel triggers are
 * counted: n triggers yield n deliveries.
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/types.h>
#include <l4/sys/utcb.h>
#include <l4/sys/ipc.h>
#include <l4/sys/rcv_endpoint.h>

enum L4_irq_sender_op
{
  L4_IRQ_SENDER_OP_ATTACH = 0,  /* 2019 attach; superseded by rcv-ep bind */
  L4_IRQ_SENDER_OP_DETACH = 1,
};

enum L4_irq_op
{
  L4_IRQ_OP_TRIGGER = 2,
  L4_IRQ_OP_EOI     = 4,
};

/*
 * Bind `irq` to `thread`; deliveries carry `label`.  Deprecated in l4sys
 * (use l4_rcv_ep_bind_thread), note the different argument order.
 */
L4_INLINE l4_msgtag_t
l4_irq_attach_u(l4_cap_idx_t irq, l4_umword_t label, l4_cap_idx_t thread,
                l4_utcb_t *u)
{ return l4_rcv_ep_bind_thread_u(irq, thread, label, u); }

L4_INLINE l4_msgtag_t
l4_irq_attach(l4_cap_idx_t irq, l4_umword_t label, l4_cap_idx_t thread)
{ return l4_irq_attach_u(irq, label, thread, l4_utcb()); }

/* Unbind `irq` from its thread. */
L4_INLINE l4_msgtag_t l4_irq_detach_u(l4_cap_idx_t irq, l4_utcb_t *u)
{
  l4_utcb_mr_u(u)->mr[0] = L4_IRQ_SENDER_OP_DETACH;
  return l4_ipc_call(irq, u, l4_msgtag(L4_PROTO_IRQ_SENDER, 1, 0, 0),
                     L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t l4_irq_detach(l4_cap_idx_t irq)
{ return l4_irq_detach_u(irq, l4_utcb()); }

/*
 * Raise the IRQ: an empty send to the IRQ object.  Zero timeouts, because
 * a trigger must never block the triggering thread.
 */
L4_INLINE l4_msgtag_t l4_irq_trigger_u(l4_cap_idx_t irq, l4_utcb_t *u)
{
  return l4_ipc_send(irq, u, l4_msgtag(L4_PROTO_IRQ, 0, 0, 0),
                     L4_IPC_BOTH_TIMEOUT_0);
}

L4_INLINE l4_msgtag_t l4_irq_trigger(l4_cap_idx_t irq)
{ return l4_irq_trigger_u(irq, l4_utcb()); }

/* Acknowledge (EOI) and wait for the next delivery of this `irq` only. */
L4_INLINE l4_msgtag_t
l4_irq_receive_u(l4_cap_idx_t irq, l4_timeout_t to, l4_utcb_t *u)
{
  l4_utcb_mr_u(u)->mr[0] = L4_IRQ_OP_EOI;
  return l4_ipc_call(irq, u, l4_msgtag(L4_PROTO_IRQ, 1, 0, 0), to);
}

L4_INLINE l4_msgtag_t l4_irq_receive(l4_cap_idx_t irq, l4_timeout_t to)
{ return l4_irq_receive_u(irq, to, l4_utcb()); }

/* Acknowledge `irq`, then wait for any message (open wait). */
L4_INLINE l4_msgtag_t
l4_irq_wait_u(l4_cap_idx_t irq, l4_umword_t *label, l4_timeout_t to,
              l4_utcb_t *u)
{
  l4_utcb_mr_u(u)->mr[0] = L4_IRQ_OP_EOI;
  return l4_ipc_send_and_wait(irq, u, l4_msgtag(L4_PROTO_IRQ, 1, 0, 0),
                              label, to);
}

L4_INLINE l4_msgtag_t
l4_irq_wait(l4_cap_idx_t irq, l4_umword_t *label, l4_timeout_t to)
{ return l4_irq_wait_u(irq, label, to, l4_utcb()); }

/* Acknowledge only (EOI); the next trigger may be delivered again. */
L4_INLINE l4_msgtag_t l4_irq_unmask_u(l4_cap_idx_t irq, l4_utcb_t *u)
{
  l4_utcb_mr_u(u)->mr[0] = L4_IRQ_OP_EOI;
  return l4_ipc_send(irq, u, l4_msgtag(L4_PROTO_IRQ, 1, 0, 0), L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t l4_irq_unmask(l4_cap_idx_t irq)
{ return l4_irq_unmask_u(irq, l4_utcb()); }
