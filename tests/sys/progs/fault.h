/* fault — what progs/fault.c and its driver sys_fault.c agree on. */
#pragma once

#define FAULT_READ_ADDR 0x40000000UL	/* read: the driver maps a page RO */
#define FAULT_WRITE_ADDR 0x40000010UL	/* write to that page: remapped RW */
#define FAULT_MR_ADDR 0x40001010UL	/* read while composing a message: RO */
#define FAULT_STUCK_ADDR 0x48000000UL	/* read: the driver never answers */
#define FAULT_NOPAGER_ADDR 0x49000000UL	/* read by a thread with no pager */
#define FAULT_PATTERN 0x1122334455667788UL	/* the page's first word */
#define FAULT_WRITTEN 0xcafef00dUL	/* what the program writes */
#define FAULT_RAX 0x600dUL		/* rax the exception handler sets */

/* READY messages of the fault program (mr0; mr1 = an address). */
enum fault_ready {
	FR_IP_READ = 1,		/* mr1: ip of the faulting read */
	FR_IP_WRITE,		/* mr1: ip of the faulting write */
	FR_IP_UD2,		/* mr1: ip of the ud2 */
	FR_CHECK_WRITE,		/* the driver checks the memfd */
	FR_STUCK_SEEN,		/* answer 1 once the stuck fault has arrived */
	FR_NOPAGER_ARMED,	/* the pagerless thread is about to fault */
	FR_NOPAGER_GONE,	/* answer 1 once its Linux thread is gone */
};
