/*
 * bad_syscall — a task that makes one forbidden Linux system call (the case
 * comes from its driver, sys_hostile_syscalls, as rt_ready's answer; see
 * hostile.h). The sandbox must kill the task's process before the call has
 * any effect; if the call returns, this says so and exits 1.
 */
#include "../rt/rt.h"
#include "hostile.h"

/* Linux x86-64 system call numbers and constants (no libc here). */
#define NR_read 0
#define NR_write 1
#define NR_open 2
#define NR_mmap 9
#define NR_socket 41
#define NR_clone 56
#define NR_execve 59
#define NR_exit 60
#define NR_kill 62
#define NR_ptrace 101
#define NR_getpid 39
#define NR_openat 257
#define X32_SYSCALL_BIT 0x40000000L
#define I386_NR_getpid 20

#define O_WRONLY 01
#define O_CREAT 0100
#define AT_FDCWD (-100)
#define AF_INET 2
#define SOCK_STREAM 1
#define PTRACE_ATTACH 16
#define SIGKILL 9
#define SIGCHLD 17
#define PROT_RW 3
#define MAP_PRIVATE_ANON 0x22
#define THREAD_CLONE_FLAGS 0x50f00L /* VM|FS|FILES|SIGHAND|THREAD|SYSVSEM */

static char path[64];

/* path = prefix followed by n in decimal. */
static char *make_path(char const *prefix, unsigned long n)
{
	char digits[24];
	unsigned i = 0, len = (unsigned)strlen(prefix);
	memcpy(path, prefix, len);
	do {
		digits[i++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (i)
		path[len++] = digits[--i];
	path[len] = 0;
	return path;
}

/* mmap has six arguments; rt_linux_syscall passes three. */
static long syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;
	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static unsigned char clone_stack[4096] __attribute__((aligned(16)));

/* clone with the flags of a thread; the child (if any) exits at once. */
static long clone_thread(void)
{
	long ret;
	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "mov $60, %%eax\n\t"
			 "xor %%edi, %%edi\n\t"
			 "syscall\n"
			 "1:"
			 : "=a"(ret)
			 : "a"((long)NR_clone), "D"(THREAD_CLONE_FLAGS),
			   "S"(clone_stack + sizeof(clone_stack)), "d"(0L)
			 : "rcx", "r11", "r10", "r8", "memory");
	return ret;
}

static long int80_getpid(void)
{
	long ret;
	__asm__ volatile("int $0x80" : "=a"(ret) : "a"((long)I386_NR_getpid) : "memory");
	return ret;
}

static long second_thread_result;

static void killer(void *arg)
{
	second_thread_result = rt_linux_syscall(NR_kill, (long)arg, SIGKILL, 0);
	rt_printf("bad_syscall: the second thread's kill returned %ld\n", second_thread_result);
}

static long run(unsigned c, unsigned long v)
{
	static char const leak[] = "LEAK from a sandboxed task\n";
	int chan = l4x_chan_fd(l4_utcb());
	switch (c) {
	case HS_OPEN:
		return rt_linux_syscall(NR_open, (long)make_path("/tmp/recap-hostile-open-", v),
					O_WRONLY | O_CREAT, 0644);
	case HS_OPENAT:
		return syscall6(NR_openat, AT_FDCWD,
				(long)make_path("/tmp/recap-hostile-openat-", v),
				O_WRONLY | O_CREAT, 0644, 0, 0);
	case HS_SOCKET:
		return rt_linux_syscall(NR_socket, AF_INET, SOCK_STREAM, 0);
	case HS_EXECVE: {
		static char const *argv[3];
		static char const *envp[1];
		argv[0] = "touch";
		argv[1] = make_path("/tmp/recap-hostile-exec-", v);
		argv[2] = 0;
		envp[0] = 0;
		return rt_linux_syscall(NR_execve, (long)"/usr/bin/touch", (long)argv, (long)envp);
	}
	case HS_PTRACE:
		return syscall6(NR_ptrace, PTRACE_ATTACH, (long)v, 0, 0, 0, 0);
	case HS_KILL:
		return rt_linux_syscall(NR_kill, (long)v, SIGKILL, 0);
	case HS_GETPID:
		return rt_linux_syscall(NR_getpid, 0, 0, 0);
	case HS_MMAP:
		return syscall6(NR_mmap, 0, 4096, PROT_RW, MAP_PRIVATE_ANON, -1, 0);
	case HS_WRITE1:
		return rt_linux_syscall(NR_write, 1, (long)leak, sizeof(leak) - 1);
	case HS_WRITE5:
		return rt_linux_syscall(NR_write, 5, (long)leak, sizeof(leak) - 1);
	case HS_CLONE_FORK: {
		long r = syscall6(NR_clone, SIGCHLD, 0, 0, 0, 0, 0);
		if (r == 0)
			rt_linux_syscall(NR_exit, 0, 0, 0);
		return r;
	}
	case HS_CLONE_THREAD:
		return clone_thread();
	case HS_READ0: {
		char c0;
		return rt_linux_syscall(NR_read, 0, (long)&c0, 1);
	}
	case HS_X32_WRITE:
		/* An allowed call (write on the own channel) in another ABI. */
		return rt_linux_syscall(X32_SYSCALL_BIT | NR_write, chan, (long)leak, sizeof(leak) - 1);
	case HS_INT80:
		return int80_getpid();
	case HS_SECOND_THREAD:
		if (!l4_is_valid_cap(rt_thread_start(1, killer, (void *)v)))
			return -1000;
		/* The main thread waits in the kernel meanwhile. */
		l4_ipc_sleep_ms(10000);
		return second_thread_result;
	default:
		return -2000;
	}
}

int main(void)
{
	unsigned long arg = rt_ready(0);
	unsigned c = HS_CASE_OF(arg);
	long r = run(c, HS_VALUE_OF(arg));
	rt_printf("bad_syscall: case %u survived its forbidden system call (result %ld)\n", c, r);
	return 1;
}
