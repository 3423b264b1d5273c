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
 * Errors: RECAP_ERR_INVAL (malformed), RECAP_ERR_RANGE (slot 0 for
 * INSTALL_CAP, or a slot at or beyond RECAP_CAP_SLOTS), a kernel error.
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
};

#define RECAP_NATIVE_PD_FIRST_OP RECAP_PD_REQUEST_CAP
#define RECAP_NATIVE_PD_LAST_OP RECAP_PD_CAP_INFO

/* What CAP_INFO says about a slot. */
struct recap_native_cap_info {
	unsigned long kind;	/* enum l4x_obj_kind; L4X_KIND_NONE: empty */
	unsigned long id;	/* kernel object id: unique, never reused */
	unsigned long rights;	/* L4_CAP_FPAGE_R | W | S | D */
	unsigned long label;	/* gate / IRQ label, ~0UL for other kinds */
	unsigned long next;	/* next used slot, RECAP_SLOT_NONE if none */
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

/* CAP_INFO of slot of the own PD. */
int recap_native_pd_cap_info(struct recap_env *env, unsigned long slot,
			     struct recap_native_cap_info *info);
