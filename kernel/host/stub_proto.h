/*
 * stub_proto — the control protocol between recapd and a task stub.
 *
 * One SOCK_SEQPACKET socket per task: recapd's end is host_task.ctl_fd, the
 * stub's end is descriptor HOST_STUB_CTL_FD. The stub speaks first (one
 * stub_ready), then answers every stub_order with exactly one stub_reply, in
 * order. A memfd (MAP) or channel socket (THREAD) rides along with its order
 * as SCM_RIGHTS; the stub closes its copy once it is placed.
 *
 * Invariants:
 *  - At most one order is in flight per task (recapd is single-threaded and
 *    waits for each reply), so the socket never fills up.
 *  - Everything the stub reports after it has run component code may be
 *    forged (a hostile component can take over the control thread); only
 *    stub_ready, sent before any component thread exists, is trusted.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <l4/sys/x.h>

#define STUB_PROTO_MAGIC 0x72637374u	/* "rcst" */
#define STUB_PROTO_VERSION 1

/* Fixed descriptors inside a stub (the control socket is HOST_STUB_CTL_FD). */
#define STUB_UFFD_FD 4		/* userfaultfd doing the dirty tracking */

enum stub_op {
	STUB_OP_MAP = 1,	/* fd: memfd; addr, size, offset, prot */
	STUB_OP_UNMAP = 2,	/* addr, size: back to reserved PROT_NONE */
	STUB_OP_THREAD = 3,	/* fd: channel, placed at fd_no; start a thread */
	STUB_OP_CLOSE = 4,	/* close channel descriptor fd_no */
	STUB_OP_PLACE = 5,	/* fd: a channel descriptor, placed at fd_no */
};

struct stub_order {
	uint32_t op;		/* enum stub_op */
	uint32_t seq;		/* echoed in the reply */
	uint64_t addr;
	uint64_t size;
	uint64_t offset;
	int32_t prot;		/* PROT_READ | PROT_WRITE | PROT_EXEC */
	int32_t fd_no;		/* THREAD, CLOSE: channel descriptor number */
};

struct stub_reply {
	uint32_t seq;
	int32_t status;		/* 0 or -errno */
};

/* The stub's first message: it is set up and waits for orders. */
struct stub_ready {
	uint32_t magic;		/* STUB_PROTO_MAGIC */
	uint32_t version;	/* STUB_PROTO_VERSION */
	uint64_t exit_syscall_ip; /* a `syscall` instruction in stub text */
	uint64_t thread_trap_ip;  /* the int3 a new thread stops at */
	int32_t dirty_tracking;	/* 1: uffd WP_ASYNC registered on each map */
	int32_t reserved;
};

/* Is [addr, addr + size) page-aligned, non-empty and inside the component range? */
static inline bool stub_range_ok(uint64_t addr, uint64_t size)
{
	return size && !(addr & 4095) && !(size & 4095) &&
	       addr >= L4X_TASK_VM_START && addr < L4X_TASK_VM_END &&
	       size <= L4X_TASK_VM_END - addr;
}
