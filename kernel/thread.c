/*
 * thread — the Thread kernel object: binding, starting, the system-call
 * channel, thread_control and ex_regs (see thread.h for the invariants).
 *
 * The channel is two pipes (requests in, answers out; see syscall_impl.h
 * for why pipes). recapd keeps all four ends: its own, and the thread's,
 * which it hands to the stub (which installs duplicates at the fixed
 * descriptor numbers) and keeps so that an answer the thread has not read
 * yet can be seen and, after the thread moved to a new process, delivered
 * again. Only recapd's own ends are non-blocking: a pipe's O_NONBLOCK is
 * shared by every holder of that end, and the thread must block.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/thread.h>

#include "ipc.h"
#include "ipc_gate.h"
#include "irq.h"
#include "kerr.h"
#include "loop.h"
#include "objtab.h"
#include "task.h"
#include "thread.h"

static void thread_close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void thread_close_channel(struct thread *th)
{
	if (th->chan >= 0)
		loop_unwatch(th->chan);
	thread_close_fd(&th->chan);
	thread_close_fd(&th->chan_out);
	thread_close_fd(&th->peer_req);
	thread_close_fd(&th->peer_ans);
	thread_close_fd(&th->side);
	thread_close_fd(&th->side_peer);
}

static void thread_unbind(struct thread *th)
{
	if (!th->task)
		return;
	if (th->task->by_utcb[th->utcb_index] == th)
		th->task->by_utcb[th->utcb_index] = NULL;
	th->task->threads--;
	kobj_unpin(&th->task->kobj);
	th->task = NULL;
	th->utcb = NULL;
}

static void thread_destroy(struct kobj *o)
{
	struct thread *th = thread_of(o);
	/* Held gates take their callers first; the rest fail. */
	ipc_gate_thread_gone(th);
	ipc_thread_gone(th);
	irq_thread_gone(th);
	if (th->host && !th->dead)
		host_thread_kill(th->host);
	th->host = NULL;
	th->dead = true;
	thread_close_channel(th);
	thread_unbind(th);
}

static void thread_free(struct kobj *o)
{
	objtab_remove(o);
	free(thread_of(o)->staged);
	free(o);
}

static const struct kobj_ops thread_ops = {
	.name = "thread",
	.destroy = thread_destroy,
	.free = thread_free,
};

int thread_create(struct thread **out)
{
	struct thread *th = calloc(1, sizeof(*th));
	if (!th)
		return KERR_NOMEM;
	kobj_init(&th->kobj, KOBJ_THREAD, &thread_ops);
	objtab_add(&th->kobj);
	th->chan = th->chan_out = th->peer_req = th->peer_ans = th->side = -1;
	th->side_peer = -1;
	th->pager = th->exc_handler = L4_INVALID_CAP;
	th->send_link.kind = SENDER_THREAD;
	list_init(&th->senders);
	*out = th;
	return KERR_OK;
}

/* The thread named by a map item [ctl, fpage] in caller's capability space. */
struct thread *thread_from_item(struct thread *caller, l4_umword_t const item[2])
{
	l4_fpage_t fp = { .raw = item[1] };
	if (!(item[0] & L4_ITEM_MAP) || l4_fpage_type(fp) != L4_FPAGE_OBJ)
		return NULL;
	return (struct thread *)task_lookup(caller->task,
					    l4_fpage_page(fp) << L4_CAP_SHIFT,
					    KOBJ_THREAD, NULL);
}

/* ---- binding and starting ------------------------------------------------ */

/* A host task's thread hands descriptors over on a socket of its own. */
static int thread_make_side(struct thread *th)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	th->side = sv[0];
	th->side_peer = sv[1];
	return 0;
}

