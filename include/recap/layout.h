/*
 * recap/layout.h — where things are in a component's address space. Core
 * places them; the runtime finds them here. Kept in one header so it can
 * change. All inside the component range of the task stub
 * (L4X_TASK_VM_START .. L4X_TASK_VM_END).
 *
 *   0x10000000   the ELF image (linked there: -Ttext-segment)
 *   0x40000000   the UTCB area: RECAP_THREAD_MAX UTCBs of 1 KiB
 *   0x40100000   the stack area: one RECAP_STACK_SLOT per thread, the
 *                stack of thread i at the top of slot i
 *   0x48100000   RECAP_ATTACH_AREA: where region-map attachments "anywhere"
 *                go (recap/region_map.h), up to L4X_TASK_VM_END
 */
#pragma once

#include <recap/cap_layout.h>

#define RECAP_UTCB_AREA 0x40000000UL
#define RECAP_UTCB_AREA_ORDER 17	/* 128 KiB: RECAP_THREAD_MAX UTCBs */
#define RECAP_STACK_AREA 0x40100000UL
#define RECAP_STACK_SLOT (1UL << 20)	/* 1 MiB of address space per thread */
#define RECAP_MAIN_STACK_SIZE (64UL * 1024)
#define RECAP_ATTACH_AREA (RECAP_STACK_AREA + RECAP_THREAD_MAX * RECAP_STACK_SLOT)

static inline unsigned long recap_utcb_addr(unsigned long thread)
{
	return RECAP_UTCB_AREA + thread * 1024UL;
}

/* Top of thread i's stack: the initial stack pointer. */
static inline unsigned long recap_stack_top(unsigned long thread)
{
	return RECAP_STACK_AREA + (thread + 1) * RECAP_STACK_SLOT;
}
