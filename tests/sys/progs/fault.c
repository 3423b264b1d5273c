/*
 * fault — page faults and exceptions as IPC to the driver (the pager and
 * exception handler of every thread here):
 *  - main reads an unmapped address in the component range: the driver gets
 *    the exact address and ip, maps a page read-only and answers; the read
 *    is retried and sees the page; a write to that page faults again (as a
 *    write), the driver maps it writable, the write lands in its memfd;
 *  - a fault in the middle of composing a message leaves the message
 *    registers as they were (the fault IPC's own words do not leak in);
 *  - a second thread executes ud2: the driver gets exception 6 at its ip
 *    with its registers, answers with ip past the instruction and a new
 *    rax, and the thread goes on with them (its message registers, which
 *    carried the exception state, as they were);
 *  - a third thread faults and the driver never answers: it hangs, the
 *    rest of this task goes on;
 *  - a fourth thread faults with no pager: recapd ends that thread only.
 * The driver checks what it can see itself; see sys_fault.c.
 */
#include "../rt/rt.h"
#include "fault.h"

extern char fault_read_ip[], fault_write_ip[], fault_ud2_ip[];

static unsigned long __attribute__((noinline, noclone)) peek(unsigned long addr)
{
	unsigned long v;
	__asm__ volatile(".globl fault_read_ip\nfault_read_ip:\n\tmovq (%1), %0"
			 : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void __attribute__((noinline, noclone)) poke(unsigned long addr, unsigned long v)
{
	__asm__ volatile(".globl fault_write_ip\nfault_write_ip:\n\tmovq %1, (%0)"
			 : : "r"(addr), "r"(v) : "memory");
}

static unsigned long __attribute__((noinline, noclone)) undefined_instruction(void)
{
	unsigned long rax;
	__asm__ volatile("xor %%eax, %%eax\n.globl fault_ud2_ip\nfault_ud2_ip:\n\tud2"
			 : "=a"(rax) : : "memory");
	return rax;
}

/* A READY with an address: mr0 what, mr1 addr; returns the answer. */
static unsigned long tell(unsigned long what, unsigned long addr)
{
	l4_msg_regs_t *mr = l4_utcb_mr();
	mr->mr[0] = what;
	mr->mr[1] = addr;
	l4_msgtag_t t = l4_ipc_call(RT_PARENT_CAP, l4_utcb(),
				    l4_msgtag(RT_PROTO_READY, 2, 0, 0), L4_IPC_NEVER);
	return l4_msgtag_has_error(t) ? ~0UL : mr->mr[0];
}

/* Ask until the driver says yes (at most about 5 s). */
static int wait_for(unsigned long what)
{
	for (int i = 0; i < 1000; i++) {
		if (tell(what, 0) == 1)
			return 0;
		l4_ipc_sleep_ms(5);
	}
	return -1;
}

static void to_main(unsigned long v)
{
	l4_utcb_mr()->mr[0] = v;
	l4_ipc_send(RT_THREAD_CAP, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_NEVER);
}

static void ud2_thread(void *arg)
{
	l4_msg_regs_t *mr = l4_utcb_mr();
	(void)arg;
	for (unsigned i = 0; i < 32; i++)
		mr->mr[i] = 0xb0 + i;
	unsigned long rax = undefined_instruction();
	unsigned intact = 0;
	for (unsigned i = 0; i < 32; i++)
		intact += mr->mr[i] == 0xb0 + i;
	rt_printf("thread 2: past ud2, rax 0x%lx, %u of 32 message registers intact\n",
		  rax, intact);
	to_main(rax);
}

static void stuck_thread(void *arg)
{
	(void)arg;
	rt_printf("thread 3: reading 0x%lx\n", FAULT_STUCK_ADDR);
	to_main(0);
	peek(FAULT_STUCK_ADDR);
	rt_printf("thread 3: WRONG: the read came back\n");
}

static void pagerless_thread(void *arg)
{
	(void)arg;
	to_main(0);	/* running */
	l4_ipc_receive(RT_THREAD_CAP, l4_utcb(), L4_IPC_NEVER);
	rt_printf("thread 4: reading 0x%lx without a pager\n", FAULT_NOPAGER_ADDR);
	peek(FAULT_NOPAGER_ADDR);
	rt_printf("thread 4: WRONG: the read came back\n");
}

int main(void)
{
	tell(FR_IP_READ, (unsigned long)fault_read_ip);
	tell(FR_IP_WRITE, (unsigned long)fault_write_ip);
	tell(FR_IP_UD2, (unsigned long)fault_ud2_ip);

	unsigned long v = peek(FAULT_READ_ADDR);
	rt_printf("main: read 0x%lx at 0x%lx\n", v, FAULT_READ_ADDR);
	poke(FAULT_WRITE_ADDR, FAULT_WRITTEN);
	rt_printf("main: wrote 0x%lx at 0x%lx, read back 0x%lx\n", FAULT_WRITTEN,
		  FAULT_WRITE_ADDR, peek(FAULT_WRITE_ADDR));
	tell(FR_CHECK_WRITE, FAULT_WRITE_ADDR);

	l4_msg_regs_t *mr = l4_utcb_mr();
	for (unsigned i = 0; i < 8; i++)
		mr->mr[i] = 0xa110 + i;
	v = peek(FAULT_MR_ADDR);
	unsigned intact = 0;
	for (unsigned i = 0; i < 8; i++)
		intact += mr->mr[i] == 0xa110 + i;
	rt_printf("main: read 0x%lx at 0x%lx while composing a message; %u of 8 message "
		  "registers intact\n", v, FAULT_MR_ADDR, intact);

	l4_cap_idx_t th = rt_thread_start(2, ud2_thread, 0);
	if (l4_is_invalid_cap(th) ||
	    l4_msgtag_has_error(l4_ipc_receive(th, l4_utcb(), L4_IPC_NEVER)))
		return 1;
	rt_printf("main: thread 2 reported rax 0x%lx\n", l4_utcb_mr()->mr[0]);

	th = rt_thread_start(3, stuck_thread, 0);
	if (l4_is_invalid_cap(th) ||
	    l4_msgtag_has_error(l4_ipc_receive(th, l4_utcb(), L4_IPC_NEVER)) ||
	    wait_for(FR_STUCK_SEEN))
		return 1;
	rt_printf("main: thread 3 hangs in its fault, main goes on\n");

	th = rt_thread_start(4, pagerless_thread, 0);
	if (l4_is_invalid_cap(th) ||
	    l4_msgtag_has_error(l4_ipc_receive(th, l4_utcb(), L4_IPC_NEVER)))
		return 1;
	l4_thread_control_start();
	l4_thread_control_pager(L4_INVALID_CAP);
	l4_thread_control_exc_handler(L4_INVALID_CAP);
	if (l4_error(l4_thread_control_commit(th)) < 0)
		return 1;
	tell(FR_NOPAGER_ARMED, FAULT_NOPAGER_ADDR);
	l4_utcb_mr()->mr[0] = 0;
	if (l4_msgtag_has_error(l4_ipc_send(th, l4_utcb(), l4_msgtag(0, 1, 0, 0),
					    L4_IPC_NEVER)) ||
	    wait_for(FR_NOPAGER_GONE))
		return 1;
	rt_printf("main: thread 4 is gone, main goes on\n");
	return 0;
}
