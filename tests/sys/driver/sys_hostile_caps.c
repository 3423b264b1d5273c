/*
 * sys_hostile_caps — runs hostile_caps, a program misusing every kernel
 * interface it can reach, and serves its probe gate: proves that each bad
 * request gets its exact error, that nothing is mapped, rebound or
 * relabelled by it, and that the kernel (and this server) keep working.
 *
 * The driver hands out capabilities with missing rights (hostile.h) and
 * answers every probe message with what it received: the label (so the
 * program can check that rights and labels cannot be forged), the protocol,
 * the shape, whether a capability arrived in its receive buffer, and the
 * error of its last failed receive (a transfer the sender broke fails on
 * both sides).
 */
#include <stdio.h>

#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/task.h>
#include <l4/sys/x.h>
#include <recap/host_task.h>

#include "../progs/hostile.h"
#include "../rt/rt.h"
#include "boot.h"

int main(void)
{
	struct boot_task bt;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (host_task_init() || boot_load(&bt, "build/tests/sys/progs/hostile_caps", 1))
		return 1;
	l4_cap_idx_t gate = boot_alloc_sel();
	l4_cap_idx_t rcv = boot_alloc_sel();
	if (l4_error(l4_factory_create_gate(L4_BASE_FACTORY_CAP, gate, L4_BASE_THREAD_CAP,
					    HC_GATE_LABEL)) < 0 ||
	    boot_give(&bt, bt.task, HC_TASK_R, L4_CAP_FPAGE_RO) ||
	    boot_give(&bt, L4_BASE_FACTORY_CAP, HC_FACTORY_RW, L4_CAP_FPAGE_RW) ||
	    boot_give(&bt, gate, HC_GATE_R, L4_CAP_FPAGE_RO) ||
	    boot_give(&bt, gate, HC_GATE_RW, L4_CAP_FPAGE_RW) ||
	    boot_give(&bt, gate, HC_GATE_RWS, L4_CAP_FPAGE_RWS) ||
	    boot_give(&bt, L4X_BASE_HOST_CAP, HC_HOST_RS, L4_CAP_FPAGE_RS) || boot_start(&bt)) {
		fprintf(stderr, "hostile_caps: cannot start the program\n");
		return 1;
	}

	int arm = 1;
	unsigned long rcv_err = 0;
	long code = -1;
	l4_timeout_t to = l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(30000000));
	for (;;) {
		l4_umword_t label = 0;
		l4_utcb_br()->bdr = 0;
		l4_utcb_br()->br[0] = arm ? (rcv | L4_RCV_ITEM_SINGLE_CAP) : 0;
		l4_msgtag_t tag = l4_ipc_wait(l4_utcb(), &label, to);
		if (l4_msgtag_has_error(tag)) {
			unsigned long e = l4_ipc_error(tag, l4_utcb());
			if (e == L4_IPC_RETIMEOUT) {
				fprintf(stderr, "hostile_caps: timeout\n");
				return 1;
			}
			rcv_err = e;	/* a transfer that failed on both sides */
			continue;
		}
		long proto = l4_msgtag_label(tag);
		l4_umword_t *mr = l4_utcb_mr()->mr;
		if (proto == RT_PROTO_EXIT && label >> 4 == bt.id) {
			code = (long)mr[0];
			break;
		}
		if (proto == RT_PROTO_READY) {
			boot_reply();
			continue;
		}
		if (proto == L4_PROTO_PAGE_FAULT || proto == L4_PROTO_EXCEPTION) {
			fprintf(stderr, "hostile_caps: %s at 0x%lx\n",
				proto == L4_PROTO_PAGE_FAULT ? "page fault" : "exception", mr[1]);
			return 1;
		}
		if (proto == HC_PROTO_ARM)
			arm = mr[0] != 0;
		l4_umword_t first = l4_msgtag_words(tag) ? mr[0] : 0;
		/* (cap_valid is a call: it reuses the message registers.) */
		l4_umword_t got_cap =
			(l4_umword_t)l4_msgtag_label(l4_task_cap_valid(L4_BASE_TASK_CAP, rcv));
		mr[HC_SEEN_LABEL] = label;
		mr[HC_SEEN_PROTO] = (l4_umword_t)proto;
		mr[HC_SEEN_SHAPE] = l4_msgtag_words(tag) << 8 | l4_msgtag_items(tag);
		mr[HC_SEEN_RCV_VALID] = got_cap;
		mr[HC_SEEN_RCV_ERR] = rcv_err;
		mr[HC_SEEN_MR0] = first;
		rcv_err = 0;
		l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, HC_SEEN_WORDS, 0, 0),
			     L4_IPC_SEND_TIMEOUT_0);
		/* Whatever arrived goes: the next probe starts with an empty slot. */
		l4_task_release_cap(L4_BASE_TASK_CAP, rcv);
	}
	printf("hostile_caps exit %ld\n", code);
	return code == 0 ? 0 : 1;
}
