/*
 * sxml — strict reading of an XML document for the scenario parser.
 *
 * libxml2 never prints here: between sxml_begin() and sxml_end() its errors
 * go to our handler, which keeps the first one, since later ones are
 * usually consequences of it. The handler is libxml2's structured error
 * handler (kept per thread), installed for the whole load and then
 * restored: a handler on the parser context alone would miss errors raised
 * outside it, such as running out of memory creating the context, the
 * input buffer, or an attribute's value while the tree is walked.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "sxml.h"

/* libxml2 2.12 made the error handler's argument const. */
#if LIBXML_VERSION >= 21200
typedef xmlError const *xml_error_arg;
#else
typedef xmlError *xml_error_arg;
#endif

/* ---------------------------------------------------------------- */
/* Errors and reading                                                */

enum scenario_err sxml_fail(struct sxml *x, long line, enum scenario_err err,
			    char const *fmt, ...)
{
	struct scenario_result *r = x->res;
	int off;
	va_list ap;

	r->err = err;
	r->line = line > 0 ? line : 0;
	if (r->line)
		off = snprintf(r->msg, sizeof(r->msg), "%s:%ld: ", x->file, r->line);
	else
		off = snprintf(r->msg, sizeof(r->msg), "%s: ", x->file);
	if (off < 0 || (size_t)off >= sizeof(r->msg))
		return err;	/* an absurd file name; the message is cut */
	va_start(ap, fmt);
	vsnprintf(r->msg + off, sizeof(r->msg) - off, fmt, ap);
	va_end(ap);
	return err;
}

enum scenario_err sxml_nomem(struct sxml *x)
{
	return sxml_fail(x, 0, SCENARIO_ERR_NOMEM, "out of memory");
}

/*
 * libxml2 records a text node at the line where the text ends; for stray
 * text we want the line of its first non-blank character, so count back
 * the newlines that follow it.
 */
long sxml_line(xmlNode const *n)
{
	long line = xmlGetLineNo(n);
	char const *c;

	if (n->type != XML_TEXT_NODE || !n->content || line <= 0)
		return line;
	for (c = (char const *)n->content; *c && strchr(" \t\r\n", *c); c++)
		;
	for (; *c; c++)
		line -= *c == '\n';
	return line > 0 ? line : 1;
}

/* libxml2's structured error handler; data is ours. */
static void sxml_error(void *data, xml_error_arg e)
{
	struct sxml *x = data;
	char what[SCENARIO_MSG_MAX];
	size_t len;

	if (x->xml_failed || e->level < XML_ERR_ERROR)
		return;
	x->xml_failed = true;
	if (e->code == XML_ERR_NO_MEMORY) {
		sxml_nomem(x);
		return;
	}
	snprintf(what, sizeof(what), "%s", e->message ? e->message : "?");
	len = strlen(what);
	while (len && (what[len - 1] == '\n' || what[len - 1] == ' '))
		what[--len] = '\0';
	sxml_fail(x, e->line, SCENARIO_ERR_XML, "not well-formed XML: %s", what);
}

void sxml_begin(struct sxml *x)
{
	xmlInitParser();
	x->saved_handler = xmlStructuredError;
	x->saved_data = xmlStructuredErrorContext;
	xmlSetStructuredErrorFunc(x, sxml_error);
}

void sxml_end(struct sxml *x)
{
	xmlFreeDoc(x->doc);
	x->doc = NULL;
	xmlSetStructuredErrorFunc(x->saved_data, x->saved_handler);
}

/* libxml2 keeps no line for a DTD: find the declaration in the text. */
static long doctype_line(char const *xml, size_t len)
{
	char const *d = memmem(xml, len, "<!DOCTYPE", 9);
	long line = 1;

	if (!d)
		return 0;
	for (char const *c = xml; c < d; c++)
		line += *c == '\n';
	return line;
}

