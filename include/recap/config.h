/*
 * recap/config.h — reading the component's configuration, its "config"
 * ROM (recap/rom_session.h):
 *
 *	<config period_ms="500" n_mib="64" name="a &amp; b"/>
 *
 * The ROM is opened on first use and stays attached (env->config). The
 * text is read with recap/xml_node.h: the whole of it is checked as an
 * XML document (prolog, root element, everything nested in it) before
 * the root's attributes are believed. Values may use the five predefined
 * entities (&lt; &gt; &amp; &quot; &apos;) and decimal or hex character
 * references below 128. A component that reads nested nodes (a parent's
 * <start> nodes) gets the root node with recap_config_root.
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
struct recap_xml_node;

/*
 * The root node of the config ROM (recap/xml_node.h), for reading more
 * than its attributes. RECAP_OK; otherwise the ROM cannot be had (its
 * error) or is malformed (recap_xml_parse's error), reported once.
 */
int recap_config_root(struct recap_env *env, struct recap_xml_node *root);

/*
 * Numbers (recap_xml_ulong_parse): decimal digits optionally followed by
 * K, M or G, or 0x and hex digits; at most ULONG_MAX. Absent: dflt.
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
 * tests call it): recap_xml_parse, then recap_xml_attr of the root. The
 * value of attribute key of the root element, unescaped and
 * NUL-terminated into buf of size bytes.
 * RECAP_OK; RECAP_ERR_NOENT: no such attribute; RECAP_ERR_RANGE: the
 * value does not fit buf; RECAP_ERR_INVAL: the document is malformed or
 * nested too deep (also: an attribute given twice, a NUL byte, '<' in a
 * value).
 */
int recap_config_attr(char const *xml, size_t len, char const *key,
		      char *buf, size_t size);
