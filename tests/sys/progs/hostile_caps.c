/*
 * hostile_caps — a program that misuses every kernel interface it can reach
 * and checks that each misuse gets its exact, documented error and changes
 * nothing: invalid and empty selectors, missing rights (task W, factory S,
 * host W), malformed gate labels, gate rebinding without IPCGATE_SVR,
 * forged labels and rights escalation through mapping, garbage message
 * tags and map items, missing receive buffers, garbage thread_control /
 * ex_regs (and an ex_regs of the own thread to a new ip, after which its
 * calls must still get their own answers), unknown opcodes and wrong
 * protocols.
 *
 * One line per case: "<case>: <result>", and " WRONG (want ...)" where the
 * kernel answered differently; the exit code is the number of wrong cases.
 * Its driver (sys_hostile_caps) serves the probe gate: see hostile.h.
 */
#include "../rt/rt.h"
#include "hostile.h"

#include <l4/sys/ipc_gate.h>
#include <l4/sys/x.h>

static int wrong;

/* A slot that is never used, and scratch slots for results. */
#define EMPTY RT_ARG_CAP(40)
#define SCRATCH(i) RT_ARG_CAP(41 + (i))

/* A selector far beyond the 2^20 slots of a capability space. */
#define BEYOND (((1UL << 20) + 5) << L4_CAP_SHIFT)

/* Receive timeouts for calls to the driver: never wait forever. */
static l4_timeout_t probe_timeout(void)
{
	return l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(10000000));
}

static char const *err_name(long e)
{
	switch (e) {
	case 0: return "ok";
	case -L4_EPERM: return "-L4_EPERM";
	case -L4_ENOENT: return "-L4_ENOENT";
	case -L4_EBUSY: return "-L4_EBUSY";
	case -L4_EINVAL: return "-L4_EINVAL";
	case -L4_ERANGE: return "-L4_ERANGE";
	case -L4_ENOSYS: return "-L4_ENOSYS";
	case -L4_EBADPROTO: return "-L4_EBADPROTO";
	}
	if (e <= -L4_EIPC_LO && e >= -L4_EIPC_HI) {
		switch (-e - L4_EIPC_LO) {
		case L4_IPC_ENOT_EXISTENT: return "IPC ENOT_EXISTENT (send)";
		case L4_IPC_ENOT_EXISTENT | 1: return "IPC ENOT_EXISTENT (receive)";
		case L4_IPC_SETIMEOUT: return "IPC SETIMEOUT";
		case L4_IPC_RETIMEOUT: return "IPC RETIMEOUT";
		case L4_IPC_SEMSGCUT: return "IPC SEMSGCUT";
		case L4_IPC_REMSGCUT: return "IPC REMSGCUT";
		case L4_IPC_SEMAPFAILED: return "IPC SEMAPFAILED";
		case L4_IPC_REMAPFAILED: return "IPC REMAPFAILED";
		case L4_IPC_SECANCELED: return "IPC SECANCELED";
		case L4_IPC_RECANCELED: return "IPC RECANCELED";
		}
	}
	return "(unnamed)";
}

/* One case: the result (l4_error form) against the wanted one. */
static void check(char const *what, long got, long want)
{
	if (got == want) {
		rt_printf("%s: %s\n", what, err_name(got));
	} else {
		rt_printf("%s: %s (%ld) WRONG (want %s)\n", what, err_name(got), got,
			  err_name(want));
		wrong++;
	}
}

/* A plain value against the wanted one. */
static void check_val(char const *what, unsigned long got, unsigned long want)
{
	if (got == want) {
		rt_printf("%s: 0x%lx\n", what, got);
	} else {
		rt_printf("%s: 0x%lx WRONG (want 0x%lx)\n", what, got, want);
		wrong++;
	}
}

static long valid(l4_cap_idx_t sel)
{
	return l4_msgtag_label(l4_task_cap_valid(RT_TASK_CAP, sel));
}

/* A raw call with tag (message registers set by the caller). */
static long raw_call(l4_cap_idx_t obj, l4_msgtag_t tag)
{
	return l4_error(l4_ipc_call(obj, l4_utcb(), tag, L4_IPC_NEVER));
}

/* ---- the driver's probe gate ---------------------------------------------- */

static l4_umword_t seen[HC_SEEN_WORDS];

/* Call the driver through gate with tag (mr set by the caller) and slabel. */
static long probe(l4_cap_idx_t gate, l4_umword_t slabel, l4_msgtag_t tag)
{
	l4_msgtag_t t = l4_ipc(gate, l4_utcb(), L4_SYSF_CALL, slabel, tag, NULL,
			       probe_timeout());
	long e = l4_error(t);
	if (!l4_msgtag_has_error(t))
		for (unsigned i = 0; i < HC_SEEN_WORDS; i++)
			seen[i] = l4_utcb_mr()->mr[i];
	else
		for (unsigned i = 0; i < HC_SEEN_WORDS; i++)
			seen[i] = ~0UL;
	return e;
}

/* The driver's answer to a call made by an l4sys wrapper. */
static long grab_seen(long e)
{
	for (unsigned i = 0; i < HC_SEEN_WORDS; i++)
		seen[i] = e == 0 ? l4_utcb_mr()->mr[i] : ~0UL;
	return e;
}

static long probe_plain(l4_cap_idx_t gate)
{
	l4_utcb_mr()->mr[0] = 0x1234;
	return probe(gate, 0, l4_msgtag(HC_PROTO_PROBE, 1, 0, 0));
}

/* Arm or disarm the driver's receive buffer; its answer reports the state. */
static long driver_arm(int on)
{
	l4_utcb_mr()->mr[0] = (l4_umword_t)on;
	return probe(RT_PARENT_CAP, 0, l4_msgtag(HC_PROTO_ARM, 1, 0, 0));
}

