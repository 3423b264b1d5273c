/*
 * l4/sys/types.h -- basic Fiasco.OC ABI types: message tags, protocol
 * labels, capability-selector helpers and IPC timeouts.
 *
 * Also re-exports the integer types (l4int.h), the constants and flexpages
 * (consts.h) and, at the end, the UTCB accessors and l4_error() (utcb.h).
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/l4int.h>
#include <l4/sys/consts.h>

/* ---- Protocol labels ---------------------------------------------------- */

/*
 * The label of a message tag sent to a kernel object names the protocol
 * (object type) the message is for; the kernel answers -L4_EBADPROTO when it
 * does not match.  Messages the kernel synthesises (page faults, exceptions,
 * IRQs) carry these labels too.
 */
enum l4_msgtag_protocol
{
  L4_PROTO_NONE          = 0,
  L4_PROTO_ALLOW_SYSCALL = 1,    /* reply to an alien: allow the syscall */
  L4_PROTO_PF_EXCEPTION  = 1,    /* reply to a page fault: raise exception */
  L4_PROTO_IRQ           = -1,
  L4_PROTO_PAGE_FAULT    = -2,
  L4_PROTO_PREEMPTION    = -3,
  L4_PROTO_SYS_EXCEPTION = -4,
  L4_PROTO_EXCEPTION     = -5,
  L4_PROTO_SIGMA0        = -6,
  L4_PROTO_IO_PAGE_FAULT = -8,
  L4_PROTO_KOBJECT       = -10,  /* generic kernel-object operations */
  L4_PROTO_TASK          = -11,
  L4_PROTO_THREAD        = -12,
  L4_PROTO_LOG           = -13,
  L4_PROTO_SCHEDULER     = -14,
  L4_PROTO_FACTORY       = -15,
  L4_PROTO_VM            = -16,
  L4_PROTO_DMA_SPACE     = -17,
  L4_PROTO_IRQ_SENDER    = -18,
  L4_PROTO_IRQ_MUX       = -19,
  L4_PROTO_SEMAPHORE     = -20,
  L4_PROTO_META          = -21,
  L4_PROTO_IOMMU         = -22,
  L4_PROTO_DEBUGGER      = -23,
  L4_PROTO_SMCCC         = -24,
};

/* Type codes of L4Re's variable-argument message encoding. */
enum L4_varg_type
{
  L4_VARG_TYPE_NIL    = 0x00,
  L4_VARG_TYPE_UMWORD = 0x01,
  L4_VARG_TYPE_MWORD  = 0x81,
  L4_VARG_TYPE_STRING = 0x02,
  L4_VARG_TYPE_FPAGE  = 0x03,
  L4_VARG_TYPE_SIGN   = 0x80,
};

/* ---- Message tag -------------------------------------------------------- */

/*
 * Tag word: label << 16 | flags (bits 12-15) | items << 6 | words.
 * words = untyped message registers, items = typed (map) items, each of
 * which takes two registers after the untyped words.
 */
enum l4_msgtag_flags
{
  L4_MSGTAG_ERROR        = 0x8000,  /* set by the kernel: see tcr->error */
  L4_MSGTAG_TRANSFER_FPU = 0x1000,
  L4_MSGTAG_SCHEDULE     = 0x2000,
  L4_MSGTAG_PROPAGATE    = 0x4000,
  L4_MSGTAG_FLAGS        = 0xf000,
};

typedef struct l4_msgtag_t
{
  l4_mword_t raw;  /* signed, so that the label shifts out sign-extended */
} l4_msgtag_t;

L4_INLINE l4_msgtag_t
l4_msgtag(long label, unsigned words, unsigned items, unsigned flags)
{
  l4_msgtag_t t;
  t.raw = (l4_mword_t)(((l4_umword_t)label << 16)
                       | (l4_umword_t)(flags & 0xf000)
                       | (l4_umword_t)((items & 0x3f) << 6)
                       | (l4_umword_t)(words & 0x3f));
  return t;
}

