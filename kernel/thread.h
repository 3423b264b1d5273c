/*
 * thread — the Thread kernel object.
 *
 * A thread is bound to a task and a UTCB in that task's UTCB area; once
 * started it is a Linux thread of the task's process (or the root task's
 * own thread) with a channel to recapd — a request pipe and an answer pipe
 * — at the fixed descriptors its UTCB address gives. Every system call is a request on that channel; the
 * thread then blocks reading the channel until the kernel answers, so a
 * thread inside the kernel is always in a recorded state (ipc below).
 *
 * Invariants:
 *  - ipc == THREAD_IPC_SEND  <=> the thread is on partner->senders, or,
 *                                 partner NULL, parked on a held gate's
 *                                 senders (ipc_gate.h);
 *    ipc == THREAD_IPC_RECV  <=> it waits for partner (a thread) or
 *                                 recv_irq (an IRQ) specifically;
 *    ipc == THREAD_IPC_WAIT  <=> it waits for anyone (open wait).
 *  - deadline != 0 only in SEND, RECV or WAIT, and then the thread is on
 *    the timeout list.
 *  - reply_to, when set, is a thread in RECV waiting for this one: the
 *    implicit reply capability of Fiasco.OC.
 *  - task, partner, reply_to are pinned while referenced.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <l4/sys/types.h>
#include <l4/sys/utcb.h>
#include <l4/sys/x.h>

#include "host/host.h"
#include "kobj.h"
#include "list.h"

struct task;
struct irq;

enum thread_ipc {
	THREAD_IPC_NONE = 0,	/* running user code, or not in an IPC */
	THREAD_IPC_SEND,	/* queued on partner's senders */
	THREAD_IPC_RECV,	/* closed wait: partner's reply / message, or recv_irq */
	THREAD_IPC_WAIT,	/* open wait */
};

/* A kernel-made call on behalf of the thread (fault IPC), not a system call. */
enum thread_fault {
	THREAD_FAULT_NONE = 0,
	THREAD_FAULT_PAGE,
	THREAD_FAULT_EXCEPTION,
};

struct thread {
	struct kobj kobj;
	struct task *task;		/* bound task, NULL before bind */
	l4_addr_t utcb_addr;		/* in the task */
	l4_utcb_t *utcb;		/* recapd's view of it */
	unsigned utcb_index;
	int chan;			/* recapd reads requests here, -1 none */
	int chan_out;			/* recapd writes answers here */
	int peer_req;			/* the thread's end of the request pipe */
	int peer_ans;			/* the thread's end of the answer pipe (kept:
					   unread answers are seen and re-delivered) */
	int side;			/* host tasks: descriptors come here, else -1 */
	int side_peer;			/* the host task's end, until it is handed over */
	struct host_thread *host;	/* Linux thread of a stub task */
	bool started;
	bool paused;
	bool dead;			/* its Linux thread is gone */
	l4_cap_idx_t pager;		/* selectors in the thread's own task */
	l4_cap_idx_t exc_handler;

	/* The system call in progress (valid while ipc != NONE). */
	struct l4x_sys_req req;
	enum thread_ipc ipc;
	struct thread *partner;		/* SEND: receiver; RECV: whom we wait for */
	struct irq *recv_irq;		/* RECV from an IRQ */
	bool in_call;			/* SEND: the send half of a call */
	l4_umword_t snd_label;		/* SEND: label our message delivers */
	uint64_t deadline;		/* monotonic ns, 0 = none */
	struct list_node timeout_link;
	struct sender_link send_link;	/* on partner->senders */
	struct list senders;		/* threads (send_link) and IRQs (queue_link) */

	struct thread *reply_to;	/* caller owed a reply */
	enum thread_fault fault;
	l4_umword_t fault_saved_mr[L4_UTCB_GENERIC_DATA_SIZE];
	struct l4x_regs fault_regs;	/* registers at the fault */
	l4_umword_t fault_pfa;		/* faulting address */

	/* Restore bookkeeping: links to threads that are still to come. */
	uint64_t want_partner_id;	/* RECV partner not yet re-created */
	uint64_t want_reply_to_id;	/* reply_to not yet re-created */
	bool discard_result;	/* ex_regs moved the caller itself: no answer */
	struct l4x_thread_state *staged; /* l4x state being set, part by part */

};

int thread_create(struct thread **out);

/* Bind to a task at a UTCB address; the channel is created here. */
int thread_bind(struct thread *th, struct task *task, l4_addr_t utcb_addr);

/*
 * Start the bound thread's Linux thread with ip and sp (a stub task), or
 * mark it started (host task). start_paused leaves it paused with its state
 * set. regs may be NULL (then ip/sp and a clean register set are used).
 */
int thread_start(struct thread *th, struct l4x_regs const *regs,
		 uint8_t const *fpu, bool start_paused);

/* Finish the thread's current system call with tag and label. */
void thread_complete(struct thread *th, l4_msgtag_t tag, l4_umword_t label);

/* The fault IPC of th was answered (or failed): resume or end the thread. */
void thread_fault_done(struct thread *th, l4_msgtag_t tag);

/* Finish with an IPC error code (L4_IPC_*), written to the TCR. */
void thread_complete_error(struct thread *th, l4_umword_t ipc_error);

/* Invocation of a Thread capability with L4_PROTO_THREAD (control, ex_regs). */
l4_msgtag_t thread_invoke(struct thread *th, unsigned rights,
			  struct thread *caller, l4_msgtag_t tag);

/* The Linux side of a thread went away (process killed, thread exited). */
void thread_substrate_gone(struct thread *th);

/* Forget a result the thread has not read yet. */
void thread_drop_unread(struct thread *th);

/* Take a result the thread has not read yet (1), or find none (0). */
int thread_take_unread(struct thread *th, struct l4x_sys_ret *ret);

/* Write an answer to the thread's channel. */
void thread_answer(struct thread *th, struct l4x_sys_ret const *ret);

/* The descriptor a host task sent along with its current call, or -1. */
int thread_take_passed_fd(struct thread *th);

/* Pause / resume (l4x). Pausing drains requests already on the channel. */
int thread_pause(struct thread *th);
int thread_resume(struct thread *th);

/* l4x state get / set on a paused thread. */
int thread_state_get(struct thread *th, struct l4x_thread_state *s);
int thread_state_set(struct thread *th, struct l4x_thread_state const *s);

/* The thread a map item [ctl, fpage] names in caller's space, or NULL. */
struct thread *thread_from_item(struct thread *caller, l4_umword_t const item[2]);

/* A fault of the thread's Linux thread (from the substrate): fault IPC. */
void thread_fault(struct thread *th, struct host_event const *ev);

/* Read and handle one request from the thread's channel (epoll callback). */
void thread_channel_ready(struct thread *th);

static inline struct thread *thread_of(struct kobj *o)
{
	return (struct thread *)o;
}