/* ---- cases ------------------------------------------------------------------ */

static void ipc_cases(void)
{
	l4_utcb_t *u = l4_utcb();
	check("ipc call to the invalid selector", raw_call(L4_INVALID_CAP, l4_msgtag(0, 0, 0, 0)),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
	check("ipc call to a used slot's selector with bit 11 set",
	      raw_call(RT_LOG_CAP | L4_INVALID_CAP_BIT, l4_msgtag(0, 0, 0, 0)),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
	check("ipc call to an empty slot", raw_call(EMPTY, l4_msgtag(0, 0, 0, 0)),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
	check("ipc send to an empty slot",
	      l4_error(l4_ipc_send(EMPTY, u, l4_msgtag(0, 0, 0, 0), L4_IPC_NEVER)),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
	check("ipc call beyond the capability space", raw_call(BEYOND, l4_msgtag(0, 0, 0, 0)),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
	check("ipc call to selector ~0 << 12", raw_call(~0UL << L4_CAP_SHIFT, l4_msgtag(0, 0, 0, 0)),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
	check("closed receive from an empty slot",
	      l4_error(l4_ipc_receive(EMPTY, u, L4_IPC_NEVER)),
	      -(L4_EIPC_LO + (L4_IPC_ENOT_EXISTENT | 1)));
	check("closed receive from a log capability",
	      l4_error(l4_ipc_receive(RT_LOG_CAP, u, L4_IPC_NEVER)),
	      -(L4_EIPC_LO + (L4_IPC_ENOT_EXISTENT | 1)));
	check("reply with nobody to reply to",
	      l4_error(l4_ipc_reply(0, u, l4_msgtag(0, 0, 0, 0), L4_IPC_NEVER)),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
	check("ipc to the own thread with another protocol (it does not wait)",
	      l4_error(l4_ipc_call(RT_THREAD_CAP, u, l4_msgtag(0x77, 0, 0, 0),
				   L4_IPC_BOTH_TIMEOUT_0)),
	      -(L4_EIPC_LO + L4_IPC_SETIMEOUT));
}

static void task_cases(void)
{
	l4_umword_t *mr = l4_utcb_mr()->mr;

	check("task_map into a task capability without W",
	      l4_error(l4_task_map(HC_TASK_R, RT_TASK_CAP,
				   l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RWS),
				   SCRATCH(0) | L4_ITEM_MAP)),
	      -L4_EPERM);
	check_val("  destination slot after it (cap_valid)", valid(SCRATCH(0)), 0);

	check("task_map from an empty source slot",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_obj_fpage(EMPTY, 0, L4_CAP_FPAGE_RWS),
				   SCRATCH(1) | L4_ITEM_MAP)),
	      0);
	check_val("  destination slot after it (cap_valid)", valid(SCRATCH(1)), 0);

	check("task_map of the log to a scratch slot",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW),
				   SCRATCH(2) | L4_ITEM_MAP)),
	      0);
	check("task_map from an empty source onto that used slot",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_obj_fpage(EMPTY, 0, L4_CAP_FPAGE_RWS),
				   SCRATCH(2) | L4_ITEM_MAP)),
	      0);
	check_val("  the used slot keeps its capability (cap_valid)", valid(SCRATCH(2)), 1);

	check("task_map without R in the flexpage",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_W),
				   SCRATCH(3) | L4_ITEM_MAP)),
	      0);
	check_val("  destination slot after it (cap_valid)", valid(SCRATCH(3)), 0);

	check("task_map with an empty source task selector",
	      l4_error(l4_task_map(RT_TASK_CAP, EMPTY,
				   l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW),
				   SCRATCH(3) | L4_ITEM_MAP)),
	      -L4_EINVAL);
	check("task_map with a log as the source task",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_LOG_CAP,
				   l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW),
				   SCRATCH(3) | L4_ITEM_MAP)),
	      -L4_EINVAL);
	check("task_map of a memory flexpage",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_fpage(0x10000000, 12, L4_FPAGE_RW),
				   0x20000000 | L4_ITEM_MAP)),
	      -L4_EINVAL);
	check("task_map to a slot beyond the space",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW),
				   BEYOND | L4_ITEM_MAP)),
	      -L4_ERANGE);
	check("task_map of a flexpage of order 21",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_obj_fpage(0, 21, L4_CAP_FPAGE_RW),
				   SCRATCH(3) | L4_ITEM_MAP)),
	      -L4_ERANGE);
	check("task_map of the whole space onto itself",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_obj_fpage(0, 20, L4_CAP_FPAGE_RWSD), L4_ITEM_MAP)),
	      0);
	check_val("  the log is still there (cap_valid)", valid(RT_LOG_CAP), 1);

	mr[0] = L4_TASK_MAP_OP;
	check("task_map with one word", raw_call(RT_TASK_CAP, l4_msgtag(L4_PROTO_TASK, 1, 0, 0)),
	      -L4_EINVAL);
	mr[0] = L4_TASK_MAP_OP;
	mr[1] = SCRATCH(3) | L4_ITEM_MAP;
	mr[2] = l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW).raw;
	check("task_map without the source-task item",
	      raw_call(RT_TASK_CAP, l4_msgtag(L4_PROTO_TASK, 3, 0, 0)), -L4_EINVAL);
	mr[0] = L4_TASK_UNMAP_OP;
	check("task_unmap with one word", raw_call(RT_TASK_CAP, l4_msgtag(L4_PROTO_TASK, 1, 0, 0)),
	      -L4_EINVAL);
	mr[0] = L4_TASK_CAP_INFO_OP;
	mr[1] = RT_LOG_CAP;
	check("task cap_info with 5 words", raw_call(RT_TASK_CAP, l4_msgtag(L4_PROTO_TASK, 5, 0, 0)),
	      -L4_EINVAL);
	mr[0] = 0x99;
	check("task unknown opcode 0x99", raw_call(RT_TASK_CAP, l4_msgtag(L4_PROTO_TASK, 1, 0, 0)),
	      -L4_ENOSYS);
	check("task with no words", raw_call(RT_TASK_CAP, l4_msgtag(L4_PROTO_TASK, 0, 0, 0)),
	      -L4_EINVAL);
	mr[0] = L4_TASK_CAP_INFO_OP;
	mr[1] = RT_LOG_CAP;
	check("task called with the log protocol",
	      raw_call(RT_TASK_CAP, l4_msgtag(L4_PROTO_LOG, 2, 0, 0)), -L4_EBADPROTO);
	check("task called with protocol 0",
	      raw_call(RT_TASK_CAP, l4_msgtag(0, 2, 0, 0)), -L4_EBADPROTO);
	check("task_unmap through a task capability without W (needs none, as in Fiasco)",
	      l4_error(l4_task_unmap(HC_TASK_R, l4_obj_fpage(SCRATCH(2), 0, L4_CAP_FPAGE_RWSD),
				     L4_FP_ALL_SPACES)),
	      0);
	check_val("  the unmapped slot (cap_valid)", valid(SCRATCH(2)), 0);
}

