/*
 * hostile_fuzz — random system calls from a task: tens of thousands of
 * requests with random destinations (its own objects: task, factory,
 * threads, gates, IRQs; empty, invalid and out-of-range selectors), random
 * flags, protocols, tag shapes and timeouts, and random message and buffer
 * registers (half-sensible words: selectors, object flexpages, map items,
 * opcodes, small and huge numbers). Helper threads receive and reply at
 * random, and are restarted when the fuzzing destroyed them.
 *
 * It proves nothing about results, only that the kernel answers every one
 * of them and survives: the program must get to its last line, and its
 * driver (sys_hostile_fuzz) must find recapd serving afterwards.
 *
 * Kept out of reach, so that the program can report: its own main thread
 * (never redirected by ex_regs), and the rt.h capabilities below slot
 * FZ_BASE (never unmapped or overwritten; the fuzzing uses copies).
 * Timeouts are 0 or below 1 ms, so no request blocks for long.
 */
#include "../rt/rt.h"

#include <l4/sys/ipc_gate.h>

#define FZ_BASE 0x200UL		/* the fuzzed slots: FZ_BASE .. FZ_BASE + FZ_SLOTS */
#define FZ_SLOTS 24
#define FZ_HELPER_SLOT 3	/* a copy of the current helper thread (with D) */
#define FZ_HELPERS 8		/* helper UTCB indices 1 .. FZ_HELPERS */

static unsigned long seed = 88172645463325252UL;

static unsigned long rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static l4_cap_idx_t sel(unsigned long i)
{
	return (FZ_BASE + i) << L4_CAP_SHIFT;
}

static int fuzzed(l4_umword_t selector)
{
	return (selector >> L4_CAP_SHIFT) >= FZ_BASE;
}

/* Helpers: wait with random receive buffers, reply (or not) at random. */
static void helper(void *arg)
{
	unsigned long s = (unsigned long)arg;
	for (;;) {
		l4_umword_t label;
		s = s * 6364136223846793005UL + 1442695040888963407UL;
		l4_utcb_br()->bdr = 0;
		l4_utcb_br()->br[0] = sel(16 + (s >> 33) % 6) | L4_RCV_ITEM_SINGLE_CAP;
		l4_msgtag_t t = l4_ipc_wait(l4_utcb(), &label,
					    l4_timeout(L4_IPC_TIMEOUT_NEVER,
						       l4_timeout_from_us(2000)));
		if (!l4_msgtag_has_error(t) && (s >> 40) & 1)
			l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, (s >> 41) % 4, 0, 0),
				     L4_IPC_SEND_TIMEOUT_0);
	}
}

static void start_helper(unsigned round)
{
	unsigned idx = 1 + round % FZ_HELPERS;
	l4_cap_idx_t h = rt_thread_start(idx, helper, (void *)(unsigned long)round);
	if (l4_is_valid_cap(h))
		l4_task_map(RT_TASK_CAP, RT_TASK_CAP, l4_obj_fpage(h, 0, L4_CAP_FPAGE_RWSD),
			    sel(FZ_HELPER_SLOT) | L4_ITEM_MAP);
}

/* A half-sensible register value. */
static l4_umword_t word(void)
{
	switch (rnd() % 8) {
	case 0: return rnd();
	case 1: return rnd() % 16;
	case 2: return sel(rnd() % FZ_SLOTS) | (rnd() % 16);
	case 3: return l4_obj_fpage(sel(rnd() % FZ_SLOTS), rnd() % 3, rnd() % 16).raw;
	case 4: return L4_ITEM_MAP | (rnd() & 0xf2) | sel(rnd() % FZ_SLOTS);
	case 5: return ~0UL;
	case 6: return (l4_umword_t)-(long)(rnd() % 24);
	default: return rnd() % 0x20;
	}
}

static long const protos[] = {
	0, L4_PROTO_TASK, L4_PROTO_THREAD, L4_PROTO_LOG, L4_PROTO_FACTORY, L4_PROTO_IRQ,
	L4_PROTO_IRQ_SENDER, L4_PROTO_KOBJECT, -100, 5, L4_PROTO_EXCEPTION, L4_PROTO_PAGE_FAULT,
};

static unsigned const flags[] = {
	L4_SYSF_CALL, L4_SYSF_SEND, L4_SYSF_RECV, L4_SYSF_WAIT, L4_SYSF_SEND_AND_WAIT,
	L4_SYSF_REPLY | L4_SYSF_SEND, L4_SYSF_REPLY_AND_WAIT, 0, 0xf,
};

