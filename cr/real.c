/*
 * real.c — cr's calls on the real sessions behind a child (real.h), made
 * with the forwarder's call container so that no call signature is
 * written twice.
 */
#include <recap/cap_layout.h>
#include <recap/cpu_session.h>
#include <recap/err.h>
#include <recap/region_map.h>

#include "intercept/forward.h"
#include "real.h"

int cr_real_thread_op(struct recap_env *env, struct recap_cap cpu,
		      unsigned long op, struct recap_cap thread)
{
	struct cr_call call = { .op = op, .arg_caps = { thread },
				.narg_caps = 1 };

	return cr_call_make(env, cpu, &call);
}

int cr_real_thread_state(struct recap_env *env, struct recap_cap cpu,
			 unsigned long op, struct recap_cap thread,
			 struct recap_cap ds)
{
	struct cr_call call = { .op = op, .arg_caps = { thread, ds },
				.narg_caps = 2 };

	return cr_call_make(env, cpu, &call);
}

int cr_real_region(struct recap_env *env, struct recap_cap rm,
		   unsigned long addr, struct cr_region *r)
{
	struct cr_call call = { .op = RECAP_RM_REGION, .args = { addr },
				.nargs = 1 };
	int err = cr_call_make(env, rm, &call);

	if (err != RECAP_OK)
		return err;
	if (call.nret != 4 || call.nret_caps != 1)
		return RECAP_ERR_INVAL;
	r->ds = call.ret_caps[0];
	r->addr = call.ret[0];
	r->size = call.ret[1];
	r->offset = call.ret[2];
	r->rights = call.ret[3];
	return RECAP_OK;
}

unsigned long cr_own_object_id(struct recap_env *env, struct recap_cap cap)
{
	struct recap_native_cap_info info;

	if (!recap_cap_valid(cap) ||
	    recap_native_pd_cap_info(env, recap_sel_slot(cap.sel), &info) != RECAP_OK ||
	    info.kind == 0)
		return 0;
	return info.id;
}
