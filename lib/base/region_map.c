/*
 * region_map.c — the region-map client (recap/region_map.h): attach and
 * detach in the component's own address space, through the RM session the
 * runtime opens at the parent on first use, or in any region map named by
 * capability (a managed one, a PD's address space); managed maps'
 * creation, dataspace, fault handler and state.
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

int recap_rm_session(struct recap_env *env)
{
	return rm_session(env);
}

int recap_rm_attach_to(struct recap_env *env, struct recap_cap rm,
		       struct recap_cap ds, unsigned long size,
		       unsigned long offset, unsigned long at, unsigned rights,
		       unsigned long *addr)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, rm, RECAP_RM_ATTACH, &ds, 1);
	rpc_msg_put_word(&m, size);
	rpc_msg_put_word(&m, offset);
	rpc_msg_put_word(&m, at);
	rpc_msg_put_word(&m, rights);
	err = recap_rpc_call(env, rm, &m);
	if (err != RECAP_OK)
		return err;
	*addr = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}

int recap_rm_attach(struct recap_env *env, struct recap_cap ds,
		    unsigned long size, unsigned long offset, unsigned long at,
		    unsigned rights, unsigned long *addr)
{
	int err = rm_session(env);

	if (err != RECAP_OK)
		return err;
	return recap_rm_attach_to(env, env->rm, ds, size, offset, at, rights,
				  addr);
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

int recap_rm_detach_from(struct recap_env *env, struct recap_cap rm,
			 unsigned long addr)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, rm, RECAP_RM_DETACH, NULL, 0);
	rpc_msg_put_word(&m, addr);
	err = recap_rpc_call(env, rm, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

int recap_rm_detach(struct recap_env *env, unsigned long addr)
{
	int err = rm_session(env);

	return err == RECAP_OK ? recap_rm_detach_from(env, env->rm, addr) : err;
}

int recap_rm_create(struct recap_env *env, unsigned long size,
		    struct recap_cap *rm)
{
	struct rpc_msg m;
	int err = rm_session(env);

	*rm = recap_cap_invalid();
	if (err != RECAP_OK)
		return err;
	recap_rpc_begin(&m, env->rm, RECAP_RM_CREATE, NULL, 0);
	rpc_msg_put_word(&m, size);
	err = recap_rpc_call(env, env->rm, &m);
	if (err != RECAP_OK)
		return err;
	err = recap_rpc_end_one_cap(&m);
	if (err == RECAP_OK)
		*rm = m.caps[0];
	return err;
}

int recap_rm_dataspace(struct recap_env *env, struct recap_cap rm,
		       struct recap_ds *ds)
{
	struct rpc_msg m;
	unsigned long size;
	int err;

	*ds = (struct recap_ds){ .cap = recap_cap_invalid() };
	recap_rpc_begin(&m, rm, RECAP_RM_DATASPACE, NULL, 0);
	err = recap_rpc_call(env, rm, &m);
	if (err != RECAP_OK)
		return err;
	size = rpc_msg_get_word(&m);
	err = recap_rpc_end_one_cap(&m);
	if (err != RECAP_OK)
		return err;
	ds->cap = m.caps[0];
	ds->size = size;
	return RECAP_OK;
}

int recap_rm_fault_handler(struct recap_env *env, struct recap_cap rm,
			   struct recap_cap sigh)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, rm, RECAP_RM_FAULT_HANDLER, &sigh, 1);
	err = recap_rpc_call(env, rm, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

int recap_rm_state(struct recap_env *env, struct recap_cap rm,
		   unsigned *type, unsigned long *offset)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, rm, RECAP_RM_STATE, NULL, 0);
	err = recap_rpc_call(env, rm, &m);
	if (err != RECAP_OK)
		return err;
	*type = (unsigned)rpc_msg_get_word(&m);
	*offset = rpc_msg_get_word(&m);
	rpc_msg_get_word(&m);	/* the fault handler's badge: cr's */
	return rpc_msg_end(&m);
}
