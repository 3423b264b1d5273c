/*
 * irq — the IRQ kernel object (Fiasco's Irq_sender): a counting signal.
 *
 * Invariants:
 *  - count is the number of triggers not yet delivered (Fiasco 2019
 *    semantics: triggers are counted, not coalesced).
 *  - The IRQ is on its thread's sender queue iff thread != NULL and
 *    count > 0 and the thread has not received it yet.
 *  - label has its low two bits clear.
 */
#pragma once

#include <l4/sys/types.h>

#include "kobj.h"
#include "list.h"

struct thread;

struct irq {
	struct kobj kobj;
	struct thread *thread;		/* attached receiver */
	l4_umword_t label;
	unsigned long count;		/* pending triggers */
	struct sender_link queue_link;	/* on thread->senders */
	int host_fd;			/* a host descriptor triggering it, or -1 */
};

int irq_create(struct irq **out);

/* Count one trigger; deliver at once if the attached thread waits for it. */
void irq_trigger(struct irq *q);

/* Take one pending trigger: 1 if there was one. */
int irq_consume(struct irq *q);

int irq_attach(struct irq *q, struct thread *t, l4_umword_t label);
void irq_detach(struct irq *q);

/* Invocation of an IRQ capability: trigger, attach/bind, detach, receive. */
l4_msgtag_t irq_invoke(struct irq *q, unsigned rights, struct thread *caller,
		       l4_msgtag_t tag, l4_umword_t flags, bool *blocked);

void irq_thread_gone(struct thread *t);

/*
 * Let a host descriptor trigger the IRQ (l4x): each time fd becomes
 * readable the IRQ is triggered once and then masked until the receiver
 * acknowledges it (the EOI of l4_irq_receive / l4_irq_wait / l4_irq_unmask),
 * like a level-triggered interrupt line. The IRQ takes fd over.
 */
int irq_bind_fd(struct irq *q, int fd);

/* The IRQ a sender-queue node belongs to, or NULL if it is a thread's. */
static inline struct irq *irq_of_queue_link(struct list_node *n)
{
	struct sender_link *l = (struct sender_link *)n;
	return l->kind == SENDER_IRQ ? list_entry(l, struct irq, queue_link) : NULL;
}
