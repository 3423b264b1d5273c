/*
 * ipc — the IPC engine: send, receive, call, reply, timeouts, and the
 * transfer of message registers and capabilities between UTCBs.
 *
 * Rendezvous semantics as in Fiasco.OC: a send meets a receiver that waits
 * (for anyone, or for this sender), otherwise the sender queues on the
 * receiver in FIFO order until its send timeout; a receive takes the first
 * queued sender (a thread or a triggered IRQ), otherwise waits until its
 * receive timeout. A call is a send followed by a closed wait for the
 * callee's reply; the callee holds the implicit reply capability.
 *
 * recap: a paused thread, or one whose Linux thread is gone (frozen), takes
 * no message: its senders queue until it runs again (ipc_resumed) or a new
 * incarnation takes them over, so a stopped component's state stays what
 * its checkpoint read. A held gate (ipc_gate.h) keeps the calls of its
 * dead thread, and those made through it, until it is bound again.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <l4/sys/types.h>
#include <l4/sys/x.h>

struct thread;

/* Carry out the system call th->req (set by the caller). */
void ipc_syscall(struct thread *th);

/*
 * The receive phase of th's system call (after a send, or a kernel op
 * whose call has a receive half that blocks: IRQ receive).
 */
void ipc_receive_phase(struct thread *th);

/* A closed wait of th for the IRQ q attached to it (l4_irq_receive). */
struct irq;
void ipc_receive_from_irq(struct thread *th, struct irq *q);

/* Give a waiting receiver rcv an IRQ message (label) now. */
void ipc_deliver_irq(struct thread *rcv, l4_umword_t label);

/* Abort th's IPC (it is going away, or ex_regs cancels): partners get errors. */
void ipc_cancel(struct thread *th, bool notify_self);

/* Detach everything that refers to a thread that is going away. */
void ipc_thread_gone(struct thread *th);

/* th runs again after a pause: take a sender that queued meanwhile. */
void ipc_resumed(struct thread *th);

/* Gates held over their thread's death (ipc_gate.h). */
struct ipc_gate;
/* t goes away: its senders through g (by label) move to g's queue. */
void ipc_gate_park(struct ipc_gate *g, struct thread *t);
/* g is bound to t: g's parked senders queue on t, in order. */
void ipc_gate_unpark(struct ipc_gate *g, struct thread *t);
/* g goes away: its parked senders fail. */
void ipc_gate_fail_parked(struct ipc_gate *g);

/* Wait-state plumbing, also used when a thread's saved state is re-entered. */
void ipc_set_partner(struct thread *th, struct thread *partner);
void ipc_set_reply_to(struct thread *th, struct thread *caller);
void ipc_unwait(struct thread *th);
void ipc_receive_from_thread(struct thread *th, struct thread *from);

/* Timeouts: the next deadline (0 = none), and expiring those due at now. */
uint64_t ipc_next_deadline(void);
void ipc_expire(uint64_t now);
void ipc_set_deadline(struct thread *th, uint64_t deadline);
uint64_t ipc_now(void);

/* Relative l4_timeout_s (16 bit) to an absolute deadline: 0 never, 1 zero. */
uint64_t ipc_timeout_deadline(unsigned t16);
