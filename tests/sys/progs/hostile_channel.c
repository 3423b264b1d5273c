/*
 * hostile_channel — a program that abuses its system-call channels with raw
 * Linux reads and writes (the only system calls its sandbox allows):
 *  - garbage of the wrong size on its own channel (1, 31, 33 and 100
 *    bytes; the longer ones begin with a well-formed request, which must
 *    not be carried out): each gets one error answer, and the channel stays
 *    in step (the next calls get their own answers); a write of 0 bytes
 *    changes nothing;
 *  - a well-formed request written to ANOTHER thread's channel while that
 *    thread is blocked in a call: refused, the blocked thread's recorded
 *    state untouched (nothing is queued in its name, the reply it waits
 *    for reaches it, and its call completes normally with that reply);
 *  - a thread that reads its channel without having sent anything: it just
 *    blocks, and the others go on;
 *  - reads and writes on channel numbers no thread owns, or on the wrong
 *    end of the own pipes: EBADF, and nothing else happens.
 * The driver (sys_hostile_channel) checks after each garbage write that the
 * kernel still controls the thread (l4x_thread_pause / resume).
 */
#include "../rt/rt.h"
#include "hostile.h"

#define NR_read 0
#define NR_write 1
#define EBADF 9

/* A thread writes requests to one pipe (fd) and reads answers from another. */
#define ANSWER_FD(fd) ((fd) + 1)

static int wrong;

static void say(int ok, char const *what, char const *got)
{
	rt_printf("%s: %s%s\n", what, got, ok ? "" : " WRONG");
	wrong += !ok;
}

static int own_chan(void)
{
	return l4x_chan_fd(l4_utcb());
}

/* The cap_valid request for the log, as its four request words. */
static void cap_valid_request(struct l4x_sys_req *req)
{
	l4_utcb_mr()->mr[0] = L4_TASK_CAP_INFO_OP;
	l4_utcb_mr()->mr[1] = RT_LOG_CAP;
	req->dest = RT_TASK_CAP | L4_SYSF_CALL;
	req->label = 0;
	req->tag = (l4_umword_t)l4_msgtag(L4_PROTO_TASK, 2, 0, 0).raw;
	req->timeout = 0;
}

static long raw_write(int fd, void const *buf, unsigned long n)
{
	return rt_linux_syscall(NR_write, fd, (long)buf, (long)n);
}

/* Read an answer for the thread whose request descriptor is fd. */
static long raw_read_answer(int fd, struct l4x_sys_ret *ret)
{
	return rt_linux_syscall(NR_read, ANSWER_FD(fd), (long)ret, sizeof(*ret));
}

/* The driver pauses and resumes this thread: 1 if both worked. */
static int kernel_controls_me(void)
{
	return rt_ready(1) == 1;
}

/*
 * n bytes of garbage (the first 32 a well-formed cap_valid request), then
 * one read: it must be an error answer, and the call after it must get its
 * own answer.
 */
static void garbage(unsigned long n)
{
	static unsigned char buf[100];
	struct l4x_sys_req req;
	struct l4x_sys_ret ret = { 0, 0 };
	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(0xa5 ^ i);
	cap_valid_request(&req);
	memcpy(buf, &req, n < sizeof(req) ? n : sizeof(req));

	int fd = own_chan();
	long w = raw_write(fd, buf, n);
	long r = raw_read_answer(fd, &ret);
	l4_msgtag_t tag = { .raw = (long)ret.tag };
	int refused = w == (long)n && r == sizeof(ret) && l4_msgtag_has_error(tag);
	rt_printf("write %lu bytes of garbage to the own channel: %s\n", n,
		  refused ? "error answer"
		  : l4_msgtag_label(tag) == 1 ? "CARRIED OUT (cap_valid 1) WRONG"
					      : "NOT AN ERROR WRONG");
	wrong += !refused;

	/* In step: a call gets its own answer. */
	long v = l4_msgtag_label(l4_task_cap_valid(RT_TASK_CAP, RT_LOG_CAP));
	say(v == 1, "  the next call (cap_valid of the log)", v == 1 ? "1" : "OUT OF STEP");
	say(kernel_controls_me(), "  the kernel still controls the thread",
	    "pause and resume work");
}

/*
 * A zero-length write: nothing at all on a pipe (on a record-based channel
 * it would be a record of its own, which may be refused with an error
 * answer). Either way the request after it must get its answer, and the
 * kernel must keep the thread.
 */
static void empty_write(void)
{
	struct l4x_sys_req req;
	struct l4x_sys_ret ret = { 0, 0 };
	int fd = own_chan();
	long w = raw_write(fd, &req, 0);
	say(w == 0, "write 0 bytes to the own channel", "wrote 0");
	cap_valid_request(&req);
	raw_write(fd, &req, sizeof(req));
	long r = raw_read_answer(fd, &ret);
	l4_msgtag_t tag = { .raw = (long)ret.tag };
	if (r == sizeof(ret) && l4_msgtag_has_error(tag)) {
		/* The empty record's refusal; the request's answer follows. */
		r = raw_read_answer(fd, &ret);
		tag.raw = (long)ret.tag;
	}
	say(r == sizeof(ret) && !l4_msgtag_has_error(tag) && l4_msgtag_label(tag) == 1,
	    "  the request after it", "answered (cap_valid 1)");
	say(kernel_controls_me(), "  the kernel still controls the thread",
	    "pause and resume work");
}

/* ---- another thread's channel ------------------------------------------------ */

#define BLOCKED_INDEX 1
#define READER_INDEX 2

static volatile int blocked_done;
static volatile l4_umword_t blocked_mr0;
static volatile long blocked_err;