static void factory_cases(void)
{
	l4_umword_t *mr = l4_utcb_mr()->mr;
	l4_buf_regs_t *br = l4_utcb_br();

	check("factory create_gate without S",
	      l4_error(l4_factory_create_gate(HC_FACTORY_RW, SCRATCH(4), RT_THREAD_CAP, 0x800)),
	      -L4_EPERM);
	check_val("  target slot after it (cap_valid)", valid(SCRATCH(4)), 0);
	check("factory create_thread without S",
	      l4_error(l4_factory_create_thread(HC_FACTORY_RW, SCRATCH(4))), -L4_EPERM);
	check_val("  target slot after it (cap_valid)", valid(SCRATCH(4)), 0);
	check("create_gate with label 0x801",
	      l4_error(l4_factory_create_gate(RT_FACTORY_CAP, SCRATCH(4), RT_THREAD_CAP, 0x801)),
	      -L4_EINVAL);
	check("create_gate with label 0x802",
	      l4_error(l4_factory_create_gate(RT_FACTORY_CAP, SCRATCH(4), RT_THREAD_CAP, 0x802)),
	      -L4_EINVAL);
	check("create_gate with label 0x803, unbound",
	      l4_error(l4_factory_create_gate(RT_FACTORY_CAP, SCRATCH(4), L4_INVALID_CAP, 0x803)),
	      -L4_EINVAL);
	check_val("  target slot after them (cap_valid)", valid(SCRATCH(4)), 0);
	check("create_gate bound to an empty thread slot",
	      l4_error(l4_factory_create_gate(RT_FACTORY_CAP, SCRATCH(4), EMPTY, 0x800)),
	      -L4_EINVAL);
	check("create_gate bound to a log (not a thread)",
	      l4_error(l4_factory_create_gate(RT_FACTORY_CAP, SCRATCH(4), RT_LOG_CAP, 0x800)),
	      -L4_EINVAL);
	check_val("  target slot after them (cap_valid)", valid(SCRATCH(4)), 0);
	check("create_gate into a slot beyond the space",
	      l4_error(l4_factory_create_gate(RT_FACTORY_CAP, BEYOND, RT_THREAD_CAP, 0x800)),
	      -L4_ERANGE);

	l4_fpage_t bad_area = l4_fpage(0x40000000, 30, L4_FPAGE_RW);
	check("create_task with a 1 GiB UTCB area",
	      l4_error(l4_factory_create_task(RT_FACTORY_CAP, SCRATCH(4), &bad_area)),
	      -L4_EINVAL);
	bad_area = l4_fpage(0x1000, 12, L4_FPAGE_RW);
	check("create_task with a UTCB area outside the component range",
	      l4_error(l4_factory_create_task(RT_FACTORY_CAP, SCRATCH(4), &bad_area)),
	      -L4_ERANGE);
	bad_area = l4_fpage(0x20001000, 14, L4_FPAGE_RW);
	check("create_task with a misaligned UTCB area",
	      l4_error(l4_factory_create_task(RT_FACTORY_CAP, SCRATCH(4), &bad_area)),
	      -L4_EINVAL);
	bad_area = l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW);
	check("create_task with an object flexpage as UTCB area",
	      l4_error(l4_factory_create_task(RT_FACTORY_CAP, SCRATCH(4), &bad_area)),
	      -L4_EINVAL);
	check_val("  target slot after them (cap_valid)", valid(SCRATCH(4)), 0);

	mr[0] = 12345;
	br->bdr = 0;
	br->br[0] = SCRATCH(4) | L4_RCV_ITEM_SINGLE_CAP;
	check("factory unknown protocol 12345",
	      raw_call(RT_FACTORY_CAP, l4_msgtag(L4_PROTO_FACTORY, 1, 0, 0)), -L4_ENOSYS);
	mr[0] = (l4_umword_t)L4_PROTO_IRQ_SENDER;
	br->br[0] = SCRATCH(4) | L4_RCV_ITEM_SINGLE_CAP;
	check("factory called with the task protocol",
	      raw_call(RT_FACTORY_CAP, l4_msgtag(L4_PROTO_TASK, 1, 0, 0)), -L4_EBADPROTO);
	mr[0] = (l4_umword_t)L4_PROTO_IRQ_SENDER;
	br->br[0] = 0;
	check("factory call without a receive buffer",
	      raw_call(RT_FACTORY_CAP, l4_msgtag(L4_PROTO_FACTORY, 1, 0, 0)), -L4_EINVAL);
	mr[0] = 0;
	br->br[0] = SCRATCH(4) | L4_RCV_ITEM_SINGLE_CAP;
	check("create_gate with one word (no label)",
	      raw_call(RT_FACTORY_CAP, l4_msgtag(L4_PROTO_FACTORY, 1, 0, 0)), -L4_EINVAL);
	br->br[0] = SCRATCH(4) | L4_RCV_ITEM_SINGLE_CAP;
	check("factory call with no words",
	      raw_call(RT_FACTORY_CAP, l4_msgtag(L4_PROTO_FACTORY, 0, 0, 0)), -L4_EINVAL);
	check_val("  target slot after them (cap_valid)", valid(SCRATCH(4)), 0);
}

