/*
 * native_pd.c — the client of the native PD interface (recap/native_pd.h)
 * on the component's own PD session.
 */
#include <recap/cap_layout.h>
#include <recap/err.h>
#include <recap/native_pd.h>
#include <recap/pd_session.h>
#include <recap/rpc.h>

int recap_native_pd_request_cap(struct recap_env *env, unsigned long slot,
				struct recap_cap *cap, unsigned long *next)
{
	struct rpc_msg m;
	int err;

	*cap = recap_cap_invalid();
	*next = RECAP_SLOT_NONE;
	err = recap_pd_session(env);
	if (err != RECAP_OK)
		return err;
	recap_rpc_begin(&m, env->pd, RECAP_PD_REQUEST_CAP, NULL, 0);
	rpc_msg_put_word(&m, slot);
	err = recap_rpc_call(env, env->pd, &m);
	if (err != RECAP_OK)
		return err;
	*next = rpc_msg_get_word(&m);
	/* One capability, invalid for an empty slot, and the next slot. */
	if (rpc_msg_end(&m) != RECAP_OK || m.ncaps != 1) {
		if (m.ncaps >= 1)
			recap_cap_forget(env, m.caps[0]);
		*next = RECAP_SLOT_NONE;
		return RECAP_ERR_INVAL;
	}
	*cap = m.caps[0];
	return RECAP_OK;
}

int recap_native_pd_install_cap(struct recap_env *env, struct recap_cap cap,
				unsigned long slot)
{
	int err = recap_pd_session(env);

	return err == RECAP_OK ? recap_native_pd_install_cap_at(env, env->pd, cap,
								slot)
			       : err;
}

int recap_native_pd_install_cap_at(struct recap_env *env, struct recap_cap pd,
				   struct recap_cap cap, unsigned long slot)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, pd, RECAP_PD_INSTALL_CAP, &cap, 1);
	rpc_msg_put_word(&m, slot);
	err = recap_rpc_call(env, pd, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

int recap_native_pd_cap_info(struct recap_env *env, unsigned long slot,
			     struct recap_native_cap_info *info)
{
	int err = recap_pd_session(env);

	return err == RECAP_OK ? recap_native_pd_cap_info_at(env, env->pd, slot,
							     info)
			       : err;
}

int recap_native_pd_cap_info_at(struct recap_env *env, struct recap_cap pd,
				unsigned long slot,
				struct recap_native_cap_info *info)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, pd, RECAP_PD_CAP_INFO, NULL, 0);
	rpc_msg_put_word(&m, slot);
	err = recap_rpc_call(env, pd, &m);
	if (err != RECAP_OK)
		return err;
	info->kind = rpc_msg_get_word(&m);
	info->id = rpc_msg_get_word(&m);
	info->rights = rpc_msg_get_word(&m);
	info->label = rpc_msg_get_word(&m);
	info->next = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}

int recap_native_pd_cap_list_at(struct recap_env *env, struct recap_cap pd,
				unsigned long slot, unsigned long max,
				struct recap_cap ds, unsigned long *n,
				unsigned long *next)
{
	struct rpc_msg m;
	int err;

	*n = 0;
	*next = RECAP_SLOT_NONE;
	recap_rpc_begin(&m, pd, RECAP_PD_CAP_LIST, &ds, 1);
	rpc_msg_put_word(&m, slot);
	rpc_msg_put_word(&m, max);
	err = recap_rpc_call(env, pd, &m);
	if (err != RECAP_OK)
		return err;
	*n = rpc_msg_get_word(&m);
	*next = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}

int recap_native_pd_thread_state(struct recap_env *env, unsigned long index,
				 struct recap_cap ds)
{
	struct rpc_msg m;
	int err = recap_pd_session(env);

	if (err != RECAP_OK)
		return err;
	recap_rpc_begin(&m, env->pd, RECAP_PD_THREAD_STATE, &ds, 1);
	rpc_msg_put_word(&m, index);
	err = recap_rpc_call(env, env->pd, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

int recap_native_pd_dirty(struct recap_env *env, unsigned long addr,
			  unsigned long pages, unsigned long flags,
			  struct recap_cap ds, unsigned long *count)
{
	int err = recap_pd_session(env);

	*count = 0;
	return err == RECAP_OK ? recap_native_pd_dirty_at(env, env->pd, addr,
							  pages, flags, ds,
							  count)
			       : err;
}

int recap_native_pd_dirty_at(struct recap_env *env, struct recap_cap pd,
			     unsigned long addr, unsigned long pages,
			     unsigned long flags, struct recap_cap ds,
			     unsigned long *count)
{
	struct rpc_msg m;
	int err;

	*count = 0;
	recap_rpc_begin(&m, pd, RECAP_PD_DIRTY, &ds, 1);
	rpc_msg_put_word(&m, addr);
	rpc_msg_put_word(&m, pages);
	rpc_msg_put_word(&m, flags);
	err = recap_rpc_call(env, pd, &m);
	if (err != RECAP_OK)
		return err;
	*count = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}

int recap_native_pd_irq_info(struct recap_env *env, unsigned long slot,
			     struct recap_native_irq_info *info)
{
	int err = recap_pd_session(env);

	return err == RECAP_OK ? recap_native_pd_irq_info_at(env, env->pd, slot,
							     info)
			       : err;
}

int recap_native_pd_irq_info_at(struct recap_env *env, struct recap_cap pd,
				unsigned long slot,
				struct recap_native_irq_info *info)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, pd, RECAP_PD_IRQ_INFO, NULL, 0);
	rpc_msg_put_word(&m, slot);
	err = recap_rpc_call(env, pd, &m);
	if (err != RECAP_OK)
		return err;
	info->pending = rpc_msg_get_word(&m);
	info->label = rpc_msg_get_word(&m);
	info->thread = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}
