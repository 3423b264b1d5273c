/*
 * control — core's side of the recap command: the scenario's control socket
 * (tools/control.h) served from core's single IPC loop.
 *
 * Core blocks in its IPC wait, not in poll(); so the listening socket is
 * bound to an IRQ (l4x_irq_bind_fd) attached to core's thread, labelled
 * with the badge of a fault-kind pool object. A connection arriving is an
 * IRQ message; core answers the one request on it and acknowledges the IRQ
 * (l4_irq_unmask), which re-arms it.
 *
 * SIGTERM and SIGINT reach core the same way, through a self-pipe bound to
 * a second IRQ: they stop core like "stop" does (recapd forwards its own).
 *
 * Requests: "ps", "caps LABEL", "stop". Answers are read from the kernel
 * (l4x_task_info, l4x_cap_next, l4x_cap_info) — what the kernel sees, not
 * what a component says about itself. "checkpoint" and "restore" are
 * handed to the CR service with their connection (cr_service.h), which
 * answers once cr has done the work; core does not wait for it here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <l4/sys/factory.h>
#include <l4/sys/irq.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/sys/task.h>
#include <l4/sys/x.h>

#include "cap_sel.h"
#include "child.h"
#include "control.h"
#include "core_control.h"
#include "cr_service.h"
#include "diag.h"
#include "rpc_server.h"

static struct control_state {
	int listen_fd;			/* our copy, for accept() */
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	l4_cap_idx_t irq;
	struct rpc_object obj;		/* gives the IRQ its label */
	bool stop;			/* "stop" or SIGTERM was asked for */
	int signal_pipe[2];		/* SIGTERM / SIGINT, for the same loop */
	l4_cap_idx_t signal_irq;
	struct rpc_object signal_obj;
} control = { .listen_fd = -1, .signal_pipe = { -1, -1 } };

