/*
 * l4/sys/factory.h -- creating kernel objects (tasks, threads, IPC gates,
 * IRQs) through a factory capability.
 *
 * A create call stages one receive buffer for the new capability
 * (bdr = 0, br[0] = target_cap | L4_RCV_ITEM_SINGLE_CAP), puts the kind of
 * object (a protocol label, 0 for an IPC gate) in mr0 and any argument in
 * mr1, and calls the factory with label L4_PROTO_FACTORY.  The kernel
 * installs the new object in target_cap with all rights (including D),
 * first emptying that slot if it was in use.  Needs S on the factory.
 *
 * recap wire format: arguments are plain words (mr1 = UTCB area or label).
 * L4Re's l4sys wraps each argument in a two-word "varg" record instead
 * (mr1 = type | size << 16, mr2 = value); only recapd sees the difference,
 * the C interface is the same.
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/types.h>
#include <l4/sys/utcb.h>
#include <l4/sys/ipc.h>

/* Stage the receive buffer and mr0; returns the tag for `words` words. */
L4_INLINE l4_msgtag_t
l4x_factory_start_u(long proto, l4_cap_idx_t target_cap, unsigned words,
                    unsigned items, l4_utcb_t *u)
{
  l4_buf_regs_t *b = l4_utcb_br_u(u);
  l4_utcb_mr_u(u)->mr[0] = (l4_umword_t)proto;
  b->bdr   = 0;
  b->br[0] = target_cap | L4_RCV_ITEM_SINGLE_CAP;
  return l4_msgtag(L4_PROTO_FACTORY, words, items, 0);
}

/* Generic form: create an object of kind `proto` (an L4_PROTO_* value). */
L4_INLINE l4_msgtag_t
l4_factory_create_u(l4_cap_idx_t factory, long proto, l4_cap_idx_t target_cap,
                    l4_utcb_t *u)
{
  return l4_ipc_call(factory, u, l4x_factory_start_u(proto, target_cap, 1, 0, u),
                     L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_factory_create(l4_cap_idx_t factory, long proto, l4_cap_idx_t target_cap)
{ return l4_factory_create_u(factory, proto, target_cap, l4_utcb()); }

/*
 * New task whose UTCBs will live in `*utcb_area` (a memory flexpage in the
 * new task's address space; at most 128 KiB under recap, see
 * L4X_MAX_THREADS).  mr0 = L4_PROTO_TASK, mr1 = utcb_area.
 * (Newer l4sys also copies an adjusted area back from mr0 on success;
 * recap's wire format defines no reply words, so *utcb_area is left as is.)
 */
L4_INLINE l4_msgtag_t
l4_factory_create_task_u(l4_cap_idx_t factory, l4_cap_idx_t target_cap,
                         l4_fpage_t *utcb_area, l4_utcb_t *u)
{
  l4_msgtag_t tag = l4x_factory_start_u(L4_PROTO_TASK, target_cap, 2, 0, u);
  l4_utcb_mr_u(u)->mr[1] = utcb_area->raw;
  return l4_ipc_call(factory, u, tag, L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_factory_create_task(l4_cap_idx_t factory, l4_cap_idx_t target_cap,
                       l4_fpage_t *utcb_area)
{ return l4_factory_create_task_u(factory, target_cap, utcb_area, l4_utcb()); }

/* New thread, not yet bound to a task (see l4_thread_control_bind). */
L4_INLINE l4_msgtag_t
l4_factory_create_thread_u(l4_cap_idx_t factory, l4_cap_idx_t target_cap,
                           l4_utcb_t *u)
{ return l4_factory_create_u(factory, L4_PROTO_THREAD, target_cap, u); }

L4_INLINE l4_msgtag_t
l4_factory_create_thread(l4_cap_idx_t factory, l4_cap_idx_t target_cap)
{ return l4_factory_create_thread_u(factory, target_cap, l4_utcb()); }

/*
 * New IPC gate with `label` (low two bits must be 0: the kernel ORs the
 * invoker's W/S rights in there).  If `thread` is a valid cap the gate is
 * bound to it right away; it is passed as a map item so that the kernel
 * resolves it in the caller's space.
 * mr0 = 0, mr1 = label, [mr2 control, mr3 fpage of thread].
 */
L4_INLINE l4_msgtag_t
l4_factory_create_gate_u(l4_cap_idx_t factory, l4_cap_idx_t target_cap,
                         l4_cap_idx_t thread, l4_umword_t label, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  unsigned items = 0;

  v->mr[1] = label;
  if (l4_is_valid_cap(thread))
    {
      v->mr[2] = l4_map_obj_control(0, 0);
      v->mr[3] = l4_obj_fpage(thread, 0, L4_CAP_FPAGE_RWS).raw;
      items = 1;
    }
  return l4_ipc_call(factory, u, l4x_factory_start_u(0, target_cap, 2, items, u),
                     L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_factory_create_gate(l4_cap_idx_t factory, l4_cap_idx_t target_cap,
                       l4_cap_idx_t thread, l4_umword_t label)
{ return l4_factory_create_gate_u(factory, target_cap, thread, label, l4_utcb()); }

/* New software IRQ (an "IRQ sender"); bind it with l4_rcv_ep_bind_thread. */
L4_INLINE l4_msgtag_t
l4_factory_create_irq_u(l4_cap_idx_t factory, l4_cap_idx_t target_cap,
                        l4_utcb_t *u)
{ return l4_factory_create_u(factory, L4_PROTO_IRQ_SENDER, target_cap, u); }

L4_INLINE l4_msgtag_t
l4_factory_create_irq(l4_cap_idx_t factory, l4_cap_idx_t target_cap)
{ return l4_factory_create_irq_u(factory, target_cap, l4_utcb()); }