xmlDoc *sxml_read(struct sxml *x, char const *xml, size_t len)
{
	/* NONET and no NOENT: no external entities, no substitution. */
	int const opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES |
			 XML_PARSE_NOWARNING;
	xmlParserCtxt *ctxt;
	bool ok = false;

	if (len > INT32_MAX) {	/* libxml2 takes an int */
		sxml_fail(x, 0, SCENARIO_ERR_IO, "too large");
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt) {
		x->doc = xmlCtxtReadMemory(ctxt, xml, (int)len, x->file, NULL,
					   opts);
		ok = x->doc && ctxt->wellFormed && ctxt->nsWellFormed;
		xmlFreeParserCtxt(ctxt);
	}
	/*
	 * A DTD could define entities, which a nested <config> would carry
	 * as references into a config ROM that lacks their definitions.
	 */
	if (ok && !x->xml_failed && x->doc->intSubset) {
		sxml_fail(x, doctype_line(xml, len), SCENARIO_ERR_UNKNOWN,
			  "<!DOCTYPE> is not allowed");
		ok = false;
	}
	if (ok && !x->xml_failed)
		return x->doc;
	if (!x->xml_failed && !x->res->err)	/* libxml2 failed silently */
		sxml_fail(x, 0, SCENARIO_ERR_XML, "not well-formed XML");
	xmlFreeDoc(x->doc);
	x->doc = NULL;
	return NULL;
}

/* ---------------------------------------------------------------- */
/* Elements and attributes                                           */

void *sxml_push(void *arrp, size_t *n, size_t size)
{
	void *arr;

	/* Through memcpy, so that any T ** can be passed as void *. */
	memcpy(&arr, arrp, sizeof(arr));
	arr = realloc(arr, (*n + 1) * size);
	if (!arr)
		return NULL;
	memcpy(arrp, &arr, sizeof(arr));
	arr = (char *)arr + *n * size;
	memset(arr, 0, size);
	(*n)++;
	return arr;
}

bool sxml_is(xmlNode const *n, char const *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST name);
}

bool sxml_name_ok(char const *v)
{
	size_t len = strlen(v);

	if (len == 0 || len > SCENARIO_NAME_MAX)
		return false;
	if (!strcmp(v, ".") || !strcmp(v, ".."))
		return false;
	for (char const *c = v; *c; c++) {
		bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			  (*c >= '0' && *c <= '9') ||
			  *c == '_' || *c == '-' || *c == '.';
		if (!ok)
			return false;
	}
	return true;
}

enum scenario_err sxml_attr(struct sxml *x, xmlNode *n, char const *attr,
			    unsigned flags, char **out)
{
	xmlChar *v;

	*out = NULL;
	if (!xmlHasProp(n, BAD_CAST attr)) {
		if (!(flags & SXML_REQUIRED))
			return SCENARIO_OK;
		return sxml_fail(x, sxml_line(n), SCENARIO_ERR_MISSING,
				 "<%s> has no \"%s\" attribute", n->name, attr);
	}
	v = xmlGetProp(n, BAD_CAST attr);
	if (!v)
		return sxml_nomem(x);
	if ((flags & SXML_NAME) && !sxml_name_ok((char const *)v)) {
		sxml_fail(x, sxml_line(n), SCENARIO_ERR_NAME,
			  "<%s %s=\"%.80s\">: not a valid name (1 to %d "
			  "letters, digits, '_', '-' or '.', not \".\" or \"..\")",
			  n->name, attr, v, SCENARIO_NAME_MAX);
		xmlFree(v);
		return SCENARIO_ERR_NAME;
	}
	*out = strdup((char const *)v);
	xmlFree(v);
	return *out ? SCENARIO_OK : sxml_nomem(x);
}

enum scenario_err sxml_check_attrs(struct sxml *x, xmlNode *n,
				   char const *const *allowed)
{
	for (xmlAttr *a = n->properties; a; a = a->next) {
		char const *const *ok = allowed;
		while (*ok && !xmlStrEqual(a->name, BAD_CAST *ok))
			ok++;
		if (!*ok)
			return sxml_fail(x, sxml_line(n), SCENARIO_ERR_UNKNOWN,
					 "unknown attribute \"%s\" in <%s>",
					 a->name, n->name);
	}
	return SCENARIO_OK;
}

