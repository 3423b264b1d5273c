/*
 * pd.h — a protection domain as core builds it for a component: a task,
 * the component's memory (ELF segments and main stack as memfd
 * dataspaces), its main thread, and the fixed part of its capability
 * space (recap/cap_layout.h).
 *
 * Order of use: pd_create, pd_load, pd_map for whatever else the caller
 * places (parent gate, pager gate), pd_start_main; pd_destroy at any point
 * undoes what was done.
 */
#pragma once

#include <stddef.h>

#include <l4/sys/types.h>

#include <recap/badge.h>

#include "elf.h"

#define PD_MAX_DS (ELF_MAX_SEGMENTS + 1)	/* segments + main stack */

/* A dataspace core created and mapped into the task. */
struct pd_ds {
	int fd;			/* the memfd; core keeps it (contents, C/R) */
	l4_addr_t addr;		/* where it is mapped in the task */
	size_t size;
	unsigned rights;	/* L4_FPAGE_RO | W | X */
};

struct pd {
	char const *name;	/* for messages */
	l4_cap_idx_t task;	/* core's selectors, L4_INVALID_CAP if none */
	l4_cap_idx_t thread;	/* the main thread */
	l4_cap_idx_t thread_gate; /* gate bound to it, at recap_thread_slot(0, GATE) */
	l4_cap_idx_t irq;	/* its IRQ, at recap_thread_slot(0, IRQ) */
	recap_badge_t thread_badge; /* the gate's label */
	l4_addr_t entry;
	unsigned nds;
	struct pd_ds ds[PD_MAX_DS];
};

/*
 * Create the task (UTCB area RECAP_UTCB_AREA, order RECAP_UTCB_AREA_ORDER)
 * and map it into itself at RECAP_TASK_SLOT. 0 or -1 (reported on stderr).
 */
int pd_create(struct pd *pd, char const *name);

/*
 * Load the image's segments and a main stack of RECAP_MAIN_STACK_SIZE
 * below recap_stack_top(0), with parent_badge written into the image's
 * _parent_cap and pd->thread_badge (the caller sets it, and passes it to
 * pd_start_main) next to it, at word RECAP_PARENT_CAP_MAIN_GATE
 * (recap/cpu_session.h). 0 or -1 (reported).
 */
int pd_load(struct pd *pd, struct elf_image const *img,
	    recap_badge_t parent_badge);

/* Map core's capability sel into the task at slot (R|W|S). 0 or -1. */
int pd_map(struct pd *pd, l4_cap_idx_t sel, unsigned long slot);

/*
 * Create the main thread and its gate (label thread_badge) and IRQ, map
 * those at their thread slots, set pager and exception handler to
 * recap_thread_slot(0, PAGER) (the caller mapped it), bind the thread to
 * recap_utcb_addr(0) and start it at the entry with sp recap_stack_top(0).
 * 0 or -1 (reported).
 */
int pd_start_main(struct pd *pd, recap_badge_t thread_badge);

/* Delete everything: threads stop, the task's process ends, memfds close. */
void pd_destroy(struct pd *pd);
