/*
 * rom.h — core's ROM service (protocol: recap/rom_session.h): boot
 * directory files, and each child's "config", as read-only dataspaces.
 */
#pragma once

#include <stdbool.h>

#include <recap/capability.h>

struct child;

#define ROM_FILE_MAX (64UL << 20)	/* largest boot file served */

/*
 * Is a session request for service with the client-chosen label the
 * child's config ROM? That one is its parent's to serve, not routed.
 */
bool rom_is_config(char const *service, char const *label);

/*
 * Open a ROM session on module name for client: "config" or a file of
 * client->boot_dir. RECAP_OK and *cap; RECAP_ERR_INVAL (a bad name),
 * RECAP_ERR_NOENT (no such file: reported on stderr), RECAP_ERR_NOMEM.
 */
int rom_session_open(struct child *client, char const *name,
		     struct recap_cap *cap);
