/*
 * scenario_route — where a session request goes, by Genode init's rules.
 *
 * The rules are those of resolve_session_request() in Genode's init of the
 * seeds' era (repos/os/include/init/child.h), stated in scenario.h. Two of
 * them are easy to get wrong and are kept deliberately:
 *  - a start's own <route> replaces <default-route> rather than extending
 *    it, so a component gets no authority its <route> does not grant;
 *  - <any-child/> with several providers denies at once, even under
 *    <any-service>: picking one of them would depend on document order,
 *    which is exactly the kind of accident a route should not hide.
 */
#include <string.h>

#include "scenario.h"

bool scenario_provides(struct scenario_start const *start, char const *service)
{
	for (size_t i = 0; i < start->n_provides; i++)
		if (!strcmp(start->provides[i].name, service))
			return true;
	return false;
}

static bool parent_provides(struct scenario const *s, char const *service)
{
	for (size_t i = 0; i < s->n_parent_provides; i++)
		if (!strcmp(s->parent_provides[i].name, service))
			return true;
	return false;
}

static bool has_suffix(char const *str, char const *suffix)
{
	size_t n = strlen(str), m = strlen(suffix);

	return n >= m && !strcmp(str + n - m, suffix);
}

/*
 * Does the request match rule? Label constraints must all hold; a request
 * without a label matches no rule that has one (as in Genode, where such a
 * label has no client-local part to compare).
 */
static bool rule_matches(struct scenario_rule const *rule,
			 char const *service, char const *label)
{
	if (rule->service && strcmp(rule->service, service))
		return false;
	if (!rule->label && !rule->label_prefix && !rule->label_suffix)
		return true;
	if (!label)
		return false;
	if (rule->label && strcmp(rule->label, label))
		return false;
	if (rule->label_prefix &&
	    strncmp(rule->label_prefix, label, strlen(rule->label_prefix)))
		return false;
	if (rule->label_suffix && !has_suffix(label, rule->label_suffix))
		return false;
	return true;
}

/* The only child providing service in *only; how many there are. */
static size_t providers(struct scenario const *s, char const *service,
			struct scenario_start const **only)
{
	size_t n = 0;

	*only = NULL;
	for (size_t i = 0; i < s->n_starts; i++) {
		if (!scenario_provides(&s->starts[i], service))
			continue;
		*only = &s->starts[i];
		n++;
	}
	return n;
}

static struct scenario_route_result denied(enum scenario_deny why, long line)
{
	return (struct scenario_route_result){
		.kind = SCENARIO_ROUTE_DENIED, .deny = why, .line = line,
	};
}

static struct scenario_route_result to_child(struct scenario_start const *c,
					     long line)
{
	return (struct scenario_route_result){
		.kind = SCENARIO_ROUTE_CHILD, .child = c->name, .line = line,
	};
}

struct scenario_route_result scenario_route_label(struct scenario const *s,
						  char const *client,
						  char const *service,
						  char const *label)
{
	struct scenario_start const *start = scenario_find(s, client);
	struct scenario_routes const *routes;
	struct scenario_route_result last = denied(SCENARIO_DENY_NO_RULE, 0);

	if (!start)
		return denied(SCENARIO_DENY_NO_CLIENT, 0);
	routes = start->route.present ? &start->route : &s->default_route;

	for (size_t i = 0; i < routes->n_rules; i++) {
		struct scenario_rule const *rule = &routes->rules[i];
		bool wildcard = !rule->service;

		if (!rule_matches(rule, service, label))
			continue;
		for (size_t j = 0; j < rule->n_targets; j++) {
			struct scenario_target const *t = &rule->targets[j];
			struct scenario_start const *server;

			switch (t->kind) {
			case SCENARIO_TARGET_PARENT:
				if (parent_provides(s, service))
					return (struct scenario_route_result){
						.kind = SCENARIO_ROUTE_PARENT,
						.line = rule->line,
					};
				last = denied(SCENARIO_DENY_PARENT, rule->line);
				break;
			case SCENARIO_TARGET_CHILD:
				server = scenario_find(s, t->child);
				if (server && scenario_provides(server, service))
					return to_child(server, rule->line);
				last = denied(SCENARIO_DENY_CHILD, rule->line);
				break;
			case SCENARIO_TARGET_ANY_CHILD:
				switch (providers(s, service, &server)) {
				case 0:
					last = denied(SCENARIO_DENY_NO_PROVIDER,
						      rule->line);
					break;
				case 1:
					return to_child(server, rule->line);
				default:
					return denied(SCENARIO_DENY_AMBIGUOUS,
						      rule->line);
				}
				break;
			}
			/* Under a named service the first target decides. */
			if (!wildcard)
				return last;
		}
	}
	return last;
}

struct scenario_route_result scenario_route(struct scenario const *s,
					    char const *client,
					    char const *service)
{
	return scenario_route_label(s, client, service, NULL);
}

char const *scenario_deny_str(enum scenario_deny why)
{
	switch (why) {
	case SCENARIO_DENY_NONE:
		return "not denied";
	case SCENARIO_DENY_NO_CLIENT:
		return "no such client";
	case SCENARIO_DENY_NO_RULE:
		return "no route matches";
	case SCENARIO_DENY_PARENT:
		return "the parent does not provide the service";
	case SCENARIO_DENY_CHILD:
		return "the child does not provide the service";
	case SCENARIO_DENY_NO_PROVIDER:
		return "no child provides the service";
	case SCENARIO_DENY_AMBIGUOUS:
		return "several children provide the service";
	}
	return "?";
}
