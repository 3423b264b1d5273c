/*
 * pp_client — calls pp_server: a thousand additions, a capability each
 * way, IRQ triggers on the server's IRQ, then tells it to quit.
 * With a count from the driver (rt_ready's answer) it instead does batches
 * of that many empty calls (the IPC benchmark) until the driver answers 0.
 */
#include "../rt/rt.h"
#include "pp.h"

static l4_msgtag_t call(unsigned words, unsigned items)
{
	return l4_ipc_call(PP_SERVER_GATE, l4_utcb(), l4_msgtag(0, words, items, 0),
			   L4_IPC_NEVER);
}

static int quit(void)
{
	l4_utcb_mr()->mr[0] = PP_QUIT;
	return l4_msgtag_has_error(call(1, 0)) ? 1 : 0;
}

int main(void)
{
	l4_msg_regs_t *mr = l4_utcb_mr();
	unsigned long bench = rt_ready(0);
	if (bench) {
		/* Batches of empty calls, as many as the driver asks for. */
		while (bench) {
			for (unsigned long i = 0; i < bench; i++) {
				mr->mr[0] = PP_NOP;
				if (l4_msgtag_has_error(call(1, 0)))
					return 2;
			}
			bench = rt_ready(bench);
		}
		return quit();
	}

	unsigned long sum = 0;
	for (unsigned long i = 0; i < 1000; i++) {
		mr->mr[0] = PP_ADD;
		mr->mr[1] = i;
		mr->mr[2] = 2 * i;
		l4_msgtag_t t = call(3, 0);
		if (l4_msgtag_has_error(t) || mr->mr[0] != 3 * i) {
			rt_printf("client: bad answer %lu to call %lu\n", mr->mr[0], i);
			return 1;
		}
		sum += mr->mr[0];
	}
	rt_printf("client: 1000 calls, sum %lu\n", sum);

	/* Our log capability to the server; its IRQ back into RT_ARG_CAP(7). */
	l4_cap_idx_t irq = RT_ARG_CAP(7);
	l4_utcb_br()->bdr = 0;
	l4_utcb_br()->br[0] = irq | L4_RCV_ITEM_SINGLE_CAP;
	mr->mr[0] = PP_CAP;
	mr->mr[1] = L4_ITEM_MAP;
	mr->mr[2] = l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW).raw;
	l4_msgtag_t t = call(1, 1);
	if (l4_msgtag_has_error(t) || l4_msgtag_label(t) != 0 ||
	    l4_msgtag_label(l4_task_cap_valid(RT_TASK_CAP, irq)) != 1) {
		rt_printf("client: no irq capability came back\n");
		return 1;
	}
	rt_printf("client: got the server's irq\n");

	for (int i = 0; i < 5; i++)
		l4_irq_trigger(irq);
	mr->mr[0] = PP_IRQS;
	mr->mr[1] = 5;
	t = call(2, 0);
	rt_printf("client: server counted %lu\n", mr->mr[0]);
	return quit();
}
