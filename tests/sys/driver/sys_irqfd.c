/*
 * sys_irqfd — a host descriptor bound to an IRQ (l4x_irq_bind_fd) behaves
 * like a level-triggered interrupt line: readable data triggers the IRQ
 * once; after the acknowledgement (the EOI of the next l4_irq_receive) it
 * triggers again while data is still there, and not once it is drained.
 */
#include <stdio.h>
#include <unistd.h>

#include <l4/sys/factory.h>
#include <l4/sys/irq.h>
#include <l4/sys/rcv_endpoint.h>
#include <l4/sys/x.h>
#include <recap/host_task.h>

#include "boot.h"

static char const *outcome(l4_msgtag_t t)
{
	if (!l4_msgtag_has_error(t))
		return "triggered";
	return l4_ipc_error(t, l4_utcb()) == L4_IPC_RETIMEOUT ? "timeout" : "error";
}

static l4_msgtag_t receive(l4_cap_idx_t irq, unsigned ms)
{
	l4_timeout_t to = ms ? l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(ms * 1000))
			     : L4_IPC_RECV_TIMEOUT_0;
	return l4_irq_receive(irq, to);
}

int main(void)
{
	int p[2];
	char c = 'x';
	if (host_task_init() || pipe(p))
		return 1;
	l4_cap_idx_t irq = boot_alloc_sel();
	if (l4_error(l4_factory_create_irq(L4_BASE_FACTORY_CAP, irq)) < 0 ||
	    l4_error(l4_rcv_ep_bind_thread(irq, L4_BASE_THREAD_CAP, 0x70)) < 0)
		return 1;
	printf("bind to an IRQ that is not ours: %ld\n",
	       l4x_irq_bind_fd(L4X_BASE_HOST_CAP, L4_BASE_LOG_CAP, p[0]));
	printf("bind: %ld\n", l4x_irq_bind_fd(L4X_BASE_HOST_CAP, irq, p[0]));
	printf("empty pipe: %s\n", outcome(receive(irq, 0)));
	if (write(p[1], &c, 1) != 1)
		return 1;
	printf("one byte written: %s\n", outcome(receive(irq, 2000)));
	printf("not read yet, after the EOI: %s\n", outcome(receive(irq, 2000)));
	if (read(p[0], &c, 1) != 1)
		return 1;
	printf("drained, after the EOI: %s\n", outcome(receive(irq, 50)));
	if (write(p[1], &c, 1) != 1)
		return 1;
	printf("written again: %s\n", outcome(receive(irq, 2000)));
	return 0;
}
