/*
 * boot — loading and serving test programs from a root task (see boot.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/factory.h>
#include <l4/sys/ipc.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <l4/sys/x.h>

#include "../rt/rt.h"
#include "boot.h"

#define BOOT_STACK_SIZE (256 * 1024)
#define BOOT_STACK_TOP 0x30000000UL

l4_cap_idx_t boot_alloc_sel(void)
{
	static unsigned long next = 0x100;
	return (next++) << L4_CAP_SHIFT;
}

static int boot_memfd(size_t size)
{
	int fd = memfd_create("boot-seg", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		return -1;
	return fd;
}

static int boot_add_seg(struct boot_task *bt, l4_addr_t addr, size_t size,
			unsigned rights, void const *data, size_t data_len, size_t data_off)
{
	if (bt->nsegs >= BOOT_MAX_SEGS)
		return -1;
	int fd = boot_memfd(size);
	if (fd < 0)
		return -1;
	if (data_len && pwrite(fd, data, data_len, (off_t)data_off) != (ssize_t)data_len)
		return -1;
	struct boot_seg *s = &bt->seg[bt->nsegs++];
	*s = (struct boot_seg){ .fd = fd, .addr = addr, .size = size, .rights = rights };
	long r = l4x_ds_map(L4X_BASE_HOST_CAP, bt->task, fd, addr, size, 0, rights);
	if (r < 0) {
		fprintf(stderr, "boot: mapping %zu bytes at 0x%lx failed: %ld\n", size, addr, r);
		return -1;
	}
	return 0;
}

static int boot_load_elf(struct boot_task *bt, char const *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "boot: %s: %s\n", path, strerror(errno));
		return -1;
	}
	elf_version(EV_CURRENT);
	Elf *e = elf_begin(fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	size_t n;
	int ret = -1;
	if (!e || !gelf_getehdr(e, &eh) || elf_getphdrnum(e, &n)) {
		fprintf(stderr, "boot: %s: not an ELF file\n", path);
		goto out;
	}
	size_t fsize;
	char *image = elf_rawfile(e, &fsize);
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD || !ph.p_memsz)
			continue;
		l4_addr_t page = ph.p_vaddr & ~(L4_PAGESIZE - 1);
		size_t lead = ph.p_vaddr - page;
		size_t size = (lead + ph.p_memsz + L4_PAGESIZE - 1) & ~(L4_PAGESIZE - 1);
		unsigned rights = ((ph.p_flags & PF_R) ? L4_FPAGE_RO : 0) |
				  ((ph.p_flags & PF_W) ? L4_FPAGE_W : 0) |
				  ((ph.p_flags & PF_X) ? L4_FPAGE_X : 0);
		if (ph.p_offset + ph.p_filesz > fsize ||
		    boot_add_seg(bt, page, size, rights, image + ph.p_offset, ph.p_filesz, lead))
			goto out;
	}
	bt->entry = eh.e_entry;
	ret = 0;
out:
	if (e)
		elf_end(e);
	close(fd);
	return ret;
}

int boot_give(struct boot_task *bt, l4_cap_idx_t root_sel, l4_cap_idx_t task_sel,
	      unsigned rights)
{
	return (int)l4_error(l4_task_map(bt->task, L4_BASE_TASK_CAP,
					 l4_obj_fpage(root_sel, 0, rights),
					 task_sel | L4_ITEM_MAP));
}

int boot_load(struct boot_task *bt, char const *path, unsigned id)
{
	bt->name = path;
	bt->id = id;
	bt->task = boot_alloc_sel();
	bt->thread = boot_alloc_sel();
	bt->gate = boot_alloc_sel();
	bt->nsegs = 0;
	l4_fpage_t utcb = l4_fpage(RT_UTCB_AREA, RT_UTCB_ORDER, L4_FPAGE_RW);
	if (l4_error(l4_factory_create_task(L4_BASE_FACTORY_CAP, bt->task, &utcb)) < 0 ||
	    l4_error(l4_factory_create_gate(L4_BASE_FACTORY_CAP, bt->gate,
					    L4_BASE_THREAD_CAP, id << 4)) < 0)
		return -1;
	if (boot_load_elf(bt, path) ||
	    boot_add_seg(bt, BOOT_STACK_TOP - BOOT_STACK_SIZE, BOOT_STACK_SIZE,
			 L4_FPAGE_RW, NULL, 0, 0))
		return -1;
	bt->stack_top = BOOT_STACK_TOP;
	if (boot_give(bt, bt->task, RT_TASK_CAP, L4_CAP_FPAGE_RWS) ||
	    boot_give(bt, L4_BASE_FACTORY_CAP, RT_FACTORY_CAP, L4_CAP_FPAGE_RWS) ||
	    boot_give(bt, L4_BASE_LOG_CAP, RT_LOG_CAP, L4_CAP_FPAGE_RW) ||
	    boot_give(bt, bt->gate, RT_PARENT_CAP, L4_CAP_FPAGE_RWS))
		return -1;
	return 0;
}

int boot_start(struct boot_task *bt)
{
	if (l4_error(l4_factory_create_thread(L4_BASE_FACTORY_CAP, bt->thread)) < 0)
		return -1;
	l4_thread_control_start();
	l4_thread_control_pager(RT_PARENT_CAP);
	l4_thread_control_exc_handler(RT_PARENT_CAP);
	l4_thread_control_bind((l4_utcb_t *)RT_UTCB_AREA, bt->task);
	if (l4_error(l4_thread_control_commit(bt->thread)) < 0)
		return -1;
	if (boot_give(bt, bt->thread, RT_THREAD_CAP, L4_CAP_FPAGE_RWS))
		return -1;
	return (int)l4_error(l4_thread_ex_regs(bt->thread, bt->entry, bt->stack_top, 0));
}

int boot_task(struct boot_task *bt, char const *path, unsigned id)
{
	if (boot_load(bt, path, id) || boot_start(bt)) {
		fprintf(stderr, "boot: cannot start %s\n", path);
		return -1;
	}
	return 0;
}

int boot_wait(struct boot_msg *m, unsigned timeout_ms)
{
	l4_umword_t label = 0;
	l4_timeout_t to = timeout_ms
		? l4_timeout(L4_IPC_TIMEOUT_NEVER, l4_timeout_from_us(timeout_ms * 1000ull))
		: L4_IPC_NEVER;
	l4_msgtag_t tag = l4_ipc_wait(l4_utcb(), &label, to);
	if (l4_msgtag_has_error(tag))
		return -(int)l4_ipc_error(tag, l4_utcb());
	m->proto = l4_msgtag_label(tag);
	m->label = label;
	m->id = (unsigned)(label >> 4);
	m->mr0 = l4_utcb_mr()->mr[0];
	m->mr1 = l4_utcb_mr()->mr[1];
	return 0;
}

void boot_reply_value(l4_umword_t value)
{
	l4_utcb_mr()->mr[0] = value;
	l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, 1, 0, 0), L4_IPC_SEND_TIMEOUT_0);
}

void boot_reply(void)
{
	boot_reply_value(0);
}

long boot_run_to_exit(unsigned id, unsigned timeout_ms)
{
	for (;;) {
		struct boot_msg m;
		int r = boot_wait(&m, timeout_ms);
		if (r < 0) {
			fprintf(stderr, "boot: waiting for task %u: ipc error %d\n", id, -r);
			return -1000;
		}
		if (m.proto == RT_PROTO_READY) {
			boot_reply();
			continue;
		}
		if (m.proto == RT_PROTO_EXIT && m.id == id)
			return (long)m.mr0;
		if (m.proto == L4_PROTO_PAGE_FAULT || m.proto == L4_PROTO_EXCEPTION) {
			fprintf(stderr, "boot: task %u: %s at 0x%lx\n", m.id,
				m.proto == L4_PROTO_PAGE_FAULT ? "page fault" : "exception",
				m.proto == L4_PROTO_PAGE_FAULT ? m.mr0 : m.mr1);
			if (m.id == id)
				return -1000;
		}
	}
}
