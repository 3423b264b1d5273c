/*
 * start_static — the baseline of bench/component_start.c: a static Linux
 * binary with no C library that reads the TSC as its first instruction,
 * writes the 8 bytes to stdout and exits.
 */
	.globl _start
	.text
_start:
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	push	%rax
	mov	$1, %eax		/* write(1, sp, 8) */
	mov	$1, %edi
	mov	%rsp, %rsi
	mov	$8, %edx
	syscall
	mov	$60, %eax		/* exit(0) */
	xor	%edi, %edi
	syscall
	.section .note.GNU-stack, "", @progbits
