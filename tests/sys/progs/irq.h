/* irq — what progs/irq.c and its driver sys_irq.c agree on. */
#pragma once

#define IRQ_D RT_ARG_CAP(0)		/* the driver's IRQ, bound to the main thread */
#define IRQ_D_LABEL 0x70UL
#define IRQ_DRIVER_TRIGGERS 2
#define IRQ_READY_DRIVER_TRIGGER 1	/* READY: fire IRQ_D after a pause */
