/*
 * session.h — a session core serves to a child: an RPC object of the
 * session's service, held in the client's list so that close requests can
 * be checked against it and everything goes when the client does.
 */
#pragma once

#include "rpc_server.h"

struct child;

struct session {
	struct rpc_object obj;		/* attached by the service */
	struct child *client;
	void (*destroy)(struct session *s);	/* the service's: detach, free */
	struct session *next;		/* the client's sessions */
};

/* Record s (its object attached, destroy set) as one of client's. */
void session_add(struct child *client, struct session *s);

/* client's session whose object is obj, or NULL. */
struct session *session_find(struct child *client, struct rpc_object const *obj);

/* Take s out of its client's list and destroy it. */
void session_close(struct session *s);

/* Close every session of client. */
void session_close_all(struct child *client);
