/*
 * l4/sys/consts.h -- Fiasco.OC ABI constants: syscall flags, capability
 * selectors, the fixed capability slots, message items, page sizes and
 * flexpages (the l4_fpage_t type and its constructors/accessors).
 *
 * Names and numeric values follow L4Re's l4sys (amd64) so that code written
 * against this header also builds against real Fiasco.OC.  Flags and
 * selector constants are macros, as in current l4sys; so is anything that
 * does not fit an `int`, because C only guarantees int-sized enumerators.
 */
#pragma once

#include <l4/sys/compiler.h>
#include <l4/sys/l4int.h>

/* ---- System-call operation flags (low 4 bits of the destination word) -- */

#define L4_SYSF_NONE      0x00
#define L4_SYSF_SEND      0x01  /* send phase */
#define L4_SYSF_RECV      0x02  /* receive phase */
#define L4_SYSF_OPEN_WAIT 0x04  /* receive from anyone, not just the dest */
#define L4_SYSF_REPLY     0x08  /* send goes to the implicit reply partner */
#define L4_SYSF_CALL           (L4_SYSF_SEND | L4_SYSF_RECV)
#define L4_SYSF_WAIT           (L4_SYSF_OPEN_WAIT | L4_SYSF_RECV)
#define L4_SYSF_SEND_AND_WAIT  (L4_SYSF_OPEN_WAIT | L4_SYSF_CALL)
#define L4_SYSF_REPLY_AND_WAIT (L4_SYSF_WAIT | L4_SYSF_SEND | L4_SYSF_REPLY)

/* ---- Capability selectors -------------------------------------------- */

/*
 * A selector is `slot << L4_CAP_SHIFT`.  The kernel takes the slot from
 * bits 12 and up; bits 0-3 carry the L4_SYSF_* operation, bit 11 marks the
 * selector invalid and bit 10 is reserved for explicit reply caps.
 */
#define L4_CAP_SHIFT       12UL
#define L4_CAP_SIZE        (1UL << L4_CAP_SHIFT)  /* deprecated name */
#define L4_CAP_OFFSET      (1UL << L4_CAP_SHIFT)  /* distance between slots */
#define L4_CAP_MASK        (~0UL << (L4_CAP_SHIFT - 2))
#define L4_INVALID_CAP_BIT (1UL << (L4_CAP_SHIFT - 1))
#define L4_INVALID_CAP     (~0UL << (L4_CAP_SHIFT - 1))

/*
 * Fixed slots.  Only the kernel-created root tasks find them populated; a
 * task made by a factory starts with an empty object space.
 */
enum l4_default_caps_t
{
  L4_BASE_TASK_CAP      = 1 << L4_CAP_SHIFT,
  L4_BASE_FACTORY_CAP   = 2 << L4_CAP_SHIFT,
  L4_BASE_THREAD_CAP    = 3 << L4_CAP_SHIFT,
  L4_BASE_PAGER_CAP     = 4 << L4_CAP_SHIFT,
  L4_BASE_LOG_CAP       = 5 << L4_CAP_SHIFT,
  L4_BASE_ICU_CAP       = 6 << L4_CAP_SHIFT,
  L4_BASE_SCHEDULER_CAP = 7 << L4_CAP_SHIFT,
  L4_BASE_IOMMU_CAP     = 8 << L4_CAP_SHIFT,
  L4_BASE_DEBUGGER_CAP  = 10 << L4_CAP_SHIFT,
  L4_BASE_ARM_SMCCC_CAP = 11 << L4_CAP_SHIFT,  /* == Genode's parent slot */
  L4_BASE_CAPS_LAST_P1,                         /* helper, keep last-but-one */
  L4_BASE_CAPS_LAST     = L4_BASE_CAPS_LAST_P1 - 1,
};

/* ---- Unmap flags (map mask of l4_task_unmap) --------------------------- */

#define L4_FP_ALL_SPACES   0x80000000UL  /* also revoke the caller's own entry */
#define L4_FP_DELETE_OBJ   0xc0000000UL  /* delete the object; implies ALL_SPACES */
#define L4_FP_OTHER_SPACES 0x0UL         /* only revoke derived mappings */

/* ---- Message items and buffer registers ------------------------------- */

enum l4_msg_item_consts_t
{
  L4_ITEM_MAP            = 8,               /* item is a map item */
  L4_ITEM_CONT           = 1,               /* more items follow for the same buffer */
  L4_MAP_ITEM_GRANT      = 2,               /* send: grant (move) instead of map */
  L4_MAP_ITEM_MAP        = 0,               /* send: plain map */
  L4_RCV_ITEM_SINGLE_CAP = L4_ITEM_MAP | 2, /* receive buffer for one cap */
  L4_RCV_ITEM_LOCAL_ID   = 4,               /* receive a local id if possible */
};