L4_INLINE long l4_msgtag_label(l4_msgtag_t t)         { return t.raw >> 16; }
L4_INLINE unsigned l4_msgtag_words(l4_msgtag_t t)     { return (unsigned)(t.raw & 0x3f); }
L4_INLINE unsigned l4_msgtag_items(l4_msgtag_t t)     { return (unsigned)((t.raw >> 6) & 0x3f); }
L4_INLINE unsigned l4_msgtag_flags(l4_msgtag_t t)     { return (unsigned)(t.raw & 0xf000); }
L4_INLINE unsigned l4_msgtag_has_error(l4_msgtag_t t) { return (unsigned)(t.raw & L4_MSGTAG_ERROR); }

L4_INLINE unsigned l4_msgtag_is_page_fault(l4_msgtag_t t)
{ return l4_msgtag_label(t) == L4_PROTO_PAGE_FAULT; }
L4_INLINE unsigned l4_msgtag_is_preemption(l4_msgtag_t t)
{ return l4_msgtag_label(t) == L4_PROTO_PREEMPTION; }
L4_INLINE unsigned l4_msgtag_is_sys_exception(l4_msgtag_t t)
{ return l4_msgtag_label(t) == L4_PROTO_SYS_EXCEPTION; }
L4_INLINE unsigned l4_msgtag_is_exception(l4_msgtag_t t)
{ return l4_msgtag_label(t) == L4_PROTO_EXCEPTION; }
L4_INLINE unsigned l4_msgtag_is_sigma0(l4_msgtag_t t)
{ return l4_msgtag_label(t) == L4_PROTO_SIGMA0; }
L4_INLINE unsigned l4_msgtag_is_io_page_fault(l4_msgtag_t t)
{ return l4_msgtag_label(t) == L4_PROTO_IO_PAGE_FAULT; }

/* ---- Capability selectors ----------------------------------------------- */

/* (l4_cap_idx_t itself is declared in l4int.h.) */

L4_INLINE unsigned l4_is_invalid_cap(l4_cap_idx_t c)
{ return (c & L4_INVALID_CAP_BIT) != 0; }

L4_INLINE unsigned l4_is_valid_cap(l4_cap_idx_t c)
{ return (c & L4_INVALID_CAP_BIT) == 0; }

/* Same slot?  The flag bits below L4_CAP_SHIFT are ignored. */
L4_INLINE unsigned l4_capability_equal(l4_cap_idx_t a, l4_cap_idx_t b)
{ return (a >> L4_CAP_SHIFT) == (b >> L4_CAP_SHIFT); }

L4_INLINE l4_cap_idx_t l4_capability_next(l4_cap_idx_t c)
{ return c + L4_CAP_OFFSET; }

/* ---- IPC timeouts ------------------------------------------------------- */

/*
 * One 16-bit timeout.  Relative form: bits 0-9 mantissa, bits 10-14
 * exponent, value = man << exp microseconds.  Special cases: 0 is "never";
 * mantissa 0 with a non-zero exponent is "zero" (do not block).  Bit 15
 * selects an absolute timeout; these headers offer no constructor for it.
 */
typedef struct l4_timeout_s
{
  l4_uint16_t t;
} l4_timeout_s;

/* Pair of timeouts as passed in r8: receive in bits 0-15, send in 16-31. */
typedef union l4_timeout_t
{
  l4_uint32_t raw;
  struct
  {
    l4_timeout_s rcv;  /* little endian: low half */
    l4_timeout_s snd;
  } p;
} l4_timeout_t;

#define L4_IPC_TIMEOUT_0         ((l4_timeout_s){0x0400})  /* exp 1, man 0 */
#define L4_IPC_TIMEOUT_NEVER     ((l4_timeout_s){0})
#define L4_IPC_NEVER_INITIALIZER {0}
#define L4_IPC_NEVER             ((l4_timeout_t){0})
#define L4_IPC_RECV_TIMEOUT_0    ((l4_timeout_t){0x00000400})
#define L4_IPC_SEND_TIMEOUT_0    ((l4_timeout_t){0x04000000})
#define L4_IPC_BOTH_TIMEOUT_0    ((l4_timeout_t){0x04000400})

