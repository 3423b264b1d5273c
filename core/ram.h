/*
 * ram.h — core's RAM service (protocol: recap/ram_session.h): writable
 * dataspaces charged to the client's RAM account.
 *
 * The account is the child's (struct child: ram), its quota the start
 * node's <resource name="RAM" quantum=".."/>; every RAM session of the
 * child draws on it.
 */
#pragma once

#include <recap/capability.h>

struct child;

struct ram_account {
	unsigned long quota;		/* bytes the child may hold */
	unsigned long used;		/* bytes in its RAM dataspaces */
};

/* Open a RAM session for client. RECAP_OK and *cap, or RECAP_ERR_NOMEM. */
int ram_session_open(struct child *client, struct recap_cap *cap);
