/*
 * cap_map_l4.c — cap_map_l4_ops: the capability map's kernel questions and
 * moves (recap/cap_map.h), answered by the real kernel through l4sys.
 *
 * All three work on the component's own task (RECAP_TASK_SLOT), as Genode's
 * do on L4_BASE_TASK_CAP.
 */
#include <l4/sys/consts.h>
#include <l4/sys/task.h>
#include <l4/sys/utcb.h>

#include <recap/cap_layout.h>
#include <recap/cap_map.h>

static l4_cap_idx_t own_task(void)
{
	return recap_slot_sel(RECAP_TASK_SLOT);
}

static long l4_cap_equal(void *ctx, l4_cap_idx_t a, l4_cap_idx_t b)
{
	(void)ctx;
	return l4_error(l4_task_cap_equal(own_task(), a, b));
}

static long l4_cap_valid(void *ctx, l4_cap_idx_t cap)
{
	long r;

	(void)ctx;
	r = l4_error(l4_task_cap_valid(own_task(), cap));
	return r > 0 ? 1 : r;	/* the kernel may answer any positive value */
}

/*
 * A grant onto ourselves: the capability leaves `from`. All rights are
 * offered (RWSD) so that the move keeps whatever the received copy had;
 * Genode offers RWX (= RWS), the same for every cap core hands out.
 */
static long l4_move(void *ctx, l4_cap_idx_t from, l4_cap_idx_t to)
{
	long r;

	(void)ctx;
	r = l4_error(l4_task_map(own_task(), own_task(),
				 l4_obj_fpage(from, 0, L4_CAP_FPAGE_RWSD),
				 to | L4_ITEM_MAP | L4_MAP_ITEM_GRANT));
	return r < 0 ? r : 0;
}

struct cap_map_ops const cap_map_l4_ops = {
	.cap_equal = l4_cap_equal,
	.cap_valid = l4_cap_valid,
	.move = l4_move,
};