/* Gates: labels seen by the driver, rebinding, mapping escalation. */
static void gate_cases(void)
{
	l4_umword_t *mr = l4_utcb_mr()->mr;
	l4_umword_t label = 0;

	check("call through the probe gate held with R", probe_plain(HC_GATE_R), 0);
	check_val("  label the server received", seen[HC_SEEN_LABEL], HC_GATE_LABEL);
	check("call through the probe gate held with R|W", probe_plain(HC_GATE_RW), 0);
	check_val("  label the server received", seen[HC_SEEN_LABEL], HC_GATE_LABEL | 1);
	check("call through the probe gate held with R|W|S", probe_plain(HC_GATE_RWS), 0);
	check_val("  label the server received", seen[HC_SEEN_LABEL], HC_GATE_LABEL | 3);

	mr[0] = 0x1234;
	check("call through the R|W gate with a forged label 0xdead3",
	      probe(HC_GATE_RW, 0xdead3, l4_msgtag(HC_PROTO_PROBE, 1, 0, 0)), 0);
	check_val("  label the server received", seen[HC_SEEN_LABEL], HC_GATE_LABEL | 1);
	mr[0] = 0x1234;
	check("call through the R gate with the error flag set in the tag",
	      probe(HC_GATE_R, 0, l4_msgtag(HC_PROTO_PROBE, 1, 0, L4_MSGTAG_ERROR)), 0);
	check_val("  protocol the server received", seen[HC_SEEN_PROTO], HC_PROTO_PROBE);

	check("map the R gate with R|W|S|D to a new slot",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_obj_fpage(HC_GATE_R, 0, L4_CAP_FPAGE_RWSD),
				   SCRATCH(5) | L4_ITEM_MAP)),
	      0);
	check("call through that copy", probe_plain(SCRATCH(5)), 0);
	check_val("  label the server received (no rights gained)", seen[HC_SEEN_LABEL],
		  HC_GATE_LABEL);

	check("map the R|W|S gate asking for IPCGATE_SVR",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_obj_fpage(HC_GATE_RWS, 0, L4_CAP_FPAGE_RWS),
				   SCRATCH(6) | L4_ITEM_MAP | L4_FPAGE_C_IPCGATE_SVR)),
	      0);

	/* A bind without IPCGATE_SVR is ordinary IPC to the bound thread. */
	check("bind the probe gate (R|W|S, no IPCGATE_SVR) to the own thread",
	      grab_seen(l4_error(l4_rcv_ep_bind_thread(HC_GATE_RWS, RT_THREAD_CAP, 0x1230))), 0);
	check_val("  the server received it as IPC, protocol", seen[HC_SEEN_PROTO],
		  (l4_umword_t)L4_PROTO_KOBJECT);
	check_val("  with label", seen[HC_SEEN_LABEL], HC_GATE_LABEL | 3);
	check_val("  and opcode", seen[HC_SEEN_MR0], L4_RCV_EP_BIND_OP);
	check("bind through the copy mapped with IPCGATE_SVR asked for",
	      grab_seen(l4_error(l4_rcv_ep_bind_thread(SCRATCH(6), RT_THREAD_CAP, 0x1230))), 0);
	check_val("  the server received it as IPC, protocol", seen[HC_SEEN_PROTO],
		  (l4_umword_t)L4_PROTO_KOBJECT);
	check("get_info through the probe gate (no IPCGATE_SVR)",
	      grab_seen(l4_error(l4_ipc_gate_get_infos(HC_GATE_RWS, &label))), 0);
	check_val("  the server received it as IPC, opcode", seen[HC_SEEN_MR0],
		  L4_IPC_GATE_GET_INFO_OP);
	check("call through the probe gate after the bind attempts", probe_plain(HC_GATE_RW), 0);
	check_val("  label the server received (still bound to it)", seen[HC_SEEN_LABEL],
		  HC_GATE_LABEL | 1);

	/* A gate of our own: its creator holds it with IPCGATE_SVR. */
	l4_cap_idx_t own = SCRATCH(7);
	check("create an own gate with label 0x700",
	      l4_error(l4_factory_create_gate(RT_FACTORY_CAP, own, RT_THREAD_CAP, 0x700)), 0);
	check("rebind the own gate with label 0x701",
	      l4_error(l4_rcv_ep_bind_thread(own, RT_THREAD_CAP, 0x701)), -L4_EINVAL);
	check("rebind the own gate to an empty thread slot",
	      l4_error(l4_rcv_ep_bind_thread(own, EMPTY, 0x704)), -L4_EINVAL);
	mr[0] = L4_RCV_EP_BIND_OP;
	mr[1] = 0x704;
	check("rebind the own gate without the thread item",
	      raw_call(own, l4_msgtag(L4_PROTO_KOBJECT, 2, 0, 0)), -L4_EINVAL);
	label = 0;
	check("get_info of the own gate", l4_error(l4_ipc_gate_get_infos(own, &label)), 0);
	check_val("  its label (unchanged)", label, 0x700);
	mr[0] = 0x99;
	check("own gate, unknown opcode 0x99", raw_call(own, l4_msgtag(L4_PROTO_KOBJECT, 1, 0, 0)),
	      -L4_ENOSYS);
	check("own gate, no words", raw_call(own, l4_msgtag(L4_PROTO_KOBJECT, 0, 0, 0)),
	      -L4_EINVAL);
	check("map the own gate without IPCGATE_SVR",
	      l4_error(l4_task_map(RT_TASK_CAP, RT_TASK_CAP,
				   l4_obj_fpage(own, 0, L4_CAP_FPAGE_RWS),
				   SCRATCH(8) | L4_ITEM_MAP)),
	      0);
	mr[0] = L4_IPC_GATE_GET_INFO_OP;
	check("get_info through that copy is IPC to the own thread (which does not wait)",
	      l4_error(l4_ipc_call(SCRATCH(8), l4_utcb(), l4_msgtag(L4_PROTO_KOBJECT, 1, 0, 0),
				   L4_IPC_BOTH_TIMEOUT_0)),
	      -(L4_EIPC_LO + L4_IPC_SETIMEOUT));
}