static char const *control_kind(l4_umword_t kind)
{
	static char const *const names[] = {
		[L4X_KIND_NONE] = "none", [L4X_KIND_TASK] = "task",
		[L4X_KIND_THREAD] = "thread", [L4X_KIND_GATE] = "gate",
		[L4X_KIND_IRQ] = "irq", [L4X_KIND_FACTORY] = "factory",
		[L4X_KIND_LOG] = "log", [L4X_KIND_HOST] = "host",
	};
	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

static void control_rights(l4_umword_t r, char out[5])
{
	out[0] = (r & L4_CAP_FPAGE_R) ? 'R' : '-';
	out[1] = (r & L4_CAP_FPAGE_W) ? 'W' : '-';
	out[2] = (r & L4_CAP_FPAGE_S) ? 'S' : '-';
	out[3] = (r & L4_CAP_FPAGE_D) ? 'D' : '-';
	out[4] = 0;
}

/* RAM in use: its image and main stack plus its RAM dataspaces. */
static unsigned long control_ram(struct child const *c)
{
	unsigned long sum = c->ram.used;
	for (unsigned i = 0; i < c->pd.nds; i++)
		sum += c->pd.ds[i].size;
	return sum;
}

struct ps_out {
	FILE *out;
	int width;		/* of the LABEL column: the longest name */
};

static void control_ps_width(struct child *c, void *arg)
{
	struct ps_out *ps = arg;
	int len = (int)strlen(c->name);

	if (len > ps->width)
		ps->width = len;
}

static void control_ps_one(struct child *c, void *arg)
{
	struct ps_out *ps = arg;
	struct l4x_task_info ti = { 0 };
	struct l4x_cap_info ci = { 0 };
	if (c->running && l4_is_valid_cap(c->pd.task)) {
		l4x_task_info(L4X_BASE_HOST_CAP, c->pd.task, &ti);
		l4x_cap_info(L4X_BASE_HOST_CAP, L4_BASE_TASK_CAP, c->pd.task, &ci);
	}
	if (c->running)
		fprintf(ps->out, "%-*s %-6lu %-7lu %-10lu %lu\n", ps->width, c->name,
			(unsigned long)ci.id, (unsigned long)ti.threads,
			control_ram(c), (unsigned long)ti.used_slots);
	else
		fprintf(ps->out, "%-*s exited (%ld)\n", ps->width, c->name,
			c->exit_code);
}

static void control_ps(FILE *out)
{
	struct ps_out ps = { .out = out, .width = 16 };

	/* Children of components have long names ("cr -> counter"). */
	child_for_each(control_ps_width, &ps);
	fprintf(out, "%-*s %-6s %-7s %-10s %s\n", ps.width, "LABEL", "TASK",
		"THREADS", "RAM", "CAPS");
	child_for_each(control_ps_one, &ps);
	fprintf(out, "ok\n");
}

static void control_caps(FILE *out, char const *label)
{
	struct child *c = child_find(label);
	if (!c || !c->running || !l4_is_valid_cap(c->pd.task)) {
		fprintf(out, "error: no running component '%s'\n", label);
		return;
	}
	for (l4_cap_idx_t sel = l4x_cap_next(L4X_BASE_HOST_CAP, c->pd.task, 0);
	     l4_is_valid_cap(sel);
	     sel = l4x_cap_next(L4X_BASE_HOST_CAP, c->pd.task, sel + L4_CAP_OFFSET)) {
		struct l4x_cap_info ci;
		char r[5];
		if (l4x_cap_info(L4X_BASE_HOST_CAP, c->pd.task, sel, &ci) < 0)
			break;
		control_rights(ci.rights, r);
		fprintf(out, "0x%06lx  %-7s id %-6lu %s", (unsigned long)sel,
			control_kind(ci.kind), (unsigned long)ci.id, r);
		if (ci.obj_id != ~0UL)
			fprintf(out, "  label 0x%lx", (unsigned long)ci.obj_id);
		fprintf(out, "\n");
	}
	fprintf(out, "ok\n");
}

static void control_answer(FILE *f, char const *line)
{
	if (!strcmp(line, "ps"))
		control_ps(f);
	else if (!strncmp(line, "caps ", 5))
		control_caps(f, line + 5);
	else if (!strcmp(line, "stop")) {
		control.stop = true;
		fprintf(f, "ok\n");
	} else
		fprintf(f, "error: unknown request '%s'\n", line);
}

/*
 * Read the request line (without its newline) into line, and the one
 * descriptor that may come with it (restore's stream) into *passed (-1:
 * none; a second one is closed). 0, or -1 if no whole line came.
 */
static int control_read(int fd, char line[CONTROL_LINE_MAX], int *passed)
{
	size_t have = 0;

	*passed = -1;
	while (have < CONTROL_LINE_MAX - 1) {
		union {
			struct cmsghdr h;
			char buf[CMSG_SPACE(sizeof(int))];
		} ctl;
		struct iovec iov = { line + have, CONTROL_LINE_MAX - 1 - have };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
				      .msg_control = ctl.buf,
				      .msg_controllen = sizeof(ctl.buf) };
		ssize_t n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC);
		if (n <= 0)
			break;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
			if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
				continue;
			for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
				int got;
				memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (*passed < 0)
					*passed = got;
				else
					close(got);
			}
		}
		have += (size_t)n;
		line[have] = 0;
		if (memchr(line, '\n', have)) {
			line[strcspn(line, "\r\n")] = 0;
			return 0;
		}
	}
	return -1;
}

/*
 * checkpoint and restore wait for cr: their connection goes to the CR
 * service (cr_service.h), which answers it later. True if line was one.
 *   checkpoint FLAGS LABEL     (LABEL: the rest of the line)
 *   restore LENGTH FLAGS [AS_LABEL]  (the stream's memfd passed with it)
 */
static bool control_cr(int fd, char const *line, int passed)
{
	unsigned long word;
	char *end;
	if (strncmp(line, "checkpoint ", 11) && strncmp(line, "restore ", 8))
		return false;
	bool restore = line[0] == 'r';
	char const *arg = line + (restore ? 8 : 11);
	errno = 0;
	word = strtoul(arg, &end, 10);
	if (errno || end == arg || (*end && *end != ' ') ||
	    (restore && passed < 0) || (!restore && passed >= 0)) {
		if (passed >= 0)
			close(passed);
		dprintf(fd, "error: malformed request\n");
		close(fd);
		return true;
	}
	arg = *end ? end + 1 : end;
	if (restore) {
		unsigned long flags = strtoul(arg, &end, 10);
		if (errno || end == arg || (*end && *end != ' ')) {
			close(passed);
			dprintf(fd, "error: malformed request\n");
			close(fd);
			return true;
		}
		cr_service_restore(fd, passed, word, flags, *end ? end + 1 : end);
	} else {
		cr_service_checkpoint(fd, arg, word);
	}
	return true;
}

