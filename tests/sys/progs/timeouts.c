/*
 * timeouts — every kind of IPC timeout, between the main thread and a
 * worker thread of the same task:
 *  - zero: a send to a thread that is not receiving fails with
 *    L4_IPC_SETIMEOUT at once, a receive with nothing queued with
 *    L4_IPC_RETIMEOUT; a zero-timeout send to a thread in an open wait
 *    is delivered;
 *  - finite: a closed receive, an open wait, a send, the send phase of a
 *    call to a busy thread and a sleep end with the right error, no
 *    earlier than their timeout (the driver times them through READY
 *    marks, see timeouts.h); a send that timed out is not delivered later;
 *  - never: a call blocks until the partner answers, however late;
 *  - a call whose receive timeout expires before the answer fails with
 *    L4_IPC_RETIMEOUT, and the partner's late reply then finds no caller
 *    (L4_IPC_ENOT_EXISTENT);
 *  - eight threads sleeping concurrently with different timeouts all wake
 *    with L4_IPC_RETIMEOUT;
 *  - all the while a thread waits with a 10 s receive timeout, which must
 *    not hold up the shorter ones (the driver bounds them by 5 s), and
 *    which ends with the message it waits for, not with the timeout.
 * The worker is kept "busy" (not receiving) by a closed receive of an IRQ.
 */
#include "../rt/rt.h"
#include "timeouts.h"

#define WORKER RT_THREAD_SLOT(1)
#define SLEEPER RT_THREAD_SLOT(2)
#define TIMER(k) RT_THREAD_SLOT(3 + (k))	/* k = 0 .. NTIMERS - 1 */
#define NTIMERS 8
#define BUSY_IRQ RT_ARG_CAP(0)
#define MAIN_LABEL 0xa0UL	/* label word of the main thread's sends */

enum { MSG_GO = 1, MSG_STALE, MSG_HELLO, MSG_NEVER, MSG_SHORT, MSG_LATE, MSG_REPORT };

static l4_timeout_t rcv_ms(unsigned ms)
{
	return l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(ms * 1000ull));
}

static l4_timeout_t snd_ms(unsigned ms)
{
	return l4_timeout(l4_timeout_from_us(ms * 1000ull), L4_IPC_TIMEOUT_NEVER);
}

static int failures;

static void expect(char const *what, l4_msgtag_t t, char const *want)
{
	char const *got = rt_ipc_result(t);
	int ok = 1;
	for (char const *a = got, *b = want; ok && (*a || *b); a++, b++)
		ok = *a == *b;
	rt_printf("timeouts: %s: %s%s\n", what, got, ok ? "" : " (WRONG)");
	failures += !ok;
}

static l4_msgtag_t send_msg(l4_cap_idx_t to, unsigned long flags, unsigned long what,
			    l4_timeout_t timeout)
{
	l4_utcb_mr()->mr[0] = what;
	return l4_ipc(to, l4_utcb(), flags, MAIN_LABEL, l4_msgtag(0, 1, 0, 0), NULL, timeout);
}

/* What the worker saw, for its report. */
static unsigned long worker_bad;

static void worker(void *arg)
{
	l4_msg_regs_t *mr = l4_utcb_mr();
	l4_umword_t label;
	(void)arg;

	/* Wait for the go-ahead (the IRQ is bound to us by then), then be
	 * busy: blocked in a closed receive of the IRQ, deaf to the main thread. */
	l4_ipc_receive(RT_THREAD_CAP, l4_utcb(), L4_IPC_NEVER);
	if (l4_msgtag_has_error(l4_irq_receive(BUSY_IRQ, L4_IPC_NEVER)))
		worker_bad |= 1;

	/* Open wait: the first message must be the hello, not a send that
	 * timed out while we were busy. */
	l4_msgtag_t t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
	if (l4_msgtag_has_error(t) || label != MAIN_LABEL || mr->mr[0] != MSG_HELLO)
		worker_bad |= 2;

	/* A call we answer only after the driver held us for TO_HOLD_MS. */
	t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
	if (l4_msgtag_has_error(t) || mr->mr[0] != MSG_NEVER)
		worker_bad |= 4;
	rt_ready(TO_HOLD);
	mr->mr[0] = MSG_NEVER + 100;
	if (l4_msgtag_has_error(l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, 1, 0, 0),
					     L4_IPC_SEND_TIMEOUT_0)))
		worker_bad |= 8;

	/* A call we answer only after its caller gave up. */
	t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
	if (l4_msgtag_has_error(t) || mr->mr[0] != MSG_SHORT)
		worker_bad |= 16;
	t = l4_ipc_receive(RT_THREAD_CAP, l4_utcb(), L4_IPC_NEVER);
	if (l4_msgtag_has_error(t) || mr->mr[0] != MSG_LATE)
		worker_bad |= 32;
	t = l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, 0, 0, 0), L4_IPC_SEND_TIMEOUT_0);

	/* Report: how the late reply ended, and what went wrong. */
	mr->mr[0] = MSG_REPORT;
	mr->mr[1] = l4_msgtag_has_error(t) ? l4_ipc_error(t, l4_utcb()) : 0;
	mr->mr[2] = worker_bad;
	l4_ipc_send(RT_THREAD_CAP, l4_utcb(), l4_msgtag(0, 3, 0, 0), L4_IPC_NEVER);
}