/* Garbage message tags, map items, receive buffers. */
static void message_cases(void)
{
	l4_msg_regs_t *mr = l4_utcb_mr();

	for (unsigned i = 0; i < L4_UTCB_GENERIC_DATA_SIZE; i++)
		mr->mr[i] = 0x5a5a5a5a00000000UL | i;
	check("call the server with 63 words and 1 item",
	      probe(HC_GATE_RW, 0, l4_msgtag(HC_PROTO_PROBE, 63, 1, 0)),
	      -(L4_EIPC_LO + L4_IPC_SEMSGCUT));
	check("call the server with 63 words and 63 items",
	      probe(HC_GATE_RW, 0, l4_msgtag(HC_PROTO_PROBE, 63, 63, 0)),
	      -(L4_EIPC_LO + L4_IPC_SEMSGCUT));
	check("call the server with 0 words and 32 items",
	      probe(HC_GATE_RW, 0, l4_msgtag(HC_PROTO_PROBE, 0, 32, 0)),
	      -(L4_EIPC_LO + L4_IPC_SEMSGCUT));
	check("the server afterwards", driver_arm(1), 0);
	check_val("  its last receive error", seen[HC_SEEN_RCV_ERR], L4_IPC_REMSGCUT);

	mr->mr[0] = 0x1234;
	mr->mr[1] = L4_ITEM_MAP;
	mr->mr[2] = l4_obj_fpage(EMPTY, 0, L4_CAP_FPAGE_RWS).raw;
	check("send a map item naming an empty slot",
	      probe(HC_GATE_RW, 0, l4_msgtag(HC_PROTO_PROBE, 1, 1, 0)), 0);
	check_val("  the server's receive slot (cap_valid)", seen[HC_SEEN_RCV_VALID], 0);

	mr->mr[0] = 0x1234;
	mr->mr[1] = L4_ITEM_MAP;
	mr->mr[2] = l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_W).raw;
	check("send a map item without R",
	      probe(HC_GATE_RW, 0, l4_msgtag(HC_PROTO_PROBE, 1, 1, 0)), 0);
	check_val("  the server's receive slot (cap_valid)", seen[HC_SEEN_RCV_VALID], 0);

	mr->mr[0] = 0x1234;
	mr->mr[1] = L4_ITEM_MAP;
	mr->mr[2] = l4_obj_fpage(BEYOND, 0, L4_CAP_FPAGE_RWS).raw;
	check("send a map item naming a slot beyond the space",
	      probe(HC_GATE_RW, 0, l4_msgtag(HC_PROTO_PROBE, 1, 1, 0)),
	      -(L4_EIPC_LO + L4_IPC_SEMAPFAILED));
	check("the server afterwards", driver_arm(1), 0);
	check_val("  its last receive error", seen[HC_SEEN_RCV_ERR], L4_IPC_REMAPFAILED);
	check_val("  its receive slot (cap_valid)", seen[HC_SEEN_RCV_VALID], 0);

	check("the server disarms its receive buffer", driver_arm(0), 0);
	mr->mr[0] = 0x1234;
	mr->mr[1] = L4_ITEM_MAP;
	mr->mr[2] = l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW).raw;
	check("send a map item to a receiver without a receive buffer",
	      probe(HC_GATE_RW, 0, l4_msgtag(HC_PROTO_PROBE, 1, 1, 0)),
	      -(L4_EIPC_LO + L4_IPC_SEMAPFAILED));
	check("the server afterwards", driver_arm(1), 0);
	check_val("  its last receive error", seen[HC_SEEN_RCV_ERR], L4_IPC_REMAPFAILED);
	check_val("  its receive slot (cap_valid, nothing mapped)", seen[HC_SEEN_RCV_VALID], 0);

	mr->mr[0] = 0x1234;
	mr->mr[1] = L4_ITEM_MAP;
	mr->mr[2] = l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW).raw;
	check("send a map item to the armed server",
	      probe(HC_GATE_RW, 0, l4_msgtag(HC_PROTO_PROBE, 1, 1, 0)), 0);
	check_val("  the server's receive slot (cap_valid)", seen[HC_SEEN_RCV_VALID], 1);

	/* Memory items are ignored (recap maps memory only through l4x). */
	mr->mr[0] = 0x1234;
	mr->mr[1] = L4_ITEM_MAP;
	mr->mr[2] = l4_fpage(0x10000000, 12, L4_FPAGE_RWX).raw;
	check("send a memory map item",
	      probe(HC_GATE_RW, 0, l4_msgtag(HC_PROTO_PROBE, 1, 1, 0)), 0);
	check_val("  the server's receive slot (cap_valid)", seen[HC_SEEN_RCV_VALID], 0);
}

