/*
 * cap_quota.h — a child's capability account (Genode's cap quota): how
 * many capabilities core may create on the child's behalf, and how many it
 * has.
 *
 * The quota is the start node's caps=".." (else <default caps>, else
 * SCENARIO_DEFAULT_CAPS). Every object core creates for the child is
 * charged where it is created and released where it is destroyed, one call
 * each; the costs below say what an object is worth. Invariant: used <=
 * quota, always: a charge that would exceed it is refused and changes
 * nothing.
 */
#pragma once

#include <stdbool.h>

struct child;

struct cap_account {
	unsigned long quota;		/* capabilities the child may have */
	unsigned long used;		/* capabilities core made for it */
};

/* What an object costs, in capabilities core creates for it. */
enum cap_quota_cost {
	/* At start: the task, the parent object, the main thread (kernel
	 * thread, its gate, its IRQ) and its pager object. */
	CAP_QUOTA_START = 6,
	/* A CPU thread: the thread capability, its pager object, the kernel
	 * thread, its gate and its IRQ. */
	CAP_QUOTA_THREAD = 5,
	/* A session object, an RPC object's gate (ALLOC_RPC_CAP), a
	 * dataspace (RAM, ROM), a signal context. */
	CAP_QUOTA_ONE = 1,
};

/*
 * Charge n capabilities to c's account for what (a short noun: "session",
 * "thread", ...). RECAP_OK, or RECAP_ERR_QUOTA with one line on stderr
 * naming the component, its quota and its use (nothing charged).
 */
int cap_quota_charge(struct child *c, unsigned long n, char const *what);

/* Give back n capabilities charged before (c's object is gone). */
void cap_quota_release(struct child *c, unsigned long n);

/*
 * Move n capabilities of quota from one account to another (a parent
 * giving part of its quota to a PD it creates). Only unused quota moves:
 * RECAP_OK, or RECAP_ERR_QUOTA and nothing moved.
 */
int cap_quota_transfer(struct cap_account *from, struct cap_account *to,
		       unsigned long n);
