/*
 * thread_start — how the stub creates a component thread, in assembly.
 *
 * A new thread must reach a well-defined stop for recapd before it runs a
 * single component instruction, and it must already carry the component
 * seccomp filter then. The child side of clone therefore runs nothing but
 * hand-written instructions: seccomp(SET_MODE_FILTER, 0, &component filter)
 * — on this thread only, no TSYNC, so the control thread keeps its own
 * filter — then int3. recapd, the tracer, catches the SIGTRAP, replaces every
 * register, and lets it go with the signal suppressed. No C runs on the
 * child side, so there is no libc state (TLS, errno) to share by accident.
 *
 * stub_exit_syscall is a bare `syscall` instruction: recapd ends a single
 * thread by pointing it there with rax = SYS_exit (Linux cannot kill one
 * thread from outside).
 */
#include <linux/seccomp.h>
#include <sys/syscall.h>

#include "stub.h"

#define STR_(x) #x
#define STR(x) STR_(x)

__asm__(
	".text\n"
	".globl stub_clone_thread\n"
	".type stub_clone_thread, @function\n"
	/* rdi = flags, rsi = stack top; no parent/child tid, no TLS */
	"stub_clone_thread:\n"
	"	xor %edx, %edx\n"
	"	xor %r10d, %r10d\n"
	"	xor %r8d, %r8d\n"
	"	mov $" STR(__NR_clone) ", %eax\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jz 1f\n"
	"	ret\n"
	"1:\n"
	"	mov $" STR(__NR_seccomp) ", %eax\n"
	"	mov $" STR(SECCOMP_SET_MODE_FILTER) ", %edi\n"
	"	xor %esi, %esi\n"
	"	lea stub_component_filter(%rip), %rdx\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 2f\n"
	".globl stub_thread_trap\n"
	"stub_thread_trap:\n"
	"	int3\n"
	"	ud2\n"
	/* Without its filter the thread must not live: take the process. */
	"2:\n"
	"	mov $" STR(__NR_exit_group) ", %eax\n"
	"	mov $127, %edi\n"
	"	syscall\n"
	"	ud2\n"
	".globl stub_exit_syscall\n"
	"stub_exit_syscall:\n"
	"	syscall\n"
	"	ud2\n"
	".size stub_clone_thread, . - stub_clone_thread\n");