/* Receive-side garbage: a helper thread receives with bad buffers. */
static volatile long helper_result[4];
static volatile int helper_step;

static void helper(void *arg)
{
	(void)arg;
	l4_buf_regs_t *br = l4_utcb_br();
	for (int i = 0; i < 2; i++) {
		l4_umword_t label;
		br->bdr = 0;
		/* 0: a receive buffer naming a slot beyond the space;
		 * 1: a receive buffer that is not a capability buffer. */
		br->br[0] = i == 0 ? (BEYOND | L4_RCV_ITEM_SINGLE_CAP) : 0x5000;
		l4_msgtag_t t = l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER);
		helper_result[i] = l4_error(t);
	}
	helper_step = 1;
	for (;;)
		l4_ipc_receive(L4_INVALID_CAP, l4_utcb(), L4_IPC_NEVER);
}

static void receiver_cases(void)
{
	l4_cap_idx_t th = rt_thread_start(1, helper, 0);
	check("start a helper thread", l4_is_valid_cap(th) ? 0 : -1, 0);
	if (!l4_is_valid_cap(th))
		return;
	l4_msg_regs_t *mr = l4_utcb_mr();
	for (int i = 0; i < 2; i++) {
		mr->mr[0] = L4_ITEM_MAP;
		mr->mr[1] = l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW).raw;
		/* Wait (send timeout) until the helper waits. */
		long r = l4_error(l4_ipc_send(th, l4_utcb(), l4_msgtag(0, 0, 1, 0), L4_IPC_NEVER));
		check(i == 0 ? "send a capability to a receive buffer beyond the space"
			     : "send a capability to a receive buffer of the wrong type",
		      r, -(L4_EIPC_LO + L4_IPC_SEMAPFAILED));
	}
	while (!helper_step)
		l4_thread_yield();
	check("  the receiver's result (buffer beyond the space)", helper_result[0],
	      -(L4_EIPC_LO + L4_IPC_REMAPFAILED));
	check("  the receiver's result (wrong buffer type)", helper_result[1],
	      -(L4_EIPC_LO + L4_IPC_REMAPFAILED));
}

/*
 * Receive buffers naming slots whose old occupant's release destroys a
 * party of the very IPC: the receiving thread's own capability (the root
 * one, with D), or the sending thread's. The kernel must not touch the
 * dead thread (or its task) afterwards, and the survivor gets an error.
 */
static volatile long victim_result;
static volatile int victim_done;

static void wait_into(void *slot)
{
	l4_umword_t label;
	l4_utcb_br()->bdr = 0;
	l4_utcb_br()->br[0] = (l4_umword_t)slot | L4_RCV_ITEM_SINGLE_CAP;
	victim_result = l4_error(l4_ipc_wait(l4_utcb(), &label, L4_IPC_NEVER));
	victim_done = 1;
	for (;;)
		l4_ipc_receive(L4_INVALID_CAP, l4_utcb(), L4_IPC_NEVER);
}

static void send_log_to(void *dest)
{
	l4_utcb_mr()->mr[0] = L4_ITEM_MAP;
	l4_utcb_mr()->mr[1] = l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW).raw;
	l4_ipc_send((l4_cap_idx_t)dest, l4_utcb(), l4_msgtag(0, 0, 1, 0), L4_IPC_NEVER);
	rt_printf("the sender came back from its send WRONG\n");
	wrong++;
	for (;;)
		l4_ipc_receive(L4_INVALID_CAP, l4_utcb(), L4_IPC_NEVER);
}

