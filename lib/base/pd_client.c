/*
 * pd_client.c — the component's PD session (recap/pd_session.h): opened
 * lazily at the parent, ALLOC_RPC_CAP, FREE_RPC_CAP, ADDRESS_SPACE.
 */
#include <recap/cap_map.h>
#include <recap/err.h>
#include <recap/lock.h>
#include <recap/parent_client.h>
#include <recap/pd_session.h>
#include <recap/rpc.h>

int recap_pd_session(struct recap_env *env)
{
	int err = RECAP_OK;

	recap_lock_acquire(&env->session_lock);
	if (!recap_cap_valid(env->pd))
		err = recap_parent_session(env, "PD", "", &env->pd);
	recap_lock_release(&env->session_lock);
	return err;
}

int recap_pd_alloc_rpc_cap_at(struct recap_env *env, struct recap_cap pd,
			      struct recap_cap ep, recap_badge_t badge,
			      struct recap_cap *cap)
{
	struct rpc_msg m;
	int err;

	*cap = recap_cap_invalid();
	recap_rpc_begin(&m, pd, RECAP_PD_ALLOC_RPC_CAP, &ep, 1);
	if (badge)
		rpc_msg_put_word(&m, badge);
	err = recap_rpc_call(env, pd, &m);
	if (err != RECAP_OK)
		return err;
	/* Exactly the new gate (with the wished badge), or core is broken. */
	if (recap_rpc_end_one_cap(&m) != RECAP_OK ||
	    (badge && m.caps[0].badge != badge)) {
		recap_cap_forget(env, m.caps[0]);
		return RECAP_ERR_INVAL;
	}
	*cap = m.caps[0];
	return RECAP_OK;
}

int recap_pd_alloc_rpc_cap(struct recap_env *env, struct recap_cap ep,
			   struct recap_cap *cap)
{
	int err = recap_pd_session(env);

	*cap = recap_cap_invalid();
	if (err != RECAP_OK)
		return err;
	return recap_pd_alloc_rpc_cap_at(env, env->pd, ep, 0, cap);
}

int recap_pd_free_rpc_cap(struct recap_env *env, struct recap_cap cap)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, env->pd, RECAP_PD_FREE_RPC_CAP, &cap, 1);
	err = recap_rpc_call(env, env->pd, &m);
	if (err == RECAP_OK)
		err = rpc_msg_end(&m);
	recap_cap_forget(env, cap);
	return err;
}

int recap_pd_address_space(struct recap_env *env, struct recap_cap pd,
			   struct recap_cap *rm)
{
	struct rpc_msg m;
	int err;

	*rm = recap_cap_invalid();
	recap_rpc_begin(&m, pd, RECAP_PD_ADDRESS_SPACE, NULL, 0);
	err = recap_rpc_call(env, pd, &m);
	if (err != RECAP_OK)
		return err;
	err = recap_rpc_end_one_cap(&m);
	if (err == RECAP_OK)
		*rm = m.caps[0];
	return err;
}
