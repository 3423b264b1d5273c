/*
 * intercept.h — cr's objects standing for a child's sessions (docs/cr.md).
 *
 * One dispatch function per service, each in a file of its own: it passes
 * the call on to the real session (forward.h) and records in the child's
 * model (model.h) what a restore needs. cr_intercept_dispatch() picks the
 * one for a session's service; the child's view of the session is the
 * object s->obj, managed on the child's entrypoint.
 */
#pragma once

#include <recap/rpc_server.h>

#include "../model.h"

/* The service a session name stands for; CR_SVC_OTHER if not intercepted. */
enum cr_service cr_service_of(char const *name);

/* The dispatch function for service, NULL for CR_SVC_OTHER. */
recap_rpc_dispatch_fn cr_intercept_dispatch(enum cr_service service);

/* The session whose object obj is. */
struct cr_session *cr_session_of(struct recap_rpc_object *obj);

int cr_intercept_pd(struct recap_rpc_object *obj, struct recap_rpc_request *req);
int cr_intercept_cpu(struct recap_rpc_object *obj, struct recap_rpc_request *req);
int cr_intercept_rm(struct recap_rpc_object *obj, struct recap_rpc_request *req);
int cr_intercept_ram(struct recap_rpc_object *obj, struct recap_rpc_request *req);
int cr_intercept_rom(struct recap_rpc_object *obj, struct recap_rpc_request *req);
int cr_intercept_log(struct recap_rpc_object *obj, struct recap_rpc_request *req);
int cr_intercept_timer(struct recap_rpc_object *obj, struct recap_rpc_request *req);
/* The Timer session's time in µs (the real session's, shifted by a
 * restore): RECAP_OK and *now, or the error of asking core. */
int cr_timer_now_us(struct cr_session *s, unsigned long *now);
int cr_intercept_signal(struct recap_rpc_object *obj, struct recap_rpc_request *req);
int cr_intercept_cr(struct recap_rpc_object *obj, struct recap_rpc_request *req);