/* Waits 10 s for a message from main, reports how that ended. */
static void sleeper(void *arg)
{
	(void)arg;
	l4_msgtag_t t = l4_ipc_receive(RT_THREAD_CAP, l4_utcb(), rcv_ms(10000));
	l4_utcb_mr()->mr[0] = l4_msgtag_has_error(t) ? l4_ipc_error(t, l4_utcb()) : 0;
	l4_ipc_send(RT_THREAD_CAP, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_NEVER);
}

/* Sleeps 100, 90, ... 30 ms (in the order of starting), reports the result. */
static void timer(void *arg)
{
	unsigned long k = (unsigned long)arg;
	l4_msgtag_t t = l4_ipc_sleep_ms(100 - 10 * (unsigned)k);
	l4_utcb_mr()->mr[0] = l4_msgtag_has_error(t) ? l4_ipc_error(t, l4_utcb()) : 0;
	l4_ipc_send(RT_THREAD_CAP, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_NEVER);
}

int main(void)
{
	l4_umword_t label;
	l4_msgtag_t t;

	if (l4_is_invalid_cap(rt_thread_start(2, sleeper, 0)) ||
	    l4_is_invalid_cap(rt_thread_start(1, worker, 0)) ||
	    l4_error(l4_factory_create_irq(RT_FACTORY_CAP, BUSY_IRQ)) < 0 ||
	    l4_error(l4_rcv_ep_bind_thread(BUSY_IRQ, WORKER, 0x10)) < 0 ||
	    l4_msgtag_has_error(send_msg(WORKER, L4_SYSF_SEND, MSG_GO, L4_IPC_NEVER))) {
		rt_printf("timeouts: cannot set up the worker\n");
		return 1;
	}

	/* From here until the IRQ fires the worker does not receive from us. */
	expect("send, zero timeout, partner not receiving",
	       send_msg(WORKER, L4_SYSF_SEND, MSG_STALE, L4_IPC_SEND_TIMEOUT_0), "SETIMEOUT");
	expect("call, zero timeouts, partner not receiving",
	       send_msg(WORKER, L4_SYSF_CALL, MSG_STALE, L4_IPC_BOTH_TIMEOUT_0), "SETIMEOUT");
	expect("closed receive, zero timeout, partner not sending",
	       l4_ipc_receive(WORKER, l4_utcb(), L4_IPC_RECV_TIMEOUT_0), "RETIMEOUT");
	expect("open wait, zero timeout, nothing queued",
	       l4_ipc_wait(l4_utcb(), &label, L4_IPC_RECV_TIMEOUT_0), "RETIMEOUT");

	rt_ready(TO_RECV_START);
	t = l4_ipc_receive(WORKER, l4_utcb(), rcv_ms(50));
	rt_ready(TO_RECV_END);
	expect("closed receive, 50 ms", t, "RETIMEOUT");

	rt_ready(TO_WAIT_START);
	t = l4_ipc_wait(l4_utcb(), &label, rcv_ms(50));
	rt_ready(TO_WAIT_END);
	expect("open wait, 50 ms", t, "RETIMEOUT");

	rt_ready(TO_SEND_START);
	t = send_msg(WORKER, L4_SYSF_SEND, MSG_STALE, snd_ms(50));
	rt_ready(TO_SEND_END);
	expect("send, 50 ms, partner not receiving", t, "SETIMEOUT");

	rt_ready(TO_BUSY_START);
	t = send_msg(WORKER, L4_SYSF_CALL, MSG_STALE, snd_ms(30));
	rt_ready(TO_BUSY_END);
	expect("call, send 30 ms, partner busy", t, "SETIMEOUT");

	rt_ready(TO_SLEEP_START);
	t = l4_ipc_sleep_ms(50);
	rt_ready(TO_SLEEP_END);
	expect("sleep, 50 ms", t, "RETIMEOUT");

	/* Let the worker go to its open wait; a zero-timeout send gets through
	 * as soon as it waits. */
	l4_irq_trigger(BUSY_IRQ);
	unsigned long tries = 0;
	do
		t = send_msg(WORKER, L4_SYSF_SEND, MSG_HELLO, L4_IPC_SEND_TIMEOUT_0);
	while (l4_msgtag_has_error(t) && l4_ipc_error(t, l4_utcb()) == L4_IPC_SETIMEOUT &&
	       ++tries < 1000000 && (rt_linux_syscall(24 /* sched_yield */, 0, 0, 0), 1));
	expect("send, zero timeout, partner in open wait", t, "ok");

	rt_ready(TO_NEVER_START);
	t = send_msg(WORKER, L4_SYSF_CALL, MSG_NEVER, L4_IPC_NEVER);
	unsigned long answer = l4_utcb_mr()->mr[0];
	rt_ready(TO_NEVER_END);
	expect("call, never, partner answers late", t, "ok");
	if (!l4_msgtag_has_error(t) && answer != MSG_NEVER + 100) {
		rt_printf("timeouts: wrong answer %lu\n", answer);
		failures++;
	}

	rt_ready(TO_REPLY_START);
	t = send_msg(WORKER, L4_SYSF_CALL, MSG_SHORT, rcv_ms(50));
	rt_ready(TO_REPLY_END);
	expect("call, receive 50 ms, no answer in time", t, "RETIMEOUT");

	/* (The worker now waits for our next message: it comes at the end.) */
	rt_ready(TO_MANY_START);
	for (unsigned long k = 0; k < NTIMERS; k++)
		if (l4_is_invalid_cap(rt_thread_start(3 + (unsigned)k, timer, (void *)k)))
			return 1;
	unsigned timed_out = 0;
	for (unsigned k = 0; k < NTIMERS; k++) {
		t = l4_ipc_receive(TIMER(k), l4_utcb(), rcv_ms(5000));
		timed_out += !l4_msgtag_has_error(t) && l4_utcb_mr()->mr[0] == L4_IPC_RETIMEOUT;
	}
	rt_ready(TO_MANY_END);
	rt_printf("timeouts: %u concurrent sleeps of 30 to 100 ms: %u RETIMEOUT\n", NTIMERS,
		  timed_out);
	failures += timed_out != NTIMERS;

	/* The 10 s receive is still pending: end it with its message. */
	expect("send to the thread in a 10 s receive",
	       send_msg(SLEEPER, L4_SYSF_SEND, 0, L4_IPC_NEVER), "ok");
	t = l4_ipc_receive(SLEEPER, l4_utcb(), rcv_ms(5000));
	unsigned long sleeper_err = l4_msgtag_has_error(t) ? ~0UL : l4_utcb_mr()->mr[0];
	rt_printf("timeouts: its 10 s receive ended with: %s\n",
		  sleeper_err == ~0UL ? "no report" : sleeper_err ? "an error" : "the message");
	failures += sleeper_err != 0;

	/* Now let the worker answer: it finds nobody to answer. The 5 s send
	 * and receive timeouts only bound a hang; they do not expire. */
	expect("send, 5 s, partner receiving",
	       send_msg(WORKER, L4_SYSF_SEND, MSG_LATE, snd_ms(5000)), "ok");
	t = l4_ipc_receive(WORKER, l4_utcb(), rcv_ms(5000));
	l4_msg_regs_t *mr = l4_utcb_mr();
	unsigned long report[3] = { mr->mr[0], mr->mr[1], mr->mr[2] };
	expect("receive, 5 s, partner sends", t, "ok");
	if (l4_msgtag_has_error(t) || report[0] != MSG_REPORT)
		return 1;
	rt_printf("timeouts: the worker's late reply: %s\n",
		  report[1] == L4_IPC_ENOT_EXISTENT ? "ENOT_EXISTENT" : "WRONG");
	if (report[2])
		rt_printf("timeouts: the worker saw something wrong (0x%lx)\n", report[2]);
	failures += report[1] != L4_IPC_ENOT_EXISTENT || report[2];
	rt_printf("timeouts: %d failures\n", failures);
	return failures ? 1 : 0;
}
