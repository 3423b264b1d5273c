/*
 * hostile — what the hostile-program tests' drivers and programs share
 * (sys_hostile_caps, sys_hostile_syscalls, sys_hostile_channel).
 */
#pragma once

/* ---- sys_hostile_caps ------------------------------------------------------ */

/* Label of the driver's probe gate (its low bits carry the client's W/S). */
#define HC_GATE_LABEL 0x500UL

/* Capabilities the driver gives hostile_caps (besides rt.h's). */
#define HC_TASK_R RT_ARG_CAP(0)		/* the program's own task, R only */
#define HC_FACTORY_RW RT_ARG_CAP(1)	/* the factory, R|W (no S) */
#define HC_GATE_R RT_ARG_CAP(2)		/* the probe gate, R */
#define HC_GATE_RW RT_ARG_CAP(3)	/* the probe gate, R|W */
#define HC_GATE_RWS RT_ARG_CAP(4)	/* the probe gate, R|W|S (no IPCGATE_SVR) */
#define HC_HOST_RS RT_ARG_CAP(5)	/* the host object, R|S (no W) */

/*
 * Messages to the probe gate (or the parent gate) other than READY / EXIT:
 * the driver answers every one with what it saw (HC_SEEN_*). With
 * HC_PROTO_ARM as the tag label, mr0 = 0 / 1 disarms / arms the driver's
 * receive buffer for the messages after it.
 */
#define HC_PROTO_PROBE 0x7e61
#define HC_PROTO_ARM 0x7e62

enum hc_seen {
	HC_SEEN_LABEL,		/* the label the driver received */
	HC_SEEN_PROTO,		/* the tag label it received */
	HC_SEEN_SHAPE,		/* words << 8 | items of the received tag */
	HC_SEEN_RCV_VALID,	/* 1 if its receive-buffer slot holds a capability */
	HC_SEEN_RCV_ERR,	/* IPC error of its last failed receive since the last answer */
	HC_SEEN_MR0,		/* mr0 of the message */
	HC_SEEN_WORDS
};

/* ---- sys_hostile_syscalls ------------------------------------------------- */

/*
 * The case a bad_syscall task runs: rt_ready's answer is
 * case | HS_ARG(value) (value: a pid, or the number in a /tmp path).
 */
enum hs_case {
	HS_OPEN = 1,		/* open("/tmp/recap-hostile-open-N", O_CREAT) */
	HS_OPENAT,		/* openat(AT_FDCWD, "/tmp/recap-hostile-openat-N", O_CREAT) */
	HS_SOCKET,		/* socket(AF_INET, SOCK_STREAM, 0) */
	HS_EXECVE,		/* execve("/usr/bin/touch", "/tmp/recap-hostile-exec-N") */
	HS_PTRACE,		/* ptrace(PTRACE_ATTACH, N) */
	HS_KILL,		/* kill(N, SIGKILL) */
	HS_GETPID,		/* getpid() */
	HS_MMAP,		/* mmap(0, 4096, RW, PRIVATE | ANONYMOUS) */
	HS_WRITE1,		/* write(1, ...) */
	HS_WRITE5,		/* write(5, ...) */
	HS_CLONE_FORK,		/* clone(SIGCHLD) */
	HS_CLONE_THREAD,	/* clone(the stub's own thread flags) */
	HS_READ0,		/* read(0, ...) */
	HS_X32_WRITE,		/* the x32 ABI's write on the thread's own channel */
	HS_INT80,		/* int $0x80 (i386 ABI) getpid */
	HS_SECOND_THREAD,	/* a second thread calls kill(N, SIGKILL) */
	HS_CASES
};

#define HS_ARG(v) ((unsigned long)(v) << 8)
#define HS_CASE_OF(x) ((unsigned)((x) & 0xff))
#define HS_VALUE_OF(x) ((unsigned long)(x) >> 8)

/* ---- sys_hostile_channel ---------------------------------------------------- */

/* What the blocked thread's call must come back with. */
#define HCH_REPLY_VALUE 0x4242UL
