/*
 * parent.c — the parent client (recap/parent_client.h): session requests,
 * close, announce and exit, as calls on env->parent (protocol:
 * recap/parent.h).
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
	unsigned long delay_ms = RECAP_PARENT_RETRY_FIRST_MS;
	struct rpc_msg m;
	int err;

	*cap = recap_cap_invalid();
	if (service_len > RECAP_SERVICE_NAME_MAX ||
	    args_len > RECAP_SESSION_ARGS_MAX)
		return RECAP_ERR_RANGE;
	for (unsigned attempt = 0;; attempt++) {
		recap_rpc_begin(&m, env->parent, RECAP_PARENT_SESSION, NULL, 0);
		rpc_msg_put_string(&m, service, service_len);
		rpc_msg_put_string(&m, args, args_len);
		err = recap_rpc_call(env, env->parent, &m);
		/* A server that has not announced yet, or whose entrypoint
		 * is busy: worth a few more tries, each after a longer pause. */
		if (err != RECAP_ERR_AGAIN || attempt + 1 >= RECAP_PARENT_RETRIES)
			break;
		l4_ipc_sleep_ms((l4_uint32_t)delay_ms);
		delay_ms *= 2;
	}
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
	unsigned long delay_ms = RECAP_PARENT_RETRY_FIRST_MS;
	struct rpc_msg m;
	int err;

	for (unsigned attempt = 0;; attempt++) {
		recap_rpc_begin(&m, env->parent, RECAP_PARENT_CLOSE, &session, 1);
		err = recap_rpc_call(env, env->parent, &m);
		/* A serving component too busy to be told: as for SESSION. */
		if (err != RECAP_ERR_AGAIN || attempt + 1 >= RECAP_PARENT_RETRIES)
			break;
		l4_ipc_sleep_ms((l4_uint32_t)delay_ms);
		delay_ms *= 2;
	}
	if (err == RECAP_OK)
		err = rpc_msg_end(&m);
	/* The entry goes either way: the parent may have closed it anyway. */
	recap_cap_forget(env, session);
	return err;
}

int recap_parent_announce(struct recap_env *env, char const *service,
			  struct recap_cap root)
{
	size_t len = RECAP_STRING_NAME(strlen)(service);
	struct rpc_msg m;
	int err;

	if (!len || len > RECAP_SERVICE_NAME_MAX)
		return RECAP_ERR_RANGE;
	if (!recap_cap_valid(root))
		return RECAP_ERR_INVAL;
	recap_rpc_begin(&m, env->parent, RECAP_PARENT_ANNOUNCE, &root, 1);
	rpc_msg_put_string(&m, service, len);
	err = recap_rpc_call(env, env->parent, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
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
