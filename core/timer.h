/*
 * timer.h — core's Timer service (protocol: recap/timer_session.h).
 *
 * Core has one thread, so timeouts are kept in core's serving loop: the
 * loop waits no longer than until the earliest deadline of any session
 * (timer_timeout) and, before every wait, signals every session whose
 * deadline has passed (timer_expire). main.c hands both to
 * rpc_server_set_clock().
 */
#pragma once

#include <l4/sys/types.h>

#include <recap/capability.h>

struct child;

/*
 * Open a Timer session for client; *cap is its capability. Its clock starts
 * now. RECAP_OK, RECAP_ERR_NOMEM or a kernel error.
 */
int timer_session_open(struct child *client, struct recap_cap *cap);

/* How long core may wait: until the earliest deadline, never if none. */
l4_timeout_s timer_timeout(void);

/* Signal every timeout that has fallen due; reprogram the periodic ones. */
void timer_expire(void);
