/*
 * recap/rom_session.h — the ROM service: read-only modules as dataspaces.
 *
 * The session's label (the label the client asks for, the part after
 * "NAME -> ") names the module:
 *   "config"   the component's own configuration: its start node's nested
 *              <config> as written in the scenario, or "<config/>" if it
 *              has none. Served by the parent for every component,
 *              without routing (as Genode's init does).
 *   otherwise  a file of the boot directory (a plain name, no '/', not
 *              starting with '.'), routed like any session.
 * A module that does not exist is RECAP_ERR_NOENT; a bad name
 * RECAP_ERR_INVAL.
 *
 * Protocol (wire format: recap/rpc_wire.h):
 *   DATASPACE  -   -> 1 cap: the read-only dataspace; word its size,
 *                     word the module's length in bytes (the dataspace
 *                     is that rounded up to pages, at least one page; the
 *                     rest is zero)
 *
 * Client: recap_rom_open does all of it — session, dataspace, attach.
 */
#pragma once

#include <recap/capability.h>
#include <recap/dataspace.h>

struct recap_env;

#define RECAP_ROM_NAME_MAX 63	/* bytes of a module name */

enum recap_rom_op {
	RECAP_ROM_DATASPACE = 1,
};

/* An open ROM module, attached read-only. */
struct recap_rom {
	struct recap_cap session;
	struct recap_ds ds;
	char const *data;	/* the module, attached read-only */
	unsigned long len;	/* its length in bytes */
};

/*
 * Open the module name and attach it. RECAP_OK and *rom; otherwise *rom
 * holds nothing (what was opened is closed again) and the error says why:
 * RECAP_ERR_RANGE (name too long), RECAP_ERR_DENIED (no route to ROM),
 * RECAP_ERR_NOENT (no such module), or of a call.
 */
int recap_rom_open(struct recap_env *env, char const *name,
		   struct recap_rom *rom);

/* Detach and close. */
int recap_rom_close(struct recap_env *env, struct recap_rom *rom);