int thread_bind(struct thread *th, struct task *task, l4_addr_t utcb_addr)
{
	if (th->task)
		return KERR_BUSY;	/* Fiasco binds a thread once */
	l4_utcb_t *u = task_utcb(task, utcb_addr);
	if (!u)
		return KERR_INVAL;
	unsigned idx = (unsigned)(utcb_addr >> 10) & (L4X_MAX_THREADS - 1);
	if (task->by_utcb[idx])
		return KERR_BUSY;

	int req[2], ans[2];
	if (pipe2(req, O_CLOEXEC) < 0)
		return KERR_NOMEM;
	if (pipe2(ans, O_CLOEXEC) < 0) {
		close(req[0]);
		close(req[1]);
		return KERR_NOMEM;
	}
	th->chan = req[0];
	th->peer_req = req[1];
	th->peer_ans = ans[0];
	th->chan_out = ans[1];
	if (fcntl(th->chan, F_SETFL, O_NONBLOCK) < 0 ||
	    fcntl(th->chan_out, F_SETFL, O_NONBLOCK) < 0 ||
	    (!task->host && thread_make_side(th) < 0) ||
	    loop_watch(th->chan, (loop_fn)thread_channel_ready, th) < 0) {
		thread_close_channel(th);
		return KERR_NOMEM;
	}
	kobj_pin(&task->kobj);
	th->task = task;
	th->utcb_addr = utcb_addr;
	th->utcb = u;
	th->utcb_index = idx;
	task->by_utcb[idx] = th;
	task->threads++;
	/* l4_utcb() finds the UTCB through this word (see l4/sys/utcb.h). */
	l4_utcb_tcr_u(u)->free_marker = utcb_addr;
	return KERR_OK;
}

static void thread_initial_regs(struct thread const *th, l4_addr_t ip, l4_addr_t sp,
				struct l4x_regs *r)
{
	memset(r, 0, sizeof(*r));
	r->rip = ip;
	r->rsp = sp;
	r->rflags = 0x202;	/* IF, and the always-one bit */
	r->gs_base = th->utcb_addr;
	r->orig_rax = ~0UL;
}

int thread_start(struct thread *th, struct l4x_regs const *regs,
		 uint8_t const *fpu, bool start_paused)
{
	if (!th->task)
		return KERR_INVAL;
	if (th->started)
		return KERR_BUSY;
	if (th->task->host) {
		int fds[2] = { th->peer_req, th->peer_ans };
		int r = host_thread_create(th->task->host, fds,
					   L4X_CHAN_FD_BASE + 2 * (int)th->utcb_index,
					   regs, fpu, start_paused, &th->host);
		if (r < 0)
			return KERR_NOMEM;
		th->host->owner = th;
	}
	th->started = true;
	th->paused = start_paused;
	return KERR_OK;
}

/* ---- finishing a system call ---------------------------------------------- */


void thread_complete(struct thread *th, l4_msgtag_t tag, l4_umword_t label)
{
	if (th->fault != THREAD_FAULT_NONE) {
		thread_fault_done(th, tag);
		return;
	}
	if (th->discard_result) {
		th->discard_result = false;
		return;
	}
	struct l4x_sys_ret ret = { .tag = (l4_umword_t)tag.raw, .label = label };
	thread_answer(th, &ret);
}

void thread_answer(struct thread *th, struct l4x_sys_ret const *ret)
{
	/* The pipe holds at most a few answers: the write cannot block, and
	 * a thread that never reads only hurts itself. */
	if (th->chan_out >= 0 && write(th->chan_out, ret, sizeof(*ret)) < 0)
		return;
}

int thread_take_unread(struct thread *th, struct l4x_sys_ret *ret)
{
	int avail = 0;
	if (th->peer_ans < 0 || ioctl(th->peer_ans, FIONREAD, &avail) < 0 ||
	    avail < (int)sizeof(*ret))
		return 0;
	/* The data is there: this read of a blocking end does not block. */
	return read(th->peer_ans, ret, sizeof(*ret)) == (ssize_t)sizeof(*ret);
}

int thread_take_passed_fd(struct thread *th)
{
	char byte;
	int fd = -1;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf) };
	if (th->side < 0 || recvmsg(th->side, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) != 1)
		return -1;
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	return fd;
}