/* Calls the main thread and reports what came back. */
static void blocked_thread(void *arg)
{
	(void)arg;
	l4_utcb_mr()->mr[0] = 0x11;
	l4_msgtag_t t = l4_ipc_call(RT_THREAD_CAP, l4_utcb(), l4_msgtag(0x55, 1, 0, 0),
				    L4_IPC_NEVER);
	blocked_err = l4_error(t);
	blocked_mr0 = l4_utcb_mr()->mr[0];
	blocked_done = 1;
}

static volatile int reader_started;
static volatile long reader_result = -1;

/* Reads its channel without having sent anything. */
static void reader_thread(void *arg)
{
	(void)arg;
	struct l4x_sys_ret ret;
	reader_started = 1;
	reader_result = raw_read_answer(own_chan(), &ret);
}

static void other_channel(void)
{
	l4_cap_idx_t b = rt_thread_start(BLOCKED_INDEX, blocked_thread, 0);
	say(l4_is_valid_cap(b), "start a thread that calls the main thread", "started");
	if (!l4_is_valid_cap(b))
		return;

	/* Take its call: it now waits for our reply (kernel state RECV). */
	l4_msgtag_t t = l4_ipc_receive(b, l4_utcb(), L4_IPC_NEVER);
	say(!l4_msgtag_has_error(t) && l4_msgtag_label(t) == 0x55 && l4_utcb_mr()->mr[0] == 0x11,
	    "receive its call", "it blocks for the reply");

	/* A call in its name (to us) written to its channel. */
	struct l4x_sys_req req = {
		.dest = RT_THREAD_CAP | L4_SYSF_CALL,
		.label = 0,
		.tag = (l4_umword_t)l4_msgtag(0x66, 0, 0, 0).raw,
		.timeout = 0,
	};
	int fd = l4x_chan_fd((l4_utcb_t *)(RT_UTCB_AREA + BLOCKED_INDEX * L4_UTCB_OFFSET));
	long w = raw_write(fd, &req, sizeof(req));
	say(w == sizeof(req), "write a call to the blocked thread's channel", "written");
	/* Let the kernel see it before we look. */
	for (int i = 0; i < 20; i++)
		l4_ipc_sleep_ms(1);
	t = l4_ipc_receive(b, l4_utcb(), L4_IPC_RECV_TIMEOUT_0);
	say(l4_msgtag_has_error(t) && l4_ipc_error(t, l4_utcb()) == L4_IPC_RETIMEOUT,
	    "  nothing was sent in its name (zero-timeout receive from it)", "timeout");

	l4_utcb_mr()->mr[0] = HCH_REPLY_VALUE;
	t = l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_SEND_TIMEOUT_0);
	say(!l4_msgtag_has_error(t), "  reply to the blocked thread", "it still waited for it");
	for (int i = 0; i < 5000 && !blocked_done; i++)
		l4_ipc_sleep_ms(1);
	int good = blocked_done && blocked_err == 0 && blocked_mr0 == HCH_REPLY_VALUE;
	say(good, "  the blocked thread's call",
	    good ? "completed with the reply"
		 : blocked_done ? "COMPLETED WITHOUT THE REPLY" : "NOT COMPLETED");
	if (blocked_done && (blocked_err != 0 || blocked_mr0 != HCH_REPLY_VALUE))
		rt_printf("    (it got %ld, mr0 0x%lx)\n", blocked_err, blocked_mr0);
}

static void reader(void)
{
	l4_cap_idx_t r = rt_thread_start(READER_INDEX, reader_thread, 0);
	say(l4_is_valid_cap(r), "start a thread that reads its channel unasked", "started");
	while (!reader_started)
		l4_thread_yield();
	for (int i = 0; i < 20; i++)
		l4_ipc_sleep_ms(1);
	say(reader_result == -1, "  the reader", "blocks");
	long v = l4_msgtag_label(l4_task_cap_valid(RT_TASK_CAP, RT_LOG_CAP));
	say(v == 1, "  the main thread meanwhile (cap_valid of the log)", "1");
}

static void wrong_descriptors(void)
{
	struct l4x_sys_req req;
	struct l4x_sys_ret ret;
	cap_valid_request(&req);
	int fd = L4X_CHAN_FD_BASE + 200;	/* no thread's channel */
	long w = raw_write(fd, &req, sizeof(req));
	long r = rt_linux_syscall(NR_read, fd, (long)&ret, sizeof(ret));
	say(w == -EBADF, "write to a channel number no thread owns", w == -EBADF ? "EBADF" : "?");
	say(r == -EBADF, "read from it", r == -EBADF ? "EBADF" : "?");
	fd = own_chan();
	w = raw_write(ANSWER_FD(fd), &req, sizeof(req));
	r = rt_linux_syscall(NR_read, fd, (long)&ret, sizeof(ret));
	say(w == -EBADF, "write to the own answer pipe", w == -EBADF ? "EBADF" : "?");
	say(r == -EBADF, "read from the own request pipe", r == -EBADF ? "EBADF" : "?");
	long v = l4_msgtag_label(l4_task_cap_valid(RT_TASK_CAP, RT_LOG_CAP));
	say(v == 1, "  a call after them (cap_valid of the log)", "1");
}

int main(void)
{
	rt_ready(0);
	garbage(1);
	garbage(31);
	garbage(33);
	garbage(100);
	empty_write();
	other_channel();
	reader();
	wrong_descriptors();
	say(kernel_controls_me(), "finally, the kernel still controls the main thread",
	    "pause and resume work");
	rt_printf("hostile_channel: %d wrong\n", wrong);
	return wrong;
}
