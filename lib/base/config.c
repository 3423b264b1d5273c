/*
 * config.c — the component's configuration (recap/config.h): a reader of
 * the root element's attributes, and lookups through the config ROM.
 *
 * The reader is one pass over the prolog and the root's start tag with a
 * cursor that never runs past len; everything it does not understand is
 * "malformed", never guessed at. Genode's Xml_node reads more (nested
 * nodes, content); components that need that will need more than this.
 */
#include <stdbool.h>

#include <recap/config.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/rom_session.h>
#include <recap/string.h>

struct cursor {
	char const *p;
	char const *end;
};

static bool at_end(struct cursor const *c)
{
	return c->p >= c->end;
}

/* Does the rest start with s? */
static bool looking_at(struct cursor const *c, char const *s)
{
	size_t n = RECAP_STRING_NAME(strlen)(s);

	return (size_t)(c->end - c->p) >= n &&
	       !RECAP_STRING_NAME(memcmp)(c->p, s, n);
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Skip white space; was there any? */
static bool skip_space(struct cursor *c)
{
	char const *start = c->p;

	while (!at_end(c) && is_space(*c->p))
		c->p++;
	return c->p != start;
}

/* Skip past the next occurrence of s; false if there is none. */
static bool skip_past(struct cursor *c, char const *s)
{
	while (!at_end(c)) {
		if (looking_at(c, s)) {
			c->p += RECAP_STRING_NAME(strlen)(s);
			return true;
		}
		c->p++;
	}
	return false;
}

static bool name_start(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || ch == ':';
}

static bool name_char(char ch)
{
	return name_start(ch) || (ch >= '0' && ch <= '9') || ch == '-' ||
	       ch == '.';
}

/* A name at the cursor: its length (0: none). */
static size_t take_name(struct cursor *c)
{
	char const *start = c->p;

	if (at_end(c) || !name_start(*c->p))
		return 0;
	while (!at_end(c) && name_char(*c->p))
		c->p++;
	return (size_t)(c->p - start);
}

/* The prolog: XML declaration, comments, white space. */
static bool skip_prolog(struct cursor *c)
{
	for (;;) {
		skip_space(c);
		if (looking_at(c, "<?")) {
			if (!skip_past(c, "?>"))
				return false;
		} else if (looking_at(c, "<!--")) {
			if (!skip_past(c, "-->"))
				return false;
		} else {
			return true;
		}
	}
}

/* The digits of a character reference up to ';', as a value below 128. */
static int char_ref(struct cursor *c)
{
	unsigned base = 10, v = 0, n = 0;

	if (!at_end(c) && *c->p == 'x') {
		base = 16;
		c->p++;
	}
	for (; !at_end(c) && *c->p != ';'; c->p++, n++) {
		char ch = *c->p;
		unsigned d = ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
			   : base == 16 && ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
			   : base == 16 && ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
			   : 99;

		if (d >= base || n >= 4)
			return -1;
		v = v * base + d;
	}
	if (at_end(c) || !n || !v || v >= 128)
		return -1;
	c->p++;
	return (int)v;
}

/* An entity after '&': the character it stands for, or -1. */
static int entity(struct cursor *c)
{
	static struct { char const *name; char ch; } const named[] = {
		{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' },
		{ "quot;", '"' }, { "apos;", '\'' },
	};

	if (!at_end(c) && *c->p == '#') {
		c->p++;
		return char_ref(c);
	}
	for (unsigned i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		if (looking_at(c, named[i].name)) {
			c->p += RECAP_STRING_NAME(strlen)(named[i].name);
			return named[i].ch;
		}
	}
	return -1;
}

/*
 * A quoted value at the cursor; copied (unescaped) into buf if want.
 * RECAP_OK, RECAP_ERR_RANGE (did not fit, but well-formed) or
 * RECAP_ERR_INVAL.
 */
static int take_value(struct cursor *c, bool want, char *buf, size_t size)
{
	size_t len = 0;
	char quote;

	if (at_end(c) || (*c->p != '"' && *c->p != '\''))
		return RECAP_ERR_INVAL;
	quote = *c->p++;
	while (!at_end(c) && *c->p != quote) {
		int ch = (unsigned char)*c->p++;

		if (ch == '<' || ch == '\0')
			return RECAP_ERR_INVAL;
		if (ch == '&' && (ch = entity(c)) < 0)
			return RECAP_ERR_INVAL;
		if (want && len + 1 < size)
			buf[len] = (char)ch;
		len++;
	}
	if (at_end(c))
		return RECAP_ERR_INVAL;
	c->p++;
	if (want && size)
		buf[len < size ? len : size - 1] = '\0';
	return want && len >= size ? RECAP_ERR_RANGE : RECAP_OK;
}

int recap_config_attr(char const *xml, size_t len, char const *key,
		      char *buf, size_t size)
{
	struct cursor c = { .p = xml, .end = xml + len };
	size_t key_len = RECAP_STRING_NAME(strlen)(key);
	int result = RECAP_ERR_NOENT;

	if (size)
		buf[0] = '\0';
	if (!skip_prolog(&c) || at_end(&c) || *c.p++ != '<' || !take_name(&c))
		return RECAP_ERR_INVAL;
	for (;;) {
		bool spaced = skip_space(&c);
		char const *name = c.p;
		size_t n;
		bool want;
		int err;

		if (looking_at(&c, "/>") || looking_at(&c, ">"))
			return result;
		/* Attributes are separated from the name and each other. */
		if (!spaced || !(n = take_name(&c)))
			return RECAP_ERR_INVAL;
		want = n == key_len && !RECAP_STRING_NAME(memcmp)(name, key, n);
		if (want && result != RECAP_ERR_NOENT)
			return RECAP_ERR_INVAL;		/* given twice */
		skip_space(&c);
		if (at_end(&c) || *c.p++ != '=')
			return RECAP_ERR_INVAL;
		skip_space(&c);
		err = take_value(&c, want, buf, size);
		if (err == RECAP_ERR_INVAL)
			return err;
		if (want)
			result = err;
	}
}

/* ---- lookups through the config ROM ------------------------------------ */

#define CONFIG_VALUE_MAX 128	/* longest value the typed lookups read */

/*
 * The value of key in buf: RECAP_OK, RECAP_ERR_NOENT (absent, or the
 * config cannot be had: reported once), RECAP_ERR_RANGE (too long).
 */
static int lookup(struct recap_env *env, char const *key, char *buf,
		  size_t size)
{
	int err;

	if (!env->config.data && env->config_err == RECAP_OK)
		env->config_err = recap_rom_open(env, "config", &env->config);
	if (env->config_err != RECAP_OK) {
		if (!env->config_warned++)
			recap_log(env, "config: cannot read the config ROM (%s); "
				  "using defaults", recap_err_str(env->config_err));
		return RECAP_ERR_NOENT;
	}
	err = recap_config_attr(env->config.data, env->config.len, key, buf, size);
	if (err == RECAP_ERR_INVAL) {
		if (!env->config_warned++)
			recap_log(env, "config: malformed <config>; using defaults");
		return RECAP_ERR_NOENT;
	}
	return err;
}

/* A value that is there but not what the lookup wants. */
static void bad_value(struct recap_env *env, char const *key,
		      char const *value, char const *what)
{
	recap_log(env, "config: %s=\"%s\" is not %s; using the default", key,
		  value, what);
}

static bool parse_ulong(char const *s, unsigned long *out)
{
	unsigned base = 10;
	unsigned long v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return false;
	for (; *s; s++) {
		char ch = *s;
		unsigned d = ch >= '0' && ch <= '9' ? (unsigned)(ch - '0')
			   : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
			   : ch >= 'A' && ch <= 'F' ? (unsigned)(ch - 'A' + 10)
			   : 99;

		if (d >= base || v > (~0UL - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

unsigned long recap_config_ulong(struct recap_env *env, char const *key,
				 unsigned long dflt)
{
	char buf[CONFIG_VALUE_MAX];
	unsigned long v;
	int err = lookup(env, key, buf, sizeof(buf));

	if (err == RECAP_ERR_NOENT)
		return dflt;
	if (err != RECAP_OK || !parse_ulong(buf, &v)) {
		bad_value(env, key, buf, "a number");
		return dflt;
	}
	return v;
}

bool recap_config_bool(struct recap_env *env, char const *key, bool dflt)
{
	char buf[CONFIG_VALUE_MAX];
	int err = lookup(env, key, buf, sizeof(buf));

	if (err == RECAP_ERR_NOENT)
		return dflt;
	if (err == RECAP_OK) {
		if (!RECAP_STRING_NAME(strcmp)(buf, "yes") ||
		    !RECAP_STRING_NAME(strcmp)(buf, "true") ||
		    !RECAP_STRING_NAME(strcmp)(buf, "1"))
			return true;
		if (!RECAP_STRING_NAME(strcmp)(buf, "no") ||
		    !RECAP_STRING_NAME(strcmp)(buf, "false") ||
		    !RECAP_STRING_NAME(strcmp)(buf, "0"))
			return false;
	}
	bad_value(env, key, buf, "a boolean");
	return dflt;
}

char const *recap_config_string(struct recap_env *env, char const *key,
				char *buf, size_t size, char const *dflt)
{
	int err = lookup(env, key, buf, size);

	if (err == RECAP_ERR_RANGE)
		recap_log(env, "config: %s is longer than %zu bytes; using the "
			  "default", key, size ? size - 1 : 0);
	if (err != RECAP_OK && size)
		RECAP_STRING_NAME(strlcpy)(buf, dflt ? dflt : "", size);
	return buf;
}
