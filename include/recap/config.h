/*
 * recap/config.h — reading the component's configuration: the attributes
 * of the top-level element of its "config" ROM (recap/rom_session.h),
 *
 *	<config period_ms="500" n_mib="64" name="a &amp; b"/>
 *
 * The ROM is opened on first use and stays attached. A tiny reader, not an
 * XML parser: it reads the prolog (an XML declaration, comments, white
 * space) and the start tag of the root element, nothing after it. Values
 * may use the five predefined entities (&lt; &gt; &amp; &quot; &apos;)
 * and decimal or hex character references below 128.
 *
 * The lookups never fail: what cannot be had is the default. A config
 * that cannot be read or is malformed is reported once, on the
 * component's LOG; a value that is not what the lookup wants is reported
 * each time it is looked up.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct recap_env;

/*
 * Numbers: decimal digits, or 0x and hex digits; at most ULONG_MAX.
 * Absent: dflt.
 */
unsigned long recap_config_ulong(struct recap_env *env, char const *key,
				 unsigned long dflt);

/*
 * "yes"/"true"/"1" or "no"/"false"/"0", as Genode's Xml_node reads a bool.
 * Absent: dflt.
 */
bool recap_config_bool(struct recap_env *env, char const *key, bool dflt);

/*
 * The value of key, NUL-terminated into buf of size bytes; dflt (may be
 * NULL: "") if absent or too long for buf. Returns buf.
 */
char const *recap_config_string(struct recap_env *env, char const *key,
				char *buf, size_t size, char const *dflt);

/*
 * The reader itself, over len bytes of xml (no system calls; the unit
 * tests call it). The value of attribute key of the root element,
 * unescaped and NUL-terminated into buf of size bytes. The whole start
 * tag is checked, not just up to key.
 * RECAP_OK; RECAP_ERR_NOENT: no such attribute; RECAP_ERR_RANGE: the
 * value does not fit buf; RECAP_ERR_INVAL: the prolog or the start tag is
 * malformed (also: an attribute given twice, a NUL byte, '<' in a value).
 */
int recap_config_attr(char const *xml, size_t len, char const *key,
		      char *buf, size_t size);
