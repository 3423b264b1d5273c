/*
 * elf_load.c — the freestanding ELF64 reader (recap/elf_load.h). Its own
 * structure definitions (the ELF specification's layout): no host
 * headers, no code shared with core's libelf-based loader.
 *
 * Every offset and size read from the file is checked against the file's
 * length before use, with overflow-safe comparisons.
 */
#include <l4/sys/consts.h>
#include <l4/sys/x.h>

#include <recap/elf_load.h>
#include <recap/err.h>
#include <recap/layout.h>
#include <recap/string.h>

struct elf64_ehdr {
	unsigned char ident[16];
	unsigned short type, machine;
	unsigned int version;
	unsigned long entry, phoff, shoff;
	unsigned int flags;
	unsigned short ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	unsigned int type, flags;
	unsigned long offset, vaddr, paddr, filesz, memsz, align;
};

struct elf64_shdr {
	unsigned int name, type;
	unsigned long flags, addr, offset, size;
	unsigned int link, info;
	unsigned long addralign, entsize;
};

struct elf64_sym {
	unsigned int name;
	unsigned char info, other;
	unsigned short shndx;
	unsigned long value, size;
};

enum {
	ET_EXEC = 2, EM_X86_64 = 62, PT_LOAD = 1, PF_X = 1, PF_W = 2,
	SHT_SYMTAB = 2,
};

#define PAGE_MASK (L4_PAGESIZE - 1)

/* Is [off, off + size) inside a file of len bytes? */
static int inside(size_t len, unsigned long off, unsigned long size)
{
	return off <= len && size <= len - off;
}

static int check_header(void const *data, size_t len)
{
	struct elf64_ehdr const *eh = data;

	if (len < sizeof(*eh) || RECAP_STRING_NAME(memcmp)(eh->ident, "\177ELF", 4) ||
	    eh->ident[4] != 2 || eh->ident[5] != 1 || eh->type != ET_EXEC ||
	    eh->machine != EM_X86_64)
		return RECAP_ERR_INVAL;
	return RECAP_OK;
}

static int add_segment(struct recap_elf_image *img, struct elf64_phdr const *ph,
		       size_t len)
{
	struct recap_elf_segment *s;
	unsigned long end;

	unsigned long page = ph->vaddr & ~PAGE_MASK;

	if (img->nsegs == RECAP_ELF_MAX_SEGMENTS || !ph->memsz ||
	    ph->filesz > ph->memsz || !inside(len, ph->offset, ph->filesz) ||
	    (ph->vaddr & PAGE_MASK) != (ph->offset & PAGE_MASK) ||
	    ph->vaddr < L4X_TASK_VM_START || ph->vaddr >= RECAP_UTCB_AREA ||
	    ph->memsz > RECAP_UTCB_AREA - ph->vaddr)
		return RECAP_ERR_INVAL;
	/* Below RECAP_UTCB_AREA: rounding up cannot wrap. */
	end = (ph->vaddr + ph->memsz + PAGE_MASK) & ~PAGE_MASK;
	for (unsigned i = 0; i < img->nsegs; i++) {
		struct recap_elf_segment const *o = &img->seg[i];

		if (o->page < end && page < o->page + o->size)
			return RECAP_ERR_INVAL;	/* shares a page */
	}
	s = &img->seg[img->nsegs++];
	*s = (struct recap_elf_segment){
		.page = page, .vaddr = ph->vaddr, .offset = ph->offset,
		.filesz = ph->filesz, .memsz = ph->memsz, .size = end - page,
		.rights = L4_FPAGE_RO | (ph->flags & PF_W ? L4_FPAGE_W : 0) |
			  (ph->flags & PF_X ? L4_FPAGE_X : 0),
	};
	return RECAP_OK;
}

int recap_elf_read(void const *data, size_t len, struct recap_elf_image *img)
{
	struct elf64_ehdr const *eh = data;
	char const *base = data;
	int err = check_header(data, len);

	img->nsegs = 0;
	if (err != RECAP_OK)
		return err;
	if (eh->phentsize != sizeof(struct elf64_phdr) ||
	    !inside(len, eh->phoff, (unsigned long)eh->phnum * sizeof(struct elf64_phdr)) ||
	    (eh->phoff % 8))
		return RECAP_ERR_INVAL;
	for (unsigned i = 0; i < eh->phnum; i++) {
		struct elf64_phdr const *ph =
			(struct elf64_phdr const *)(base + eh->phoff) + i;

		if (ph->type == PT_LOAD && (err = add_segment(img, ph, len)))
			return err;
	}
	img->entry = eh->entry;
	for (unsigned i = 0; i < img->nsegs; i++) {
		struct recap_elf_segment const *s = &img->seg[i];

		if ((s->rights & L4_FPAGE_X) && eh->entry >= s->vaddr &&
		    eh->entry - s->vaddr < s->memsz)
			return RECAP_OK;
	}
	return RECAP_ERR_INVAL;
}

int recap_elf_symbol(void const *data, size_t len, char const *name,
		     unsigned long *addr)
{
	struct elf64_ehdr const *eh = data;
	char const *base = data;
	struct elf64_shdr const *sh;
	size_t name_len = RECAP_STRING_NAME(strlen)(name);

	if (check_header(data, len) != RECAP_OK ||
	    eh->shentsize != sizeof(*sh) || (eh->shoff % 8) ||
	    !inside(len, eh->shoff, (unsigned long)eh->shnum * sizeof(*sh)))
		return RECAP_ERR_INVAL;
	sh = (struct elf64_shdr const *)(base + eh->shoff);
	for (unsigned i = 0; i < eh->shnum; i++) {
		struct elf64_shdr const *strs;

		if (sh[i].type != SHT_SYMTAB)
			continue;
		if (sh[i].link >= eh->shnum || (sh[i].offset % 8) ||
		    !inside(len, sh[i].offset, sh[i].size))
			return RECAP_ERR_INVAL;
		strs = &sh[sh[i].link];
		if (!inside(len, strs->offset, strs->size))
			return RECAP_ERR_INVAL;
		for (unsigned long k = 0; k < sh[i].size / sizeof(struct elf64_sym); k++) {
			struct elf64_sym const *sym =
				(struct elf64_sym const *)(base + sh[i].offset) + k;

			if (sym->name >= strs->size ||
			    strs->size - sym->name <= name_len)
				continue;
			if (!RECAP_STRING_NAME(memcmp)(base + strs->offset + sym->name,
						       name, name_len + 1)) {
				*addr = sym->value;
				return RECAP_OK;
			}
		}
	}
	return RECAP_ERR_NOENT;
}
