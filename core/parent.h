/*
 * parent.h — core as the parent of the components it starts: each child's
 * parent object (protocol: recap/parent.h).
 *
 * Session requests are routed by the scenario (scenario_route_label); for
 * now every service is one core provides itself: LOG, CPU, PD, SIGNAL and
 * Timer.
 * A request that cannot be served is denied (RECAP_ERR_DENIED) with the
 * reason on stderr.
 */
#pragma once

struct child;

/* Attach c's parent object (c->parent). RECAP_OK or an error. */
int parent_attach(struct child *c);
