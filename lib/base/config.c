/*
 * config.c — the component's configuration (recap/config.h): the root
 * element's attributes, and lookups through the config ROM.
 *
 * The XML itself is xml_node.c's (recap/xml_node.h): the whole config is
 * checked as a document before an attribute of its root is believed, so
 * a config broken anywhere reads as malformed. Components that need the
 * nested nodes read them with recap/xml_node.h over env->config.
 */
#include <stdbool.h>

#include <recap/config.h>
#include <recap/env.h>
#include <recap/err.h>
#include <recap/log.h>
#include <recap/rom_session.h>
#include <recap/string.h>
#include <recap/xml_node.h>

int recap_config_attr(char const *xml, size_t len, char const *key,
		      char *buf, size_t size)
{
	struct recap_xml_node root;
	int err = recap_xml_parse(xml, len, &root);

	if (err != RECAP_OK) {
		if (size)
			buf[0] = '\0';
		return RECAP_ERR_INVAL;
	}
	return recap_xml_attr(&root, key, buf, size);
}

/* ---- lookups through the config ROM ------------------------------------ */

#define CONFIG_VALUE_MAX 128	/* longest value the typed lookups read */

int recap_config_root(struct recap_env *env, struct recap_xml_node *root)
{
	int err;

	if (!env->config.data && env->config_err == RECAP_OK)
		env->config_err = recap_rom_open(env, "config", &env->config);
	if (env->config_err != RECAP_OK) {
		if (!env->config_warned++)
			recap_log(env, "config: cannot read the config ROM (%s); "
				  "using defaults", recap_err_str(env->config_err));
		return env->config_err;
	}
	err = recap_xml_parse(env->config.data, env->config.len, root);
	if (err != RECAP_OK && !env->config_warned++)
		recap_log(env, "config: malformed <config> (%s); using defaults",
			  err == RECAP_ERR_RANGE ? "nested too deep"
						 : "not well-formed");
	return err;
}

/*
 * The value of key in buf: RECAP_OK, RECAP_ERR_NOENT (absent, or the
 * config cannot be had: reported once), RECAP_ERR_RANGE (too long).
 */
static int lookup(struct recap_env *env, char const *key, char *buf,
		  size_t size)
{
	struct recap_xml_node root;
	int err;

	if (size)
		buf[0] = '\0';
	if (recap_config_root(env, &root) != RECAP_OK)
		return RECAP_ERR_NOENT;
	err = recap_xml_attr(&root, key, buf, size);
	return err == RECAP_ERR_INVAL ? RECAP_ERR_NOENT : err;
}

/* A value that is there but not what the lookup wants. */
static void bad_value(struct recap_env *env, char const *key,
		      char const *value, char const *what)
{
	recap_log(env, "config: %s=\"%s\" is not %s; using the default", key,
		  value, what);
}

unsigned long recap_config_ulong(struct recap_env *env, char const *key,
				 unsigned long dflt)
{
	char buf[CONFIG_VALUE_MAX];
	unsigned long v;
	int err = lookup(env, key, buf, sizeof(buf));

	if (err == RECAP_ERR_NOENT)
		return dflt;
	if (err != RECAP_OK || recap_xml_ulong_parse(buf, &v) != RECAP_OK) {
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
