/*
 * boot — what a kernel system test's root task does to run test programs:
 * create a task, load a freestanding ELF into memfd dataspaces, give it the
 * runtime's fixed capabilities (rt.h), start its main thread, and serve the
 * messages it sends to its parent gate.
 */
#pragma once

#include <stddef.h>

#include <l4/sys/types.h>

#define BOOT_MAX_SEGS 16

struct boot_seg {
	int fd;			/* memfd holding the contents */
	l4_addr_t addr;		/* where it is mapped in the task */
	size_t size;
	unsigned rights;	/* L4_FPAGE_RO | W | X */
};

struct boot_task {
	char const *name;
	unsigned id;			/* small number; the parent gate's label is id << 4 */
	l4_cap_idx_t task;		/* selectors in the root task */
	l4_cap_idx_t thread;
	l4_cap_idx_t gate;
	l4_addr_t entry, stack_top;
	unsigned nsegs;
	struct boot_seg seg[BOOT_MAX_SEGS];
};

/* A fresh selector in the root task (slots from 0x100 up). */
l4_cap_idx_t boot_alloc_sel(void);

/*
 * Create the task and load path into it (mapped, not started). The parent
 * gate, bound to the calling thread with label id << 4, is mapped at
 * RT_PARENT_CAP; the log, the task and a factory at their l4sys slots.
 */
int boot_load(struct boot_task *bt, char const *path, unsigned id);

/* Create, bind and start the main thread (pager/exception handler: parent gate). */
int boot_start(struct boot_task *bt);

/* boot_load + boot_start. */
int boot_task(struct boot_task *bt, char const *path, unsigned id);

/* Map one of the root's capabilities into bt's task at a slot, with rights. */
int boot_give(struct boot_task *bt, l4_cap_idx_t root_sel, l4_cap_idx_t task_sel,
	      unsigned rights);

/* Which boot_task a message label came from (label >> 4), given a table. */
struct boot_msg {
	long proto;		/* tag label: RT_PROTO_EXIT / READY, L4_PROTO_PAGE_FAULT ... */
	unsigned id;		/* sender's boot id */
	l4_umword_t mr0, mr1;
	l4_umword_t label;	/* raw label (id << 4 | rights) */
};

/* Wait for the next message to the root's thread (open wait, timeout in ms, 0 = never). */
int boot_wait(struct boot_msg *m, unsigned timeout_ms);

/* Reply to the sender of the last message (mr0 = value). */
void boot_reply(void);
void boot_reply_value(l4_umword_t value);

/* Run until the task with id sends RT_PROTO_EXIT; returns its exit code,
 * or -1000 on a fault / timeout. Other messages: READY is answered at once. */
long boot_run_to_exit(unsigned id, unsigned timeout_ms);
