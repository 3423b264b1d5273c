/*
 * recap/elf_load.h — a small reader of static ELF64 x86-64 executables,
 * for loading a child from a ROM module (recap/child.h). Freestanding:
 * reads a file image in memory, trusts nothing in it.
 */
#pragma once

#include <stddef.h>

#define RECAP_ELF_MAX_SEGMENTS 8

struct recap_elf_segment {
	unsigned long page;	/* the first page it is on */
	unsigned long vaddr;	/* where its bytes start (page + lead) */
	unsigned long offset;	/* of its bytes in the file */
	unsigned long filesz;	/* bytes from the file */
	unsigned long memsz;	/* bytes in memory from vaddr (the rest zero) */
	unsigned long size;	/* whole pages from page */
	unsigned rights;	/* L4_FPAGE_RO with W and/or X */
};

struct recap_elf_image {
	unsigned long entry;
	unsigned nsegs;
	struct recap_elf_segment seg[RECAP_ELF_MAX_SEGMENTS];
};

/*
 * Check data (len bytes) is a 64-bit x86-64 ET_EXEC whose PT_LOAD
 * segments lie inside the file, are congruent to their file offsets
 * modulo the page size, are on pages of their own and lie
 * in [L4X_TASK_VM_START, RECAP_UTCB_AREA), with the entry in an
 * executable one. RECAP_OK and *img, or RECAP_ERR_INVAL.
 */
int recap_elf_read(void const *data, size_t len, struct recap_elf_image *img);

/*
 * The address of the symbol name in the file's .symtab. RECAP_OK and
 * *addr, RECAP_ERR_NOENT, or RECAP_ERR_INVAL (malformed tables).
 */
int recap_elf_symbol(void const *data, size_t len, char const *name,
		     unsigned long *addr);
