/*
 * real.h — calls cr makes on the real sessions behind a child (its PD,
 * CPU and RM at core), and on its own PD: the kernel's and core's view,
 * which a checkpoint believes instead of anything the child says.
 */
#pragma once

#include <recap/capability.h>
#include <recap/env.h>
#include <recap/native_pd.h>

/* One region of an address space, as core's RM REGION answers. */
struct cr_region {
	struct recap_cap ds;		/* invalid: memory core placed itself */
	unsigned long addr, size, offset, rights;
};

/* CPU op on one thread capability (PAUSE, RESUME, KILL_THREAD). */
int cr_real_thread_op(struct recap_env *env, struct recap_cap cpu,
		      unsigned long op, struct recap_cap thread);

/* CPU STATE_GET / STATE_SET of thread through dataspace ds. */
int cr_real_thread_state(struct recap_env *env, struct recap_cap cpu,
			 unsigned long op, struct recap_cap thread,
			 struct recap_cap ds);

/* RM REGION: the first region at or above addr. RECAP_ERR_NOENT: none. */
int cr_real_region(struct recap_env *env, struct recap_cap rm,
		   unsigned long addr, struct cr_region *r);

/* The kernel object id of cr's own capability cap (0 if none). */
unsigned long cr_own_object_id(struct recap_env *env, struct recap_cap cap);
