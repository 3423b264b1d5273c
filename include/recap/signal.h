/*
 * recap/signal.h — signals: asynchronous notifications handled in the
 * component's entrypoint (Genode's Signal_handler / Signal_context and
 * Signal_transmitter, on Fiasco.OC's IRQs; protocol and semantics:
 * recap/signal_session.h).
 *
 *	static struct recap_signal_context tick;
 *	recap_signal_context_create(env, &tick, on_tick, arg);
 *	... hand recap_signal_context_cap(&tick) to whoever is to signal it
 *	    (recap_timer_sigh, say) and return from component_construct ...
 *
 * Each trigger of the context makes the entrypoint call handler(arg) once,
 * after component_construct has returned and between the requests it
 * serves: handlers run one at a time on the main thread and may do
 * anything the component does elsewhere (RPC, log, exit). Triggers that
 * arrive while a handler runs, or before the entrypoint waits, are counted
 * by the kernel and handled afterwards, each one.
 *
 * The caller owns the struct and keeps it where it is until it destroys
 * the context: its address is the context's label. The first context
 * opens a SIGNAL session at the parent, kept in the environment.
 */
#pragma once

#include <stdbool.h>

#include <l4/sys/types.h>

#include <recap/capability.h>
#include <recap/env.h>

typedef void (*recap_signal_handler_fn)(void *arg);

struct recap_signal_context {
	recap_signal_handler_fn handler;
	void *arg;
	struct recap_cap cap;	/* the context's IRQ, as the component holds it */
	struct recap_signal_context *next;	/* env->signal_contexts */
};

/*
 * Make ctx a signal context whose triggers call handler(arg) in the
 * entrypoint. RECAP_OK, or the error of opening the SIGNAL session (sticky,
 * as LOG's) or of the allocation (recap/signal_session.h).
 */
int recap_signal_context_create(struct recap_env *env,
				struct recap_signal_context *ctx,
				recap_signal_handler_fn handler, void *arg);

/*
 * Give the context back: its capability becomes empty everywhere, triggers
 * not yet handled are dropped. ctx may then be reused.
 */
int recap_signal_context_destroy(struct recap_env *env,
				 struct recap_signal_context *ctx);

/* The capability others signal ctx through. */
static inline struct recap_cap
recap_signal_context_cap(struct recap_signal_context const *ctx)
{
	return ctx->cap;
}

/*
 * Signal a context (Genode's Signal_transmitter::submit): one trigger of
 * its IRQ, never blocking. RECAP_ERR_INVAL for an invalid capability,
 * else the kernel's answer (an error if the context is gone).
 */
int recap_signal_submit(struct recap_cap context);

/*
 * For the entrypoint: handle a delivery with this label, if it is one of
 * the environment's contexts. True if a handler ran.
 */
bool recap_signal_dispatch(struct recap_env *env, l4_umword_t label);
