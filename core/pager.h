/*
 * pager.h — the pager (and exception handler) of a child's threads.
 *
 * Components get all their memory mapped before they start, so a page
 * fault is a crash (unless a managed region map's fault handler takes it:
 * pager_hold), as is any exception: core reports it on stdout,
 * "[name] crashed: page fault at 0xADDR (ip 0xIP)" or
 * "[name] crashed: exception TRAPNO (ip 0xIP)" (with " in thread T" for
 * a thread other than the main thread), and ends the child
 * (exit code -1). The rest of the system runs on.
 */
#pragma once

#include <stdbool.h>

#include <l4/sys/types.h>

struct child;

/* Attach c's main-thread pager object (c->pager). RECAP_OK or an error. */
int pager_attach(struct child *c);

struct rpc_request;

/*
 * A fault message of one of c's threads (thread: its name, NULL for the
 * main thread, which the report then does not name): report it and end c.
 * RPC_NO_REPLY, or RECAP_ERR_INVAL if req is no fault message. The pager
 * objects of threads from the CPU service (cpu.c) dispatch to this.
 */
int pager_fault(struct child *c, char const *thread, struct rpc_request *req);

/*
 * Is req a page fault of c's thread (core's selector of its kernel
 * thread) that a managed region map's fault handler takes
 * (region_map_fault)? Then it is recorded and signalled, and the caller
 * must not answer (RPC_NO_REPLY): the thread waits until it is resumed.
 */
bool pager_hold(struct child *c, l4_cap_idx_t thread, struct rpc_request *req);
