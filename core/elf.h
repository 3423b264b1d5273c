/*
 * elf.h — a component's ELF file, read and checked (libelf).
 *
 * Components are static, freestanding executables linked into the
 * component part of a task (recap/layout.h: below the UTCB area). Only
 * what core needs is kept: the loadable segments, the entry point, and a
 * symbol lookup (for _parent_cap).
 */
#pragma once

#include <stddef.h>

#include <l4/sys/types.h>

#define ELF_MAX_SEGMENTS 8
#define ELF_FILE_MAX (64UL << 20)	/* largest component file accepted */
#define ELF_ERR_MAX 256

struct elf_segment {
	l4_addr_t vaddr;	/* where it starts in the component */
	size_t memsz;		/* bytes in memory (the rest of filesz is zero) */
	size_t filesz;		/* bytes from the file */
	size_t offset;		/* where they are in the file */
	unsigned rights;	/* L4_FPAGE_RO | L4_FPAGE_W | L4_FPAGE_X */
};

struct elf_image {
	char *data;		/* the whole file */
	size_t size;
	void *elf;		/* libelf's handle over data */
	l4_addr_t entry;
	unsigned nsegs;
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/*
 * Read and check path: a 64-bit x86 executable (ET_EXEC), static (no
 * interpreter, no dynamic section), at most ELF_MAX_SEGMENTS loadable
 * segments, each inside the file, inside the component range below the
 * UTCB area, on pages of its own, the entry in an executable one.
 * Returns 0, or -1 with the reason in err.
 */
int elf_image_load(struct elf_image *img, char const *path,
		   char err[ELF_ERR_MAX]);

/* The address and size of the symbol name; 0, or -1 if there is none. */
int elf_image_symbol(struct elf_image const *img, char const *name,
		     l4_addr_t *addr, size_t *size);

void elf_image_free(struct elf_image *img);