enum l4_buffer_desc_consts_t
{
  L4_BDR_MEM_SHIFT   = 0,   /* index of first memory buffer in the bdr */
  L4_BDR_IO_SHIFT    = 5,   /* index of first I/O buffer */
  L4_BDR_OBJ_SHIFT   = 10,  /* index of first capability buffer */
  L4_BDR_OFFSET_MASK = (1 << 20) - 1,
};

/* ---- UTCB and pages ---------------------------------------------------- */

#define L4_UTCB_OFFSET 1024  /* bytes per UTCB inside a task's UTCB area */

#define L4_PAGESHIFT          12
#define L4_PAGESIZE           (1UL << L4_PAGESHIFT)
#define L4_PAGEMASK           (~(L4_PAGESIZE - 1))
#define L4_LOG2_PAGESIZE      L4_PAGESHIFT
#define L4_SUPERPAGESHIFT     21
#define L4_SUPERPAGESIZE      (1UL << L4_SUPERPAGESHIFT)
#define L4_SUPERPAGEMASK      (~(L4_SUPERPAGESIZE - 1))
#define L4_LOG2_SUPERPAGESIZE L4_SUPERPAGESHIFT

#define L4_INVALID_ADDR (~0UL)
#define L4_INVALID_PTR  ((void *)L4_INVALID_ADDR)

#ifndef NULL
#define NULL ((void *)0)  /* L4Re code expects l4sys to provide it */
#endif

L4_INLINE l4_addr_t l4_trunc_page(l4_addr_t a)
{ return a & L4_PAGEMASK; }

L4_INLINE l4_addr_t l4_round_page(l4_addr_t a)
{ return (a + L4_PAGESIZE - 1) & L4_PAGEMASK; }

L4_INLINE l4_addr_t l4_trunc_size(l4_addr_t a, unsigned char bits)
{ return a & (~0UL << bits); }

L4_INLINE l4_addr_t l4_round_size(l4_umword_t v, unsigned char bits)
{ return (v + (1UL << bits) - 1) & (~0UL << bits); }

/* ---- Flexpages --------------------------------------------------------- */

/*
 * Raw layout of a flexpage word:
 *   bits 0-3 rights, 4-5 type, 6-11 order (log2 of the size), 12+ address.
 * For object (capability) flexpages the "address" is the selector itself,
 * and the order counts slots, so l4_obj_fpage(sel, 0, r) names one cap.
 */
enum l4_fpage_consts
{
  L4_FPAGE_RIGHTS_SHIFT = 0,
  L4_FPAGE_TYPE_SHIFT   = 4,
  L4_FPAGE_SIZE_SHIFT   = 6,
  L4_FPAGE_ADDR_SHIFT   = 12,
  L4_FPAGE_RIGHTS_BITS  = 4,
  L4_FPAGE_TYPE_BITS    = 2,
  L4_FPAGE_SIZE_BITS    = 6,
  L4_FPAGE_ADDR_BITS    = L4_MWORD_BITS - L4_FPAGE_ADDR_SHIFT,
};

#define L4_FPAGE_RIGHTS_MASK (0xfUL  << L4_FPAGE_RIGHTS_SHIFT)
#define L4_FPAGE_TYPE_MASK   (0x3UL  << L4_FPAGE_TYPE_SHIFT)
#define L4_FPAGE_SIZE_MASK   (0x3fUL << L4_FPAGE_SIZE_SHIFT)
#define L4_FPAGE_ADDR_MASK   (~0UL   << L4_FPAGE_ADDR_SHIFT)

typedef union
{
  l4_umword_t fpage;  /* raw value (historic name) */
  l4_umword_t raw;    /* raw value */
} l4_fpage_t;

enum { L4_WHOLE_ADDRESS_SPACE = 63 };  /* order of l4_fpage_all() */

/* A send item as it sits in the message registers. */
typedef struct
{
  l4_umword_t snd_base;  /* control word: receive-window offset | flags */
  l4_fpage_t  fpage;
} l4_snd_fpage_t;

/* Memory rights. */
enum L4_fpage_rights
{
  L4_FPAGE_X   = 1,
  L4_FPAGE_W   = 2,
  L4_FPAGE_RO  = 4,
  L4_FPAGE_RW  = L4_FPAGE_RO | L4_FPAGE_W,
  L4_FPAGE_RX  = L4_FPAGE_RO | L4_FPAGE_X,
  L4_FPAGE_RWX = L4_FPAGE_RW | L4_FPAGE_X,
};

