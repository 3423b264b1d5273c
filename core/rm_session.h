/*
 * rm_session.h — core's RM service (protocol: recap/region_map.h): a
 * session is the client's way to its own address space, the region map
 * core keeps in its struct child (region_map.h). Closing the session
 * leaves the address space as it is.
 */
#pragma once

#include <recap/capability.h>

struct child;

/* Open an RM session on client's address space. RECAP_OK and *cap. */
int rm_session_open(struct child *client, struct recap_cap *cap);
