/*
 * scenario — a Genode-style init configuration, parsed and checked.
 *
 * `recap run CONFIG.xml` starts the components a <config> names. This module
 * turns the XML into plain C data (host side, libxml2) and answers the one
 * policy question the launcher asks at run time: where does a session
 * request of client C for service S go?
 *
 *   <config>
 *     <parent-provides> <service name="LOG"/> ... </parent-provides>
 *     <default caps="100"/>
 *     <default-route> <any-service> <parent/> <any-child/> </any-service> </default-route>
 *     <start name="timer" caps="50">
 *       <binary name="timer_drv"/>
 *       <resource name="RAM" quantum="1M"/>
 *       <provides> <service name="Timer"/> </provides>
 *       <route> <service name="LOG"> <parent/> </service> ... </route>
 *       <config> ... handed to the component as its "config" ROM ... </config>
 *     </start>
 *   </config>
 *
 * The parser is strict where Genode's init is lenient: an element or
 * attribute it does not know is an error, not ignored, because a misspelt
 * <resource> or <route> silently ignored gives a component the wrong quota
 * or the wrong authority. A <!DOCTYPE> is refused too (its entities would
 * leak into config ROMs without their definitions). Every error names the
 * file and line.
 *
 * Routing follows Genode's init (repos/os/include/init/child.h,
 * resolve_session_request): see scenario_route() below.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SCENARIO_NAME_MAX 63		/* longest name (Genode init: 64 with NUL) */
#define SCENARIO_MSG_MAX 512		/* error message buffer, NUL included */
#define SCENARIO_FILE_MAX (16UL << 20)	/* largest config accepted */

#define SCENARIO_DEFAULT_CAPS 100UL
/* A task's capability space has 2^20 slots (kernel/capspace.h): no more. */
#define SCENARIO_CAPS_MAX (1UL << 20)
#define SCENARIO_DEFAULT_RAM (1ULL << 20)
/* Far beyond any host, yet far from overflowing quota sums in core. */
#define SCENARIO_RAM_MAX (1ULL << 40)

enum scenario_err {
	SCENARIO_OK = 0,
	SCENARIO_ERR_IO,		/* the file cannot be read, or is too large */
	SCENARIO_ERR_NOMEM,
	SCENARIO_ERR_XML,		/* not well-formed XML */
	SCENARIO_ERR_ROOT,		/* root element is not <config> */
	SCENARIO_ERR_MISSING,		/* a required attribute is absent */
	SCENARIO_ERR_NAME,		/* not a valid name */
	SCENARIO_ERR_DUP_START,		/* two <start> with one name */
	SCENARIO_ERR_DUP_SERVICE,	/* a service listed twice by one provider */
	SCENARIO_ERR_DUP_ELEMENT,	/* e.g. two <binary> in one <start> */
	SCENARIO_ERR_NUMBER,		/* caps/quantum not a number */
	SCENARIO_ERR_RANGE,		/* caps/quantum out of range */
	SCENARIO_ERR_UNKNOWN,		/* unknown element, attribute, text, DTD */
	SCENARIO_ERR_NO_CHILD,		/* <child name=X/> without <start name=X> */
};

/* What a load returns: err, and for an error the line (0: none) and text. */
struct scenario_result {
	enum scenario_err err;
	long line;			/* line of the offending node, 0: none */
	char msg[SCENARIO_MSG_MAX];	/* "FILE:LINE: what is wrong" */
};

/* A service name as written in <provides> or <parent-provides>. */
struct scenario_service {
	char *name;
	long line;
};

enum scenario_target_kind {
	SCENARIO_TARGET_PARENT,		/* <parent/> */
	SCENARIO_TARGET_CHILD,		/* <child name=".."/> */
	SCENARIO_TARGET_ANY_CHILD,	/* <any-child/> */
};

struct scenario_target {
	enum scenario_target_kind kind;
	char *child;			/* SCENARIO_TARGET_CHILD: a start name */
	long line;
};

/*
 * One <service name=..> or <any-service> node of a <route>. A session
 * request matches it if the service name matches (any, for <any-service>)
 * and, when label constraints are given, the client's label meets all of
 * them (Genode's label, label_prefix, label_suffix attributes).
 */
