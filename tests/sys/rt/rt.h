/*
 * rt — the tiny freestanding runtime of the kernel's system-test programs.
 *
 * Fixed capabilities the test driver maps into every test task:
 */
#pragma once

#include <l4/sys/consts.h>
#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/irq.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <l4/sys/types.h>
#include <l4/sys/utcb.h>
#include <l4/sys/vcon.h>

#define RT_TASK_CAP L4_BASE_TASK_CAP		/* the task itself */
#define RT_FACTORY_CAP L4_BASE_FACTORY_CAP	/* a factory (tests that create) */
#define RT_THREAD_CAP L4_BASE_THREAD_CAP	/* the main thread */
#define RT_LOG_CAP L4_BASE_LOG_CAP		/* the kernel log */
#define RT_PARENT_CAP (6UL << L4_CAP_SHIFT)	/* gate to the driver */
#define RT_ARG_CAP(i) ((16UL + (i)) << L4_CAP_SHIFT) /* test-specific caps */

/* UTCB area of test tasks: what the driver gives, what threads use. */
#define RT_UTCB_AREA 0x20000000UL
#define RT_UTCB_ORDER 17

/* Protocol label of messages to the driver. */
#define RT_PROTO_EXIT 0x7e57
#define RT_PROTO_READY 0x7e58

void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, void const *s, unsigned long n);
unsigned long strlen(char const *s);

/* printf subset: %d %u %ld %lu %x %lx %s %c %p %%. Output goes to the log
 * in one write per call (lines stay whole). */
void rt_printf(char const *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Tell the driver "ready" (mr0 = value), wait for its go-ahead; returns
 * the driver's answer (its mr0). */
unsigned long rt_ready(unsigned long value);

/* Report the exit code to the driver; never returns. */
void rt_exit(int code) __attribute__((noreturn));

/*
 * Start a thread in this task running fn(arg) on its own stack; index
 * selects the UTCB (1.. ; the main thread has 0) and the thread's slot
 * RT_THREAD_SLOT(index). Returns the thread selector or L4_INVALID_CAP.
 */
#define RT_THREAD_SLOT(i) ((0x100UL + (i)) << L4_CAP_SHIFT)
l4_cap_idx_t rt_thread_start(unsigned index, void (*fn)(void *), void *arg);

/* The outcome of an IPC as a word: "ok", "RETIMEOUT", "SETIMEOUT", ... */
char const *rt_ipc_result(l4_msgtag_t t);

/* The raw Linux system call, for hostile tests. */
long rt_linux_syscall(long nr, long a1, long a2, long a3);
