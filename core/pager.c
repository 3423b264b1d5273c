/*
 * pager.c — faults of a child's threads (pager.h).
 *
 * The kernel sends a fault on the thread's behalf, as a call through the
 * thread's pager gate (recap_thread_slot(i, PAGER)), whose badge names the
 * thread's pager object. The message is the kernel's, not rpc_wire's:
 * page fault: L4_PROTO_PAGE_FAULT, mr0 = address | write bit, mr1 = ip;
 * exception: L4_PROTO_EXCEPTION, l4_exc_regs_t in the registers.
 *
 * The component holds its pager gate, so it can also send such a message
 * itself; that is then its own crash report, and core believes it. It
 * harms nobody else. Anything else through the gate is refused.
 *
 * A page fault in a window of a managed region map with a fault handler
 * is no crash: pager_hold leaves the thread blocked in its fault IPC and
 * the region map resumes it once something is attached there
 * (region_map.h). A forged fault message can only block the sender's own
 * thread, which it could do by waiting anyway.
 */
#include <stdio.h>

#include <l4/sys/types.h>
#include <l4/sys/utcb.h>

#include <recap/cpu_session.h>
#include <recap/err.h>

#include "child.h"
#include "pager.h"
#include "region_map.h"

int pager_fault(struct child *c, char const *thread, struct rpc_request *req)
{
	long proto = l4_msgtag_label(req->tag);
	unsigned words = l4_msgtag_words(req->tag);
	l4_exc_regs_t const *e = (l4_exc_regs_t const *)req->mr;
	char where[RECAP_THREAD_NAME_MAX + 16] = "";

	if (l4_msgtag_items(req->tag))
		return RECAP_ERR_INVAL;
	if (thread)
		snprintf(where, sizeof(where), " in thread %s", thread);
	if (proto == L4_PROTO_PAGE_FAULT && words == 2)
		printf("[%s] crashed: page fault at 0x%lx (ip 0x%lx)%s\n", c->name,
		       (unsigned long)(req->mr[0] & ~7UL),
		       (unsigned long)req->mr[1], where);
	else if (proto == L4_PROTO_EXCEPTION &&
		 words == L4_UTCB_EXCEPTION_REGS_SIZE)
		printf("[%s] crashed: exception %lu (ip 0x%lx)%s\n", c->name,
		       (unsigned long)e->trapno, (unsigned long)e->ip, where);
	else
		return RECAP_ERR_INVAL;
	/* The faulting thread is not answered: it goes with its PD. */
	child_exit(c, -1);
	return RPC_NO_REPLY;
}

bool pager_hold(struct child *c, l4_cap_idx_t thread, struct rpc_request *req)
{
	if (l4_msgtag_label(req->tag) != L4_PROTO_PAGE_FAULT ||
	    l4_msgtag_words(req->tag) != 2 || l4_msgtag_items(req->tag) ||
	    !l4_is_valid_cap(thread))
		return false;
	return region_map_fault(&c->rm, req->mr[0] & ~7UL, (req->mr[0] & 2) != 0,
				thread) == RECAP_OK;
}

static int pager_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	struct child *c = core_container_of(obj, struct child, pager);

	if (pager_hold(c, c->pd.thread, req))
		return RPC_NO_REPLY;
	return pager_fault(c, NULL, req);
}

int pager_attach(struct child *c)
{
	return rpc_object_attach(&c->pager, RPC_OBJECT_FAULT, pager_dispatch);
}
