/*
 * loop — recapd's event loop: one epoll set, callbacks per descriptor, and
 * the IPC timeout deadline as the wait bound.
 */
#pragma once

typedef void (*loop_fn)(void *arg);

int loop_init(void);
int loop_watch(int fd, loop_fn fn, void *arg);
void loop_unwatch(int fd);

/*
 * Watch fd for one readiness event only: after fn ran, fd is disarmed
 * until loop_rearm(fd) (level-triggered sources, e.g. a descriptor bound
 * to an IRQ that stays masked until the receiver acknowledges it).
 */
int loop_watch_once(int fd, loop_fn fn, void *arg);
int loop_rearm(int fd);

/* Run until loop_stop(); returns the value given to it. */
int loop_run(void);
void loop_stop(int code);
