/*
 * l4/sys/thread.h -- operations on thread objects: exchange registers
 * (start / redirect / interrupt a thread) and thread control (pager,
 * exception handler, binding to a task and UTCB).
 *
 * All are calls on the thread capability with label L4_PROTO_THREAD and the
 * opcode in the low 16 bits of mr0.
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/types.h>
#include <l4/sys/utcb.h>
#include <l4/sys/ipc.h>

enum L4_thread_ops
{
  L4_THREAD_CONTROL_OP                = 0,
  L4_THREAD_EX_REGS_OP                = 1,
  L4_THREAD_SWITCH_OP                 = 2,
  L4_THREAD_STATS_OP                  = 3,     /* no wrapper here */
  L4_THREAD_VCPU_RESUME_OP            = 4,     /* no wrapper here */
  L4_THREAD_REGISTER_DELETE_IRQ_OP    = 5,     /* no wrapper here */
  L4_THREAD_MODIFY_SENDER_OP          = 6,     /* no wrapper here */
  L4_THREAD_VCPU_CONTROL_OP           = 7,     /* no wrapper here */
  L4_THREAD_X86_GDT_OP                = 0x10,  /* no wrapper here */
  L4_THREAD_AMD64_SET_SEGMENT_BASE_OP = 0x12,  /* no wrapper here */
  L4_THREAD_AMD64_GET_SEGMENT_INFO_OP = 0x13,  /* no wrapper here */
  L4_THREAD_OPCODE_MASK               = 0xffff,
};

/* ---- Exchange registers ------------------------------------------------- */

/* Flags in mr0 above the opcode. */
enum L4_thread_ex_regs_flags
{
  L4_THREAD_EX_REGS_CANCEL            = 0x10000,  /* abort a pending IPC */
  L4_THREAD_EX_REGS_TRIGGER_EXCEPTION = 0x20000,  /* make it raise trapno 0xff */
};
#define L4_THREAD_EX_REGS_ARCH_MASK 0xff000000UL  /* architecture specific */

/*
 * Set instruction and stack pointer of `thread` (~0UL keeps a value).
 * mr0 = EX_REGS_OP | flags, mr1 = ip, mr2 = sp.  The kernel answers with
 * the previous flags/ip/sp in mr0..mr2 (see l4_thread_ex_regs_ret).
 */
