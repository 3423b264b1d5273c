/*
 * parent.h — core as the parent of the components it starts: each child's
 * parent object (protocol: recap/parent.h).
 *
 * Session requests are routed by the scenario (scenario_route_label): to
 * a service core provides itself (LOG, CPU, PD, SIGNAL, Timer, ...), or to
 * one a child announced (service.h).
 * A request that cannot be served is denied (RECAP_ERR_DENIED) with the
 * reason on stderr.
 */
#pragma once

#include <stddef.h>

#include <recap/capability.h>
#include <recap/parent.h>

#include "log.h"
#include "rpc_server.h"

struct child;

/* Attach c's parent object (c->parent). RECAP_OK or an error. */
int parent_attach(struct child *c);

/*
 * A session label for client c: its name, plus " -> " and asked if asked
 * is not empty. RECAP_OK, RECAP_ERR_INVAL (control characters in asked)
 * or RECAP_ERR_RANGE (longer than size - 1).
 */
int parent_label(struct child *c, char const *asked, char *label,
		 size_t size);

/* A SESSION request as read from its message (parent_session_read). */
struct parent_session_request {
	char service[RECAP_SERVICE_NAME_MAX + 1];
	char args[RECAP_SESSION_ARGS_MAX + 1];
	char asked[LOG_LABEL_MAX + 1];	/* the label part the client chose */
	char label[LOG_LABEL_MAX + 1];	/* the whole label (parent_label) */
};

/*
 * Read a SESSION request (string service, string args) of client c from
 * req and work out its label. RECAP_OK, or the error to answer with.
 */
int parent_session_read(struct child *c, struct rpc_request *req,
			struct parent_session_request *r);

/*
 * Open a session of a service core itself provides, for client c, after
 * routing (or on a component's word: child_pd.h). label is the whole
 * label, asked the part the client chose (for ROM: the module's name),
 * args the request's arguments ("PD" with new_pd="yes": a PD handle for a
 * new, empty PD, child_pd.h). RECAP_OK and *cap, or an error.
 */
int parent_core_session(struct child *c, char const *service,
			char const *label, char const *asked, char const *args,
			struct recap_cap *cap);
