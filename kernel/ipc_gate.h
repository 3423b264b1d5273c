/*
 * ipc_gate — the IPC gate kernel object: a capability to send to a thread
 * with a label.
 *
 * Invariants:
 *  - label has its low two bits clear (they carry the invoker's W/S rights
 *    on delivery, so a server can tell what right the client held).
 *  - thread, when set, is pinned by the gate.
 *  - senders (threads, by send_link, in SEND with no partner) is empty
 *    unless the gate is held and unbound: calls parked on the gate until
 *    it is bound again (l4/sys/x.h, L4X_IPC_GATE_HOLD_OP).
 */
#pragma once

#include <l4/sys/types.h>

#include "kobj.h"
#include "list.h"

struct thread;

struct ipc_gate {
	struct kobj kobj;
	struct thread *thread;	/* bound receiver, NULL if unbound */
	l4_umword_t label;
	bool held;		/* its thread's death parks its calls */
	struct list senders;	/* parked calls, in arrival order */
};

int ipc_gate_create(struct thread *thread, l4_umword_t label, struct ipc_gate **out);

/* Bind (or rebind) the gate to thread with label. KERR_INVAL if label & 3. */
int ipc_gate_bind(struct ipc_gate *g, struct thread *thread, l4_umword_t label);

/* The label a message through g delivers to an invoker holding rights. */
l4_umword_t ipc_gate_label_for(struct ipc_gate const *g, unsigned rights);

/* Kernel protocol of a gate (L4_PROTO_KOBJECT): bind, get_info. */
l4_msgtag_t ipc_gate_invoke(struct ipc_gate *g, unsigned rights,
			    struct thread *caller, l4_msgtag_t tag);

/*
 * Forget a thread that is going away. A held gate bound to it takes the
 * calls queued on t through it (by label) into its own queue.
 */
void ipc_gate_thread_gone(struct thread *t);
