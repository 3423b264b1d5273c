/*
 * recap/native_pd.h — the native PD interface, the C/R extension of the PD
 * session (Norman Feske's Native_pd, done from the kernel's side): what
 * checkpoint/restore needs to know and change about a PD's capability
 * space, answered by core from the kernel (l4x_cap_next, l4x_cap_info,
 * l4_task_map), never from what the PD says about itself.
 *
 * Only whoever holds the PD session can use it. Today a component's PD
 * session names its own PD, so a component reaches its own space only; cr
 * will intercept its children's PD sessions and must never let a child
 * hold its own native PD (see docs/core.md, "Native PD").
 *
 * Opcodes and arguments (wire format: recap/rpc_wire.h; slots, not
 * selectors; RECAP_SLOT_NONE for "no further used slot"):
 *   REQUEST_CAP  word slot       -> 1 cap (invalid if the slot is empty),
 *                                   word next used slot after it
 *                the capability is mapped as the PD holds it, never with
 *                more rights, never with D or L4_FPAGE_C_IPCGATE_SVR
 *   INSTALL_CAP  cap, word slot  -> -   the capability is mapped into the
 *                                   PD at slot (R|W|S of what was sent);
 *                                   whatever the slot held goes first
 *   CAP_INFO     word slot       -> words kind (enum l4x_obj_kind), kernel
 *                                   object id, rights (L4_CAP_FPAGE_*),
 *                                   label (gates, IRQs; ~0 otherwise),
 *                                   next used slot after it
 *   CAP_LIST     word slot, word max, cap ds
 *                                -> words n, next
 *                                   CAP_INFO of up to max used slots from
 *                                   slot on (slot itself if used), into ds
 *                                   at offset 0 as n struct
 *                                   recap_native_cap_entry; next: the slot
 *                                   to go on from (RECAP_SLOT_NONE: no
 *                                   used slot is left). One call where
 *                                   CAP_INFO takes one a slot
 *   THREAD_STATE word index, cap ds -> -   the state of thread `index`
 *                                   of the PD (0: the main thread),
 *                                   which must be paused (CPU session
 *                                   PAUSE), written into the dataspace ds
 *                                   at offset 0 as struct l4x_thread_state
 *                                   (l4/sys/x.h): registers, pending
 *                                   kernel call, FPU/SSE, UTCB
 *   DIRTY        word addr, word pages, word flags, cap ds
 *                                -> word number of dirty pages
 *                                   which of the pages [addr, addr + pages
 *                                   * 4096) of the PD were written since
 *                                   their tracking last (re)started; the
 *                                   bitmap goes into ds at offset 0, as
 *                                   (pages + 63) / 64 words: bit i % 64 of
 *                                   word i / 64 is page i. flags
 *                                   RECAP_PD_DIRTY_RESET restarts tracking
 *                                   of the range after reading it
 *   IRQ_INFO     word slot       -> words pending, label, thread index
 *                                   the IRQ at slot (a signal context, a
 *                                   thread's IRQ): triggers counted but
 *                                   not yet delivered, its label, the
 *                                   index of the PD's thread it is
 *                                   attached to (~0: none, or not one of
 *                                   the PD's threads); RECAP_ERR_INVAL if
 *                                   the slot holds no IRQ
 * Errors: RECAP_ERR_INVAL (malformed; ds not a dataspace; addr not page
 * aligned, pages 0, unknown flags; max 0), RECAP_ERR_RANGE (slot 0 for
 * INSTALL_CAP, or a slot at or beyond RECAP_CAP_SLOTS; ds too small;
 * pages beyond RECAP_PD_DIRTY_MAX_PAGES), RECAP_ERR_NOENT (no thread with
 * that index), RECAP_ERR_DENIED (thread not paused; ds read-only), a
 * kernel error.
 */
#pragma once

#include <l4/sys/types.h>

#include <recap/capability.h>

struct recap_env;

/* Numbered apart from the PD session's own opcodes (recap/pd_session.h). */
enum recap_native_pd_op {
	RECAP_PD_REQUEST_CAP = 0x10,
	RECAP_PD_INSTALL_CAP = 0x11,
	RECAP_PD_CAP_INFO = 0x12,
	RECAP_PD_THREAD_STATE = 0x13,
	RECAP_PD_DIRTY = 0x14,
	RECAP_PD_IRQ_INFO = 0x15,
	RECAP_PD_CAP_LIST = 0x16,
};

