/*
 * l4/sys/utcb.h -- the user-level thread control block (UTCB), amd64 layout.
 *
 * Each thread owns a 1 KiB UTCB in its task's UTCB area, shared with the
 * kernel (in recap: with recapd, through shared memory).  It holds
 *   offset    0: message registers  (l4_msg_regs_t, 63 words)
 *   offset  512: buffer registers   (l4_buf_regs_t, bdr + 58 words)
 *   offset  984: thread registers   (l4_thread_regs_t, 5 words)
 * Exceptions reuse the message registers as l4_exc_regs_t.
 *
 * Also here: the IPC error codes found in tcr->error and l4_error(), which
 * turns a reply tag into a single signed result.
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/l4int.h>
#include <l4/sys/types.h>
#include <l4/sys/err.h>

#define L4_UTCB_GENERIC_DATA_SIZE    63
#define L4_UTCB_GENERIC_BUFFERS_SIZE 58
#define L4_UTCB_MSG_REGS_OFFSET      0
#define L4_UTCB_BUF_REGS_OFFSET      (64 * sizeof(l4_umword_t))
#define L4_UTCB_THREAD_REGS_OFFSET   (123 * sizeof(l4_umword_t))
#define L4_UTCB_EXCEPTION_REGS_SIZE  (sizeof(l4_exc_regs_t) / sizeof(l4_umword_t))
/* (L4_UTCB_OFFSET, the size of one UTCB, is in consts.h.) */

/* Opaque: only ever used through the accessors below. */
typedef struct l4_utcb_t l4_utcb_t;

typedef union l4_msg_regs_t
{
  l4_umword_t mr[L4_UTCB_GENERIC_DATA_SIZE];
  l4_uint64_t mr64[L4_UTCB_GENERIC_DATA_SIZE];  /* same thing on amd64 */
} l4_msg_regs_t;

typedef struct l4_buf_regs_t
{
  l4_umword_t bdr;                                /* buffer descriptor */
  l4_umword_t br[L4_UTCB_GENERIC_BUFFERS_SIZE];   /* receive buffers */
} l4_buf_regs_t;

typedef struct l4_thread_regs_t
{
  l4_umword_t error;        /* IPC error code when the tag has L4_MSGTAG_ERROR */
  /*
   * Fiasco: cleared by the kernel once the UTCB is free again.
   * recap: holds the UTCB's own address (written by recapd at bind time) so
   * that l4_utcb_direct() is one %gs-relative load.  Do not modify.
   */
  l4_umword_t free_marker;
  l4_umword_t user[3];      /* preserved, never interpreted by the kernel */
} l4_thread_regs_t;

/*
 * Register state delivered with an exception IPC (L4_PROTO_EXCEPTION) and
 * accepted back in the reply, in Fiasco's amd64 order.
 */
typedef struct l4_exc_regs_t
{
  l4_umword_t r15, r14, r13, r12, r11, r10, r9, r8;
  l4_umword_t rdi, rsi, rbp;
  l4_umword_t pfa;          /* page-fault address */
  l4_umword_t rbx, rdx, rcx, rax;
  l4_umword_t trapno;       /* x86 vector; 0xff for an ex_regs-triggered one */
  l4_umword_t err;          /* hardware error code */
  l4_umword_t ip;
  union
  {
    l4_umword_t cs;
    l4_umword_t dummy1;     /* l4sys' name for this slot */
  };
  l4_umword_t flags;        /* rflags */
  l4_umword_t sp;
  l4_umword_t ss;
  l4_umword_t fs_base;
  l4_umword_t gs_base;
  l4_uint16_t ds, es, fs, gs;
} l4_exc_regs_t;

/*
 * recap: a concrete picture of one UTCB, for the kernel side and for the
 * layout checks below.  User code goes through the l4_utcb_*_u() accessors.
 */
struct l4x_utcb_layout
{
  l4_msg_regs_t    mr;
  l4_umword_t      reserved;  /* pads the buffer registers to 64 * 8 */
  l4_buf_regs_t    br;
  l4_thread_regs_t tcr;
};

/*
 * recap: every thread runs with its %gs base at its UTCB, and
 * tcr.free_marker holds the UTCB's own address (a %gs-relative load cannot
 * yield the base itself).  Fiasco keeps the pointer at %gs:0 instead.
 */
#define L4X_UTCB_SELF_OFFSET 992

_Static_assert(__builtin_offsetof(struct l4x_utcb_layout, br)
               == L4_UTCB_BUF_REGS_OFFSET, "buffer registers misplaced");
_Static_assert(__builtin_offsetof(struct l4x_utcb_layout, tcr)
               == L4_UTCB_THREAD_REGS_OFFSET, "thread registers misplaced");
_Static_assert(sizeof(struct l4x_utcb_layout) == L4_UTCB_OFFSET,
               "one UTCB must be exactly 1 KiB");
_Static_assert(L4_UTCB_THREAD_REGS_OFFSET
               + __builtin_offsetof(l4_thread_regs_t, free_marker)
               == L4X_UTCB_SELF_OFFSET, "L4X_UTCB_SELF_OFFSET is stale");
_Static_assert(sizeof(l4_exc_regs_t) <= sizeof(l4_msg_regs_t),
               "exception state must fit the message registers");

/* The calling thread's UTCB (recap: %gs:992, see above). */
L4_INLINE l4_utcb_t *l4_utcb_direct(void)
{
  l4_utcb_t *u;
  /* Not volatile: the value is fixed for the lifetime of the thread. */
  __asm__ ("movq %%gs:" L4X_STR(L4X_UTCB_SELF_OFFSET) ", %0" : "=r" (u));
  return u;
}