/*
 * Capability rights.  R must always be present or nothing is mapped.  The
 * numbers coincide with the memory rights, which is why L4Re code (and
 * Genode) can pass L4_FPAGE_RWX for a cap and get R|W|S without D.
 */
enum L4_cap_fpage_rights
{
  L4_CAP_FPAGE_W    = 0x1,  /* object-specific "write" right */
  L4_CAP_FPAGE_S    = 0x2,  /* may pass on / use special operations */
  L4_CAP_FPAGE_R    = 0x4,
  L4_CAP_FPAGE_RO   = 0x4,
  L4_CAP_FPAGE_D    = 0x8,  /* may delete the object */
  L4_CAP_FPAGE_RW   = L4_CAP_FPAGE_R | L4_CAP_FPAGE_W,
  L4_CAP_FPAGE_RS   = L4_CAP_FPAGE_R | L4_CAP_FPAGE_S,
  L4_CAP_FPAGE_RWS  = L4_CAP_FPAGE_RW | L4_CAP_FPAGE_S,
  L4_CAP_FPAGE_RWSD = L4_CAP_FPAGE_RWS | L4_CAP_FPAGE_D,
  L4_CAP_FPAGE_RWD  = L4_CAP_FPAGE_RW | L4_CAP_FPAGE_D,
  L4_CAP_FPAGE_RSD  = L4_CAP_FPAGE_RS | L4_CAP_FPAGE_D,
};

enum L4_fpage_type
{
  L4_FPAGE_SPECIAL = 0,
  L4_FPAGE_MEMORY  = 1,
  L4_FPAGE_IO      = 2,
  L4_FPAGE_OBJ     = 3,
};

/* Control word of a send item: bits 12+ are the receive-window offset. */
#define L4_FPAGE_CONTROL_OFFSET_SHIFT 12
#define L4_FPAGE_CONTROL_MASK         (~0UL << L4_FPAGE_CONTROL_OFFSET_SHIFT)

/* Extra per-mapping attributes for object items (ORed into the control word). */
enum L4_obj_fpage_ctl
{
  L4_FPAGE_C_REF_CNT     = 0x00,  /* counted reference (default) */
  L4_FPAGE_C_NO_REF_CNT  = 0x10,  /* weak reference */
  L4_FPAGE_C_OBJ_RIGHT1  = 0x20,
  L4_FPAGE_C_OBJ_RIGHT2  = 0x40,
  L4_FPAGE_C_OBJ_RIGHT3  = 0x80,
  L4_FPAGE_C_OBJ_RIGHTS  = 0xe0,
  L4_FPAGE_C_IPCGATE_SVR = L4_FPAGE_C_OBJ_RIGHT1,  /* may bind / relabel gate */
};

enum l4_fpage_cacheability_opt_t
{
  L4_FPAGE_CACHE_OPT   = 0x1,
  L4_FPAGE_CACHEABLE   = 0x3,
  L4_FPAGE_BUFFERABLE  = 0x5,
  L4_FPAGE_UNCACHEABLE = 0x1,
};

enum
{
  L4_WHOLE_IOADDRESS_SPACE = 16,
  L4_IOPORT_MAX            = 1 << L4_WHOLE_IOADDRESS_SPACE,
};

/* Assemble a flexpage word; every field is masked to its width. */
L4_INLINE l4_fpage_t
l4x_fpage_generic(l4_umword_t addr, unsigned type, unsigned order,
                   unsigned rights)
{
  l4_fpage_t f;
  f.raw = (((l4_umword_t)rights << L4_FPAGE_RIGHTS_SHIFT) & L4_FPAGE_RIGHTS_MASK)
        | (((l4_umword_t)type   << L4_FPAGE_TYPE_SHIFT)   & L4_FPAGE_TYPE_MASK)
        | (((l4_umword_t)order  << L4_FPAGE_SIZE_SHIFT)   & L4_FPAGE_SIZE_MASK)
        | (addr & L4_FPAGE_ADDR_MASK);
  return f;
}

/* Memory flexpage of 2^size bytes at address (must be size-aligned). */
L4_INLINE l4_fpage_t
l4_fpage(l4_addr_t address, unsigned int size, unsigned char rights)
{ return l4x_fpage_generic(address, L4_FPAGE_MEMORY, size, rights); }

