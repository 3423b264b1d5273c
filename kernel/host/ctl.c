/*
 * ctl — recapd's side of the control protocol (stub_proto.h).
 *
 * An order goes out with sendmsg (plus one descriptor as SCM_RIGHTS); the
 * reply is awaited with a deadline. While waiting, the stub's control thread
 * may stop for the tracer — at the clone of a thread it was ordered to
 * start, or for anything else — and nobody would continue it if this wait
 * did not: so the wait serves the control thread's wait statuses itself.
 *
 * Invariant: a stub that does not answer within HOST_TIMEOUT_MS is killed
 * and the order fails with -ETIMEDOUT; one whose answer does not match the
 * order is killed and the order fails with -EPROTO.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "host_internal.h"

static int ctl_send(struct host_task *t, struct stub_order *o, int fd)
{
	union {
		struct cmsghdr hdr;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { .iov_base = o, .iov_len = sizeof(*o) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t n;

	if (t->dead)
		return -ESRCH;
	o->seq = ++t->priv->seq;
	if (fd >= 0) {
		struct cmsghdr *c;

		memset(&ctl, 0, sizeof(ctl));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do
		n = sendmsg(t->ctl_fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EPIPE || errno == ECONNRESET ? -ESRCH : -errno;
	return n == sizeof(*o) ? 0 : -EIO;
}

/*
 * Serve one wait status of the control thread. An expected clone (clone_tid
 * != NULL, still 0) is recorded and the thread continued; anything else goes
 * to the dispatcher, and what concerns recapd is queued.
 */
static void serve_control_stop(struct host_task *t, int status,
			       pid_t *clone_tid)
{
	if (clone_tid && !*clone_tid && WIFSTOPPED(status) &&
	    status >> 16 == PTRACE_EVENT_CLONE) {
		unsigned long tid = 0;

		ptrace(PTRACE_GETEVENTMSG, t->pid, 0, &tid);
		*clone_tid = (pid_t)tid;
		ptrace(PTRACE_CONT, t->pid, 0, 0);
		return;
	}
	host_dispatch_later(t->pid, status);
}

/* Try to take one message of exactly len bytes: 1 got it, 0 none yet, <0. */
static int try_recv(struct host_task *t, void *buf, size_t len)
{
	char extra;
	struct iovec iov[2] = { { buf, len }, { &extra, 1 } };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };
	ssize_t n = recvmsg(t->ctl_fd, &msg, MSG_DONTWAIT);

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	if (n == 0)
		return -ESRCH;	/* the stub closed its end: it is gone */
	return (size_t)n == len && !(msg.msg_flags & MSG_CTRUNC) ? 1 : -EPROTO;
}

/*
 * Wait for the stub's next message (len bytes into buf) while serving its
 * control thread. clone_tid, if not NULL, receives the tid of a thread the
 * control thread cloned meanwhile (0 if none).
 */
int host_ctl_await(struct host_task *t, void *buf, size_t len,
		   pid_t *clone_tid)
{
	struct host_wait w;
	int rc;

	if (clone_tid)
		*clone_tid = 0;
	host_wait_begin(&w, HOST_TIMEOUT_MS);
	for (;;) {
		int status;

		while (!t->dead &&
		       waitpid(t->pid, &status, WNOHANG | __WALL) == t->pid)
			serve_control_stop(t, status, clone_tid);
		if ((rc = try_recv(t, buf, len)) != 0)
			break;
		if (t->dead) {
			rc = -ESRCH;
			break;
		}
		if ((rc = host_wait_sleep(&w, t->ctl_fd)) < 0)
			break;
	}
	host_wait_end(&w);
	if (rc == -ETIMEDOUT || rc == -EPROTO)
		host_task_kill_now(t);
	return rc < 0 ? rc : 0;
}

/* One order, one reply: returns the stub's status (0 or -errno) or an error. */
int host_ctl_call(struct host_task *t, struct stub_order *o, int fd,
		  pid_t *clone_tid)
{
	struct stub_reply r;
	int rc = ctl_send(t, o, fd);

	if (rc == 0)
		rc = host_ctl_await(t, &r, sizeof(r), clone_tid);
	if (rc < 0)
		return rc;
	if (r.seq != o->seq) {
		host_task_kill_now(t);
		return -EPROTO;
	}
	return r.status;
}