#define RECAP_NATIVE_PD_FIRST_OP RECAP_PD_REQUEST_CAP
#define RECAP_NATIVE_PD_LAST_OP RECAP_PD_CAP_LIST

/* DIRTY: restart tracking of the range after reading it (L4X_DIRTY_RESET). */
#define RECAP_PD_DIRTY_RESET 1UL
/* DIRTY: pages per call, 16 GiB (a bitmap of 512 KiB); core asks the
 * kernel L4X_DIRTY_MAX_PAGES at a time. */
#define RECAP_PD_DIRTY_MAX_PAGES (1UL << 22)

/* What CAP_INFO says about a slot. */
struct recap_native_cap_info {
	unsigned long kind;	/* enum l4x_obj_kind; L4X_KIND_NONE: empty */
	unsigned long id;	/* kernel object id: unique, never reused */
	unsigned long rights;	/* L4_CAP_FPAGE_R | W | S | D */
	unsigned long label;	/* gate / IRQ label, ~0UL for other kinds */
	unsigned long next;	/* next used slot, RECAP_SLOT_NONE if none */
};

/* One used slot in CAP_LIST's answer: what CAP_INFO says of it. */
struct recap_native_cap_entry {
	unsigned long slot;
	unsigned long kind, id, rights, label;
};

/*
 * REQUEST_CAP on the component's own PD session (env->pd, opened on first
 * use): *cap is the delegated capability, in the cap map under a badge of
 * its own (recap_cap_forget drops it), or invalid if slot was empty; *next
 * the next used slot.
 */
int recap_native_pd_request_cap(struct recap_env *env, unsigned long slot,
				struct recap_cap *cap, unsigned long *next);

/* INSTALL_CAP: map cap into the own PD at slot. */
int recap_native_pd_install_cap(struct recap_env *env, struct recap_cap cap,
				unsigned long slot);
int recap_native_pd_install_cap_at(struct recap_env *env, struct recap_cap pd,
				   struct recap_cap cap, unsigned long slot);

/* CAP_INFO of slot of the own PD. */
int recap_native_pd_cap_info(struct recap_env *env, unsigned long slot,
			     struct recap_native_cap_info *info);
/* The same on PD session pd (a child's: what cr holds). */
int recap_native_pd_cap_info_at(struct recap_env *env, struct recap_cap pd,
				unsigned long slot,
				struct recap_native_cap_info *info);

/* CAP_LIST on PD session pd: up to max entries into the dataspace ds (at
 * least max * sizeof(struct recap_native_cap_entry) bytes); *n of them,
 * *next where to go on from. */
int recap_native_pd_cap_list_at(struct recap_env *env, struct recap_cap pd,
				unsigned long slot, unsigned long max,
				struct recap_cap ds, unsigned long *n,
				unsigned long *next);

/*
 * THREAD_STATE: the state of paused thread `index` of the own PD, written
 * into the dataspace ds (at least sizeof(struct l4x_thread_state) bytes).
 */
int recap_native_pd_thread_state(struct recap_env *env, unsigned long index,
				 struct recap_cap ds);

/*
 * DIRTY: the bitmap of written pages of [addr, addr + pages * 4096) into
 * the dataspace ds; *count the number of dirty pages.
 */
int recap_native_pd_dirty(struct recap_env *env, unsigned long addr,
			  unsigned long pages, unsigned long flags,
			  struct recap_cap ds, unsigned long *count);
/* The same on PD session pd (a child's: what cr holds). */
int recap_native_pd_dirty_at(struct recap_env *env, struct recap_cap pd,
			     unsigned long addr, unsigned long pages,
			     unsigned long flags, struct recap_cap ds,
			     unsigned long *count);

/* What IRQ_INFO says about an IRQ. */
struct recap_native_irq_info {
	unsigned long pending;	/* triggers counted, not yet delivered */
	unsigned long label;	/* the label it is attached with */
	unsigned long thread;	/* index of the attached thread, ~0UL: none */
};

/* IRQ_INFO of slot of the own PD. */
int recap_native_pd_irq_info(struct recap_env *env, unsigned long slot,
			     struct recap_native_irq_info *info);
int recap_native_pd_irq_info_at(struct recap_env *env, struct recap_cap pd,
				unsigned long slot,
				struct recap_native_irq_info *info);