void thread_complete_error(struct thread *th, l4_umword_t ipc_error)
{
	if (th->utcb)
		l4_utcb_tcr_u(th->utcb)->error = ipc_error;
	thread_complete(th, l4_msgtag(0, 0, 0, L4_MSGTAG_ERROR), 0);
}

/* Take a request off the channel and carry it out. Returns false if none. */
static bool thread_take_request(struct thread *th)
{
	struct l4x_sys_req req;
	/* More than a request: anything but exactly one is garbage (a pipe
	 * keeps no record boundaries; a 32-byte write is atomic). */
	unsigned char buf[4 * sizeof(req)];
	ssize_t n = read(th->chan, buf, sizeof(buf));
	if (n < 0)
		return false;
	if (n == (ssize_t)sizeof(buf))
		while (read(th->chan, buf, sizeof(buf)) > 0)
			;	/* drain the rest of the garbage */
	memcpy(&req, buf, sizeof(req));
	if (n == 0) {		/* a host task's end closed: its process is gone */
		loop_unwatch(th->chan);
		thread_substrate_gone(th);
		return false;
	}
	if (n != sizeof(req) || th->ipc != THREAD_IPC_NONE ||
	    th->fault != THREAD_FAULT_NONE) {
		/* Garbage, or a second request while one is in progress (another
		 * thread of the task wrote to this channel): refuse it without
		 * touching the recorded state. */
		struct l4x_sys_ret ret = {
			.tag = (l4_umword_t)l4_msgtag(KERR_BUSY, 0, 0, L4_MSGTAG_ERROR).raw
		};
		thread_answer(th, &ret);
		return true;
	}
	th->req = req;
	ipc_syscall(th);
	return true;
}

void thread_channel_ready(struct thread *th)
{
	kobj_pin(&th->kobj);
	thread_take_request(th);
	kobj_unpin(&th->kobj);
}

/* ---- thread_control and ex_regs -------------------------------------------- */

static long thread_control(struct thread *th, struct thread *caller,
			   l4_msg_regs_t *mr, l4_msgtag_t tag)
{
	l4_umword_t flags = mr->mr[L4_THREAD_CONTROL_MR_IDX_FLAGS];
	struct task *task = NULL;
	if (l4_msgtag_words(tag) < 6)
		return KERR_INVAL;
	if (flags & L4_THREAD_CONTROL_BIND_TASK) {
		if (l4_msgtag_items(tag) < 1)
			return KERR_INVAL;
		l4_umword_t const *item = &mr->mr[L4_THREAD_CONTROL_MR_IDX_BIND_TASK];
		l4_fpage_t fp = { .raw = item[1] };
		task = (struct task *)task_lookup(caller->task,
						  l4_fpage_page(fp) << L4_CAP_SHIFT,
						  KOBJ_TASK, NULL);
		if (!task)
			return KERR_INVAL;
		if (th->task && th->task != task)
			return KERR_BUSY;
	}
	if (task && !th->task) {
		int r = thread_bind(th, task, mr->mr[L4_THREAD_CONTROL_MR_IDX_BIND_UTCB]);
		if (r)
			return r;
	}
	if (flags & L4_THREAD_CONTROL_SET_PAGER)
		th->pager = mr->mr[L4_THREAD_CONTROL_MR_IDX_PAGER];
	if (flags & L4_THREAD_CONTROL_SET_EXC_HANDLER)
		th->exc_handler = mr->mr[L4_THREAD_CONTROL_MR_IDX_EXC_HANDLER];
	return 0;
}

/* Forget a result the thread has not read (its reads are being redirected). */
void thread_drop_unread(struct thread *th)
{
	struct l4x_sys_ret ret;
	while (thread_take_unread(th, &ret))
		;
}

