/*
 * elf.c — reading a component's ELF file (elf.h) with libelf.
 *
 * The file is read whole into memory and parsed there (elf_memory), so the
 * segment contents and the symbol table come from one consistent copy, and
 * a file changing under core cannot make the checks lie.
 *
 * Every check guards core or the component's layout: segments must not
 * reach into the UTCB and stack areas core places itself, must not share
 * a page with another segment (each gets a dataspace of its own with its
 * own rights), and must be backed by the file for their filesz bytes.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/x.h>
#include <recap/layout.h>

#include "elf.h"

static int fail(char err[ELF_ERR_MAX], char const *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, ELF_ERR_MAX, fmt, ap);
	va_end(ap);
	return -1;
}

static int read_file(struct elf_image *img, char const *path,
		     char err[ELF_ERR_MAX])
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	size_t done = 0;

	if (fd < 0)
		return fail(err, "%s", strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > ELF_FILE_MAX) {
		close(fd);
		return fail(err, "not a regular file of at most %lu MiB",
			    ELF_FILE_MAX >> 20);
	}
	img->size = (size_t)st.st_size;
	img->data = malloc(img->size ? img->size : 1);
	if (!img->data) {
		close(fd);
		return fail(err, "out of memory");
	}
	while (done < img->size) {
		ssize_t n = read(fd, img->data + done, img->size - done);

		if (n <= 0) {
			close(fd);
			return fail(err, "read: %s", n ? strerror(errno) : "short");
		}
		done += (size_t)n;
	}
	close(fd);
	return 0;
}

static l4_addr_t page_down(l4_addr_t a)
{
	return a & ~(L4_PAGESIZE - 1);
}

static l4_addr_t page_up(l4_addr_t a)
{
	return (a + L4_PAGESIZE - 1) & ~(L4_PAGESIZE - 1);
}

static int check_segment(struct elf_image *img, GElf_Phdr const *ph,
			 char err[ELF_ERR_MAX])
{
	struct elf_segment *s;
	l4_addr_t start = page_down(ph->p_vaddr);
	l4_addr_t end;

	if (img->nsegs == ELF_MAX_SEGMENTS)
		return fail(err, "more than %d loadable segments", ELF_MAX_SEGMENTS);
	if (ph->p_filesz > ph->p_memsz || ph->p_offset > img->size ||
	    ph->p_filesz > img->size - ph->p_offset)
		return fail(err, "segment at 0x%lx extends beyond the file",
			    (unsigned long)ph->p_vaddr);
	if (ph->p_vaddr < L4X_TASK_VM_START || ph->p_memsz > RECAP_UTCB_AREA ||
	    ph->p_vaddr > RECAP_UTCB_AREA - ph->p_memsz)
		return fail(err, "segment at 0x%lx outside 0x%lx..0x%lx",
			    (unsigned long)ph->p_vaddr, L4X_TASK_VM_START,
			    RECAP_UTCB_AREA);
	end = page_up(ph->p_vaddr + ph->p_memsz);
	for (unsigned i = 0; i < img->nsegs; i++) {
		l4_addr_t o_start = page_down(img->seg[i].vaddr);
		l4_addr_t o_end = page_up(img->seg[i].vaddr + img->seg[i].memsz);

		if (start < o_end && o_start < end)
			return fail(err, "segments at 0x%lx and 0x%lx share a page",
				    (unsigned long)img->seg[i].vaddr,
				    (unsigned long)ph->p_vaddr);
	}
	s = &img->seg[img->nsegs++];
	s->vaddr = ph->p_vaddr;
	s->memsz = ph->p_memsz;
	s->filesz = ph->p_filesz;
	s->offset = ph->p_offset;
	s->rights = ((ph->p_flags & PF_R) ? L4_FPAGE_RO : 0) |
		    ((ph->p_flags & PF_W) ? L4_FPAGE_W : 0) |
		    ((ph->p_flags & PF_X) ? L4_FPAGE_X : 0);
	return 0;
}

static int check_image(struct elf_image *img, char err[ELF_ERR_MAX])
{
	Elf *e = img->elf;
	GElf_Ehdr eh;
	size_t n;
	bool entry_ok = false;

	if (elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh) ||
	    gelf_getclass(e) != ELFCLASS64 || eh.e_machine != EM_X86_64)
		return fail(err, "not a 64-bit x86 ELF file");
	if (eh.e_type != ET_EXEC)
		return fail(err, "not a static executable (ELF type %u)", eh.e_type);
	if (elf_getphdrnum(e, &n))
		return fail(err, "no program headers");
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph))
			return fail(err, "broken program header %zu", i);
		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC)
			return fail(err, "dynamically linked");
		if (ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		if (check_segment(img, &ph, err))
			return -1;
	}
	for (unsigned i = 0; i < img->nsegs; i++) {
		struct elf_segment const *s = &img->seg[i];

		if ((s->rights & L4_FPAGE_X) && eh.e_entry >= s->vaddr &&
		    eh.e_entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	if (!entry_ok)
		return fail(err, "entry 0x%lx not in an executable segment",
			    (unsigned long)eh.e_entry);
	img->entry = eh.e_entry;
	return 0;
}

int elf_image_load(struct elf_image *img, char const *path,
		   char err[ELF_ERR_MAX])
{
	memset(img, 0, sizeof(*img));
	if (elf_version(EV_CURRENT) == EV_NONE)
		return fail(err, "libelf: %s", elf_errmsg(-1));
	if (read_file(img, path, err))
		goto fail;
	img->elf = elf_memory(img->data, img->size);
	if (!img->elf) {
		fail(err, "libelf: %s", elf_errmsg(-1));
		goto fail;
	}
	if (check_image(img, err))
		goto fail;
	return 0;
fail:
	elf_image_free(img);
	return -1;
}

int elf_image_symbol(struct elf_image const *img, char const *name,
		     l4_addr_t *addr, size_t *size)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(img->elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB ||
		    !sh.sh_entsize)
			continue;
		d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			char const *s;

			if (!gelf_getsym(d, (int)i, &sym))
				break;
			s = elf_strptr(img->elf, sh.sh_link, sym.st_name);
			if (s && !strcmp(s, name) && sym.st_shndx != SHN_UNDEF) {
				*addr = sym.st_value;
				*size = sym.st_size;
				return 0;
			}
		}
	}
	return -1;
}

void elf_image_free(struct elf_image *img)
{
	if (img->elf)
		elf_end(img->elf);
	free(img->data);
	img->elf = NULL;
	img->data = NULL;
}
