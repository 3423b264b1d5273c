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

int recap_cpu_create_thread_wish(struct recap_env *env, struct recap_cap cpu,
				 char const *name, unsigned long index,
				 recap_badge_t badge, struct recap_cpu_thread *t)
{
	size_t len = RECAP_STRING_NAME(strlen)(name);
	struct rpc_msg m;
	int err;

	t->cap = recap_cap_invalid();
	if (len > RECAP_THREAD_NAME_MAX)
		return RECAP_ERR_RANGE;
	recap_rpc_begin(&m, cpu, RECAP_CPU_CREATE_THREAD, NULL, 0);
	rpc_msg_put_string(&m, name, len);
	if (index != RECAP_THREAD_ANY || badge) {
		rpc_msg_put_word(&m, index);
		rpc_msg_put_word(&m, badge);
	}
	err = recap_rpc_call(env, cpu, &m);
	if (err != RECAP_OK)
		return err;
	t->index = rpc_msg_get_word(&m);
	t->gate_badge = rpc_msg_get_word(&m);
	/* The thread, its index and its gate's badge, or core is broken. */
	if (recap_rpc_end_one_cap(&m) != RECAP_OK ||
	    t->index >= RECAP_THREAD_MAX || !t->gate_badge ||
	    t->gate_badge % RECAP_BADGE_STEP ||
	    (index != RECAP_THREAD_ANY && t->index != index) ||
	    (badge && t->gate_badge != badge)) {
		if (m.ncaps >= 1)
			recap_cap_forget(env, m.caps[0]);
		return RECAP_ERR_INVAL;
	}
	t->cap = m.caps[0];
	return RECAP_OK;
}

int recap_cpu_create_thread_at(struct recap_env *env, struct recap_cap cpu,
			       char const *name, struct recap_cpu_thread *t)
{
	return recap_cpu_create_thread_wish(env, cpu, name, RECAP_THREAD_ANY, 0, t);
}

int recap_cpu_thread_id_at(struct recap_env *env, struct recap_cap cpu,
			   struct recap_cap thread, unsigned long *id)
{
	struct rpc_msg m;
	int err;

	*id = 0;
	recap_rpc_begin(&m, cpu, RECAP_CPU_THREAD_ID, &thread, 1);
	err = recap_rpc_call(env, cpu, &m);
	if (err != RECAP_OK)
		return err;
	*id = rpc_msg_get_word(&m);
	return rpc_msg_end(&m);
}

int recap_cpu_create_thread(struct recap_env *env, char const *name,
			    struct recap_cpu_thread *t)
{
	int err = recap_cpu_session(env);

	t->cap = recap_cap_invalid();
	if (err == RECAP_OK)
		err = recap_cpu_create_thread_at(env, env->cpu, name, t);
	/* Never the main thread's index in the own PD, or core is broken. */
	if (err == RECAP_OK && t->index == 0) {
		recap_cap_forget(env, t->cap);
		t->cap = recap_cap_invalid();
		return RECAP_ERR_INVAL;
	}
	return err;
}

int recap_cpu_start_at(struct recap_env *env, struct recap_cap cpu,
		       struct recap_cap thread, unsigned long ip,
		       unsigned long sp)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, cpu, RECAP_CPU_START, &thread, 1);
	rpc_msg_put_word(&m, ip);
	rpc_msg_put_word(&m, sp);
	err = recap_rpc_call(env, cpu, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

int recap_cpu_start(struct recap_env *env, struct recap_cap thread,
		    unsigned long ip, unsigned long sp)
{
	return recap_cpu_start_at(env, env->cpu, thread, ip, sp);
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

/* An operation on the CPU session whose capabilities are all its arguments. */
static int cpu_call_caps(struct recap_env *env, unsigned op,
			 struct recap_cap const *caps, unsigned ncaps)
{
	struct rpc_msg m;
	int err = recap_cpu_session(env);

	if (err != RECAP_OK)
		return err;
	recap_rpc_begin(&m, env->cpu, op, caps, ncaps);
	err = recap_rpc_call(env, env->cpu, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

int recap_cpu_pause(struct recap_env *env, struct recap_cap thread)
{
	return cpu_call_caps(env, RECAP_CPU_PAUSE, &thread, 1);
}

int recap_cpu_resume(struct recap_env *env, struct recap_cap thread)
{
	return cpu_call_caps(env, RECAP_CPU_RESUME, &thread, 1);
}

int recap_cpu_state_get(struct recap_env *env, struct recap_cap thread,
			struct recap_cap ds)
{
	struct recap_cap caps[2] = { thread, ds };

	return cpu_call_caps(env, RECAP_CPU_STATE_GET, caps, 2);
}

int recap_cpu_state_set(struct recap_env *env, struct recap_cap thread,
			struct recap_cap ds)
{
	struct recap_cap caps[2] = { thread, ds };

	return cpu_call_caps(env, RECAP_CPU_STATE_SET, caps, 2);
}

int recap_cpu_exc_sigh(struct recap_env *env, struct recap_cap sigh)
{
	return cpu_call_caps(env, RECAP_CPU_EXC_SIGH, &sigh, 1);
}
