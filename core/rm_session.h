/*
 * rm_session.h — core's RM service (protocol: recap/region_map.h): a
 * session is the client's way to its own address space, the region map
 * core keeps in its struct child (region_map.h), and the factory of
 * managed region maps (CREATE), which it owns. Closing the session
 * leaves the address space as it is and destroys its managed maps.
 */
#pragma once

#include <recap/capability.h>

struct child;

/* Open an RM session on client's address space. RECAP_OK and *cap. */
int rm_session_open(struct child *client, struct recap_cap *cap);

struct session;

/*
 * The same session, for an owner other than the client's session list
 * (the PD session's ADDRESS_SPACE): the owner destroys it with
 * (*out)->destroy(*out). RECAP_OK, RECAP_ERR_NOMEM or a kernel error.
 */
int rm_session_create_owned(struct child *client, struct session **out);
