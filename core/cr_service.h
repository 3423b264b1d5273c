/*
 * cr_service.h — core's CR service (protocol: recap/cr_session.h): the
 * meeting point of `recap checkpoint` / `recap restore` (through the
 * control socket, control.c) and cr, the component that does the work.
 *
 * Core never waits for cr. A command's request is queued at the CR session
 * of the cr that is to serve it, cr is signalled, and the command's
 * connection waits in that session until cr says DONE, the cr goes away,
 * or the request times out (RECAP_CR_TIMEOUT_MS in core's environment,
 * default 60 s); core serves everything else meanwhile. One request per
 * cr at a time.
 *
 * Answers on the command's connection are text lines (tools/control.h):
 * "progress DONE TOTAL" any number of times, then "ok LENGTH" with the
 * stream's memfd passed along (SCM_RIGHTS) for a checkpoint, "ok" for a
 * restore, or "error: MESSAGE".
 */
#pragma once

#include <stddef.h>

#include <l4/sys/types.h>

#include <recap/capability.h>

struct child;

/* Open client's CR session; *cap is its capability. RECAP_ERR_EXIST: it has one. */
int cr_service_open(struct child *client, struct recap_cap *cap);

/*
 * `recap checkpoint`: checkpoint the component label (its full name, or
 * the one its cr knows) with RECAP_CR_FLAG_* flags, answering on conn.
 * Takes conn: answers an error at once, or queues the request.
 */
void cr_service_checkpoint(int conn, char const *label, unsigned long flags);

/*
 * `recap restore`: restore the stream of length bytes in the memfd
 * stream_fd (whole pages, sealable) into the scenario's cr, as as_label
 * (may be empty; "CR -> LABEL" picks the cr), with flags (RECAP_CR_FLAG_
 * REPLACE or 0). Takes both descriptors.
 */
void cr_service_restore(int conn, int stream_fd, size_t length,
			unsigned long flags, char const *as_label);

/* For core's clock (main.c): until the earliest request deadline. */
l4_timeout_s cr_service_timeout(void);

/* Fail every request whose deadline has passed. Leaves the message registers alone. */
void cr_service_expire(void);