/* Keep the request from reaching what the program needs to report. */
static void defuse(l4_cap_idx_t dest, long proto, l4_umword_t *mr)
{
	unsigned long slot = dest >> L4_CAP_SHIFT;
	if (proto == L4_PROTO_THREAD && (mr[0] & L4_THREAD_OPCODE_MASK) == L4_THREAD_EX_REGS_OP &&
	    slot != FZ_BASE + FZ_HELPER_SLOT && slot != FZ_BASE + 7)
		mr[1] = mr[2] = ~0UL;	/* no redirection of the main thread */
	if (proto == L4_PROTO_FACTORY && mr[0] == (l4_umword_t)L4_PROTO_TASK && rnd() % 20)
		mr[0] = 0;		/* few new processes */
	if (proto == L4_PROTO_TASK && mr[0] == L4_TASK_UNMAP_OP)
		for (int k = 2; k < 12; k++)
			if (l4_fpage_type((l4_fpage_t){ .raw = mr[k] }) == L4_FPAGE_OBJ &&
			    !fuzzed(mr[k]))
				mr[k] = 0;
	if (proto == L4_PROTO_TASK && mr[0] == L4_TASK_MAP_OP && !fuzzed(mr[1]))
		mr[1] = sel(rnd() % FZ_SLOTS) | (mr[1] & 0xfff);
}

int main(void)
{
	unsigned long n = rt_ready(0);
	seed += n * 7919;

	/* The objects to fuzz: copies, and objects of its own. */
	l4_task_map(RT_TASK_CAP, RT_TASK_CAP, l4_obj_fpage(RT_TASK_CAP, 0, L4_CAP_FPAGE_RWS),
		    sel(0) | L4_ITEM_MAP);
	l4_task_map(RT_TASK_CAP, RT_TASK_CAP, l4_obj_fpage(RT_FACTORY_CAP, 0, L4_CAP_FPAGE_RWS),
		    sel(2) | L4_ITEM_MAP);
	start_helper(0);
	l4_factory_create_gate(RT_FACTORY_CAP, sel(4), sel(FZ_HELPER_SLOT), 0x40);
	l4_factory_create_irq(RT_FACTORY_CAP, sel(5));
	l4_rcv_ep_bind_thread(sel(5), sel(FZ_HELPER_SLOT), 0x80);
	l4_factory_create_irq(RT_FACTORY_CAP, sel(6));
	l4_rcv_ep_bind_thread(sel(6), RT_THREAD_CAP, 0x90);
	l4_factory_create_thread(RT_FACTORY_CAP, sel(7));
	l4_factory_create_gate(RT_FACTORY_CAP, sel(8), L4_INVALID_CAP, 0x100);
	l4_factory_create_gate(RT_FACTORY_CAP, sel(9), RT_THREAD_CAP, 0x140);

	for (unsigned long i = 0; i < n; i++) {
		l4_umword_t *mr = l4_utcb_mr()->mr;
		if (i % 2000 == 1999 &&
		    !l4_msgtag_label(l4_task_cap_valid(RT_TASK_CAP, sel(FZ_HELPER_SLOT))))
			start_helper((unsigned)(i / 2000));
		for (int k = 0; k < 12; k++)
			mr[k] = word();
		l4_utcb_br()->bdr = rnd() % 4 == 0 ? rnd() : 0;
		for (int k = 0; k < 4; k++)
			l4_utcb_br()->br[k] = word();
		l4_cap_idx_t dest = rnd() % 10 == 0 ? word() : sel(rnd() % FZ_SLOTS);
		unsigned f = flags[rnd() % (sizeof(flags) / sizeof(flags[0]))];
		long proto = protos[rnd() % (sizeof(protos) / sizeof(protos[0]))];
		if (rnd() % 8 == 0)
			proto = (long)(rnd() & 0xffff) - 0x8000;
		unsigned words = rnd() % 4 == 0 ? rnd() % 64 : rnd() % 8;
		unsigned items = rnd() % 4 == 0 ? rnd() % 64 : rnd() % 3;
		l4_msgtag_t tag = l4_msgtag(proto, words, items, rnd() & 0xf000);
		defuse(dest, proto, mr);
		l4_timeout_t to = rnd() % 3 ? L4_IPC_BOTH_TIMEOUT_0
					    : l4_timeout(l4_timeout_from_us(rnd() % 500),
							 l4_timeout_from_us(rnd() % 500));
		l4x_syscall(l4_utcb(), dest | f, rnd(), tag, to, NULL);
	}
	rt_printf("hostile_fuzz: %lu random requests made\n", n);
	return 0;
}