static int control_dispatch(struct rpc_object *obj, struct rpc_request *req)
{
	(void)obj;
	(void)req;
	/* The listening socket is non-blocking: a connection that went away
	 * before we got here leaves accept() empty-handed, not stuck. */
	int fd = accept4(control.listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd >= 0) {
		/* A client that sends nothing must not stall core for long. */
		struct timeval tv = { .tv_sec = 1 };
		char line[CONTROL_LINE_MAX];
		int passed;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (control_read(fd, line, &passed) < 0) {
			if (passed >= 0)
				close(passed);
			dprintf(fd, "error: no request\n");
			close(fd);
		} else if (!control_cr(fd, line, passed)) {
			if (passed >= 0)
				close(passed);
			FILE *f = fdopen(fd, "r+");
			if (f) {
				control_answer(f, line);
				fclose(f);
			} else {
				close(fd);
			}
		}
	}
	l4_irq_unmask(control.irq);	/* acknowledge: the next one may come */
	return RPC_NO_REPLY;
}

/* Is a scenario of that name already answering on this socket? */
static bool control_in_use(struct sockaddr_un const *a)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool live = fd >= 0 && connect(fd, (struct sockaddr const *)a, sizeof(*a)) == 0;
	if (fd >= 0)
		close(fd);
	return live;
}

int control_open(char const *name)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int err = control_make_dir();
	if (err < 0) {
		diag("cannot create the control directory: %s", strerror(-err));
		return -1;
	}
	if (control_path(name, a.sun_path, sizeof(a.sun_path))) {
		diag("scenario name too long: %s", name);
		return -1;
	}
	if (control_in_use(&a)) {
		diag("a scenario named '%s' is already running", name);
		return -1;
	}
	unlink(a.sun_path);	/* left over by a scenario that died */
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 8) < 0) {
		diag("control socket %s: %s", a.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	control.listen_fd = fd;
	memcpy(control.path, a.sun_path, sizeof(control.path));

	control.irq = cap_sel_alloc();
	if (!l4_is_valid_cap(control.irq) ||
	    rpc_object_attach(&control.obj, RPC_OBJECT_FAULT, control_dispatch) ||
	    l4_error(l4_factory_create_irq(L4_BASE_FACTORY_CAP, control.irq)) < 0 ||
	    l4_error(l4_rcv_ep_bind_thread(control.irq, L4_BASE_THREAD_CAP,
					   control.obj.badge)) < 0 ||
	    l4x_irq_bind_fd(L4X_BASE_HOST_CAP, control.irq, fd) < 0) {
		diag("cannot wire the control socket to core's loop");
		control_close();
		return -1;
	}
	return 0;
}

void control_close(void)
{
	if (control.listen_fd >= 0) {
		close(control.listen_fd);
		unlink(control.path);
		control.listen_fd = -1;
	}
}

static int control_signal(struct rpc_object *obj, struct rpc_request *req)
{
	char buf[16];
	(void)obj;
	(void)req;
	while (read(control.signal_pipe[0], buf, sizeof(buf)) > 0)
		control.stop = true;
	l4_irq_unmask(control.signal_irq);
	return RPC_NO_REPLY;
}

/* The handler only notes the signal; core's IPC loop does the rest. */
static void control_on_signal(int sig)
{
	char c = (char)sig;
	int saved = errno;
	if (write(control.signal_pipe[1], &c, 1) < 0) {
		/* full: a signal is noted already */
	}
	errno = saved;
}

/*
 * A self-pipe, not a signalfd: recapd, not core, polls the descriptor, and
 * a signalfd is readable only for signals pending for whoever polls it.
 */
int control_catch_signals(void)
{
	struct sigaction sa = { .sa_handler = control_on_signal };
	if (pipe2(control.signal_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return -1;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0)
		return -1;
	return 0;
}

int control_watch_signals(void)
{
	int fd = dup(control.signal_pipe[0]);	/* the IRQ takes its own copy */
	control.signal_irq = cap_sel_alloc();
	if (fd < 0 || !l4_is_valid_cap(control.signal_irq) ||
	    rpc_object_attach(&control.signal_obj, RPC_OBJECT_FAULT, control_signal) ||
	    l4_error(l4_factory_create_irq(L4_BASE_FACTORY_CAP, control.signal_irq)) < 0 ||
	    l4_error(l4_rcv_ep_bind_thread(control.signal_irq, L4_BASE_THREAD_CAP,
					   control.signal_obj.badge)) < 0 ||
	    l4x_irq_bind_fd(L4X_BASE_HOST_CAP, control.signal_irq, fd) < 0) {
		diag("cannot watch SIGTERM");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);	/* recapd holds the copy it was passed */
	return 0;
}

bool control_stop_requested(void)
{
	return control.stop;
}
