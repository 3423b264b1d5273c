/*
 * control — the stub's control loop: receive an order, carry it out, answer.
 *
 * Runs under the control seccomp filter, so it uses only: recvmsg / write on
 * the control socket, mmap inside the component range, the userfaultfd
 * ioctls, dup2 / close, clone with the thread flags. It validates every
 * order itself (an out-of-range address would otherwise be a seccomp kill
 * rather than an error reply).
 *
 * Invariant: every received descriptor is either placed (channel at fd_no)
 * or closed before the reply goes out; the stub accumulates nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <host/host.h>
#include <host/linux_uapi.h>
#include <host/stub_proto.h>

#include "stub.h"

/*
 * Stacks for new threads between clone and their int3 (stub_clone_thread
 * pushes nothing there, but a thread must never share the control thread's
 * stack). One per channel slot; recapd gives each thread its own stack.
 */
static unsigned char thread_stacks[L4X_MAX_THREADS][1024]
	__attribute__((aligned(16)));

static bool is_channel_fd(int fd)
{
	return fd >= STUB_CHAN_LO && fd < STUB_CHAN_HI;
}

static int reserve(uint64_t addr, uint64_t size)
{
	void *p = mmap((void *)addr, size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		       -1, 0);

	return p == MAP_FAILED ? -errno : 0;
}

static int do_map(struct stub_order const *o, int fd, bool dirty_tracking)
{
	struct uffdio_register reg = {
		.range = { .start = o->addr, .len = o->size },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};

	if (fd < 0 || !stub_range_ok(o->addr, o->size) ||
	    (o->prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (mmap((void *)o->addr, o->size, o->prot, MAP_SHARED | MAP_FIXED, fd,
		 (off_t)o->offset) == MAP_FAILED)
		return -errno;
	/* A fresh mapping is a new VMA: register it for tracking anew. A
	 * read-only one cannot be written by the task: nothing to track. */
	if (dirty_tracking && (o->prot & PROT_WRITE) &&
	    ioctl(STUB_UFFD_FD, UFFDIO_REGISTER, &reg) < 0) {
		int err = errno;

		reserve(o->addr, o->size);
		return -err;
	}
	return 0;
}

static int do_unmap(struct stub_order const *o)
{
	if (!stub_range_ok(o->addr, o->size))
		return -EINVAL;
	return reserve(o->addr, o->size);
}

/* Place the channel, then start a thread that stops at stub_thread_trap. */
static int do_thread(struct stub_order const *o, int fd)
{
	long tid;

	if (fd < 0 || !is_channel_fd(o->fd_no))
		return -EINVAL;
	if (dup2(fd, o->fd_no) < 0)
		return -errno;
	tid = stub_clone_thread(STUB_THREAD_CLONE_FLAGS,
				(void *)(thread_stacks + (o->fd_no - STUB_CHAN_LO) / 2 + 1));
	return tid < 0 ? (int)tid : 0;
}

/* Place a descriptor of a channel (a thread's answer pipe) at fd_no. */
static int do_place(struct stub_order const *o, int fd)
{
	if (fd < 0 || !is_channel_fd(o->fd_no))
		return -EINVAL;
	return dup2(fd, o->fd_no) < 0 ? -errno : 0;
}

static int do_close(struct stub_order const *o)
{
	if (!is_channel_fd(o->fd_no))
		return -EINVAL;
	return close(o->fd_no) < 0 ? -errno : 0;
}

static int carry_out(struct stub_order const *o, int fd, bool dirty_tracking)
{
	switch (o->op) {
	case STUB_OP_MAP:
		return do_map(o, fd, dirty_tracking);
	case STUB_OP_UNMAP:
		return do_unmap(o);
	case STUB_OP_THREAD:
		return do_thread(o, fd);
	case STUB_OP_PLACE:
		return do_place(o, fd);
	case STUB_OP_CLOSE:
		return do_close(o);
	}
	return -ENOSYS;
}

/*
 * Next order and the descriptor that came with it (-1 if none). Returns 0,
 * or -1 when recapd has closed the socket or the message is malformed.
 */
static int recv_order(struct stub_order *o, int *fd)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { .iov_base = o, .iov_len = sizeof(*o) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = ctl.buf,
		.msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	do
		n = recvmsg(HOST_STUB_CTL_FD, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	*fd = -1;
	c = n > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
	    c->cmsg_len == CMSG_LEN(sizeof(int)))
		memcpy(fd, CMSG_DATA(c), sizeof(int));
	if (n != sizeof(*o) || (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
		if (*fd >= 0)
			close(*fd);
		return -1;
	}
	return 0;
}

void stub_control_loop(bool dirty_tracking)
{
	for (;;) {
		struct stub_order o;
		struct stub_reply r;
		int fd;

		if (recv_order(&o, &fd) < 0)
			_exit(0);
		r.seq = o.seq;
		r.status = carry_out(&o, fd, dirty_tracking);
		if (fd >= 0)
			close(fd);
		if (write(HOST_STUB_CTL_FD, &r, sizeof(r)) != sizeof(r))
			_exit(3);
	}
}
