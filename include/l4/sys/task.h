/*
 * l4/sys/task.h -- operations on task (protection domain) objects:
 * map and unmap capabilities/memory, query capability slots.
 *
 * Every operation is an l4_ipc_call() on the task capability with label
 * L4_PROTO_TASK and the opcode in mr0.  Each function comes in two forms:
 * foo_u(..., utcb) with an explicit UTCB, and foo(...) for the caller's own.
 * Results come back in the reply label: use l4_error() on the returned tag.
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/types.h>
#include <l4/sys/utcb.h>
#include <l4/sys/ipc.h>

enum L4_task_ops
{
  L4_TASK_MAP_OP         = 0,
  L4_TASK_UNMAP_OP       = 1,
  L4_TASK_CAP_INFO_OP    = 2,
  L4_TASK_ADD_KU_MEM_OP  = 3,     /* no wrapper here */
  L4_TASK_LDT_SET_X86_OP = 0x11,  /* no wrapper here */
};

/*
 * Map `snd_fpage` from `src_task` into `dst_task` at `snd_base` (for caps:
 * the destination selector; the receive window is all of dst_task).
 * Message: mr0 op, mr1 snd_base, mr2 fpage, then one map item that carries
 * the source task itself [mr3 control, mr4 fpage of src_task].
 * Needs W on dst_task; S survives only if fpage, src and dst caps have S.
 */
L4_INLINE l4_msgtag_t
l4_task_map_u(l4_cap_idx_t dst_task, l4_cap_idx_t src_task,
              l4_fpage_t snd_fpage, l4_umword_t snd_base, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[0] = L4_TASK_MAP_OP;
  v->mr[1] = snd_base;
  v->mr[2] = snd_fpage.raw;
  v->mr[3] = l4_map_obj_control(0, 0);
  v->mr[4] = l4_obj_fpage(src_task, 0, L4_CAP_FPAGE_RWS).raw;
  return l4_ipc_call(dst_task, u, l4_msgtag(L4_PROTO_TASK, 3, 1, 0),
                     L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_task_map(l4_cap_idx_t dst_task, l4_cap_idx_t src_task,
            l4_fpage_t snd_fpage, l4_umword_t snd_base)
{ return l4_task_map_u(dst_task, src_task, snd_fpage, snd_base, l4_utcb()); }

/*
 * Revoke the rights in `fpage` from the mappings in `task` (map_mask: one
 * of L4_FP_OTHER_SPACES, L4_FP_ALL_SPACES, L4_FP_DELETE_OBJ).
 * Message: mr0 op, mr1 mask, mr2 fpage.
 */
L4_INLINE l4_msgtag_t
l4_task_unmap_u(l4_cap_idx_t task, l4_fpage_t fpage, l4_umword_t map_mask,
                l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[0] = L4_TASK_UNMAP_OP;
  v->mr[1] = map_mask;
  v->mr[2] = fpage.raw;
  return l4_ipc_call(task, u, l4_msgtag(L4_PROTO_TASK, 3, 0, 0), L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_task_unmap(l4_cap_idx_t task, l4_fpage_t fpage, l4_umword_t map_mask)
{ return l4_task_unmap_u(task, fpage, map_mask, l4_utcb()); }

/*
 * Unmap several flexpages in one call (mr2.. hold the fpages).  At most
 * L4_UTCB_GENERIC_DATA_SIZE - 2 (61) fit; for more, nothing is sent and the
 * result is an IPC error L4_IPC_SEMSGCUT ("message cut") rather than a
 * silent overrun of the message registers.
 */
L4_INLINE l4_msgtag_t
l4_task_unmap_batch_u(l4_cap_idx_t task, l4_fpage_t const *fpages,
                      unsigned num_fpages, l4_umword_t map_mask, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  unsigned i;

  if (num_fpages > L4_UTCB_GENERIC_DATA_SIZE - 2)
    {
      l4_utcb_tcr_u(u)->error = L4_IPC_SEMSGCUT;
      return l4_msgtag(0, 0, 0, L4_MSGTAG_ERROR);
    }

  v->mr[0] = L4_TASK_UNMAP_OP;
  v->mr[1] = map_mask;
  for (i = 0; i < num_fpages; ++i)
    v->mr[2 + i] = fpages[i].raw;
  return l4_ipc_call(task, u, l4_msgtag(L4_PROTO_TASK, 2 + num_fpages, 0, 0),
                     L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_task_unmap_batch(l4_cap_idx_t task, l4_fpage_t const *fpages,
                    unsigned num_fpages, l4_umword_t map_mask)
{ return l4_task_unmap_batch_u(task, fpages, num_fpages, map_mask, l4_utcb()); }

/* Destroy the object behind `obj` (needs D on the cap). */
L4_INLINE l4_msgtag_t
l4_task_delete_obj_u(l4_cap_idx_t task, l4_cap_idx_t obj, l4_utcb_t *u)
{
  return l4_task_unmap_u(task, l4_obj_fpage(obj, 0, L4_CAP_FPAGE_RWSD),
                         L4_FP_DELETE_OBJ, u);
}

L4_INLINE l4_msgtag_t
l4_task_delete_obj(l4_cap_idx_t task, l4_cap_idx_t obj)
{ return l4_task_delete_obj_u(task, obj, l4_utcb()); }

/* Empty slot `cap` in `task` (and everything mapped from it). */
L4_INLINE l4_msgtag_t
l4_task_release_cap_u(l4_cap_idx_t task, l4_cap_idx_t cap, l4_utcb_t *u)
{
  return l4_task_unmap_u(task, l4_obj_fpage(cap, 0, L4_CAP_FPAGE_RWSD),
                         L4_FP_ALL_SPACES, u);
}

L4_INLINE l4_msgtag_t
l4_task_release_cap(l4_cap_idx_t task, l4_cap_idx_t cap)
{ return l4_task_release_cap_u(task, cap, l4_utcb()); }

/*
 * Is slot `cap` of `task` populated?  Reply label > 0: yes, 0: empty.
 * Bit 0 of mr1 asks Fiasco a different question, so it is kept clear, as
 * l4sys does.
 */
L4_INLINE l4_msgtag_t
l4_task_cap_valid_u(l4_cap_idx_t task, l4_cap_idx_t cap, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[0] = L4_TASK_CAP_INFO_OP;
  v->mr[1] = cap & ~1UL;
  return l4_ipc_call(task, u, l4_msgtag(L4_PROTO_TASK, 2, 0, 0), L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_task_cap_valid(l4_cap_idx_t task, l4_cap_idx_t cap)
{ return l4_task_cap_valid_u(task, cap, l4_utcb()); }

/* Do slots `cap_a` and `cap_b` of `task` name the same object?  Label 1/0. */
L4_INLINE l4_msgtag_t
l4_task_cap_equal_u(l4_cap_idx_t task, l4_cap_idx_t cap_a,
                    l4_cap_idx_t cap_b, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[0] = L4_TASK_CAP_INFO_OP;
  v->mr[1] = cap_a;
  v->mr[2] = cap_b;
  return l4_ipc_call(task, u, l4_msgtag(L4_PROTO_TASK, 3, 0, 0), L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_task_cap_equal(l4_cap_idx_t task, l4_cap_idx_t cap_a, l4_cap_idx_t cap_b)
{ return l4_task_cap_equal_u(task, cap_a, cap_b, l4_utcb()); }
