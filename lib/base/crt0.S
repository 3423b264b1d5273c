/*
 * crt0 — the entry of every component, and its _parent_cap.
 *
 * Core starts the main thread here with rsp at the top of the main stack
 * (recap_stack_top(0)) and gs at its UTCB; no other register is defined.
 * Clear the frame pointer (the end of backtraces), align the stack as the
 * ABI wants it at a call, and enter the runtime, which never returns.
 *
 * _parent_cap is the parent capability's raw form, written by the parent
 * into the loaded image before the component starts: word 0 is the badge
 * of the parent object, the gate to which sits at RECAP_PARENT_SLOT (as
 * Genode's _parent_cap, reserved at the start of .data by its linker
 * script). Components link this object first, so these eight words open
 * .data; core finds them through the symbol table all the same.
 */
	.text
	.globl _start
	.type _start, @function
_start:
	xor %rbp, %rbp
	and $-16, %rsp
	call recap_startup
1:	ud2			/* recap_startup returned: fault loudly */
	jmp 1b
	.size _start, . - _start

	.data
	.balign 8
	.globl _parent_cap
	.type _parent_cap, @object
_parent_cap:
	.fill 8, 8, 0xffffffffffffffff	/* RECAP_BADGE_INVALID until written */
	.size _parent_cap, . - _parent_cap

	.section .note.GNU-stack,"",@progbits