static void destroy_cases(void)
{
	l4_umword_t *mr = l4_utcb_mr()->mr;
	l4_cap_idx_t copy = SCRATCH(11);

	/* 1: the receiver's buffer is its own thread slot. */
	l4_cap_idx_t r = rt_thread_start(2, wait_into, (void *)RT_THREAD_SLOT(2));
	check("start a thread receiving into its own thread slot",
	      l4_is_valid_cap(r) ? 0 : -1, 0);
	l4_task_map(RT_TASK_CAP, RT_TASK_CAP, l4_obj_fpage(r, 0, L4_CAP_FPAGE_RWS),
		    copy | L4_ITEM_MAP);
	mr[0] = L4_ITEM_MAP;
	mr[1] = l4_obj_fpage(RT_LOG_CAP, 0, L4_CAP_FPAGE_RW).raw;
	check("send it a capability (its slot's release destroys it)",
	      l4_error(l4_ipc_send(copy, l4_utcb(), l4_msgtag(0, 0, 1, 0), L4_IPC_NEVER)),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
	check_val("  the receiver's other capability (cap_valid)", valid(copy), 0);
	check_val("  its slot now holds the capability sent (cap_valid)", valid(r), 1);
	check_val("  the receiver never returned", victim_done, 0);

	/* 2: the receiver's buffer is the sender's thread slot. */
	victim_done = 0;
	l4_cap_idx_t rr = rt_thread_start(3, wait_into, (void *)RT_THREAD_SLOT(4));
	l4_cap_idx_t ss = rt_thread_start(4, send_log_to, (void *)rr);
	check("start a receiver into the sender's thread slot, and the sender",
	      l4_is_valid_cap(rr) && l4_is_valid_cap(ss) ? 0 : -1, 0);
	for (int i = 0; i < 5000 && !victim_done; i++)
		l4_ipc_sleep_ms(1);
	check("  the receiver's wait", victim_done ? victim_result : -1,
	      -(L4_EIPC_LO + L4_IPC_RECANCELED));
	check_val("  the sender's slot now holds the capability sent (cap_valid)", valid(ss), 1);
}

static void thread_cases(void)
{
	l4_umword_t *mr = l4_utcb_mr()->mr;
	l4_cap_idx_t fresh = SCRATCH(9);

	mr[0] = L4_THREAD_CONTROL_OP;
	check("thread_control with 2 words",
	      raw_call(RT_THREAD_CAP, l4_msgtag(L4_PROTO_THREAD, 2, 0, 0)), -L4_EINVAL);
	mr[0] = 0x7777;
	check("thread unknown opcode 0x7777",
	      raw_call(RT_THREAD_CAP, l4_msgtag(L4_PROTO_THREAD, 1, 0, 0)), -L4_ENOSYS);
	check("thread call with no words",
	      raw_call(RT_THREAD_CAP, l4_msgtag(L4_PROTO_THREAD, 0, 0, 0)), -L4_EINVAL);
	mr[0] = L4_THREAD_EX_REGS_OP;
	check("ex_regs with 1 word",
	      raw_call(RT_THREAD_CAP, l4_msgtag(L4_PROTO_THREAD, 1, 0, 0)), -L4_EINVAL);

	check("create a thread", l4_error(l4_factory_create_thread(RT_FACTORY_CAP, fresh)), 0);
	check("ex_regs of the unbound thread",
	      l4_error(l4_thread_ex_regs(fresh, 0x10000000, 0x20000000, 0)), -L4_EINVAL);

	l4_thread_control_start();
	l4_thread_control_bind((l4_utcb_t *)(RT_UTCB_AREA + 5 * L4_UTCB_OFFSET), EMPTY);
	check("bind it to an empty task slot", l4_error(l4_thread_control_commit(fresh)),
	      -L4_EINVAL);
	l4_thread_control_start();
	l4_thread_control_bind((l4_utcb_t *)(RT_UTCB_AREA + 5 * L4_UTCB_OFFSET), RT_LOG_CAP);
	check("bind it to a log", l4_error(l4_thread_control_commit(fresh)), -L4_EINVAL);
	l4_thread_control_start();
	l4_thread_control_bind((l4_utcb_t *)0x40000000, RT_TASK_CAP);
	check("bind it with a UTCB outside the UTCB area",
	      l4_error(l4_thread_control_commit(fresh)), -L4_EINVAL);
	l4_thread_control_start();
	l4_thread_control_bind((l4_utcb_t *)(RT_UTCB_AREA + 5 * L4_UTCB_OFFSET + 8), RT_TASK_CAP);
	check("bind it with a misaligned UTCB", l4_error(l4_thread_control_commit(fresh)),
	      -L4_EINVAL);
	l4_thread_control_start();
	l4_thread_control_bind((l4_utcb_t *)(RT_UTCB_AREA + (1UL << RT_UTCB_ORDER)), RT_TASK_CAP);
	check("bind it with the UTCB just past the area",
	      l4_error(l4_thread_control_commit(fresh)), -L4_EINVAL);
	l4_thread_control_start();
	l4_thread_control_bind((l4_utcb_t *)RT_UTCB_AREA, RT_TASK_CAP);
	check("bind it to the main thread's UTCB", l4_error(l4_thread_control_commit(fresh)),
	      -L4_EBUSY);
	mr[0] = L4_THREAD_CONTROL_OP | L4_THREAD_CONTROL_BIND_TASK;
	mr[5] = RT_UTCB_AREA + 5 * L4_UTCB_OFFSET;
	check("bind without the task item",
	      raw_call(fresh, l4_msgtag(L4_PROTO_THREAD, 6, 0, 0)), -L4_EINVAL);
	check("ex_regs of the still unbound thread",
	      l4_error(l4_thread_ex_regs(fresh, 0x10000000, 0x20000000, 0)), -L4_EINVAL);

	l4_thread_control_start();
	l4_thread_control_bind((l4_utcb_t *)(RT_UTCB_AREA + 5 * L4_UTCB_OFFSET), RT_TASK_CAP);
	check("bind it properly", l4_error(l4_thread_control_commit(fresh)), 0);
	check("ex_regs to start it with ip ~0",
	      l4_error(l4_thread_ex_regs(fresh, ~0UL, 0x20000000, 0)), -L4_EINVAL);
	l4_thread_control_start();
	l4_thread_control_bind((l4_utcb_t *)(RT_UTCB_AREA + 6 * L4_UTCB_OFFSET), HC_TASK_R);
	check("bind the bound thread again elsewhere (ignored)",
	      l4_error(l4_thread_control_commit(fresh)), 0);
	check("delete the never started thread",
	      l4_error(l4_task_delete_obj(RT_TASK_CAP, fresh)), 0);
	check_val("  its slot (cap_valid)", valid(fresh), 0);

	l4_addr_t ip = ~0UL, sp = ~0UL;
	l4_umword_t flags = 0;
	check("ex_regs of the own thread changing nothing",
	      l4_error(l4_thread_ex_regs_ret(RT_THREAD_CAP, &ip, &sp, &flags)), 0);
	check("  ip reported inside the program", ip >= 0x10000000 && ip < 0x20000000 ? 0 : -1, 0);
	check("ipc call to an empty slot after it", raw_call(EMPTY, l4_msgtag(0, 0, 0, 0)),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
}

static void other_object_cases(void)
{
	l4_umword_t *mr = l4_utcb_mr()->mr;
	l4_cap_idx_t irq = SCRATCH(10);
	struct l4x_task_info ti;

	mr[0] = L4_VCON_WRITE_OP;
	mr[1] = 1UL << 40;
	__builtin_memcpy(&mr[2], "LOG CUT\n", 8);
	check("log write claiming 2^40 bytes in 3 words (cut to 8)",
	      raw_call(RT_LOG_CAP, l4_msgtag(L4_PROTO_LOG, 3, 0, 0)), 0);
	mr[0] = 0x55;
	check("log unknown opcode 0x55", raw_call(RT_LOG_CAP, l4_msgtag(L4_PROTO_LOG, 2, 0, 0)),
	      -L4_ENOSYS);
	mr[0] = L4_VCON_WRITE_OP;
	check("log write with one word", raw_call(RT_LOG_CAP, l4_msgtag(L4_PROTO_LOG, 1, 0, 0)),
	      -L4_ENOSYS);
	check("log called with the task protocol",
	      raw_call(RT_LOG_CAP, l4_msgtag(L4_PROTO_TASK, 2, 0, 0)), -L4_EBADPROTO);

	check("create an irq", l4_error(l4_factory_create_irq(RT_FACTORY_CAP, irq)), 0);
	check("receive from the unattached irq",
	      l4_error(l4_irq_receive(irq, L4_IPC_NEVER)), -L4_ENOENT);
	mr[0] = 0x99;
	check("irq unknown opcode 0x99", raw_call(irq, l4_msgtag(L4_PROTO_IRQ, 1, 0, 0)),
	      -L4_ENOSYS);
	mr[0] = 0x99;
	check("irq-sender unknown opcode 0x99",
	      raw_call(irq, l4_msgtag(L4_PROTO_IRQ_SENDER, 1, 0, 0)), -L4_ENOSYS);
	check("irq called with the task protocol",
	      raw_call(irq, l4_msgtag(L4_PROTO_TASK, 1, 0, 0)), -L4_EBADPROTO);
	mr[0] = L4_RCV_EP_BIND_OP;
	mr[1] = 0x40;
	check("attach the irq without the thread item",
	      raw_call(irq, l4_msgtag(L4_PROTO_KOBJECT, 2, 0, 0)), -L4_EINVAL);
	check("attach the irq to an empty thread slot",
	      l4_error(l4_rcv_ep_bind_thread(irq, EMPTY, 0x40)), -L4_EINVAL);

	check("l4x_task_info through the empty host selector",
	      l4x_task_info(L4X_BASE_HOST_CAP, RT_TASK_CAP, &ti),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
	check("l4x_task_info through a host capability without W",
	      l4x_task_info(HC_HOST_RS, RT_TASK_CAP, &ti), -L4_EPERM);
	check("l4x_thread_pause through a host capability without W",
	      l4x_thread_pause(HC_HOST_RS, RT_THREAD_CAP), -L4_EPERM);
	check("l4x_cap_next through a host capability without W",
	      l4x_cap_next(HC_HOST_RS, RT_TASK_CAP, 0) == L4_INVALID_CAP ? 0 : -1, 0);
	mr[0] = L4X_HOST_THREAD_PAUSE;
	mr[1] = RT_THREAD_CAP;
	check("host call with the task protocol",
	      raw_call(HC_HOST_RS, l4_msgtag(L4_PROTO_TASK, 2, 0, 0)), -L4_EBADPROTO);
	check("l4x_task_info through the log",
	      l4x_task_info(RT_LOG_CAP, RT_TASK_CAP, &ti), -L4_EBADPROTO);
}

/*
 * ex_regs of the own thread to a new ip and stack: the thread goes on
 * there (as on Fiasco, the call does not return), and the calls it makes
 * from there get their own answers.
 */
static unsigned char jump_stack[16384] __attribute__((aligned(16)));

static void finish(void) __attribute__((noreturn));
static void finish(void)
{
	/* Everything still works: a last round trip to the server. */
	check("a last call through the probe gate", probe_plain(HC_GATE_RW), 0);
	check_val("  label the server received", seen[HC_SEEN_LABEL], HC_GATE_LABEL | 1);
	rt_printf("hostile_caps: %d wrong\n", wrong);
	rt_exit(wrong);
}

static void after_jump(void) __attribute__((noreturn, used));
static void after_jump(void)
{
	rt_printf("ex_regs of the own thread to a new ip and stack: went there\n");
	check("  a call from there (to an empty slot)", raw_call(EMPTY, l4_msgtag(0, 0, 0, 0)),
	      -(L4_EIPC_LO + L4_IPC_ENOT_EXISTENT));
	check_val("  and the next one (cap_valid of the log)", valid(RT_LOG_CAP), 1);
	finish();
}

static void jump_self(void) __attribute__((noreturn));
static void jump_self(void)
{
	/* As if called: rsp + 8 is 16-byte aligned at the entry. */
	l4_addr_t sp = (l4_addr_t)(jump_stack + sizeof(jump_stack) - 8);
	long r = l4_error(l4_thread_ex_regs(RT_THREAD_CAP, (l4_addr_t)after_jump, sp, 0));
	check("ex_regs of the own thread to a new ip and stack RETURNED", r, -1000);
	finish();
}

int main(void)
{
	rt_ready(0);
	ipc_cases();
	task_cases();
	factory_cases();
	gate_cases();
	message_cases();
	receiver_cases();
	destroy_cases();
	thread_cases();
	other_object_cases();
	jump_self();
}