L4_INLINE l4_utcb_t *l4_utcb(void)
{ return l4_utcb_direct(); }

L4_INLINE l4_msg_regs_t *l4_utcb_mr_u(l4_utcb_t *u)
{ return (l4_msg_regs_t *)((l4_addr_t)u + L4_UTCB_MSG_REGS_OFFSET); }

L4_INLINE l4_buf_regs_t *l4_utcb_br_u(l4_utcb_t *u)
{ return (l4_buf_regs_t *)((l4_addr_t)u + L4_UTCB_BUF_REGS_OFFSET); }

L4_INLINE l4_thread_regs_t *l4_utcb_tcr_u(l4_utcb_t *u)
{ return (l4_thread_regs_t *)((l4_addr_t)u + L4_UTCB_THREAD_REGS_OFFSET); }

L4_INLINE l4_exc_regs_t *l4_utcb_exc_u(l4_utcb_t *u)
{ return (l4_exc_regs_t *)((l4_addr_t)u + L4_UTCB_MSG_REGS_OFFSET); }

L4_INLINE l4_msg_regs_t *l4_utcb_mr(void)       { return l4_utcb_mr_u(l4_utcb()); }
L4_INLINE l4_buf_regs_t *l4_utcb_br(void)       { return l4_utcb_br_u(l4_utcb()); }
L4_INLINE l4_thread_regs_t *l4_utcb_tcr(void)   { return l4_utcb_tcr_u(l4_utcb()); }
L4_INLINE l4_exc_regs_t *l4_utcb_exc(void)      { return l4_utcb_exc_u(l4_utcb()); }

L4_INLINE l4_umword_t l4_utcb_exc_pc(l4_exc_regs_t const *e)
{ return e->ip; }

L4_INLINE void l4_utcb_exc_pc_set(l4_exc_regs_t *e, l4_addr_t pc)
{ e->ip = pc; }

L4_INLINE l4_umword_t l4_utcb_exc_typeval(l4_exc_regs_t const *e)
{ return e->trapno; }

L4_INLINE int l4_utcb_exc_is_pf(l4_exc_regs_t const *e)
{ return e->trapno == 14; }

/* Fault address with the "was a write" bit (err bit 1) folded into bit 1. */
L4_INLINE l4_addr_t l4_utcb_exc_pfa(l4_exc_regs_t const *e)
{ return (e->pfa & ~7UL) | (e->err & 2); }

L4_INLINE int l4_utcb_exc_is_ex_regs_exception(l4_exc_regs_t const *e)
{ return e->trapno == 0xff; }

/* ---- IPC errors (tcr->error) ------------------------------------------- */

/*
 * Written to tcr->error when a reply tag has L4_MSGTAG_ERROR.  Bit 0 tells
 * whether the error happened in the receive phase (1) or the send phase (0).
 */
enum l4_ipc_tcr_error_t
{
  L4_IPC_ERROR_MASK    = 0x1f,
  L4_IPC_SND_ERR_MASK  = 0x01,
  L4_IPC_ENOT_EXISTENT = 0x04,  /* partner cap invalid or gone */
  L4_IPC_RETIMEOUT     = 0x03,
  L4_IPC_SETIMEOUT     = 0x02,
  L4_IPC_RECANCELED    = 0x07,  /* recap: also "kernel went away" */
  L4_IPC_SECANCELED    = 0x06,
  L4_IPC_REMAPFAILED   = 0x11,
  L4_IPC_SEMAPFAILED   = 0x10,
  L4_IPC_RESNDPFTO     = 0x0b,
  L4_IPC_SESNDPFTO     = 0x0a,
  L4_IPC_RERCVPFTO     = 0x0d,
  L4_IPC_SERCVPFTO     = 0x0c,
  L4_IPC_REABORTED     = 0x0f,
  L4_IPC_SEABORTED     = 0x0e,
  L4_IPC_REMSGCUT      = 0x09,
  L4_IPC_SEMSGCUT      = 0x08,
};

/* IPC error code of an operation, or 0 if the tag reports none. */
L4_INLINE l4_umword_t l4_ipc_error(l4_msgtag_t tag, l4_utcb_t *u)
{
  if (!l4_msgtag_has_error(tag))
    return 0;
  return l4_utcb_tcr_u(u)->error & L4_IPC_ERROR_MASK;
}

L4_INLINE int l4_ipc_error_code(l4_utcb_t *u)
{ return (int)(l4_utcb_tcr_u(u)->error & L4_IPC_ERROR_MASK); }

L4_INLINE int l4_ipc_is_snd_error(l4_utcb_t *u)
{ return (l4_utcb_tcr_u(u)->error & L4_IPC_SND_ERR_MASK) == 0; }

L4_INLINE int l4_ipc_is_rcv_error(l4_utcb_t *u)
{ return (l4_utcb_tcr_u(u)->error & L4_IPC_SND_ERR_MASK) != 0; }

L4_INLINE long l4_ipc_to_errno(unsigned long ipc_error_code)
{ return -(long)(L4_EIPC_LO + ipc_error_code); }

/*
 * One number for "how did it go": an IPC failure becomes
 * -(L4_EIPC_LO + code); otherwise the reply label, which kernel objects set
 * to 0/positive on success and -L4_E* on failure.
 */
L4_INLINE long l4_error_u(l4_msgtag_t tag, l4_utcb_t *u)
{
  if (l4_msgtag_has_error(tag))
    return l4_ipc_to_errno(l4_utcb_tcr_u(u)->error & L4_IPC_ERROR_MASK);
  return l4_msgtag_label(tag);
}

L4_INLINE long l4_error(l4_msgtag_t tag)
{ return l4_error_u(tag, l4_utcb()); }
