/*
 * recap/ram_session.h — the RAM service: writable dataspaces within a quota.
 *
 * A component's RAM quota is its start node's <resource name="RAM"
 * quantum=".."/>. Every RAM session of the component draws on that one
 * account; an allocation is charged its size rounded up to pages, and FREE
 * (or closing the session) gives it back. What core builds for the
 * component itself (its ELF image, its stacks) and core's own bookkeeping
 * are not charged.
 *
 * Protocol (wire format: recap/rpc_wire.h):
 *   ALLOC   word size[, word badge] -> 1 cap: the dataspace; word its size
 *           (rounded). badge 0 or left out: a fresh one; otherwise the
 *           dataspace gets that label if no object of core's has it
 *           (RECAP_ERR_EXIST; malformed: RECAP_ERR_INVAL): a restored
 *           component's dataspace keeps the label it knew
 *   FREE    cap ds       -> -
 *   QUOTA   -            -> word quota, word used (bytes)
 * Errors: RECAP_ERR_NOMEM: the quota does not cover the allocation, or
 * the session holds RECAP_RAM_MAX_DS dataspaces already; RECAP_ERR_INVAL:
 * size 0, or FREE of something that is not a dataspace; RECAP_ERR_NOENT:
 * FREE of a dataspace of another session.
 *
 * A freed dataspace disappears from every region map it was attached to,
 * and its capability becomes invalid everywhere.
 *
 * Client: the runtime opens one RAM session at the parent on first use and
 * keeps it in the environment (env->ram), as recap/log.h does for LOG.
 */
#pragma once

#include <recap/capability.h>
#include <recap/dataspace.h>

struct recap_env;

#define RECAP_RAM_MAX_DS 256	/* dataspaces one session may hold */

enum recap_ram_op {
	RECAP_RAM_ALLOC = 1,
	RECAP_RAM_FREE = 2,
	RECAP_RAM_QUOTA = 3,
};

/*
 * A new zero-filled dataspace of at least size bytes. RECAP_OK and *ds;
 * RECAP_ERR_NOMEM: beyond the quota; else the error of opening the RAM
 * session (sticky: a RAM session the parent denied stays denied) or of
 * the call.
 */
int recap_ram_alloc(struct recap_env *env, unsigned long size,
		    struct recap_ds *ds);

/* The same on another RAM session (a child's, for the child API). */
int recap_ram_alloc_at(struct recap_env *env, struct recap_cap ram,
		       unsigned long size, struct recap_ds *ds);

/* Give ds back; its capability is forgotten either way. */
int recap_ram_free(struct recap_env *env, struct recap_ds *ds);

/* The component's quota and what of it is used, in bytes. */
int recap_ram_quota(struct recap_env *env, unsigned long *quota,
		    unsigned long *used);
