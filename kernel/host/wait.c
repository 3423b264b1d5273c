/*
 * wait — bounded waits on tracees and on the control socket.
 *
 * Linux has no waitpid with a timeout. The substrate sleeps in poll() on the
 * SIGCHLD signalfd (and, for control replies, on the socket) and retries
 * waitpid(WNOHANG) on every wake-up, until a deadline. Reading the signalfd
 * here would hide state changes of *other* tracees from recapd's event loop
 * (it polls that same descriptor), so a wait that drained it sends SIGCHLD
 * to itself when done: blocked, it stays pending and the event descriptor
 * readable. A spurious wake-up costs recapd one empty host_next_event().
 *
 * Invariant: no wait here lasts longer than HOST_TIMEOUT_MS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "host_internal.h"

/* Re-check at least this often, in case a notification was coalesced. */
#define WAIT_SLICE_MS 100

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void host_wait_begin(struct host_wait *w, int timeout_ms)
{
	w->deadline_ns = now_ns() + (int64_t)timeout_ms * 1000000;
	w->drained = false;
}

static void drain_sigchld(struct host_wait *w)
{
	struct signalfd_siginfo si;

	while (read(host_event_fd(), &si, sizeof(si)) == sizeof(si))
		w->drained = true;
}

/*
 * Sleep until fd (ignored if < 0) is readable, a child may have changed
 * state, or the deadline has passed. Returns 0, or -ETIMEDOUT.
 */
int host_wait_sleep(struct host_wait *w, int fd)
{
	struct pollfd p[2] = {
		{ .fd = host_event_fd(), .events = POLLIN },
		{ .fd = fd, .events = POLLIN },
	};
	int64_t left = w->deadline_ns - now_ns();
	int ms;

	if (left <= 0)
		return -ETIMEDOUT;
	ms = (int)((left + 999999) / 1000000);
	if (ms > WAIT_SLICE_MS)
		ms = WAIT_SLICE_MS;
	if (poll(p, fd >= 0 ? 2 : 1, ms) > 0 && (p[0].revents & POLLIN))
		drain_sigchld(w);
	return 0;
}

void host_wait_end(struct host_wait *w)
{
	if (w->drained)
		kill(getpid(), SIGCHLD);
}

/*
 * The next wait status of tid (any thread, __WALL). Returns 0, -ETIMEDOUT,
 * or -errno of waitpid (-ECHILD: not ours / already reaped).
 */
int host_wait_tid(pid_t tid, int *status)
{
	struct host_wait w;
	int rc;

	host_wait_begin(&w, HOST_TIMEOUT_MS);
	for (;;) {
		pid_t r = waitpid(tid, status, WNOHANG | __WALL);

		if (r == tid) {
			rc = 0;
			break;
		}
		if (r < 0 && errno != EINTR) {
			rc = -errno;
			break;
		}
		if ((rc = host_wait_sleep(&w, -1)) < 0)
			break;
	}
	host_wait_end(&w);
	return rc;
}
