/*
 * ram.c — the RAM client (recap/ram_session.h), through the RAM session
 * the runtime opens at the parent on first use.
 */
#include <recap/cap_map.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/parent_client.h>
#include <recap/ram_session.h>
#include <recap/rpc.h>

static int ram_session(struct recap_env *env)
{
	if (recap_cap_valid(env->ram))
		return RECAP_OK;
	if (env->ram_err == RECAP_OK)
		env->ram_err = recap_parent_session(env, "RAM", "", &env->ram);
	return env->ram_err;
}

int recap_ram_alloc(struct recap_env *env, unsigned long size,
		    struct recap_ds *ds)
{
	int err = ram_session(env);

	if (err != RECAP_OK) {
		*ds = (struct recap_ds){ .cap = recap_cap_invalid() };
		return err;
	}
	return recap_ram_alloc_at(env, env->ram, size, ds);
}

int recap_ram_alloc_at(struct recap_env *env, struct recap_cap ram,
		       unsigned long size, struct recap_ds *ds)
{
	struct rpc_msg m;
	unsigned long got;
	int err;

	*ds = (struct recap_ds){ .cap = recap_cap_invalid() };
	recap_rpc_begin(&m, ram, RECAP_RAM_ALLOC, NULL, 0);
	rpc_msg_put_word(&m, size);
	err = recap_rpc_call(env, ram, &m);
	if (err != RECAP_OK)
		return err;
	got = rpc_msg_get_word(&m);
	/* One dataspace, at least as large as asked, or core is broken. */
	if (recap_rpc_end_one_cap(&m) != RECAP_OK || got < size)
		return RECAP_ERR_INVAL;
	ds->cap = m.caps[0];
	ds->size = got;
	return RECAP_OK;
}

int recap_ram_free(struct recap_env *env, struct recap_ds *ds)
{
	struct rpc_msg m;
	int err = ram_session(env);

	if (err == RECAP_OK) {
		recap_rpc_begin(&m, env->ram, RECAP_RAM_FREE, &ds->cap, 1);
		err = recap_rpc_call(env, env->ram, &m);
		if (err == RECAP_OK)
			err = rpc_msg_end(&m);
	}
	/* Core deleted the dataspace's gate: the slot names nothing now. */
	cap_map_remove(&env->cap_map, ds->cap.badge);
	*ds = (struct recap_ds){ .cap = recap_cap_invalid() };
	return err;
}

int recap_ram_quota(struct recap_env *env, unsigned long *quota,
		    unsigned long *used)
{
	struct rpc_msg m;
	int err = ram_session(env);

	if (err != RECAP_OK)
		return err;
	recap_rpc_begin(&m, env->ram, RECAP_RAM_QUOTA, NULL, 0);
	err = recap_rpc_call(env, env->ram, &m);
	if (err != RECAP_OK)
		return err;
	*quota = rpc_msg_get_word(&m);
	*used = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}
