/*
 * child.h — the components core starts from the scenario: one struct child
 * each, from <start> to exit or crash.
 *
 * A child owns its PD, its parent object (the gate at RECAP_PARENT_SLOT,
 * served by parent.c), the pager object of its main thread (pager.c), and
 * the sessions it opened at core (session.h). When it exits or crashes,
 * all of them go; the record stays, with the exit code, until core ends.
 *
 * A component can also make children of its own (child_pd.h): an empty
 * PD, a "sub-child", with owner set, named by the owner's session label
 * ("owner -> name"), no routing (its parent capability is the owner's
 * object, so its requests never reach core's parent objects) and quotas
 * taken from the owner's. A sub-child's record goes when its owner closes
 * the PD handle, or ends: a sub-child never outlives its owner.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cap_quota.h"
#include "pd.h"
#include "ram.h"
#include "region_map.h"
#include "rpc_server.h"
#include "scenario.h"

struct session;

#define CHILD_NAME_MAX 191	/* "owner -> name", as a session label */

struct child {
	char name[CHILD_NAME_MAX + 1];
	struct scenario const *scenario;	/* for routing its requests */
	struct pd pd;
	struct rpc_object parent;	/* its parent object */
	struct rpc_object pager;	/* its main thread's pager */
	struct session *sessions;	/* what it holds at core */
	struct region_map rm;		/* its address space (region_map.h) */
	struct ram_account ram;		/* its RAM quota and use (ram.h) */
	struct cap_account caps;	/* its capability quota and use (cap_quota.h) */
	char const *boot_dir;		/* where its ROM modules come from */
	bool running;
	long exit_code;			/* once not running; -1: crashed */
	struct child *owner;		/* the component that made it, or NULL */
	recap_badge_t end_sigh;		/* owner's signal context for its end */
	unsigned long ram_lent;		/* quota taken from the owner's, */
	unsigned long caps_lent;	/* given back when the record goes */
	struct child *next;
};

/* The struct that member of type lives in. */
#define core_container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/*
 * Start the component of <start> from its binary in boot_dir. 0, or -1
 * with the reason on stderr (and nothing of it left).
 */
int child_start(struct scenario const *s, struct scenario_start const *start,
		char const *boot_dir);

/*
 * The child is done (code from its exit, -1 if it crashed): its sessions
 * close, its objects and PD are destroyed. Once only; later calls do
 * nothing.
 */
void child_exit(struct child *c, long code);

/*
 * Make an empty PD for owner's child named name (task, UTCB area, region
 * map; no image, no threads) with the given quotas, which the caller took
 * from the owner. RECAP_OK and *out, or RECAP_ERR_NOMEM.
 */
int child_create_empty(struct child *owner, char const *name,
		       unsigned long ram_quota, unsigned long cap_quota,
		       struct child **out);

/*
 * End a child made by child_create_empty (if still running, as crashed,
 * without its end signal), give its quotas back to its owner and free it.
 */
void child_destroy_empty(struct child *c);

/* Is any child still running? (core serves until none is) */
bool child_any_running(void);

/* Every child, running or ended, in start order reversed. */
void child_for_each(void (*fn)(struct child *c, void *arg), void *arg);

/* The child with that name, or NULL. */
struct child *child_find(char const *name);

/* End every child still running (code -1) and free all records. */
void child_free_all(void);
