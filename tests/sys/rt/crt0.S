/*
 * crt0 — entry of a freestanding test program. The kernel starts the main
 * thread with rsp at the top of its stack and gs at its UTCB; nothing else
 * is set. Call main(), then report its result to the parent.
 */
	.text
	.globl _start
_start:
	xor %rbp, %rbp
	and $-16, %rsp
	call main
	mov %eax, %edi
	call rt_exit
1:	hlt
	jmp 1b
	.section .note.GNU-stack,"",@progbits
