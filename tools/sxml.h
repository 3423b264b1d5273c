/*
 * sxml — strict reading of an XML document for the scenario parser.
 *
 * The checks every element of a config needs, each reporting into one
 * struct scenario_result as "FILE:LINE: what is wrong": reading the document
 * with libxml2 (which must never print), attributes that must be present,
 * names, numbers, attributes and elements that must not be there, stray
 * text, elements given twice. Every function returns SCENARIO_OK or the
 * error it recorded, so callers can chain them with `if ((err = ...))`.
 *
 * Internal to tools/scenario*.c.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "scenario.h"

struct sxml {
	struct scenario_result *res;	/* where the first error is recorded */
	char const *file;		/* for messages */
	xmlDoc *doc;			/* the document, once read */
	bool xml_failed;		/* libxml2 has reported an error */
	xmlStructuredErrorFunc saved_handler;	/* restored by sxml_end() */
	void *saved_data;
};

/* Flags for sxml_attr(). */
#define SXML_REQUIRED 1u	/* absence is an error */
#define SXML_NAME 2u		/* the value must pass sxml_name_ok() */

/*
 * Bracket all use of libxml2 for one document: from sxml_begin() on, its
 * errors are recorded in x->res instead of printed; sxml_end() frees the
 * document and restores libxml2's previous error handler.
 */
void sxml_begin(struct sxml *x);
void sxml_end(struct sxml *x);

/*
 * Parse xml (len bytes) into x->doc and return it, or record why it is not
 * well-formed and return NULL. Entities are not substituted and nothing is
 * fetched from the network.
 */
xmlDoc *sxml_read(struct sxml *x, char const *xml, size_t len);

/* Record err with a message about line (0: none); return err. */
__attribute__((format(printf, 4, 5)))
enum scenario_err sxml_fail(struct sxml *x, long line, enum scenario_err err,
			    char const *fmt, ...);
enum scenario_err sxml_nomem(struct sxml *x);

/* The line of n; for text, the line of its first non-blank character. */
long sxml_line(xmlNode const *n);

/* Append a zeroed element to the array *arrp of *n elements of size size. */
void *sxml_push(void *arrp, size_t *n, size_t size);

/* n is an element named name. */
bool sxml_is(xmlNode const *n, char const *name);

/*
 * A name for a start, binary or service: 1 to SCENARIO_NAME_MAX letters,
 * digits, '_', '-' or '.', what Genode accepts in a session label element;
 * but not "." or "..", because a binary name is looked up as a file.
 */
bool sxml_name_ok(char const *v);

/* Attribute attr of n as a malloc'd string in *out, NULL if absent. */
enum scenario_err sxml_attr(struct sxml *x, xmlNode *n, char const *attr,
			    unsigned flags, char **out);

/* Refuse attributes of n not in the NULL-terminated list allowed. */
enum scenario_err sxml_check_attrs(struct sxml *x, xmlNode *n,
				   char const *const *allowed);

/*
 * Refuse text in n, a structural element called ctx in messages: blanks and
 * comments are layout, anything else is a mistake. leaf: refuse child
 * elements too.
 */
enum scenario_err sxml_check_content(struct sxml *x, xmlNode *n,
				     char const *ctx, bool leaf);

/* Refuse a second element e in ctx; *first: line of the first, 0: none. */
enum scenario_err sxml_once(struct sxml *x, xmlNode *e, long *first,
			    char const *ctx);

/* Required attribute attr of n: plain decimal digits, min to max. */
enum scenario_err sxml_count(struct sxml *x, xmlNode *n, char const *attr,
			     uint64_t min, uint64_t max, uint64_t *out);

/*
 * Required attribute attr of n: a number of bytes as Genode writes it,
 * decimal digits optionally followed by K, M or G; min to max bytes.
 */
enum scenario_err sxml_bytes(struct sxml *x, xmlNode *n, char const *attr,
			     uint64_t min, uint64_t max, uint64_t *out);
