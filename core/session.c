/*
 * session.c — the sessions a child holds at core (session.h).
 */
#include <stddef.h>

#include "cap_quota.h"
#include "child.h"
#include "session.h"

void session_add(struct child *client, struct session *s)
{
	s->client = client;
	s->next = client->sessions;
	client->sessions = s;
}

struct session *session_find(struct child *client, struct rpc_object const *obj)
{
	for (struct session *s = client->sessions; s; s = s->next)
		if (&s->obj == obj)
			return s;
	return NULL;
}

void session_close(struct session *s)
{
	struct session **p = &s->client->sessions;

	while (*p && *p != s)
		p = &(*p)->next;
	if (*p)
		*p = s->next;
	cap_quota_release(s->client, CAP_QUOTA_ONE);
	s->destroy(s);
}

void session_close_all(struct child *client)
{
	while (client->sessions)
		session_close(client->sessions);
}
