/*
 * recap/log.h — formatted text output through a LOG session.
 *
 * The first call opens a LOG session at the parent (recap_parent_session,
 * no arguments: the parent labels it with the component's name) and keeps
 * it in the environment. Each line of the formatted text (recap/format.h)
 * is one LOG write; the parent prints it as "[label] text". A line longer
 * than RECAP_RPC_MAX_STRING is written in pieces, one line each; a message
 * longer than RECAP_LOG_MAX is cut there.
 */
#pragma once

#include <stdarg.h>

#include <recap/env.h>

#define RECAP_LOG_MAX 1024	/* longest formatted message, NUL included */

/*
 * Returns RECAP_OK, or the error of opening the session (it is not tried
 * again: a LOG the parent denied stays denied) or of a write.
 */
int recap_log(struct recap_env *env, char const *fmt, ...)
	__attribute__((format(printf, 2, 3)));

int recap_vlog(struct recap_env *env, char const *fmt, va_list ap);
