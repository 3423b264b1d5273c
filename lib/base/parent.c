/*
 * parent.c — the parent client (recap/parent_client.h): session requests,
 * close and exit, as calls on env->parent (protocol: recap/parent.h).
 */
#include <l4/sys/ipc.h>

#include <recap/cap_map.h>
#include <recap/err.h>
#include <recap/lock.h>
#include <recap/parent.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>
#include <recap/string.h>

int recap_parent_session(struct recap_env *env, char const *service,
			 char const *args, struct recap_cap *cap)
{
	size_t service_len = RECAP_STRING_NAME(strlen)(service);
	size_t args_len = RECAP_STRING_NAME(strlen)(args);
	struct rpc_msg m;
	int err;

	*cap = recap_cap_invalid();
	if (service_len > RECAP_SERVICE_NAME_MAX ||
	    args_len > RECAP_SESSION_ARGS_MAX)
		return RECAP_ERR_RANGE;
	recap_rpc_begin(&m, env->parent, RECAP_PARENT_SESSION, NULL, 0);
	rpc_msg_put_string(&m, service, service_len);
	rpc_msg_put_string(&m, args, args_len);
	err = recap_rpc_call(env, env->parent, &m);
	if (err != RECAP_OK)
		return err;
	/* Exactly one valid capability and no data, or the parent is broken. */
	if (recap_rpc_end_one_cap(&m) != RECAP_OK)
		return RECAP_ERR_INVAL;
	*cap = m.caps[0];
	return RECAP_OK;
}

int recap_parent_close(struct recap_env *env, struct recap_cap session)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, env->parent, RECAP_PARENT_CLOSE, &session, 1);
	err = recap_rpc_call(env, env->parent, &m);
	if (err == RECAP_OK)
		err = rpc_msg_end(&m);
	/* The entry goes either way: the parent may have closed it anyway. */
	recap_cap_forget(env, session);
	return err;
}

void recap_parent_exit(struct recap_env *env, long code)
{
	struct rpc_msg m;

	recap_rpc_begin(&m, env->parent, RECAP_PARENT_EXIT, NULL, 0);
	rpc_msg_put_word(&m, (l4_umword_t)code);
	recap_rpc_call(env, env->parent, &m);
	/* The parent does not answer an exit; if it does, wait to be ended. */
	for (;;)
		l4_ipc_sleep(L4_IPC_NEVER);
}