/* Object flexpage covering 2^order consecutive slots starting at obj. */
L4_INLINE l4_fpage_t
l4_obj_fpage(l4_cap_idx_t obj, unsigned int order, unsigned char rights)
{ return l4x_fpage_generic(obj, L4_FPAGE_OBJ, order, rights); }

/* I/O-port flexpage of 2^size ports. */
L4_INLINE l4_fpage_t
l4_iofpage(unsigned long port, unsigned int size)
{
  return l4x_fpage_generic(port << L4_FPAGE_ADDR_SHIFT, L4_FPAGE_IO, size,
                            L4_FPAGE_RW);
}

/* Everything (special type, order 63): e.g. unmap a whole space. */
L4_INLINE l4_fpage_t l4_fpage_all(void)
{ return l4x_fpage_generic(0, L4_FPAGE_SPECIAL, L4_WHOLE_ADDRESS_SPACE, 0); }

L4_INLINE l4_fpage_t l4_fpage_invalid(void)
{ return l4x_fpage_generic(0, 0, 0, 0); }

L4_INLINE unsigned l4_fpage_rights(l4_fpage_t f)
{ return (unsigned)((f.raw & L4_FPAGE_RIGHTS_MASK) >> L4_FPAGE_RIGHTS_SHIFT); }

L4_INLINE unsigned l4_fpage_type(l4_fpage_t f)
{ return (unsigned)((f.raw & L4_FPAGE_TYPE_MASK) >> L4_FPAGE_TYPE_SHIFT); }

/* log2 of the size (the "order"); l4sys calls this l4_fpage_size(). */
L4_INLINE unsigned l4_fpage_size(l4_fpage_t f)
{ return (unsigned)((f.raw & L4_FPAGE_SIZE_MASK) >> L4_FPAGE_SIZE_SHIFT); }

/* recap extension, not in l4sys: same as l4_fpage_size(). */
L4_INLINE unsigned l4_fpage_order(l4_fpage_t f)
{ return l4_fpage_size(f); }

/* Address field shifted down: page number, I/O port or cap slot. */
L4_INLINE unsigned long l4_fpage_page(l4_fpage_t f)
{ return (f.raw & L4_FPAGE_ADDR_MASK) >> L4_FPAGE_ADDR_SHIFT; }

L4_INLINE unsigned long l4_fpage_ioport(l4_fpage_t f)
{ return (f.raw & L4_FPAGE_ADDR_MASK) >> L4_FPAGE_ADDR_SHIFT; }

L4_INLINE l4_addr_t l4_fpage_memaddr(l4_fpage_t f)
{ return f.raw & L4_FPAGE_ADDR_MASK; }

/* Selector of the first slot of an object flexpage. */
L4_INLINE l4_cap_idx_t l4_fpage_obj(l4_fpage_t f)
{ return f.raw & L4_FPAGE_ADDR_MASK; }

L4_INLINE l4_fpage_t l4_fpage_set_rights(l4_fpage_t src, unsigned char rights)
{
  l4_fpage_t f;
  f.raw = (src.raw & ~L4_FPAGE_RIGHTS_MASK)
        | (((l4_umword_t)rights << L4_FPAGE_RIGHTS_SHIFT) & L4_FPAGE_RIGHTS_MASK);
  return f;
}

L4_INLINE int l4_is_fpage_writable(l4_fpage_t f)
{ return (l4_fpage_rights(f) & L4_FPAGE_W) != 0; }

/* Does memory flexpage f fully contain [addr, addr + 2^log2size)? */
L4_INLINE int
l4_fpage_contains(l4_fpage_t f, l4_addr_t addr, unsigned log2size)
{
  l4_addr_t base = l4_fpage_memaddr(f);
  return base <= addr
         && base + (1UL << l4_fpage_size(f)) >= addr + (1UL << log2size);
}

/*
 * Control word of a memory send item: where in the receive window the page
 * lands (snd_base, page aligned), cacheability and map-vs-grant.
 */
L4_INLINE l4_umword_t
l4_map_control(l4_umword_t snd_base, unsigned char cache, unsigned grant)
{
  return (snd_base & L4_FPAGE_CONTROL_MASK)
         | ((l4_umword_t)cache << 4) | L4_ITEM_MAP | grant;
}

/*
 * Control word of an object send item.  With the whole space as receive
 * window (l4_task_map), snd_base is simply the destination selector.
 */
L4_INLINE l4_umword_t
l4_map_obj_control(l4_umword_t snd_base, unsigned grant)
{ return l4_map_control(snd_base, 0, grant); }
