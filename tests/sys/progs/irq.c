/*
 * irq — counted software IRQs (Fiasco 2019 Irq_sender semantics):
 *  - k triggers before anyone waits are received exactly k times, then a
 *    receive with a zero timeout fails with L4_IPC_RETIMEOUT;
 *  - the same through an open wait (l4_irq_wait);
 *  - a closed receive takes its own IRQ past another one queued before it;
 *  - triggers from another thread wake the main thread blocked in
 *    l4_irq_receive, and a different IRQ firing meanwhile does not;
 *  - triggers from another task (the driver, on an IRQ it created and bound
 *    to our main thread) wake it too;
 *  - every delivery carries the label the IRQ was bound with;
 *  - a receive that timed out at once leaves nothing behind: a later closed
 *    receive from a thread is not ended by that IRQ, a later receive of an
 *    IRQ not by a message from that thread;
 *  - after detach neither pending nor new triggers are delivered, and a
 *    detach by another thread ends a receive blocked on that IRQ;
 *  - deleting an IRQ drops its queued triggers and ends a receive blocked
 *    on it; deleting the thread an IRQ is bound to leaves the IRQ usable.
 * The driver's IRQ is at RT_ARG_CAP(0), bound with label IRQ_D_LABEL.
 */
#include "../rt/rt.h"
#include "irq.h"

#define IRQ_A RT_ARG_CAP(1)
#define IRQ_B RT_ARG_CAP(2)
#define IRQ_C RT_ARG_CAP(3)
#define IRQ_E RT_ARG_CAP(4)
#define IRQ_F RT_ARG_CAP(5)
#define IRQ_G RT_ARG_CAP(6)
#define IRQ_M RT_ARG_CAP(7)
#define IRQ_A_LABEL 0x60UL
#define IRQ_B_LABEL 0x64UL

/* l4_irq_receive, also returning the delivered label (~0 if none). */
static l4_msgtag_t irq_recv(l4_cap_idx_t irq, l4_umword_t *label, l4_timeout_t to)
{
	l4_utcb_mr()->mr[0] = L4_IRQ_OP_EOI;
	*label = ~0UL;
	return l4_ipc(irq, l4_utcb(), L4_SYSF_CALL, 0, l4_msgtag(L4_PROTO_IRQ, 1, 0, 0),
		      label, to);
}

/* A delivery of the IRQ with label? (label is read after t's call.) */
static int got(l4_msgtag_t t, l4_umword_t const *label, l4_umword_t want)
{
	return !l4_msgtag_has_error(t) && l4_msgtag_label(t) == L4_PROTO_IRQ && *label == want;
}

static int timed_out(l4_msgtag_t t)
{
	return l4_msgtag_has_error(t) && l4_ipc_error(t, l4_utcb()) == L4_IPC_RETIMEOUT;
}

static int trigger(l4_cap_idx_t irq, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (l4_error(l4_irq_trigger(irq)) < 0)
			return -1;
	return 0;
}

static int failures;

