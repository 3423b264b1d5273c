/*
 * timeouts — what progs/timeouts.c and its driver sys_timeouts.c agree on:
 * the program marks the start and end of each timed operation with a READY
 * (mr0 = mark), the driver timestamps them and checks the elapsed times.
 */
#pragma once

enum to_mark {
	TO_RECV_START = 1, TO_RECV_END,		/* closed receive, 50 ms */
	TO_WAIT_START, TO_WAIT_END,		/* open wait, 50 ms */
	TO_SEND_START, TO_SEND_END,		/* send, 50 ms */
	TO_BUSY_START, TO_BUSY_END,		/* call to a busy thread, send 30 ms */
	TO_SLEEP_START, TO_SLEEP_END,		/* l4_ipc_sleep_ms(50) */
	TO_NEVER_START, TO_NEVER_END,		/* call, never: partner answers late */
	TO_REPLY_START, TO_REPLY_END,		/* call, receive 50 ms: no answer */
	TO_MANY_START, TO_MANY_END,		/* 8 threads sleeping 30..100 ms */
	TO_MARKS,
	TO_HOLD = 100,				/* READY: answer after TO_HOLD_MS */
};

#define TO_HOLD_MS 100
