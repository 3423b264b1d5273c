/*
 * recap/signal_session.h — the SIGNAL service: signal contexts, backed by
 * IRQs as Genode's signals are on Fiasco.OC. (Genode up to 16.05 had a
 * SIGNAL session at core; later it moved into the PD session. recap keeps
 * it a service of its own until core has a PD session.)
 *
 *   ALLOC_CONTEXT  word thread, word label[, word badge] -> 1 cap: the context
 *                  badge 0 or left out: a fresh one; otherwise that badge
 *                  if no context or object of core's has it (RECAP_ERR_EXIST):
 *                  a restored context keeps the badge its component knew
 *   FREE_CONTEXT   cap context              -> -
 *
 * A context is an IRQ that core creates, attaches to thread `thread` of the
 * client's PD with `label`, and hands out under a fresh badge. Core binds
 * it, not the client: binding needs the thread's kernel capability, which a
 * component does not hold (core maps it no thread object, as Genode's core
 * does not). Thread 0 is the main thread, the entrypoint; it is the only
 * thread a component has so far.
 *
 * Whoever holds the context's capability signals it with l4_irq_trigger
 * (recap_signal_submit; core does so for timeouts). The kernel counts
 * triggers: each one arrives once, as a message with tag label
 * L4_PROTO_IRQ and the bound label, whenever the thread next waits for any
 * message — none is lost while the thread is busy or blocked in a call.
 *
 * Labels: never 0 (the thread's own IRQ at recap_thread_slot(i, IRQ) is
 * bound with label 0, for locks). lib/base sets RECAP_SIGNAL_LABEL_BIT in
 * every label it asks for, so its entrypoint can tell a context's delivery
 * from a message through a gate, whose label is a badge (never that high)
 * with the sender's rights: nothing a sender can forge reaches a handler.
 *
 * The capability carries R|W|S, and the kernel lets any holder of an IRQ
 * capability detach it: a component that passes a context on trusts the
 * receiver not to. Core passes none on.
 *
 * Errors: RECAP_ERR_INVAL (label 0, malformed request, not a context of
 * this session), RECAP_ERR_NOENT (no such thread), RECAP_ERR_RANGE (the
 * session has RECAP_SIGNAL_CONTEXTS_MAX contexts), RECAP_ERR_NOMEM.
 *
 * Client side: recap/signal.h.
 */
#pragma once

#define RECAP_SIGNAL_CONTEXTS_MAX 256	/* per session: no quotas yet */
#define RECAP_SIGNAL_LABEL_BIT (1UL << 63)

enum recap_signal_op {
	RECAP_SIGNAL_ALLOC_CONTEXT = 1,
	RECAP_SIGNAL_FREE_CONTEXT = 2,
};
