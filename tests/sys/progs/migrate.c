/*
 * migrate — a program whose threads sit in every state a thread can be in
 * when it is paused, for the thread-migration test (sys_migrate):
 *   main  in a call to the driver (rt_ready), waiting for the reply;
 *   t1    computing (integer and SSE arithmetic, a long loop);
 *   t2    blocked in an open wait on its gate (the driver calls it later);
 *   t3    in a call to t4, waiting for the reply;
 *   t4    has taken t3's call and is blocked on an IRQ (the driver triggers it).
 * Results are collected by main and printed in a fixed order at the end, so
 * the output does not depend on timing.
 */
#include "../rt/rt.h"
#include "migrate.h"

#define T1_ROUNDS 400000000UL

static unsigned long result[MIG_THREADS + 1];
static double t1_acc;

static void done(unsigned i)
{
	l4_utcb_mr()->mr[0] = i;
	l4_ipc_call(MIG_GM, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_NEVER);
}

static void t1_compute(void *arg)
{
	(void)arg;
	unsigned long x = 88172645463325252UL;
	double acc = 0.0;
	for (unsigned long i = 0; i < T1_ROUNDS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		acc += (double)(x & 0xff) * 0.5;
	}
	result[1] = x;
	t1_acc = acc;
	done(1);
}

static void t2_serve(void *arg)
{
	(void)arg;
	l4_umword_t label = 0;
	l4_msgtag_t t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
	unsigned long v = l4_utcb_mr()->mr[0];
	result[2] = l4_msgtag_has_error(t) ? ~0UL : v * 1000 + (label & ~3UL);
	l4_utcb_mr()->mr[0] = v * 6;
	l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_SEND_TIMEOUT_0);
	done(2);
}

static void t3_call(void *arg)
{
	(void)arg;
	l4_utcb_mr()->mr[0] = 5;
	l4_msgtag_t t = l4_ipc_call(MIG_G3, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_NEVER);
	result[3] = l4_msgtag_has_error(t) ? ~0UL : l4_utcb_mr()->mr[0];
	done(3);
}

static void t4_serve(void *arg)
{
	(void)arg;
	/* The driver may trigger the IRQ before t3's call arrives: an IRQ
	 * taken by the open wait is remembered, not mistaken for the call. */
	l4_umword_t label = 0;
	unsigned long irqs = 0;
	l4_msgtag_t t;
	for (;;) {
		t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
		if (l4_msgtag_has_error(t) || l4_msgtag_label(t) != L4_PROTO_IRQ)
			break;
		irqs++;
	}
	unsigned long v = l4_utcb_mr()->mr[0];
	l4_msgtag_t q = irqs ? l4_msgtag(0, 0, 0, 0) : l4_irq_receive(MIG_IRQ, L4_IPC_NEVER);
	result[4] = (l4_msgtag_has_error(t) || l4_msgtag_has_error(q)) ? ~0UL
		    : v + (label & ~3UL);
	l4_utcb_mr()->mr[0] = v + 1000;
	l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_SEND_TIMEOUT_0);
	done(4);
}

static int make_gate(l4_cap_idx_t gate, l4_cap_idx_t thread, l4_umword_t label)
{
	return l4_error(l4_factory_create_gate(RT_FACTORY_CAP, gate, thread, label)) < 0;
}

int main(void)
{
	static void (*const fn[MIG_THREADS + 1])(void *) = {
		0, t1_compute, t2_serve, t3_call, t4_serve,
	};
	l4_cap_idx_t th[MIG_THREADS + 1];

	if (make_gate(MIG_GM, RT_THREAD_CAP, MIG_GM_LABEL) ||
	    l4_error(l4_factory_create_irq(RT_FACTORY_CAP, MIG_IRQ)) < 0)
		return 1;
	/* t4 and t2 first, so their gates exist before anyone calls. */
	static unsigned const order[MIG_THREADS] = { 4, 2, 1, 3 };
	for (unsigned k = 0; k < MIG_THREADS; k++) {
		unsigned i = order[k];
		th[i] = rt_thread_start(i, fn[i], 0);
		if (l4_is_invalid_cap(th[i]))
			return 2;
		if (i == 4 && (make_gate(MIG_G3, th[4], MIG_G3_LABEL) ||
			       l4_error(l4_rcv_ep_bind_thread(MIG_IRQ, th[4], MIG_IRQ_LABEL)) < 0))
			return 3;
		if (i == 2 && make_gate(MIG_G2, th[2], MIG_G2_LABEL))
			return 4;
	}
	rt_printf("main: threads started\n");
	rt_ready(1);	/* the driver pauses and moves us while we wait here */

	for (unsigned n = 0; n < MIG_THREADS; n++) {
		l4_umword_t label = 0;
		l4_msgtag_t t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
		if (l4_msgtag_has_error(t) || (label & ~3UL) != MIG_GM_LABEL)
			return 5;
		l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, 0, 0, 0), L4_IPC_SEND_TIMEOUT_0);
	}
	rt_printf("main: t1 x=%lu acc=%lu\n", result[1], (unsigned long)t1_acc);
	rt_printf("main: t2 %lu\n", result[2]);
	rt_printf("main: t3 %lu\n", result[3]);
	rt_printf("main: t4 %lu\n", result[4]);
	return 0;
}
