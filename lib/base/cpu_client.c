/*
 * cpu_client.c — the component's CPU session (recap/cpu_session.h):
 * opened lazily at the parent, CREATE_THREAD, START, KILL_THREAD.
 */
#include <recap/cap_map.h>
#include <recap/cpu_session.h>
#include <recap/err.h>
#include <recap/lock.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>
#include <recap/string.h>

int recap_cpu_session(struct recap_env *env)
{
	int err = RECAP_OK;

	recap_lock_acquire(&env->session_lock);
	if (!recap_cap_valid(env->cpu))
		err = recap_parent_session(env, "CPU", "", &env->cpu);
	recap_lock_release(&env->session_lock);
	return err;
}

int recap_cpu_create_thread(struct recap_env *env, char const *name,
			    unsigned long stack_size, struct recap_cpu_thread *t)
{
	size_t len = RECAP_STRING_NAME(strlen)(name);
	struct rpc_msg m;
	int err;

	t->cap = recap_cap_invalid();
	if (len > RECAP_THREAD_NAME_MAX)
		return RECAP_ERR_RANGE;
	err = recap_cpu_session(env);
	if (err != RECAP_OK)
		return err;
	recap_rpc_begin(&m, env->cpu, RECAP_CPU_CREATE_THREAD, NULL, 0);
	rpc_msg_put_string(&m, name, len);
	rpc_msg_put_word(&m, stack_size);
	err = recap_rpc_call(env, env->cpu, &m);
	if (err != RECAP_OK)
		return err;
	t->index = rpc_msg_get_word(&m);
	t->gate_badge = rpc_msg_get_word(&m);
	/* The thread, its index (never the main thread's) and its gate's
	 * badge, or core is broken. */
	if (recap_rpc_end_one_cap(&m) != RECAP_OK || t->index == 0 ||
	    t->index >= RECAP_THREAD_MAX || !t->gate_badge ||
	    t->gate_badge % RECAP_BADGE_STEP)
		return RECAP_ERR_INVAL;
	t->cap = m.caps[0];
	return RECAP_OK;
}

int recap_cpu_start(struct recap_env *env, struct recap_cap thread,
		    unsigned long ip, unsigned long sp)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, env->cpu, RECAP_CPU_START, &thread, 1);
	rpc_msg_put_word(&m, ip);
	rpc_msg_put_word(&m, sp);
	err = recap_rpc_call(env, env->cpu, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

int recap_cpu_kill_thread(struct recap_env *env, struct recap_cap thread)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, env->cpu, RECAP_CPU_KILL_THREAD, &thread, 1);
	err = recap_rpc_call(env, env->cpu, &m);
	if (err == RECAP_OK)
		err = rpc_msg_end(&m);
	recap_cap_forget(env, thread);
	return err;
}
