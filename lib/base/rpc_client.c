/*
 * rpc_client.c — a component calls an RPC object (recap/rpc.h), as
 * Genode's ipc.cc does on Fiasco.OC: marshal per recap/rpc_wire.h, arm the
 * receive window, l4_ipc_call through the object's gate, then check the
 * reply and record the capabilities it brought in the cap map.
 */
#include <l4/sys/consts.h>
#include <l4/sys/ipc.h>
#include <l4/sys/utcb.h>

#include <recap/cap_map.h>
#include <recap/err.h>
#include <recap/rpc.h>
#include <recap/thread.h>

void recap_rpc_begin(struct rpc_msg *m, struct recap_cap dst, l4_umword_t op,
		     struct recap_cap const *caps, unsigned ncaps)
{
	rpc_msg_start(m, l4_utcb_mr()->mr, dst.badge, caps, ncaps);
	rpc_msg_put_word(m, op);
}

/* Receive buffers: the window's slots, one capability each, in order. */
static void arm_window(l4_utcb_t *u, l4_cap_idx_t window)
{
	l4_buf_regs_t *br = l4_utcb_br_u(u);

	br->bdr = 0;
	for (unsigned i = 0; i < RECAP_RPC_MAX_CAPS; i++)
		br->br[i] = (window + ((l4_cap_idx_t)i << L4_CAP_SHIFT)) |
			    L4_RCV_ITEM_SINGLE_CAP;
}

/*
 * Record each received capability in the cap map: a known object keeps its
 * slot (the copy in the window is left to be overwritten next time), a new
 * one moves out of the window into a slot of its own. The map asks the
 * kernel, through the very registers the reply's data words are in: they
 * are kept aside meanwhile.
 */
static int record_caps(struct recap_env *env, struct rpc_msg *m)
{
	l4_umword_t saved[L4_UTCB_GENERIC_DATA_SIZE];
	int err = RECAP_OK;

	for (unsigned i = 0; i < m->limit; i++)
		saved[i] = m->mr[i];
	for (unsigned i = 0; i < m->ncaps && err == RECAP_OK; i++) {
		unsigned long slot;

		if (!recap_cap_valid(m->caps[i]))
			continue;
		recap_lock_acquire(&env->cap_lock);
		err = cap_map_insert_map(&env->cap_map, m->caps[i].badge,
					 recap_sel_slot(m->caps[i].sel), &slot);
		recap_lock_release(&env->cap_lock);
		if (err != RECAP_OK)
			m->caps[i] = recap_cap_invalid();
		else
			m->caps[i].sel = recap_slot_sel(slot);
	}
	for (unsigned i = 0; i < m->limit; i++)
		m->mr[i] = saved[i];
	return err;
}

int recap_rpc_call(struct recap_env *env, struct recap_cap dst,
		   struct rpc_msg *m)
{
	l4_utcb_t *u = l4_utcb();
	/* Each thread has a window of its own (recap/thread.h). */
	l4_cap_idx_t window = recap_thread_rcv_window(env);
	l4_msgtag_t tag;
	long result;
	int err;

	err = rpc_msg_finish(m, &tag);
	if (err != RECAP_OK)
		return err;
	if (!recap_cap_valid(dst))
		return RECAP_ERR_INVAL;
	arm_window(u, window);
	tag = l4_ipc_call(dst.sel, u, tag, L4_IPC_NEVER);
	if (l4_msgtag_has_error(tag))
		return RECAP_ERR_IPC;
	err = rpc_msg_parse(m, l4_utcb_mr_u(u)->mr, tag, window);
	if (err != RECAP_OK)
		return err;
	/* A result is RECAP_OK or a negative error; anything else is noise. */
	result = (long)rpc_msg_head(m);
	if (result > 0 || result < -4095)
		return RECAP_ERR_INVAL;
	if (result < 0)
		return (int)result;
	return record_caps(env, m);
}

int recap_rpc_end_one_cap(struct rpc_msg *m)
{
	if (rpc_msg_end(m) != RECAP_OK || m->ncaps != 1 || !recap_cap_valid(m->caps[0]))
		return RECAP_ERR_INVAL;
	return RECAP_OK;
}

void recap_cap_forget(struct recap_env *env, struct recap_cap cap)
{
	recap_lock_acquire(&env->cap_lock);
	cap_map_remove(&env->cap_map, cap.badge);
	recap_lock_release(&env->cap_lock);
}
