/*
 * cap_hog — a component that wants more capabilities than its caps=
 * quota: RPC objects (PD session ALLOC_RPC_CAP) until core refuses, then,
 * with those freed, signal contexts until core refuses. Both refusals must
 * be RECAP_ERR_QUOTA at the same total (a gate and a context cost one
 * capability each, the SIGNAL session one more), and freeing one makes
 * room for exactly one.
 */
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/parent_client.h>
#include <recap/pd_session.h>
#include <recap/signal.h>
#include <recap/thread.h>

#define MAX 256

static struct recap_cap rpc[MAX];
static struct recap_signal_context ctx[MAX];

static void on_signal(void *arg)
{
	(void)arg;
}

void component_construct(struct recap_env *env)
{
	struct recap_cap gate = recap_thread_self()->gate;
	unsigned n, m;
	int err = RECAP_OK;

	/* LOG first: a session costs a capability too. */
	recap_log(env, "hogging capabilities");
	for (n = 0; n < MAX; n++)
		if ((err = recap_pd_alloc_rpc_cap(env, gate, &rpc[n])) != RECAP_OK)
			break;
	recap_log(env, "RPC objects: got %u, then %d (%s)", n, err, recap_err_str(err));
	if (n == 0 || n == MAX) {
		recap_parent_exit(env, 1);
		return;
	}
	err = recap_pd_free_rpc_cap(env, rpc[--n]);
	recap_log(env, "one freed: %d (%s)", err, recap_err_str(err));
	err = recap_pd_alloc_rpc_cap(env, gate, &rpc[n]);
	recap_log(env, "one more: %d (%s)", err, recap_err_str(err));
	if (err == RECAP_OK)
		n++;
	err = recap_pd_alloc_rpc_cap(env, gate, &rpc[n]);
	recap_log(env, "and another: %d (%s)", err, recap_err_str(err));
	while (n)
		recap_pd_free_rpc_cap(env, rpc[--n]);

	for (m = 0; m < MAX; m++)
		if ((err = recap_signal_context_create(env, &ctx[m], on_signal, NULL)) !=
		    RECAP_OK)
			break;
	recap_log(env, "signal contexts: got %u, then %d (%s)", m, err,
		  recap_err_str(err));
	recap_parent_exit(env, 0);
}
