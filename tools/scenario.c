/*
 * scenario — parse and check a Genode-style init config (see scenario.h).
 *
 * One pass over the document in order, so the first error reported is the
 * first one in the file; references to children are checked after it, once
 * every <start> is known (a route may name a child defined further down).
 *
 * Each start is built in a local struct and appended only when complete, so
 * an error never leaves a half-filled entry in the model, and every error
 * path frees the whole model through scenario_free(). The checks on single
 * elements and attributes are in sxml.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "scenario.h"
#include "sxml.h"

struct parse {
	struct sxml x;		/* the document and the result */
	struct scenario *s;	/* the model being built */
};

static char const *const attrs_none[] = { NULL };
static char const *const attrs_name[] = { "name", NULL };

/* ---------------------------------------------------------------- */
/* Services and routes                                               */

/* <service name=../> entries of <provides> or <parent-provides>. */
static enum scenario_err parse_services(struct sxml *x, xmlNode *n,
					char const *ctx,
					struct scenario_service **arr,
					size_t *count)
{
	enum scenario_err err;

	if ((err = sxml_check_attrs(x, n, attrs_none)) ||
	    (err = sxml_check_content(x, n, ctx, false)))
		return err;
	for (xmlNode *c = n->children; c; c = c->next) {
		struct scenario_service *svc;
		char *name;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!sxml_is(c, "service"))
			return sxml_fail(x, sxml_line(c), SCENARIO_ERR_UNKNOWN,
					 "unknown element <%s> in %s",
					 c->name, ctx);
		if ((err = sxml_check_attrs(x, c, attrs_name)) ||
		    (err = sxml_check_content(x, c, "<service>", true)) ||
		    (err = sxml_attr(x, c, "name", SXML_REQUIRED | SXML_NAME,
				     &name)))
			return err;
		for (size_t i = 0; i < *count; i++) {
			if (strcmp((*arr)[i].name, name))
				continue;
			err = sxml_fail(x, sxml_line(c), SCENARIO_ERR_DUP_SERVICE,
					"service \"%s\" provided twice in %s "
					"(first at line %ld)",
					name, ctx, (*arr)[i].line);
			free(name);
			return err;
		}
		svc = sxml_push(arr, count, sizeof(**arr));
		if (!svc) {
			free(name);
			return sxml_nomem(x);
		}
		svc->name = name;
		svc->line = sxml_line(c);
	}
	return SCENARIO_OK;
}

/* <parent/>, <child name=../> or <any-child/> under a rule called ctx. */
static enum scenario_err parse_target(struct sxml *x, xmlNode *c,
				      char const *ctx,
				      struct scenario_rule *rule)
{
	struct scenario_target *t;
	enum scenario_target_kind kind;
	char *child = NULL;
	char what[32];
	enum scenario_err err;

	if (sxml_is(c, "parent"))
		kind = SCENARIO_TARGET_PARENT;
	else if (sxml_is(c, "child"))
		kind = SCENARIO_TARGET_CHILD;
	else if (sxml_is(c, "any-child"))
		kind = SCENARIO_TARGET_ANY_CHILD;
	else
		return sxml_fail(x, sxml_line(c), SCENARIO_ERR_UNKNOWN,
				 "unknown element <%s> in %s", c->name, ctx);
	snprintf(what, sizeof(what), "<%s>", c->name);
	err = sxml_check_attrs(x, c, kind == SCENARIO_TARGET_CHILD ?
				     attrs_name : attrs_none);
	if (!err)
		err = sxml_check_content(x, c, what, true);
	if (!err && kind == SCENARIO_TARGET_CHILD)
		err = sxml_attr(x, c, "name", SXML_REQUIRED | SXML_NAME, &child);
	if (err)
		return err;
	t = sxml_push(&rule->targets, &rule->n_targets, sizeof(*t));
	if (!t) {
		free(child);
		return sxml_nomem(x);
	}
	t->kind = kind;
	t->child = child;
	t->line = sxml_line(c);
	return SCENARIO_OK;
}