struct scenario_rule {
	char *service;			/* NULL: <any-service> */
	char *label;			/* NULL: no constraint */
	char *label_prefix;
	char *label_suffix;
	struct scenario_target *targets;	/* in document order */
	size_t n_targets;
	long line;
};

struct scenario_routes {
	bool present;			/* false: the node was absent */
	struct scenario_rule *rules;	/* in document order: first match wins */
	size_t n_rules;
	long line;
};

struct scenario_start {
	char *name;			/* unique, a valid name */
	char *binary;			/* ROM name of the ELF, default: name */
	unsigned long caps;		/* capability quota */
	uint64_t ram;			/* RAM quantum in bytes */
	struct scenario_service *provides;
	size_t n_provides;
	struct scenario_routes route;	/* absent: <default-route> applies */
	char *config;			/* the nested <config> as XML, or NULL */
	size_t config_len;		/* strlen(config) */
	long line;
};

struct scenario {
	char *file;			/* as given to the load, for messages */
	struct scenario_service *parent_provides;
	size_t n_parent_provides;
	unsigned long default_caps;	/* <default caps=..>, else the constant */
	struct scenario_routes default_route;
	struct scenario_start *starts;	/* in document order */
	size_t n_starts;
};

/*
 * Parse and check a config. On SCENARIO_OK *out is a scenario to be freed
 * with scenario_free(); otherwise *out is NULL and the result says why.
 * file_name is used in messages only (NULL: "<string>").
 */
struct scenario_result scenario_load_file(char const *path,
					  struct scenario **out);
struct scenario_result scenario_load_string(char const *xml, size_t len,
					    char const *file_name,
					    struct scenario **out);
void scenario_free(struct scenario *s);

/* The <start> named name, or NULL. */
struct scenario_start const *scenario_find(struct scenario const *s,
					   char const *name);

/* True if start provides service (parent: use parent_provides). */
bool scenario_provides(struct scenario_start const *start,
		       char const *service);

enum scenario_route_kind {
	SCENARIO_ROUTE_DENIED,
	SCENARIO_ROUTE_PARENT,
	SCENARIO_ROUTE_CHILD,
};

/* Why a request was denied, for the launcher's log line. */
enum scenario_deny {
	SCENARIO_DENY_NONE = 0,		/* not denied */
	SCENARIO_DENY_NO_CLIENT,	/* no <start> of that name */
	SCENARIO_DENY_NO_RULE,		/* no rule matches the request */
	SCENARIO_DENY_PARENT,		/* <parent/> but not in <parent-provides> */
	SCENARIO_DENY_CHILD,		/* <child name=X/> but X does not provide it */
	SCENARIO_DENY_NO_PROVIDER,	/* <any-child/> but no child provides it */
	SCENARIO_DENY_AMBIGUOUS,	/* <any-child/> but several children do */
};

struct scenario_route_result {
	enum scenario_route_kind kind;
	char const *child;		/* SCENARIO_ROUTE_CHILD: the server's name */
	enum scenario_deny deny;	/* SCENARIO_ROUTE_DENIED: why */
	long line;			/* the deciding rule's line, 0: none */
};

/*
 * Where client's request for service goes, as Genode's init decides it:
 *  - the rules are the client's <route> if it has one, else <default-route>
 *    (a <route> replaces the default, it does not extend it: a component's
 *    authority is exactly what its own <route> grants);
 *  - rules are tried in order; the first one matching the request decides;
 *  - its targets are tried in order: <parent/> if <parent-provides> lists
 *    the service, <child name=X/> if X provides it, <any-child/> if exactly
 *    one child provides it (several: denied as ambiguous, at once);
 *  - under <service name=..> the first target decides even when it fails;
 *    under <any-service> a failing target passes on to the next target and
 *    then to the next matching rule.
 * The "config" ROM of a component is not routed: the launcher serves it from
 * start->config, as Genode's init does.
 */
struct scenario_route_result scenario_route(struct scenario const *s,
					    char const *client,
					    char const *service);

/*
 * The same for a request with a client-local session label. label NULL: an
 * unlabelled request, which no rule with label attributes matches.
 */
struct scenario_route_result scenario_route_label(struct scenario const *s,
						  char const *client,
						  char const *service,
						  char const *label);

/* A short English phrase for a denial reason ("ambiguous", ...). */
char const *scenario_deny_str(enum scenario_deny why);
