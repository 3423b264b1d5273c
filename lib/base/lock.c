/*
 * lock.c — the mutex and the blocking primitive (recap/lock.h).
 *
 * Why the waiter marks itself before it swaps in 2: a releaser that sees 2
 * wakes somebody marked; whoever swapped the 2 in had marked itself first,
 * so a waiter is either found by the releaser or finds the lock free by
 * its own swap. No wake-up is lost, because the kernel counts a trigger
 * that comes before the block. All atomics are sequentially consistent:
 * the argument needs the order of mark, swap and scan.
 */
#include <l4/sys/consts.h>
#include <l4/sys/irq.h>
#include <l4/sys/utcb.h>

#include <recap/cap_layout.h>
#include <recap/layout.h>
#include <recap/lock.h>

#define SC __ATOMIC_SEQ_CST

unsigned long recap_thread_index(void)
{
	return ((l4_addr_t)l4_utcb() - RECAP_UTCB_AREA) / L4_UTCB_OFFSET;
}

static l4_cap_idx_t irq_of(unsigned long index)
{
	return recap_slot_sel(recap_thread_slot(index, RECAP_THREAD_IRQ));
}

void recap_thread_block(void)
{
	l4_umword_t *mr0 = &l4_utcb_mr()->mr[0];
	l4_umword_t saved = *mr0;

	/* A failure (no IRQ: not a thread core made) returns at once too;
	 * the caller's loop then spins, which is slow but still correct. */
	l4_irq_receive(irq_of(recap_thread_index()), L4_IPC_NEVER);
	*mr0 = saved;
}

void recap_thread_wake(unsigned long index)
{
	if (index < RECAP_THREAD_MAX)
		l4_irq_trigger(irq_of(index));
}

static void owned(struct recap_lock *l, unsigned long me)
{
	__atomic_store_n(&l->owner, me + 1, __ATOMIC_RELAXED);
}

bool recap_lock_try(struct recap_lock *l)
{
	int free = 0;

	if (!__atomic_compare_exchange_n(&l->state, &free, 1, false, SC, SC))
		return false;
	owned(l, recap_thread_index());
	return true;
}

void recap_lock_acquire(struct recap_lock *l)
{
	unsigned long me = recap_thread_index();
	unsigned long *word = &l->waiting[(me / 64) % RECAP_LOCK_WORDS];
	unsigned long bit = 1UL << (me % 64);
	int free = 0;

	if (__atomic_compare_exchange_n(&l->state, &free, 1, false, SC, SC)) {
		owned(l, me);
		return;
	}
	if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == me + 1)
		__builtin_trap();	/* not recursive: this would never return */
	for (;;) {
		__atomic_fetch_or(word, bit, SC);
		if (__atomic_exchange_n(&l->state, 2, SC) == 0)
			break;
		recap_thread_block();
	}
	__atomic_fetch_and(word, ~bit, SC);
	owned(l, me);
}

/* Unmark one waiting thread, scanning on from l->next, and wake it. */
static void wake_one(struct recap_lock *l)
{
	unsigned long start = __atomic_load_n(&l->next, __ATOMIC_RELAXED);

	for (unsigned long k = 0; k < RECAP_THREAD_MAX;) {
		unsigned long i = (start + k) % RECAP_THREAD_MAX;
		unsigned long *word = &l->waiting[i / 64];
		unsigned long bits = __atomic_load_n(word, SC) >> (i % 64);
		unsigned long bit;

		if (!bits) {
			k += 64 - i % 64;	/* nobody in the rest of this word */
			continue;
		}
		i += (unsigned long)__builtin_ctzl(bits);
		k += (unsigned long)__builtin_ctzl(bits);
		bit = 1UL << (i % 64);
		if (__atomic_fetch_and(word, ~bit, SC) & bit) {
			__atomic_store_n(&l->next, i + 1, __ATOMIC_RELAXED);
			recap_thread_wake(i);
			return;
		}
		k++;	/* another releaser took that one */
	}
}

void recap_lock_release(struct recap_lock *l)
{
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&l->state, 0, SC) == 2)
		wake_one(l);
}