/* One <service name=..> or <any-service> of a route, into rule. */
static enum scenario_err parse_rule(struct sxml *x, xmlNode *c,
				    struct scenario_rule *rule)
{
	static char const *const attrs_service[] = {
		"name", "label", "label_prefix", "label_suffix", NULL
	};
	static char const *const attrs_any[] = {
		"label", "label_prefix", "label_suffix", NULL
	};
	bool any = sxml_is(c, "any-service");
	char ctx[SCENARIO_NAME_MAX + 32];
	enum scenario_err err;

	rule->line = sxml_line(c);
	if ((err = sxml_check_attrs(x, c, any ? attrs_any : attrs_service)))
		return err;
	if (!any && (err = sxml_attr(x, c, "name", SXML_REQUIRED | SXML_NAME,
				     &rule->service)))
		return err;
	if ((err = sxml_attr(x, c, "label", 0, &rule->label)) ||
	    (err = sxml_attr(x, c, "label_prefix", 0, &rule->label_prefix)) ||
	    (err = sxml_attr(x, c, "label_suffix", 0, &rule->label_suffix)))
		return err;

	if (any)
		snprintf(ctx, sizeof(ctx), "<any-service>");
	else
		snprintf(ctx, sizeof(ctx), "<service name=\"%s\">", rule->service);
	if ((err = sxml_check_content(x, c, ctx, false)))
		return err;
	for (xmlNode *t = c->children; t; t = t->next)
		if (t->type == XML_ELEMENT_NODE &&
		    (err = parse_target(x, t, ctx, rule)))
			return err;
	/* Genode's init denies every request such a rule matches: say so. */
	if (!rule->n_targets)
		return sxml_fail(x, sxml_line(c), SCENARIO_ERR_MISSING,
				 "%s has no target (<parent/>, <child name=..>, "
				 "<any-child/>)", ctx);
	return SCENARIO_OK;
}

/* <route> or <default-route>. */
static enum scenario_err parse_routes(struct sxml *x, xmlNode *n,
				      struct scenario_routes *routes)
{
	char ctx[32];
	enum scenario_err err;

	snprintf(ctx, sizeof(ctx), "<%s>", n->name);
	routes->present = true;
	routes->line = sxml_line(n);
	if ((err = sxml_check_attrs(x, n, attrs_none)) ||
	    (err = sxml_check_content(x, n, ctx, false)))
		return err;
	for (xmlNode *c = n->children; c; c = c->next) {
		struct scenario_rule *rule;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!sxml_is(c, "service") && !sxml_is(c, "any-service"))
			return sxml_fail(x, sxml_line(c), SCENARIO_ERR_UNKNOWN,
					 "unknown element <%s> in %s",
					 c->name, ctx);
		rule = sxml_push(&routes->rules, &routes->n_rules, sizeof(*rule));
		if (!rule)
			return sxml_nomem(x);
		/* A failed rule stays in place; free_routes() copes with it. */
		if ((err = parse_rule(x, c, rule)))
			return err;
	}
	return SCENARIO_OK;
}

static void free_routes(struct scenario_routes *r)
{
	for (size_t i = 0; i < r->n_rules; i++) {
		struct scenario_rule *rule = &r->rules[i];
		for (size_t j = 0; j < rule->n_targets; j++)
			free(rule->targets[j].child);
		free(rule->targets);
		free(rule->service);
		free(rule->label);
		free(rule->label_prefix);
		free(rule->label_suffix);
	}
	free(r->rules);
	memset(r, 0, sizeof(*r));
}

/* ---------------------------------------------------------------- */
/* <start>                                                           */

static void free_start(struct scenario_start *st)
{
	free(st->name);
	free(st->binary);
	for (size_t i = 0; i < st->n_provides; i++)
		free(st->provides[i].name);
	free(st->provides);
	free_routes(&st->route);
	free(st->config);
	memset(st, 0, sizeof(*st));
}

/*
 * The nested <config>, serialised as it stands (whitespace, comments and
 * CDATA kept; attribute quotes and escapes normalised), for the config ROM.
 */
