/*
 * pp_server — serves calls through the gate its driver bound to its main
 * thread. Protocol (mr0 = op):
 *   PP_ADD  a, b   -> a + b
 *   PP_NOP         -> (empty reply; benchmark)
 *   PP_CAP  + 1 capability (a log) -> writes through it, replies with a
 *                  capability of its own: an IRQ attached to itself
 *   PP_IRQS n      -> waits for n triggers of that IRQ, replies n
 *   PP_QUIT        -> replies, exits 0
 * Every request's label must be the gate's label with the client's W bit.
 */
#include "../rt/rt.h"
#include "pp.h"

static l4_cap_idx_t const rcv_window = RT_ARG_CAP(5);
static l4_cap_idx_t const irq = RT_ARG_CAP(6);

static unsigned long irq_count;	/* triggers received so far */

static void arm_receive_window(void)
{
	l4_utcb_br()->bdr = 0;
	l4_utcb_br()->br[0] = rcv_window | L4_RCV_ITEM_SINGLE_CAP;
}

static l4_msgtag_t handle(l4_msgtag_t tag, l4_umword_t label, int *quit)
{
	l4_msg_regs_t *mr = l4_utcb_mr();
	if ((label & ~3UL) != PP_GATE_LABEL) {
		rt_printf("server: unexpected label 0x%lx\n", label);
		return l4_msgtag(-1, 0, 0, 0);
	}
	switch (mr->mr[0]) {
	case PP_ADD:
		mr->mr[0] = mr->mr[1] + mr->mr[2];
		return l4_msgtag(0, 1, 0, 0);
	case PP_NOP:
		return l4_msgtag(0, 0, 0, 0);
	case PP_CAP:
		if (l4_msgtag_items(tag) != 1 ||
		    l4_msgtag_label(l4_task_cap_valid(RT_TASK_CAP, rcv_window)) != 1) {
			rt_printf("server: no capability received\n");
			return l4_msgtag(-1, 0, 0, 0);
		}
		{ static char const msg[] = "server: writing through the client's log\n"; l4_vcon_write(rcv_window, msg, sizeof(msg) - 1); }
		if (l4_error(l4_factory_create_irq(RT_FACTORY_CAP, irq)) < 0 ||
		    l4_error(l4_rcv_ep_bind_thread(irq, RT_THREAD_CAP, 0x50)) < 0) {
			rt_printf("server: cannot make the irq\n");
			return l4_msgtag(-1, 0, 0, 0);
		}
		mr->mr[0] = L4_ITEM_MAP;
		mr->mr[1] = l4_obj_fpage(irq, 0, L4_CAP_FPAGE_RW).raw;
		return l4_msgtag(0, 0, 1, 0);
	case PP_IRQS: {
		/* Triggers may have reached our open wait already, or still come. */
		unsigned long n = mr->mr[1];
		while (irq_count < n) {
			l4_msgtag_t t = l4_irq_receive(irq, L4_IPC_NEVER);
			if (l4_msgtag_has_error(t))
				break;
			irq_count++;
		}
		rt_printf("server: %lu irq triggers received\n", irq_count);
		l4_utcb_mr()->mr[0] = irq_count;
		return l4_msgtag(0, 1, 0, 0);
	}
	case PP_QUIT:
		*quit = 1;
		return l4_msgtag(0, 0, 0, 0);
	default:
		return l4_msgtag(-1, 0, 0, 0);
	}
}

int main(void)
{
	l4_umword_t label;
	int quit = 0;
	arm_receive_window();
	l4_msgtag_t tag = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
	for (;;) {
		if (l4_msgtag_has_error(tag)) {
			rt_printf("server: ipc error %lu\n", l4_ipc_error(tag, l4_utcb()));
			return 1;
		}
		if (l4_msgtag_label(tag) == L4_PROTO_IRQ && label == 0x50) {
			irq_count++;
			tag = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
			continue;
		}
		l4_msgtag_t reply = handle(tag, label, &quit);
		if (quit) {
			l4_ipc_reply(0, l4_utcb(), reply, L4_IPC_SEND_TIMEOUT_0);
			rt_printf("server: done\n");
			return 0;
		}
		arm_receive_window();
		tag = l4_ipc_reply_and_wait(l4_utcb(), reply, &label, L4_IPC_SEND_TIMEOUT_0);
	}
}
