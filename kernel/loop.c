/*
 * loop — epoll-driven event loop.
 *
 * Invariant: a watched descriptor has exactly one registered callback; the
 * epoll data points at a watch record owned here, so unwatching while an
 * event for it is still in the current batch is safe (the record is only
 * marked dead and freed after the batch).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "ipc.h"
#include "loop.h"

struct loop_watch {
	int fd;
	loop_fn fn;
	void *arg;
	struct loop_watch *next_dead;
};

#define LOOP_MAX_FD 65536

struct loop_state {
	int epfd;
	int running;
	int exit_code;
	struct loop_watch *by_fd[LOOP_MAX_FD];
	struct loop_watch *dead;	/* unwatched during the current batch */
};

/* The event loop is part of the kernel's state: there is one. */
static struct loop_state loop;

int loop_init(void)
{
	loop.epfd = epoll_create1(EPOLL_CLOEXEC);
	return loop.epfd < 0 ? -errno : 0;
}

static int loop_add(int fd, loop_fn fn, void *arg, unsigned events)
{
	if (fd < 0 || fd >= LOOP_MAX_FD || loop.by_fd[fd])
		return -EINVAL;
	struct loop_watch *w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	*w = (struct loop_watch){ .fd = fd, .fn = fn, .arg = arg };
	struct epoll_event ev = { .events = events, .data.ptr = w };
	if (epoll_ctl(loop.epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		free(w);
		return -errno;
	}
	loop.by_fd[fd] = w;
	return 0;
}

int loop_watch(int fd, loop_fn fn, void *arg)
{
	return loop_add(fd, fn, arg, EPOLLIN);
}

int loop_watch_once(int fd, loop_fn fn, void *arg)
{
	return loop_add(fd, fn, arg, EPOLLIN | EPOLLONESHOT);
}

int loop_rearm(int fd)
{
	if (fd < 0 || fd >= LOOP_MAX_FD || !loop.by_fd[fd])
		return -EINVAL;
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT, .data.ptr = loop.by_fd[fd] };
	return epoll_ctl(loop.epfd, EPOLL_CTL_MOD, fd, &ev) < 0 ? -errno : 0;
}

void loop_unwatch(int fd)
{
	if (fd < 0 || fd >= LOOP_MAX_FD || !loop.by_fd[fd])
		return;
	struct loop_watch *w = loop.by_fd[fd];
	epoll_ctl(loop.epfd, EPOLL_CTL_DEL, fd, NULL);
	loop.by_fd[fd] = NULL;
	w->fn = NULL;
	w->next_dead = loop.dead;
	loop.dead = w;
}

void loop_stop(int code)
{
	loop.running = 0;
	loop.exit_code = code;
}

static int loop_wait_ms(void)
{
	uint64_t next = ipc_next_deadline();
	if (!next)
		return -1;
	uint64_t now = ipc_now();
	if (next <= now)
		return 0;
	uint64_t ms = (next - now + 999999) / 1000000;
	return ms > 60000 ? 60000 : (int)ms;
}

int loop_run(void)
{
	struct epoll_event evs[64];
	loop.running = 1;
	while (loop.running) {
		int n = epoll_wait(loop.epfd, evs, 64, loop_wait_ms());
		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n && loop.running; i++) {
			struct loop_watch *w = evs[i].data.ptr;
			if (w->fn)
				w->fn(w->arg);
		}
		while (loop.dead) {
			struct loop_watch *w = loop.dead;
			loop.dead = w->next_dead;
			free(w);
		}
		ipc_expire(ipc_now());
	}
	return loop.exit_code;
}