static enum scenario_err dump_config(struct sxml *x, xmlNode *n,
				     struct scenario_start *st)
{
	xmlBuffer *buf = xmlBufferCreate();

	if (!buf)
		return sxml_nomem(x);
	if (xmlNodeDump(buf, x->doc, n, 0, 0) < 0) {
		xmlBufferFree(buf);
		return sxml_nomem(x);
	}
	st->config_len = (size_t)xmlBufferLength(buf);
	st->config = malloc(st->config_len + 1);
	if (st->config) {
		memcpy(st->config, xmlBufferContent(buf), st->config_len);
		st->config[st->config_len] = '\0';
	}
	xmlBufferFree(buf);
	return st->config ? SCENARIO_OK : sxml_nomem(x);
}

/* <resource name="RAM" quantum=".."/>, the only resource there is. */
static enum scenario_err parse_resource(struct sxml *x, xmlNode *c,
					char const *ctx, long *ram_line,
					uint64_t *ram)
{
	static char const *const attrs[] = { "name", "quantum", NULL };
	char *name;
	enum scenario_err err;

	if ((err = sxml_check_attrs(x, c, attrs)) ||
	    (err = sxml_check_content(x, c, "<resource>", true)) ||
	    (err = sxml_attr(x, c, "name", SXML_REQUIRED, &name)))
		return err;
	if (strcmp(name, "RAM")) {
		err = sxml_fail(x, sxml_line(c), SCENARIO_ERR_UNKNOWN,
				"<resource name=\"%.80s\"> in %s: unknown "
				"resource (only \"RAM\")", name, ctx);
		free(name);
		return err;
	}
	free(name);
	if (*ram_line)
		return sxml_fail(x, sxml_line(c), SCENARIO_ERR_DUP_ELEMENT,
				 "second <resource name=\"RAM\"> in %s "
				 "(first at line %ld)", ctx, *ram_line);
	*ram_line = sxml_line(c);
	return sxml_bytes(x, c, "quantum", 1, SCENARIO_RAM_MAX, ram);
}

static enum scenario_err parse_start_body(struct parse *p, xmlNode *n,
					  struct scenario_start *st)
{
	static char const *const attrs[] = { "name", "caps", NULL };
	struct sxml *x = &p->x;
	struct scenario_start const *first;
	long binary = 0, ram = 0, provides = 0, route = 0, config = 0;
	char ctx[SCENARIO_NAME_MAX + 32];
	uint64_t caps;
	enum scenario_err err;

	st->line = sxml_line(n);
	if ((err = sxml_check_attrs(x, n, attrs)) ||
	    (err = sxml_attr(x, n, "name", SXML_REQUIRED | SXML_NAME,
			     &st->name)))
		return err;
	snprintf(ctx, sizeof(ctx), "<start name=\"%s\">", st->name);
	if ((first = scenario_find(p->s, st->name)))
		return sxml_fail(x, st->line, SCENARIO_ERR_DUP_START,
				 "duplicate %s (first at line %ld)",
				 ctx, first->line);
	if (xmlHasProp(n, BAD_CAST "caps")) {
		if ((err = sxml_count(x, n, "caps", 1, SCENARIO_CAPS_MAX, &caps)))
			return err;
		st->caps = (unsigned long)caps;
	}
	if ((err = sxml_check_content(x, n, ctx, false)))
		return err;

	for (xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (sxml_is(c, "binary")) {
			if (!(err = sxml_once(x, c, &binary, ctx)) &&
			    !(err = sxml_check_attrs(x, c, attrs_name)) &&
			    !(err = sxml_check_content(x, c, "<binary>", true)))
				err = sxml_attr(x, c, "name",
						SXML_REQUIRED | SXML_NAME,
						&st->binary);
		} else if (sxml_is(c, "resource")) {
			err = parse_resource(x, c, ctx, &ram, &st->ram);
		} else if (sxml_is(c, "provides")) {
			if (!(err = sxml_once(x, c, &provides, ctx)))
				err = parse_services(x, c, "<provides>",
						     &st->provides,
						     &st->n_provides);
		} else if (sxml_is(c, "route")) {
			if (!(err = sxml_once(x, c, &route, ctx)))
				err = parse_routes(x, c, &st->route);
		} else if (sxml_is(c, "config")) {
			if (!(err = sxml_once(x, c, &config, ctx)))
				err = dump_config(x, c, st);
		} else {
			err = sxml_fail(x, sxml_line(c), SCENARIO_ERR_UNKNOWN,
					"unknown element <%s> in %s",
					c->name, ctx);
		}
		if (err)
			return err;
	}

