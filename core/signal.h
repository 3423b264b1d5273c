/*
 * signal.h — core's SIGNAL service (protocol: recap/signal_session.h):
 * signal contexts as IRQs that core creates and binds to a client's
 * thread, and the way core's other services signal them.
 *
 * Core keeps every live context in a table keyed by its badge. Another
 * service that is to signal a context (the Timer's SIGH) keeps the badge,
 * not a pointer, and signals through signal_submit(): a context that was
 * freed meanwhile, or whose client is gone, is simply not found.
 */
#pragma once

#include <stdbool.h>

#include <recap/badge.h>
#include <recap/capability.h>

#include "rpc_server.h"

struct child;

/*
 * Open a SIGNAL session for client; *cap is its capability. RECAP_OK,
 * RECAP_ERR_NOMEM or a kernel error.
 */
int signal_session_open(struct child *client, struct recap_cap *cap);

/*
 * The badge of the live signal context that capability argument i of req
 * names (the received capability is the very IRQ core made under the badge
 * the sender claims), or 0 if it names none.
 */
recap_badge_t signal_request_context(struct rpc_request *req, unsigned i);

/*
 * Trigger the context with badge (one count). False if there is no such
 * context any more. Uses no message register: callable while a reply waits
 * in them.
 */
bool signal_submit(recap_badge_t badge);
