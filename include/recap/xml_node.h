/*
 * recap/xml_node.h — a small XML node reader for config text (Genode's
 * Xml_node in spirit): no allocation, no copies, the text is read in
 * place and never past its length (it need not be NUL-terminated).
 *
 *	struct recap_xml_node root, start;
 *
 *	if (recap_xml_parse(text, len, &root) != RECAP_OK)
 *		... malformed ...
 *	for (int e = recap_xml_sub_first(&root, "start", &start); !e;
 *	     e = recap_xml_sub_next(&root, "start", &start))
 *		recap_xml_attr(&start, "name", buf, sizeof(buf));
 *
 * A node is the raw text of one element, from the '<' of its start tag
 * through the '>' of its end tag (or of its empty-element tag "<x/>"):
 * exactly what a parent passes on verbatim, e.g. a nested <config> as a
 * child's config ROM.
 *
 * What is read (everything else is RECAP_ERR_INVAL, "malformed"):
 *   document   [<?xml ...?>] then white space and comments, one root
 *              element, then white space and comments
 *   element    <name attr="v" attr='v'> content </name>, or <name .../>;
 *              names: a letter, '_' or ':' then also digits, '-', '.';
 *              an attribute at most once per tag
 *   content    text, sub-elements, comments <!-- --> (no "--" inside),
 *              CDATA sections <![CDATA[ ]]> (skipped, never looked into)
 *   values     any bytes but '<' and NUL; '&' only as one of the five
 *              predefined entities (&lt; &gt; &amp; &quot; &apos;) or a
 *              character reference &#N; / &#xH; from 1 to 127
 * No DOCTYPE, no processing instructions after the XML declaration, no
 * NUL byte anywhere. Elements nest at most RECAP_XML_DEPTH_MAX deep (the
 * root is depth 1): deeper is RECAP_ERR_RANGE.
 *
 * recap_xml_parse checks the whole document; the other calls rescan what
 * they need within the node (still never past it), so a node they are
 * given should come from recap_xml_parse or recap_xml_sub_*: for a node
 * made up by hand they tell what they can (RECAP_ERR_INVAL) but do not
 * check the whole of it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define RECAP_XML_DEPTH_MAX 16

struct recap_xml_node {
	char const *p;		/* the '<' of its start tag */
	size_t len;		/* through the '>' that ends the element */
};

/*
 * Check len bytes of xml as a document (above); *root: its root element.
 * RECAP_OK; RECAP_ERR_INVAL: malformed; RECAP_ERR_RANGE: nested deeper
 * than RECAP_XML_DEPTH_MAX.
 */
int recap_xml_parse(char const *xml, size_t len, struct recap_xml_node *root);

/* The node's type (element name): its length, *name into the text. */
size_t recap_xml_type(struct recap_xml_node const *n, char const **name);

/* Is the node of type type? */
bool recap_xml_has_type(struct recap_xml_node const *n, char const *type);

/*
 * The value of attribute key, entities decoded, NUL-terminated into buf
 * of size bytes. RECAP_OK; RECAP_ERR_NOENT: no such attribute (buf "");
 * RECAP_ERR_RANGE: longer than size - 1 (buf holds what fits);
 * RECAP_ERR_INVAL: the start tag is malformed.
 */
int recap_xml_attr(struct recap_xml_node const *n, char const *key,
		   char *buf, size_t size);

/* Has the node attribute key? */
bool recap_xml_has_attr(struct recap_xml_node const *n, char const *key);

/*
 * A number as the scenario tools read a quantum (tools/sxml.c) and
 * Genode a Number_of_bytes: decimal digits, optionally followed by K, M
 * or G (times 2^10, 2^20, 2^30); or 0x and hex digits (no suffix).
 * RECAP_OK; RECAP_ERR_INVAL: not such a number; RECAP_ERR_RANGE: above
 * ULONG_MAX.
 */
int recap_xml_ulong_parse(char const *s, unsigned long *out);

/*
 * Attribute key as such a number. RECAP_OK; RECAP_ERR_NOENT: absent
 * (*out unchanged); RECAP_ERR_INVAL: not a number (or a malformed tag);
 * RECAP_ERR_RANGE: too big.
 */
int recap_xml_attr_ulong(struct recap_xml_node const *n, char const *key,
			 unsigned long *out);

/*
 * Sub-nodes (child elements) of n in document order, of the given type
 * (NULL: of any type). first: *sub is the first; next: the one after
 * *sub (which must be a sub-node of n). RECAP_OK; RECAP_ERR_NOENT: no
 * (more); RECAP_ERR_INVAL: malformed, or *sub is not inside n.
 */
int recap_xml_sub_first(struct recap_xml_node const *n, char const *type,
			struct recap_xml_node *sub);
int recap_xml_sub_next(struct recap_xml_node const *n, char const *type,
		       struct recap_xml_node *sub);

/* How many sub-nodes of the type (NULL: any) n has (0 if malformed). */
unsigned recap_xml_sub_count(struct recap_xml_node const *n,
			     char const *type);

/*
 * The content: the raw text between the start and the end tag (len 0 for
 * <x/>), into the original text. RECAP_OK or RECAP_ERR_INVAL.
 */
int recap_xml_content(struct recap_xml_node const *n, char const **p,
		      size_t *len);

/*
 * The node's raw text, tags included, NUL-terminated into buf of size
 * bytes: RECAP_OK, or RECAP_ERR_RANGE (too long; buf "").
 */
int recap_xml_copy(struct recap_xml_node const *n, char *buf, size_t size);

/* ---- a parent's <start> node ---------------------------------------- */

#define RECAP_START_NAME_MAX 63

/*
 * One child as a parent's config names it, in the scenario's syntax:
 *
 *	<start name="hello1" caps="60">
 *		<binary name="hello"/>
 *		<resource name="RAM" quantum="1M"/>
 *		<config limit="3"/>
 *	</start>
 *
 * Each of <binary>, <resource name="RAM">, <config> at most once, no
 * other elements or attributes, no text. Names (name, binary) as the
 * scenario checks them: 1 to RECAP_START_NAME_MAX letters, digits, '_',
 * '-' or '.', not "." or "..".
 */
struct recap_start_info {
	char name[RECAP_START_NAME_MAX + 1];
	char binary[RECAP_START_NAME_MAX + 1];	/* default: name */
	unsigned long ram_quota;	/* bytes; 0: no <resource> (caller's default) */
	unsigned long caps;		/* 0: no caps attribute (caller's default) */
	char const *config;		/* the nested <config>..</config> in the
					   original text, or NULL: none */
	size_t config_len;
	char const *why;		/* on error: what is wrong, for a log */
};

/*
 * Read start (a <start> node) into *info. RECAP_OK; RECAP_ERR_INVAL: not
 * as above (info->why says what); RECAP_ERR_RANGE: a number too big.
 * quantum and caps are at least 1. On an error info->name holds what
 * could be read of the name (possibly "", or the invalid name, cut to
 * RECAP_START_NAME_MAX bytes), for the log.
 */
int recap_start_node_read(struct recap_xml_node const *start,
			  struct recap_start_info *info);
