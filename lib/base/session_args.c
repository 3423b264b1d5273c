/*
 * session_args.c — reading Genode-style session argument strings
 * (recap/session_args.h). Used by parents (core now; any component with
 * children later), so it lives in lib/base and builds both ways.
 *
 * One pass over the string: each key=value is scanned fully, so a
 * malformed list is refused even if the key asked for comes first.
 */
#include <stdbool.h>

#include <recap/err.h>
#include <recap/session_args.h>
#include <recap/string.h>

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static bool token_char(char c)
{
	return key_char(c) || c == '.' || c == ':' || c == '+' || c == '-';
}

static char const *skip_spaces(char const *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Append c to the value being copied out, if it is the one wanted. */
static void put(char *buf, size_t size, size_t *len, bool want, char c)
{
	if (want && *len + 1 < size)
		buf[*len] = c;
	if (want)
		(*len)++;
}

static int scan(char const *args, char const *key, char *buf, size_t size)
{
	char const *p = skip_spaces(args);
	size_t key_len = RECAP_STRING_NAME(strlen)(key);
	bool found = false;
	size_t len = 0;

	while (*p) {
		char const *k = p;
		bool want;

		while (key_char(*p))
			p++;
		if (p == k)
			return RECAP_ERR_INVAL;
		want = !found && (size_t)(p - k) == key_len &&
		       !RECAP_STRING_NAME(strncmp)(k, key, key_len);
		p = skip_spaces(p);
		if (*p++ != '=')
			return RECAP_ERR_INVAL;
		p = skip_spaces(p);
		if (*p == '"') {
			for (p++; *p != '"'; p++) {
				if (*p == '\0')
					return RECAP_ERR_INVAL;
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				put(buf, size, &len, want, *p);
			}
			p++;
		} else {
			if (!token_char(*p))
				return RECAP_ERR_INVAL;
			while (token_char(*p))
				put(buf, size, &len, want, *p++);
		}
		found |= want;
		p = skip_spaces(p);
		if (*p == ',')
			p = skip_spaces(p + 1);
		else if (*p)
			return RECAP_ERR_INVAL;
	}
	if (!found)
		return RECAP_ERR_NOENT;
	if (len >= size)
		return RECAP_ERR_RANGE;
	buf[len] = '\0';
	return RECAP_OK;
}

int session_args_get(char const *args, char const *key, char *buf,
		     size_t size)
{
	int err = scan(args, key, buf, size);

	/* No half-copied value on any error. */
	if (err != RECAP_OK && size)
		buf[0] = '\0';
	return err;
}
