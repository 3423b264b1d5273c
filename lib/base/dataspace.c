/*
 * dataspace.c — asking core about a dataspace (recap/dataspace.h).
 */
#include <recap/dataspace.h>
#include <recap/err.h>
#include <recap/rpc.h>

int recap_ds_info(struct recap_env *env, struct recap_cap ds,
		  unsigned long *size, bool *writable)
{
	struct rpc_msg m;
	l4_umword_t w;
	int err;

	recap_rpc_begin(&m, ds, RECAP_DS_INFO, NULL, 0);
	err = recap_rpc_call(env, ds, &m);
	if (err != RECAP_OK)
		return err;
	*size = rpc_msg_get_word(&m);
	w = rpc_msg_get_word(&m);
	if (rpc_msg_end(&m) != RECAP_OK || m.ncaps || w > 1)
		return RECAP_ERR_INVAL;
	*writable = w;
	return RECAP_OK;
}