enum scenario_err sxml_check_content(struct sxml *x, xmlNode *n,
				     char const *ctx, bool leaf)
{
	for (xmlNode *c = n->children; c; c = c->next) {
		switch (c->type) {
		case XML_COMMENT_NODE:
		case XML_PI_NODE:
			break;
		case XML_TEXT_NODE:
			if (xmlIsBlankNode(c))
				break;
			/* fall through */
		case XML_CDATA_SECTION_NODE:
		case XML_ENTITY_REF_NODE:
			return sxml_fail(x, sxml_line(c), SCENARIO_ERR_UNKNOWN,
					 "unexpected text in %s", ctx);
		case XML_ELEMENT_NODE:
			if (leaf)
				return sxml_fail(x, sxml_line(c),
						 SCENARIO_ERR_UNKNOWN,
						 "unknown element <%s> in %s",
						 c->name, ctx);
			break;
		default:
			return sxml_fail(x, sxml_line(c), SCENARIO_ERR_UNKNOWN,
					 "unexpected content in %s", ctx);
		}
	}
	return SCENARIO_OK;
}

enum scenario_err sxml_once(struct sxml *x, xmlNode *e, long *first,
			    char const *ctx)
{
	if (*first)
		return sxml_fail(x, sxml_line(e), SCENARIO_ERR_DUP_ELEMENT,
				 "second <%s> in %s (first at line %ld)",
				 e->name, ctx, *first);
	*first = sxml_line(e);
	return SCENARIO_OK;
}

/* ---------------------------------------------------------------- */
/* Numbers                                                           */

enum sxml_num { NUM_OK, NUM_BAD, NUM_BIG };

/* Plain decimal digits, at least one, up to 64 bits; *end is what follows. */
static enum sxml_num sxml_decimal(char const *v, uint64_t *out,
				  char const **end)
{
	uint64_t x = 0;
	char const *c = v;

	for (; *c >= '0' && *c <= '9'; c++) {
		if (x > (UINT64_MAX - (uint64_t)(*c - '0')) / 10) {
			while (*c >= '0' && *c <= '9')
				c++;
			*end = c;
			return NUM_BIG;
		}
		x = x * 10 + (uint64_t)(*c - '0');
	}
	*end = c;
	*out = x;
	return c == v ? NUM_BAD : NUM_OK;
}

enum scenario_err sxml_count(struct sxml *x, xmlNode *n, char const *attr,
			     uint64_t min, uint64_t max, uint64_t *out)
{
	char *v;
	char const *end;
	uint64_t num = 0;
	enum sxml_num r;
	enum scenario_err err = sxml_attr(x, n, attr, SXML_REQUIRED, &v);

	if (err)
		return err;
	r = sxml_decimal(v, &num, &end);
	if (r == NUM_BAD || *end)
		err = sxml_fail(x, sxml_line(n), SCENARIO_ERR_NUMBER,
				"%s=\"%.80s\" is not a number", attr, v);
	else if (r == NUM_BIG || num < min || num > max)
		err = sxml_fail(x, sxml_line(n), SCENARIO_ERR_RANGE,
				"%s=\"%.80s\" is out of range (%llu to %llu)",
				attr, v, (unsigned long long)min,
				(unsigned long long)max);
	else
		*out = num;
	free(v);
	return err;
}

enum scenario_err sxml_bytes(struct sxml *x, xmlNode *n, char const *attr,
			     uint64_t min, uint64_t max, uint64_t *out)
{
	char *v;
	char const *end;
	uint64_t num = 0;
	unsigned shift = 0;
	enum sxml_num r;
	enum scenario_err err = sxml_attr(x, n, attr, SXML_REQUIRED, &v);

	if (err)
		return err;
	r = sxml_decimal(v, &num, &end);
	if (*end == 'K')
		shift = 10;
	else if (*end == 'M')
		shift = 20;
	else if (*end == 'G')
		shift = 30;
	if (shift)
		end++;
	if (r == NUM_BAD || *end) {
		err = sxml_fail(x, sxml_line(n), SCENARIO_ERR_NUMBER,
				"%s=\"%.80s\" is not a number of bytes "
				"(digits, optionally followed by K, M or G)",
				attr, v);
	} else if (r == NUM_BIG || num > (max >> shift) ||
		   (num << shift) < min) {
		err = sxml_fail(x, sxml_line(n), SCENARIO_ERR_RANGE,
				"%s=\"%.80s\" is out of range (%llu to %llu "
				"bytes)", attr, v, (unsigned long long)min,
				(unsigned long long)max);
	} else {
		*out = num << shift;
	}
	free(v);
	return err;
}