/* Largest delay l4_timeout_from_us() can express (man 1023, exp 31 ~ 2^41). */
#define L4_TIMEOUT_US_MAX   ((1ULL << 41) - 1)
#define L4_TIMEOUT_US_NEVER (~0ULL)

L4_INLINE l4_timeout_s l4_timeout_rel(unsigned man, unsigned exp)
{
  l4_timeout_s to;
  to.t = (l4_uint16_t)((man & 0x3ff) | ((exp << 10) & 0x7c00));
  return to;
}

L4_INLINE l4_timeout_t l4_timeout(l4_timeout_s snd, l4_timeout_s rcv)
{
  l4_timeout_t to;
  to.p.snd = snd;
  to.p.rcv = rcv;
  return to;
}

L4_INLINE l4_timeout_t
l4_ipc_timeout(unsigned snd_man, unsigned snd_exp,
               unsigned rcv_man, unsigned rcv_exp)
{
  return l4_timeout(l4_timeout_rel(snd_man, snd_exp),
                    l4_timeout_rel(rcv_man, rcv_exp));
}

L4_INLINE void l4_snd_timeout(l4_timeout_s snd, l4_timeout_t *to)
{ to->p.snd = snd; }

L4_INLINE void l4_rcv_timeout(l4_timeout_s rcv, l4_timeout_t *to)
{ to->p.rcv = rcv; }

L4_INLINE unsigned l4_timeout_is_absolute(l4_timeout_s to)
{ return to.t & 0x8000; }

/* Microseconds of a relative timeout; ~0 for "never". */
L4_INLINE l4_kernel_clock_t l4_timeout_rel_get(l4_timeout_s to)
{
  if (to.t == 0)
    return ~0ULL;
  return (l4_kernel_clock_t)(to.t & 0x3ff) << ((to.t >> 10) & 0x1f);
}

/* Deadline of a relative timeout started at `cur` (0 if absolute). */
L4_INLINE l4_kernel_clock_t l4_timeout_get(l4_kernel_clock_t cur, l4_timeout_s to)
{
  if (l4_timeout_is_absolute(to))
    return 0;
  return cur + l4_timeout_rel_get(to);
}

/*
 * Encode a delay in microseconds.  0 gives the zero timeout, anything above
 * L4_TIMEOUT_US_MAX (including L4_TIMEOUT_US_NEVER) gives "never".
 * Otherwise the smallest exponent is chosen whose mantissa, rounded *up*,
 * fits in 10 bits, so the encoded delay is never shorter than requested
 * (except at the very top of the range, where it is clamped to 1023 << 31).
 */
L4_INLINE l4_timeout_s l4_timeout_from_us(l4_uint64_t us)
{
  l4_uint64_t man;
  unsigned exp = 0;

  if (us == 0)
    return L4_IPC_TIMEOUT_0;
  if (us > L4_TIMEOUT_US_MAX)
    return L4_IPC_TIMEOUT_NEVER;

  /* Start near the answer: with 10 mantissa bits, exp >= log2(us) - 9. */
  if (us >= 1024)
    exp = (unsigned)(63 - __builtin_clzll(us)) - 9;
  for (;;)
    {
      man = (us + (1ULL << exp) - 1) >> exp;
      if (man <= 0x3ff || exp == 31)
        break;
      ++exp;
    }
  if (man > 0x3ff)
    man = 0x3ff;
  return l4_timeout_rel((unsigned)man, exp);
}

/*
 * The UTCB accessors and l4_error() are part of the basic l4sys vocabulary
 * (l4_error() needs the thread's TCR), so make them available to every
 * includer of types.h.  utcb.h includes this file first; with #pragma once
 * either include order sees complete definitions.
 */
#include <l4/sys/utcb.h>