	if (!st->binary && !(st->binary = strdup(st->name)))
		return sxml_nomem(x);
	if (!ram)
		st->ram = SCENARIO_DEFAULT_RAM;
	return SCENARIO_OK;
}

static enum scenario_err parse_start(struct parse *p, xmlNode *n)
{
	struct scenario_start st = { 0 };
	struct scenario_start *slot = NULL;
	enum scenario_err err = parse_start_body(p, n, &st);

	if (!err && !(slot = sxml_push(&p->s->starts, &p->s->n_starts,
				       sizeof(st))))
		err = sxml_nomem(&p->x);
	if (err) {
		free_start(&st);
		return err;
	}
	*slot = st;
	return SCENARIO_OK;
}

/* ---------------------------------------------------------------- */
/* <config>                                                          */

/* The earliest <child name=X/> in r, or *bad, without a <start name=X>. */
static void first_bad_child(struct scenario const *s,
			    struct scenario_routes const *r,
			    struct scenario_target const **bad)
{
	for (size_t i = 0; i < r->n_rules; i++) {
		for (size_t j = 0; j < r->rules[i].n_targets; j++) {
			struct scenario_target const *t = &r->rules[i].targets[j];
			if (t->kind != SCENARIO_TARGET_CHILD ||
			    scenario_find(s, t->child))
				continue;
			if (!*bad || t->line < (*bad)->line)
				*bad = t;
		}
	}
}

static enum scenario_err check_children(struct parse *p)
{
	struct scenario_target const *bad = NULL;

	first_bad_child(p->s, &p->s->default_route, &bad);
	for (size_t i = 0; i < p->s->n_starts; i++)
		first_bad_child(p->s, &p->s->starts[i].route, &bad);
	if (!bad)
		return SCENARIO_OK;
	return sxml_fail(&p->x, bad->line, SCENARIO_ERR_NO_CHILD,
			 "<child name=\"%s\">: there is no <start name=\"%s\">",
			 bad->child, bad->child);
}

/* <default caps=".."/>: Genode's way to set the caps of starts without. */
static enum scenario_err parse_default(struct sxml *x, xmlNode *c,
				       unsigned long *default_caps)
{
	static char const *const attrs_caps[] = { "caps", NULL };
	uint64_t caps;
	enum scenario_err err;

	if ((err = sxml_check_attrs(x, c, attrs_caps)) ||
	    (err = sxml_check_content(x, c, "<default>", true)))
		return err;
	if (!xmlHasProp(c, BAD_CAST "caps"))
		return SCENARIO_OK;
	if ((err = sxml_count(x, c, "caps", 1, SCENARIO_CAPS_MAX, &caps)))
		return err;
	*default_caps = (unsigned long)caps;
	return SCENARIO_OK;
}

static enum scenario_err parse_config(struct parse *p, xmlNode *root)
{
	long parent_provides = 0, dflt = 0, default_route = 0;
	struct sxml *x = &p->x;
	struct scenario *s = p->s;
	enum scenario_err err;

	if (!sxml_is(root, "config"))
		return sxml_fail(x, sxml_line(root), SCENARIO_ERR_ROOT,
				 "root element is <%s>, not <config>",
				 root->name);
	if ((err = sxml_check_attrs(x, root, attrs_none)) ||
	    (err = sxml_check_content(x, root, "<config>", false)))
		return err;

