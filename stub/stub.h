/*
 * stub — internal interface of the task stub (see stub.c for the whole
 * picture). The stub is a static host program; nothing here is visible to
 * components, which share its address space but not its trust.
 */
#pragma once

#include <linux/filter.h>
#include <linux/sched.h>
#include <stdbool.h>
#include <stdint.h>

#include <l4/sys/x.h>

/* Component channel descriptors: [STUB_CHAN_LO, STUB_CHAN_HI). */
#define STUB_CHAN_LO L4X_CHAN_FD_BASE
#define STUB_CHAN_HI L4X_CHAN_FD_END

/* Exactly the flags of a thread in the same process, nothing else. */
#define STUB_THREAD_CLONE_FLAGS                                            \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |  \
	 CLONE_SYSVSEM)

#define STUB_FILTER_MAX_INSNS 480

/*
 * The component filter in BPF form, ready for seccomp(2). It sits alone in
 * page-aligned memory that is made read-only before the control filter is
 * loaded; the control filter forbids mprotect outside the component range,
 * so no component can weaken the filter of threads created later.
 */
struct stub_component_filter {
	struct sock_fprog prog;		/* what new threads install; first */
	struct sock_filter insns[STUB_FILTER_MAX_INSNS];
} __attribute__((aligned(4096)));	/* alone in its page(s) */
extern struct stub_component_filter stub_component_filter;

/* seccomp_policy.c */
int stub_filter_prepare_component(void);
int stub_filter_load_control(void);

/* thread_start.c: clone a thread onto stack_top; returns its tid or -errno */
long stub_clone_thread(unsigned long flags, void *stack_top);
extern char stub_thread_trap[];	/* int3 where a new thread waits for recapd */
extern char stub_exit_syscall[];	/* `syscall`; recapd's way to end a thread */

/* control.c */
void stub_control_loop(bool dirty_tracking) __attribute__((noreturn));
