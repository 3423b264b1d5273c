/*
 * recap/session_args.h — Genode-style session argument strings, as a
 * client passes them with a session request and the parent reads them:
 *
 *	label="hello -> log", ram_quota=4096, cap_quota=3
 *
 * A list of key=value separated by commas (spaces around the parts are
 * ignored). A key is letters, digits and '_'. A value is either a bare
 * token (letters, digits and "_.:+-") or a quoted string in which \" and
 * \\ stand for " and \. Empty args ("") is a valid, empty list.
 */
#pragma once

#include <stddef.h>

/*
 * The value of key in args, unquoted, NUL-terminated into buf of size
 * bytes. The whole of args is checked, not just up to key.
 * RECAP_OK; RECAP_ERR_NOENT: key is absent; RECAP_ERR_RANGE: the value does
 * not fit buf; RECAP_ERR_INVAL: args is malformed. If a key appears twice,
 * the first one counts.
 */
int session_args_get(char const *args, char const *key, char *buf,
		     size_t size);