static void check(int ok, char const *what)
{
	rt_printf("irq: %s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

/* Another thread: B once, then A twice, each after a pause in which the
 * main thread has (most likely) blocked in its receive of A. */
static void helper(void *arg)
{
	(void)arg;
	l4_ipc_sleep_ms(20);
	l4_irq_trigger(IRQ_B);
	l4_ipc_sleep_ms(20);
	l4_irq_trigger(IRQ_A);
	l4_ipc_sleep_ms(20);
	l4_irq_trigger(IRQ_A);
}

/* Another thread: detach C after a pause (main is blocked receiving it). */
static void detacher(void *arg)
{
	(void)arg;
	l4_ipc_sleep_ms(20);
	l4_irq_detach(IRQ_C);
}

/* Another thread: delete F after a pause (main is blocked receiving it). */
static void deleter(void *arg)
{
	(void)arg;
	l4_ipc_sleep_ms(20);
	l4_task_delete_obj(RT_TASK_CAP, IRQ_F);
}

/*
 * Another thread, in two rounds. First, after pauses, IRQ A, then a message
 * to main. Second, when IRQ M comes, after a pause a message to main with a
 * 50 ms send timeout, then IRQ A, then a report: how the send ended.
 */
static void mixer(void *arg)
{
	l4_msg_regs_t *mr = l4_utcb_mr();
	(void)arg;
	l4_ipc_sleep_ms(20);
	l4_irq_trigger(IRQ_A);
	l4_ipc_sleep_ms(20);
	mr->mr[0] = 0x5e;
	l4_ipc_send(RT_THREAD_CAP, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_NEVER);

	l4_irq_receive(IRQ_M, L4_IPC_NEVER);
	l4_ipc_sleep_ms(20);
	mr->mr[0] = 0x5e;
	l4_msgtag_t t = l4_ipc_send(RT_THREAD_CAP, l4_utcb(), l4_msgtag(0, 1, 0, 0),
				    l4_timeout(l4_timeout_from_us(50000), L4_IPC_TIMEOUT_NEVER));
	l4_irq_trigger(IRQ_A);
	mr->mr[0] = l4_msgtag_has_error(t) ? l4_ipc_error(t, l4_utcb()) : 0;
	l4_ipc_send(RT_THREAD_CAP, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_NEVER);
}

/* main's closed receive from the mixer thread: its message? */
static int got_message(l4_msgtag_t t)
{
	return !l4_msgtag_has_error(t) && l4_msgtag_label(t) == 0 &&
	       l4_msgtag_words(t) == 1 && l4_utcb_mr()->mr[0] == 0x5e;
}

static void idle(void *arg)
{
	(void)arg;
}

static int slot_empty(l4_cap_idx_t cap)
{
	return l4_msgtag_label(l4_task_cap_valid(RT_TASK_CAP, cap)) == 0;
}

int main(void)
{
	l4_umword_t label;
	l4_msgtag_t t;

	if (l4_error(l4_factory_create_irq(RT_FACTORY_CAP, IRQ_A)) < 0 ||
	    l4_error(l4_factory_create_irq(RT_FACTORY_CAP, IRQ_B)) < 0 ||
	    l4_error(l4_factory_create_irq(RT_FACTORY_CAP, IRQ_C)) < 0 ||
	    l4_error(l4_irq_attach(IRQ_C, 0x68, RT_THREAD_CAP)) < 0 ||
	    l4_error(l4_rcv_ep_bind_thread(IRQ_A, RT_THREAD_CAP, IRQ_A_LABEL)) < 0 ||
	    l4_error(l4_irq_attach(IRQ_B, IRQ_B_LABEL, RT_THREAD_CAP)) < 0) {
		rt_printf("irq: cannot create and bind the irqs\n");
		return 1;
	}

	/* Counted triggers before any wait. */
	int n = 0;
	if (trigger(IRQ_A, 5))
		return 1;
	for (int i = 0; i < 5; i++)
		n += !l4_msgtag_has_error(l4_irq_receive(IRQ_A, L4_IPC_NEVER));
	check(n == 5, "5 triggers before any wait, l4_irq_receive got 5");
	t = l4_irq_receive(IRQ_A, L4_IPC_RECV_TIMEOUT_0);
	rt_printf("irq: sixth receive, zero timeout: %s\n", rt_ipc_result(t));
	failures += !timed_out(t);

	/* The same with labels, through a closed receive and an open wait. */
	n = 0;
	trigger(IRQ_A, 4);
	for (int i = 0; i < 2; i++)
		n += got(irq_recv(IRQ_A, &label, L4_IPC_NEVER), &label, IRQ_A_LABEL);
	for (int i = 0; i < 2; i++) {
		t = l4_irq_wait(IRQ_A, &label, L4_IPC_RECV_TIMEOUT_0);
		n += got(t, &label, IRQ_A_LABEL);
	}
	check(n == 4, "4 triggers: 2 closed receives and 2 open waits, label 0x60");
	t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0);
	rt_printf("irq: fifth open wait, zero timeout: %s\n", rt_ipc_result(t));
	failures += !timed_out(t);

	/* A closed receive picks its own IRQ past another queued before it. */
	trigger(IRQ_A, 1);
	trigger(IRQ_B, 1);
	check(got(irq_recv(IRQ_B, &label, L4_IPC_NEVER), &label, IRQ_B_LABEL),
	      "closed receive of B with A queued first: B, label 0x64");
	check(got(l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0), &label, IRQ_A_LABEL),
	      "then an open wait: A, label 0x60");
	check(timed_out(l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0)),
	      "then nothing");

	/* Triggers from another thread while we block on A. */
	if (l4_is_invalid_cap(rt_thread_start(1, helper, 0))) {
		rt_printf("irq: cannot start the helper thread\n");
		return 1;
	}
	n = 0;
	for (int i = 0; i < 2; i++)
		n += got(irq_recv(IRQ_A, &label, L4_IPC_NEVER), &label, IRQ_A_LABEL);
	check(n == 2, "blocked receive of A woken twice by another thread");
	check(got(l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0), &label, IRQ_B_LABEL),
	      "B, triggered meanwhile, still queued");

	/* A zero-timeout receive of A, then a closed receive from a thread
	 * that first triggers A, then sends: the message must end it. */
	check(timed_out(irq_recv(IRQ_A, &label, L4_IPC_RECV_TIMEOUT_0)),
	      "receive of A, zero timeout, nothing pending");
	l4_cap_idx_t mix = rt_thread_start(5, mixer, 0);
	if (l4_is_invalid_cap(mix) ||
	    l4_error(l4_factory_create_irq(RT_FACTORY_CAP, IRQ_M)) < 0 ||
	    l4_error(l4_irq_attach(IRQ_M, 0x78, mix)) < 0)
		return 1;
	check(got_message(l4_ipc_receive(mix, l4_utcb(), L4_IPC_NEVER)),
	      "then a closed receive from a thread gets its message, not A");
	check(got(l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0), &label, IRQ_A_LABEL),
	      "A still queued");

	/* A zero-timeout receive from that thread, then a receive of A while
	 * the thread first sends (the send must time out), then triggers A. */
	check(timed_out(l4_ipc_receive(mix, l4_utcb(), L4_IPC_RECV_TIMEOUT_0)),
	      "closed receive from the thread, zero timeout, nothing sent");
	l4_irq_trigger(IRQ_M);
	check(got(irq_recv(IRQ_A, &label, L4_IPC_NEVER), &label, IRQ_A_LABEL),
	      "then a receive of A gets A, not the thread's message");
	l4_msgtag_t r = l4_ipc_receive(mix, l4_utcb(), L4_IPC_NEVER);
	check(!l4_msgtag_has_error(r) && l4_utcb_mr()->mr[0] == L4_IPC_SETIMEOUT,
	      "the thread's send timed out");

	/* Triggers from another task: the driver fires its IRQ after our READY. */
	rt_ready(IRQ_READY_DRIVER_TRIGGER);
	n = 0;
	for (int i = 0; i < IRQ_DRIVER_TRIGGERS; i++)
		n += got(irq_recv(IRQ_D, &label, L4_IPC_NEVER), &label, IRQ_D_LABEL);
	check(n == IRQ_DRIVER_TRIGGERS, "blocked receive woken by the driver's triggers, label 0x70");
	check(timed_out(irq_recv(IRQ_D, &label, L4_IPC_RECV_TIMEOUT_0)),
	      "no more from the driver");

	/* Detach: pending triggers are dropped, new ones not delivered. */
	trigger(IRQ_A, 2);
	check(l4_error(l4_irq_detach(IRQ_A)) == 0, "detach A with 2 triggers pending");
	check(timed_out(l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0)),
	      "pending triggers not delivered after detach");
	trigger(IRQ_A, 1);
	check(timed_out(l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0)),
	      "trigger after detach not delivered");
	check(l4_error(irq_recv(IRQ_A, &label, L4_IPC_RECV_TIMEOUT_0)) < 0,
	      "receive on the detached irq refused");
	/* A detach by another thread ends a receive blocked on the IRQ (if it
	 * comes first, the receive is refused: an error as well). */
	if (l4_is_invalid_cap(rt_thread_start(2, detacher, 0))) {
		rt_printf("irq: cannot start the detacher thread\n");
		return 1;
	}
	check(l4_error(irq_recv(IRQ_C, &label, L4_IPC_NEVER)) < 0,
	      "blocked receive of C ended by its detach");

	/* B is still attached and works. */
	trigger(IRQ_B, 1);
	check(got(l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0), &label, IRQ_B_LABEL),
	      "B still delivered");

	/* Deleting an IRQ with triggers queued on us. */
	if (l4_error(l4_factory_create_irq(RT_FACTORY_CAP, IRQ_E)) < 0 ||
	    l4_error(l4_irq_attach(IRQ_E, 0x6c, RT_THREAD_CAP)) < 0 || trigger(IRQ_E, 3))
		return 1;
	check(l4_error(l4_task_delete_obj(RT_TASK_CAP, IRQ_E)) == 0 && slot_empty(IRQ_E),
	      "delete E with 3 triggers queued");
	check(timed_out(l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0)),
	      "its queued triggers are gone");

	/* Deleting an IRQ we are blocked on (if the delete comes first, the
	 * receive finds no IRQ: an error as well). */
	if (l4_error(l4_factory_create_irq(RT_FACTORY_CAP, IRQ_F)) < 0 ||
	    l4_error(l4_irq_attach(IRQ_F, 0x70, RT_THREAD_CAP)) < 0 ||
	    l4_is_invalid_cap(rt_thread_start(3, deleter, 0)))
		return 1;
	check(l4_error(irq_recv(IRQ_F, &label, L4_IPC_NEVER)) < 0,
	      "blocked receive of F ended by its deletion");

	/* Deleting the thread an IRQ is bound to, with triggers queued on it. */
	l4_cap_idx_t idler = rt_thread_start(4, idle, 0);
	if (l4_is_invalid_cap(idler) ||
	    l4_error(l4_factory_create_irq(RT_FACTORY_CAP, IRQ_G)) < 0 ||
	    l4_error(l4_irq_attach(IRQ_G, 0x74, idler)) < 0 || trigger(IRQ_G, 2))
		return 1;
	check(l4_error(l4_task_delete_obj(RT_TASK_CAP, idler)) == 0 && slot_empty(idler),
	      "delete a thread with G bound and 2 triggers queued");
	check(trigger(IRQ_G, 1) == 0, "G can still be triggered");
	check(l4_error(irq_recv(IRQ_G, &label, L4_IPC_RECV_TIMEOUT_0)) < 0,
	      "but not received by us");
	check(l4_error(l4_irq_attach(IRQ_G, 0x74, RT_THREAD_CAP)) == 0 &&
	      l4_error(l4_irq_detach(IRQ_G)) == 0, "G can be bound to us and detached");
	check(timed_out(l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0)),
	      "nothing left queued");

	rt_printf("irq: %d failures\n", failures);
	return failures ? 1 : 0;
}
