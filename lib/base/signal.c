/*
 * signal.c — signal contexts and their dispatch (recap/signal.h), over the
 * SIGNAL service (recap/signal_session.h).
 *
 * A context's label is its own address with RECAP_SIGNAL_LABEL_BIT set:
 * unique while the context lives, and never the label of a message through
 * a gate (a badge with rights bits, far below that bit), so a delivery is
 * only taken for a context's if the kernel made it from the context's IRQ.
 * Dispatch still finds the context on the environment's list rather than
 * trusting the label as a pointer.
 *
 * Contexts are bound to the main thread, the entrypoint, whichever thread
 * makes them; the list is shared with the component's other threads, so
 * it is changed and searched under env->session_lock (which also guards
 * opening the SIGNAL session lazily).
 */
#include <l4/sys/irq.h>

#include <recap/cap_map.h>
#include <recap/err.h>
#include <recap/lock.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>
#include <recap/signal.h>
#include <recap/signal_session.h>

#define MAIN_THREAD 0UL		/* the entrypoint: the only thread so far */

static int signal_session(struct recap_env *env)
{
	int err;

	recap_lock_acquire(&env->session_lock);
	if (!recap_cap_valid(env->signal) && env->signal_err == RECAP_OK)
		env->signal_err = recap_parent_session(env, "SIGNAL", "",
						       &env->signal);
	err = recap_cap_valid(env->signal) ? RECAP_OK : env->signal_err;
	recap_lock_release(&env->session_lock);
	return err;
}

static l4_umword_t label_of(struct recap_signal_context const *ctx)
{
	return (l4_umword_t)ctx | RECAP_SIGNAL_LABEL_BIT;
}

int recap_signal_context_create(struct recap_env *env,
				struct recap_signal_context *ctx,
				recap_signal_handler_fn handler, void *arg)
{
	struct rpc_msg m;
	int err = signal_session(env);

	ctx->cap = recap_cap_invalid();
	if (err != RECAP_OK)
		return err;
	recap_rpc_begin(&m, env->signal, RECAP_SIGNAL_ALLOC_CONTEXT, NULL, 0);
	rpc_msg_put_word(&m, MAIN_THREAD);
	rpc_msg_put_word(&m, label_of(ctx));
	err = recap_rpc_call(env, env->signal, &m);
	if (err != RECAP_OK)
		return err;
	/* Exactly the context's capability, or core is broken. */
	if (recap_rpc_end_one_cap(&m) != RECAP_OK)
		return RECAP_ERR_INVAL;
	ctx->handler = handler;
	ctx->arg = arg;
	ctx->cap = m.caps[0];
	recap_lock_acquire(&env->session_lock);
	ctx->next = env->signal_contexts;
	env->signal_contexts = ctx;
	recap_lock_release(&env->session_lock);
	return RECAP_OK;
}

int recap_signal_context_destroy(struct recap_env *env,
				 struct recap_signal_context *ctx)
{
	struct recap_signal_context **p = &env->signal_contexts;
	struct rpc_msg m;
	bool found;
	int err;

	recap_lock_acquire(&env->session_lock);
	while (*p && *p != ctx)
		p = &(*p)->next;
	found = *p != NULL;
	if (found)
		*p = ctx->next;
	recap_lock_release(&env->session_lock);
	if (!found)
		return RECAP_ERR_NOENT;
	recap_rpc_begin(&m, env->signal, RECAP_SIGNAL_FREE_CONTEXT, &ctx->cap, 1);
	err = recap_rpc_call(env, env->signal, &m);
	if (err == RECAP_OK)
		err = rpc_msg_end(&m);
	/* The entry goes either way: core deleted the IRQ or never had it. */
	recap_cap_forget(env, ctx->cap);
	ctx->cap = recap_cap_invalid();
	return err;
}

int recap_signal_submit(struct recap_cap context)
{
	if (!recap_cap_valid(context))
		return RECAP_ERR_INVAL;
	return (int)l4_error(l4_irq_trigger(context.sel));
}

bool recap_signal_dispatch(struct recap_env *env, l4_umword_t label)
{
	struct recap_signal_context *ctx;

	if (!(label & RECAP_SIGNAL_LABEL_BIT))
		return false;
	recap_lock_acquire(&env->session_lock);
	for (ctx = env->signal_contexts; ctx && label_of(ctx) != label;
	     ctx = ctx->next)
		;
	recap_lock_release(&env->session_lock);
	/* Unlocked: the handler may make or destroy contexts itself. */
	if (ctx)
		ctx->handler(ctx->arg);
	return ctx != NULL;
}