static long thread_ex_regs(struct thread *th, struct thread *caller, l4_msg_regs_t *mr, l4_msgtag_t tag)
{
	if (l4_msgtag_words(tag) < 3)
		return KERR_INVAL;
	l4_addr_t ip = mr->mr[1], sp = mr->mr[2];
	if (!th->task)
		return KERR_INVAL;
	if (!th->started) {
		if (ip == ~0UL || sp == ~0UL)
			return KERR_INVAL;
		struct l4x_regs r;
		thread_initial_regs(th, ip, sp, &r);
		mr->mr[0] = mr->mr[1] = mr->mr[2] = 0;
		return thread_start(th, &r, NULL, false);
	}
	if (!th->host || th->dead)
		return KERR_INVAL;	/* host-task threads run where they run */

	bool was_paused = th->paused;
	if (!was_paused && thread_pause(th) < 0)
		return KERR_INVAL;
	struct l4x_regs r;
	uint8_t fpu[L4X_FPU_SIZE];
	if (host_thread_get_regs(th->host, &r, fpu) < 0) {
		if (!was_paused)
			thread_resume(th);
		return KERR_INVAL;
	}
	l4_umword_t old_ip = r.rip, old_sp = r.rsp;
	/* Redirecting a thread that sits in the kernel abandons its call:
	 * recap always cancels (Fiasco does so with L4_THREAD_EX_REGS_CANCEL). */
	if (ip != ~0UL || sp != ~0UL) {
		ipc_cancel(th, false);
		thread_drop_unread(th);
		if (ip != ~0UL)
			r.rip = ip;
		if (sp != ~0UL)
			r.rsp = sp;
		host_thread_set_regs(th->host, &r, NULL);
		th->discard_result = th == caller;
	}
	/* Before the thread runs again: it may be the caller itself. */
	mr->mr[0] = 0;
	mr->mr[1] = old_ip;
	mr->mr[2] = old_sp;
	if (!was_paused)
		thread_resume(th);
	return 0;
}

l4_msgtag_t thread_invoke(struct thread *th, unsigned rights,
			  struct thread *caller, l4_msgtag_t tag)
{
	l4_msg_regs_t *mr = l4_utcb_mr_u(caller->utcb);
	(void)rights;
	if (l4_msgtag_words(tag) < 1)
		return l4_msgtag(KERR_INVAL, 0, 0, 0);
	switch (mr->mr[0] & L4_THREAD_OPCODE_MASK) {
	case L4_THREAD_CONTROL_OP:
		return l4_msgtag(thread_control(th, caller, mr, tag), 0, 0, 0);
	case L4_THREAD_EX_REGS_OP: {
		long r = thread_ex_regs(th, caller, mr, tag);
		return l4_msgtag(r, r ? 0 : 3, 0, 0);
	}
	case L4_THREAD_SWITCH_OP:
		return l4_msgtag(0, 0, 0, 0);	/* the host schedules */
	default:
		return l4_msgtag(KERR_NOSYS, 0, 0, 0);
	}
}

/* ---- substrate events ------------------------------------------------------ */

void thread_substrate_gone(struct thread *th)
{
	/* The Linux thread is gone, the kernel object is not: its recorded IPC
	 * state stays, so that a new incarnation can take it over. */
	th->dead = true;
	th->host = NULL;
	if (th->fault != THREAD_FAULT_NONE) {
		ipc_cancel(th, false);
		th->fault = THREAD_FAULT_NONE;
	}
	if (th->chan >= 0 && th->task && !th->task->host) {
		/* A host task's thread: nothing can take it over. */
		ipc_thread_gone(th);
	}
}

int thread_pause(struct thread *th)
{
	if (!th->host || th->dead)
		return KERR_INVAL;
	if (host_thread_pause(th->host) < 0)
		return KERR_INVAL;
	th->paused = true;
	/* Requests it wrote before it stopped are part of its state. */
	while (thread_take_request(th))
		;
	return KERR_OK;
}

int thread_resume(struct thread *th)
{
	if (!th->host || th->dead || !th->paused)
		return KERR_INVAL;
	th->paused = false;
	if (th->fault != THREAD_FAULT_NONE)
		return KERR_OK;	/* its fault handler will let it go */
	if (host_thread_resume(th->host) < 0)
		return KERR_INVAL;
	ipc_resumed(th);	/* a sender that queued while it was paused */
	return KERR_OK;
}
