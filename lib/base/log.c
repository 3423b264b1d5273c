/*
 * log.c — recap_log (recap/log.h): format, then one LOG write per line
 * through the session the runtime opens at the parent on first use.
 */
#include <stdbool.h>

#include <recap/err.h>
#include <recap/format.h>
#include <recap/lock.h>
#include <recap/log.h>
#include <recap/log_session.h>
#include <recap/parent_client.h>
#include <recap/rpc.h>

static int log_session(struct recap_env *env)
{
	int err = RECAP_OK;

	/* Threads may log at once: one opens the session, the others wait. */
	recap_lock_acquire(&env->session_lock);
	if (!recap_cap_valid(env->log)) {
		if (env->log_err == RECAP_OK)
			env->log_err = recap_parent_session(env, "LOG", "",
							    &env->log);
		err = env->log_err;
	}
	recap_lock_release(&env->session_lock);
	return err;
}

static int log_write(struct recap_env *env, char const *text, size_t len)
{
	struct rpc_msg m;
	int err;

	recap_rpc_begin(&m, env->log, RECAP_LOG_WRITE, NULL, 0);
	rpc_msg_put_string(&m, text, len);
	err = recap_rpc_call(env, env->log, &m);
	return err == RECAP_OK ? rpc_msg_end(&m) : err;
}

int recap_vlog(struct recap_env *env, char const *fmt, va_list ap)
{
	char buf[RECAP_LOG_MAX];
	size_t len, start = 0;
	int err = log_session(env);

	if (err != RECAP_OK)
		return err;
	len = (size_t)recap_vsnprintf(buf, sizeof(buf), fmt, ap);
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	/* One write per line; a final newline ends the last line, it does
	 * not start an empty one. */
	do {
		size_t end = start;

		while (end < len && buf[end] != '\n' &&
		       end - start < RECAP_RPC_MAX_STRING)
			end++;
		err = log_write(env, buf + start, end - start);
		if (err != RECAP_OK)
			return err;
		start = end < len && buf[end] == '\n' ? end + 1 : end;
	} while (start < len);
	return RECAP_OK;
}

int recap_log(struct recap_env *env, char const *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = recap_vlog(env, fmt, ap);
	va_end(ap);
	return err;
}
