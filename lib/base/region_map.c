/*
 * region_map.c — the region-map client (recap/region_map.h): attach and
 * detach in the component's own address space, through the RM session the
 * runtime opens at the parent on first use.
 */
#include <recap/env.h>
#include <recap/err.h>
#include <recap/parent_client.h>
#include <recap/region_map.h>
#include <recap/rpc.h>

static int rm_session(struct recap_env *env)
{
	if (recap_cap_valid(env->rm))
		return RECAP_OK;
	if (env->rm_err == RECAP_OK)
		env->rm_err = recap_parent_session(env, "RM", "", &env->rm);
	return env->rm_err;
}

int recap_rm_attach(struct recap_env *env, struct recap_cap ds,
		    unsigned long size, unsigned long offset, unsigned long at,
		    unsigned rights, unsigned long *addr)
{
	struct rpc_msg m;
	int err = rm_session(env);

	if (err != RECAP_OK)
		return err;
	recap_rpc_begin(&m, env->rm, RECAP_RM_ATTACH, &ds, 1);
	rpc_msg_put_word(&m, size);
	rpc_msg_put_word(&m, offset);
	rpc_msg_put_word(&m, at);
	rpc_msg_put_word(&m, rights);
	err = recap_rpc_call(env, env->rm, &m);
	if (err != RECAP_OK)
		return err;
	*addr = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}

int recap_rm_attach_rw(struct recap_env *env, struct recap_ds const *ds,
		       void **addr)
{
	unsigned long at;
	int err = recap_rm_attach(env, ds->cap, 0, 0, RECAP_RM_ANYWHERE,
				  L4_FPAGE_RW, &at);

	*addr = err == RECAP_OK ? (void *)at : (void *)0;
	return err;
}

int recap_rm_detach(struct recap_env *env, unsigned long addr)
{
	struct rpc_msg m;
	int err = rm_session(env);

	if (err != RECAP_OK)
		return err;
	recap_rpc_begin(&m, env->rm, RECAP_RM_DETACH, NULL, 0);
	rpc_msg_put_word(&m, addr);
	err = recap_rpc_call(env, env->rm, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}