	for (xmlNode *c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (sxml_is(c, "start")) {
			err = parse_start(p, c);
		} else if (sxml_is(c, "parent-provides")) {
			if (!(err = sxml_once(x, c, &parent_provides, "<config>")))
				err = parse_services(x, c, "<parent-provides>",
						     &s->parent_provides,
						     &s->n_parent_provides);
		} else if (sxml_is(c, "default-route")) {
			if (!(err = sxml_once(x, c, &default_route, "<config>")))
				err = parse_routes(x, c, &s->default_route);
		} else if (sxml_is(c, "default")) {
			if (!(err = sxml_once(x, c, &dflt, "<config>")))
				err = parse_default(x, c, &s->default_caps);
		} else {
			err = sxml_fail(x, sxml_line(c), SCENARIO_ERR_UNKNOWN,
					"unknown element <%s> in <config>",
					c->name);
		}
		if (err)
			return err;
	}

	/* <default caps=..> may follow the starts it applies to. */
	for (size_t i = 0; i < s->n_starts; i++)
		if (!s->starts[i].caps)
			s->starts[i].caps = s->default_caps;
	return check_children(p);
}

/* ---------------------------------------------------------------- */
/* Loading and lifetime                                              */

struct scenario_result scenario_load_string(char const *xml, size_t len,
					    char const *file_name,
					    struct scenario **out)
{
	struct scenario_result res = { .err = SCENARIO_OK };
	struct parse p = {
		.x = { .res = &res, .file = file_name ? file_name : "<string>" },
	};

	*out = NULL;
	if (len > SCENARIO_FILE_MAX) {
		sxml_fail(&p.x, 0, SCENARIO_ERR_IO, "larger than %lu MiB",
			  SCENARIO_FILE_MAX >> 20);
		return res;
	}
	p.s = calloc(1, sizeof(*p.s));
	if (!p.s || !(p.s->file = strdup(p.x.file))) {
		free(p.s);
		sxml_nomem(&p.x);
		return res;
	}
	p.s->default_caps = SCENARIO_DEFAULT_CAPS;

	sxml_begin(&p.x);
	if (sxml_read(&p.x, xml, len)) {
		xmlNode *root = xmlDocGetRootElement(p.x.doc);
		if (!root)
			sxml_fail(&p.x, 0, SCENARIO_ERR_ROOT, "no root element");
		else
			parse_config(&p, root);
	}
	sxml_end(&p.x);
	if (res.err)
		scenario_free(p.s);
	else
		*out = p.s;
	return res;
}

struct scenario_result scenario_load_file(char const *path,
					  struct scenario **out)
{
	struct scenario_result res = { .err = SCENARIO_OK };
	struct sxml x = { .res = &res, .file = path };
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		sxml_fail(&x, 0, SCENARIO_ERR_IO, "cannot read: %s",
			  strerror(errno));
		return res;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *more;
			/* One byte over the limit is enough to refuse. */
			if (len > SCENARIO_FILE_MAX) {
				sxml_fail(&x, 0, SCENARIO_ERR_IO,
					  "larger than %lu MiB",
					  SCENARIO_FILE_MAX >> 20);
				break;
			}
			cap = cap ? 2 * cap : 4096;
			if (cap > SCENARIO_FILE_MAX + 1)
				cap = SCENARIO_FILE_MAX + 1;
			more = realloc(buf, cap);
			if (!more) {
				sxml_nomem(&x);
				break;
			}
			buf = more;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sxml_fail(&x, 0, SCENARIO_ERR_IO, "cannot read: %s",
				  strerror(errno));
			break;
		}
		if (n == 0) {
			res = scenario_load_string(buf, len, path, out);
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	free(buf);
	return res;
}

void scenario_free(struct scenario *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_parent_provides; i++)
		free(s->parent_provides[i].name);
	free(s->parent_provides);
	free_routes(&s->default_route);
	for (size_t i = 0; i < s->n_starts; i++)
		free_start(&s->starts[i]);
	free(s->starts);
	free(s->file);
	free(s);
}

struct scenario_start const *scenario_find(struct scenario const *s,
					   char const *name)
{
	for (size_t i = 0; i < s->n_starts; i++)
		if (!strcmp(s->starts[i].name, name))
			return &s->starts[i];
	return NULL;
}