L4_INLINE l4_msgtag_t
l4_thread_ex_regs_u(l4_cap_idx_t thread, l4_addr_t ip, l4_addr_t sp,
                    l4_umword_t flags, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[0] = L4_THREAD_EX_REGS_OP | flags;
  v->mr[1] = ip;
  v->mr[2] = sp;
  return l4_ipc_call(thread, u, l4_msgtag(L4_PROTO_THREAD, 3, 0, 0),
                     L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_thread_ex_regs(l4_cap_idx_t thread, l4_addr_t ip, l4_addr_t sp,
                  l4_umword_t flags)
{ return l4_thread_ex_regs_u(thread, ip, sp, flags, l4_utcb()); }

/* As above, and on success replace *ip, *sp, *flags by the old values. */
L4_INLINE l4_msgtag_t
l4_thread_ex_regs_ret_u(l4_cap_idx_t thread, l4_addr_t *ip, l4_addr_t *sp,
                        l4_umword_t *flags, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  l4_msgtag_t tag = l4_thread_ex_regs_u(thread, *ip, *sp, *flags, u);

  if (l4_error_u(tag, u))  /* success is label 0, as in l4sys */
    return tag;
  *flags = v->mr[0];
  *ip    = v->mr[1];
  *sp    = v->mr[2];
  return tag;
}

L4_INLINE l4_msgtag_t
l4_thread_ex_regs_ret(l4_cap_idx_t thread, l4_addr_t *ip, l4_addr_t *sp,
                      l4_umword_t *flags)
{ return l4_thread_ex_regs_ret_u(thread, ip, sp, flags, l4_utcb()); }

/* ---- Thread control ----------------------------------------------------- */

/*
 * Thread control is built up in the message registers and sent at once:
 *   l4_thread_control_start();
 *   l4_thread_control_pager(pager);          (any subset of the setters)
 *   l4_thread_control_bind(utcb, task);
 *   tag = l4_thread_control_commit(thread);
 * mr0 holds the opcode plus one flag per setter used; each setter fills
 * its own register, so the message always has 6 words.
 */
enum L4_thread_control_flags
{
  L4_THREAD_CONTROL_SET_PAGER       = 0x0010000,
  L4_THREAD_CONTROL_BIND_TASK       = 0x0200000,
  L4_THREAD_CONTROL_ALIEN           = 0x0400000,
  L4_THREAD_CONTROL_UX_NATIVE       = 0x0800000,  /* Fiasco-UX only */
  L4_THREAD_CONTROL_SET_EXC_HANDLER = 0x1000000,
};

enum L4_thread_control_mr_indices
{
  L4_THREAD_CONTROL_MR_IDX_FLAGS       = 0,
  L4_THREAD_CONTROL_MR_IDX_PAGER       = 1,
  L4_THREAD_CONTROL_MR_IDX_EXC_HANDLER = 2,
  L4_THREAD_CONTROL_MR_IDX_FLAG_VALS   = 4,  /* on/off values for flag bits */
  L4_THREAD_CONTROL_MR_IDX_BIND_UTCB   = 5,
  L4_THREAD_CONTROL_MR_IDX_BIND_TASK   = 6,  /* map item: mr6, mr7 */
};

L4_INLINE void l4_thread_control_start_u(l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[L4_THREAD_CONTROL_MR_IDX_FLAGS]     = L4_THREAD_CONTROL_OP;
  /* Setters only OR bits into this word, so it must start out clear. */
  v->mr[L4_THREAD_CONTROL_MR_IDX_FLAG_VALS] = 0;
}

L4_INLINE void l4_thread_control_start(void)
{ l4_thread_control_start_u(l4_utcb()); }

/* Pager, as a selector in the *controlled thread's* task. */
L4_INLINE void l4_thread_control_pager_u(l4_cap_idx_t pager, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[L4_THREAD_CONTROL_MR_IDX_FLAGS] |= L4_THREAD_CONTROL_SET_PAGER;
  v->mr[L4_THREAD_CONTROL_MR_IDX_PAGER]  = pager;
}

L4_INLINE void l4_thread_control_pager(l4_cap_idx_t pager)
{ l4_thread_control_pager_u(pager, l4_utcb()); }

/* Exception handler, as a selector in the controlled thread's task. */
L4_INLINE void
l4_thread_control_exc_handler_u(l4_cap_idx_t exc_handler, l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[L4_THREAD_CONTROL_MR_IDX_FLAGS]      |= L4_THREAD_CONTROL_SET_EXC_HANDLER;
  v->mr[L4_THREAD_CONTROL_MR_IDX_EXC_HANDLER] = exc_handler;
}

L4_INLINE void l4_thread_control_exc_handler(l4_cap_idx_t exc_handler)
{ l4_thread_control_exc_handler_u(exc_handler, l4_utcb()); }

/*
 * Bind the thread to `task`, with its UTCB at `thread_utcb` (an address in
 * task's UTCB area).  The task travels as a map item so the kernel checks
 * the caller's right to it.
 */
L4_INLINE void
l4_thread_control_bind_u(l4_utcb_t *thread_utcb, l4_cap_idx_t task,
                         l4_utcb_t *u)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[L4_THREAD_CONTROL_MR_IDX_FLAGS]        |= L4_THREAD_CONTROL_BIND_TASK;
  v->mr[L4_THREAD_CONTROL_MR_IDX_BIND_UTCB]     = (l4_addr_t)thread_utcb;
  v->mr[L4_THREAD_CONTROL_MR_IDX_BIND_TASK]     = L4_ITEM_MAP;
  v->mr[L4_THREAD_CONTROL_MR_IDX_BIND_TASK + 1] =
    l4_obj_fpage(task, 0, L4_CAP_FPAGE_RWS).raw;
}

L4_INLINE void l4_thread_control_bind(l4_utcb_t *thread_utcb, l4_cap_idx_t task)
{ l4_thread_control_bind_u(thread_utcb, task, l4_utcb()); }

/* Alien mode: the thread's system calls are reported to its exc handler.
 * (Argument order of the _u form as in l4sys: UTCB first.) */
L4_INLINE void l4_thread_control_alien_u(l4_utcb_t *u, int on)
{
  l4_msg_regs_t *v = l4_utcb_mr_u(u);
  v->mr[L4_THREAD_CONTROL_MR_IDX_FLAGS] |= L4_THREAD_CONTROL_ALIEN;
  if (on)
    v->mr[L4_THREAD_CONTROL_MR_IDX_FLAG_VALS] |= L4_THREAD_CONTROL_ALIEN;
}

L4_INLINE void l4_thread_control_alien(int on)
{ l4_thread_control_alien_u(l4_utcb(), on); }

L4_INLINE l4_msgtag_t l4_thread_control_commit_u(l4_cap_idx_t thread, l4_utcb_t *u)
{
  unsigned items =
    (l4_utcb_mr_u(u)->mr[L4_THREAD_CONTROL_MR_IDX_FLAGS]
     & L4_THREAD_CONTROL_BIND_TASK) ? 1 : 0;
  return l4_ipc_call(thread, u, l4_msgtag(L4_PROTO_THREAD, 6, items, 0),
                     L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t l4_thread_control_commit(l4_cap_idx_t thread)
{ return l4_thread_control_commit_u(thread, l4_utcb()); }

/* ---- Scheduling hints --------------------------------------------------- */

/* Give up the CPU: a receive that times out immediately. */
L4_INLINE l4_msgtag_t l4_thread_yield(void)
{
  l4_ipc_receive(L4_INVALID_CAP, l4_utcb(), L4_IPC_BOTH_TIMEOUT_0);
  return l4_msgtag(0, 0, 0, 0);
}

/* Donate the rest of the time slice to `to_thread` (a hint). */
L4_INLINE l4_msgtag_t l4_thread_switch_u(l4_cap_idx_t to_thread, l4_utcb_t *u)
{
  l4_utcb_mr_u(u)->mr[0] = L4_THREAD_SWITCH_OP;
  return l4_ipc_call(to_thread, u, l4_msgtag(L4_PROTO_THREAD, 1, 0, 0),
                     L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t l4_thread_switch(l4_cap_idx_t to_thread)
{ return l4_thread_switch_u(to_thread, l4_utcb()); }
