/*
 * pd.c — creating, loading and starting a component's protection domain
 * (pd.h), the way Genode core on Fiasco.OC does it (platform_pd.cc,
 * platform_thread.cc), with memory placed through the host extension
 * (l4x_ds_map) since recap maps no memory by IPC.
 *
 * Capabilities go into the component with R|W|S (L4_FPAGE_RWX, as
 * Genode's Cap_mapping::map): never D, so a component can drop its copies
 * but never destroy what core made; never L4_FPAGE_C_IPCGATE_SVR, so it
 * cannot rebind or relabel a gate. The kernel thread object itself is not
 * mapped, as in Genode: a component reaches its threads through core.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <l4/sys/consts.h>
#include <l4/sys/factory.h>
#include <l4/sys/irq.h>
#include <l4/sys/task.h>
#include <l4/sys/thread.h>
#include <l4/sys/x.h>

#include <recap/cap_layout.h>
#include <recap/cpu_session.h>
#include <recap/layout.h>

#include "cap_sel.h"
#include "diag.h"
#include "pd.h"

#define PARENT_CAP_SYMBOL "_parent_cap"

static int failed(struct pd *pd, char const *what, long err)
{
	diag("%s: %s failed (%ld)", pd->name, what, err);
	return -1;
}

/* A new selector in core holding a new object, made by create(). */
static long new_object(l4_cap_idx_t *sel, l4_msgtag_t (*create)(l4_cap_idx_t))
{
	long err;

	*sel = cap_sel_alloc();
	if (!l4_is_valid_cap(*sel))
		return -L4_ENOMEM;
	err = l4_error(create(*sel));
	if (err < 0) {
		cap_sel_free(*sel);
		*sel = L4_INVALID_CAP;
	}
	return err;
}

static l4_msgtag_t create_thread(l4_cap_idx_t sel)
{
	return l4_factory_create_thread(L4_BASE_FACTORY_CAP, sel);
}

static l4_msgtag_t create_irq(l4_cap_idx_t sel)
{
	return l4_factory_create_irq(L4_BASE_FACTORY_CAP, sel);
}

static l4_msgtag_t create_task(l4_cap_idx_t sel)
{
	l4_fpage_t utcb = l4_fpage(RECAP_UTCB_AREA, RECAP_UTCB_AREA_ORDER,
				   L4_FPAGE_RW);

	return l4_factory_create_task(L4_BASE_FACTORY_CAP, sel, &utcb);
}

int pd_create(struct pd *pd, char const *name)
{
	long err;

	memset(pd, 0, sizeof(*pd));
	pd->name = name;
	pd->task = pd->thread = pd->thread_gate = pd->irq = L4_INVALID_CAP;
	err = new_object(&pd->task, create_task);
	if (err < 0)
		return failed(pd, "creating the task", err);
	return pd_map(pd, pd->task, RECAP_TASK_SLOT);
}

int pd_map(struct pd *pd, l4_cap_idx_t sel, unsigned long slot)
{
	long err = l4_error(l4_task_map(pd->task, L4_BASE_TASK_CAP,
					l4_obj_fpage(sel, 0, L4_FPAGE_RWX),
					recap_slot_sel(slot) | L4_ITEM_MAP));

	if (err < 0) {
		diag("%s: mapping a capability to slot 0x%lx failed (%ld)",
		     pd->name, slot, err);
		return -1;
	}
	return 0;
}

/* A zero-filled dataspace of size bytes at addr, data at data_off. */
static int add_ds(struct pd *pd, l4_addr_t addr, size_t size, unsigned rights,
		  void const *data, size_t data_len, size_t data_off)
{
	struct pd_ds *ds;
	long err;
	int fd;

	if (pd->nds == PD_MAX_DS)
		return failed(pd, "adding a dataspace", -L4_ENOMEM);
	fd = memfd_create(pd->name, MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)size) < 0 ||
	    (data_len && pwrite(fd, data, data_len, (off_t)data_off) !=
				 (ssize_t)data_len)) {
		if (fd >= 0)
			close(fd);
		return failed(pd, "creating a dataspace", -errno);
	}
	ds = &pd->ds[pd->nds++];
	*ds = (struct pd_ds){ .fd = fd, .addr = addr, .size = size, .rights = rights };
	err = l4x_ds_map(L4X_BASE_HOST_CAP, pd->task, fd, addr, size, 0, rights);
	if (err < 0)
		return failed(pd, "mapping a dataspace", err);
	return 0;
}

/*
 * Write the parent's badge into the image's _parent_cap (word 0; Genode's
 * raw capability {badge, 0, 0, 0}), and the main thread's gate badge
 * (pd->thread_badge) after it, at RECAP_PARENT_CAP_MAIN_GATE, in the
 * dataspace of the writable segment that holds it.
 */
static int write_parent_cap(struct pd *pd, struct elf_image const *img,
			    recap_badge_t badge)
{
	l4_umword_t raw[RECAP_PARENT_CAP_MAIN_GATE + 1] = { badge, 0, 0, 0 };
	l4_addr_t addr;
	size_t size;

	raw[RECAP_PARENT_CAP_MAIN_GATE] = pd->thread_badge;
	if (elf_image_symbol(img, PARENT_CAP_SYMBOL, &addr, &size)) {
		diag("%s: no %s symbol: not a recap component", pd->name,
		     PARENT_CAP_SYMBOL);
		return -1;
	}
	for (unsigned i = 0; i < pd->nds; i++) {
		struct pd_ds const *ds = &pd->ds[i];

		if (!(ds->rights & L4_FPAGE_W) || addr < ds->addr ||
		    addr - ds->addr > ds->size - sizeof(raw))
			continue;
		if (pwrite(ds->fd, raw, sizeof(raw), (off_t)(addr - ds->addr)) !=
		    (ssize_t)sizeof(raw))
			return failed(pd, "writing _parent_cap", -errno);
		return 0;
	}
	diag("%s: %s at 0x%lx is not in a writable segment", pd->name,
	     PARENT_CAP_SYMBOL, (unsigned long)addr);
	return -1;
}

int pd_load(struct pd *pd, struct elf_image const *img,
	    recap_badge_t parent_badge)
{
	for (unsigned i = 0; i < img->nsegs; i++) {
		struct elf_segment const *s = &img->seg[i];
		l4_addr_t page = s->vaddr & ~(L4_PAGESIZE - 1);
		size_t lead = s->vaddr - page;
		size_t size = (lead + s->memsz + L4_PAGESIZE - 1) & ~(L4_PAGESIZE - 1);

		if (add_ds(pd, page, size, s->rights, img->data + s->offset,
			   s->filesz, lead))
			return -1;
	}
	pd->entry = img->entry;
	if (add_ds(pd, recap_stack_top(0) - RECAP_MAIN_STACK_SIZE,
		   RECAP_MAIN_STACK_SIZE, L4_FPAGE_RW, NULL, 0, 0))
		return -1;
	return write_parent_cap(pd, img, parent_badge);
}

int pd_start_main(struct pd *pd, recap_badge_t thread_badge)
{
	l4_cap_idx_t pager = recap_slot_sel(recap_thread_slot(0, RECAP_THREAD_PAGER));
	long err;

	err = new_object(&pd->thread, create_thread);
	if (err < 0)
		return failed(pd, "creating the main thread", err);
	l4_thread_control_start();
	l4_thread_control_pager(pager);
	l4_thread_control_exc_handler(pager);
	l4_thread_control_bind((l4_utcb_t *)recap_utcb_addr(0), pd->task);
	err = l4_error(l4_thread_control_commit(pd->thread));
	if (err < 0)
		return failed(pd, "binding the main thread", err);

	pd->thread_gate = cap_sel_alloc();
	if (!l4_is_valid_cap(pd->thread_gate))
		return failed(pd, "creating the thread gate", -L4_ENOMEM);
	err = l4_error(l4_factory_create_gate(L4_BASE_FACTORY_CAP, pd->thread_gate,
					      pd->thread, thread_badge));
	if (err < 0) {
		cap_sel_free(pd->thread_gate);
		pd->thread_gate = L4_INVALID_CAP;
		return failed(pd, "creating the thread gate", err);
	}
	pd->thread_badge = thread_badge;

	err = new_object(&pd->irq, create_irq);
	if (err < 0)
		return failed(pd, "creating the thread IRQ", err);
	err = l4_error(l4_rcv_ep_bind_thread(pd->irq, pd->thread, 0));
	if (err < 0)
		return failed(pd, "attaching the thread IRQ", err);

	if (pd_map(pd, pd->thread_gate, recap_thread_slot(0, RECAP_THREAD_GATE)) ||
	    pd_map(pd, pd->irq, recap_thread_slot(0, RECAP_THREAD_IRQ)))
		return -1;
	err = l4_error(l4_thread_ex_regs(pd->thread, pd->entry, recap_stack_top(0), 0));
	if (err < 0)
		return failed(pd, "starting the main thread", err);
	return 0;
}

/* Delete an object core made (it holds D): every copy everywhere empties. */
static void delete_object(l4_cap_idx_t *sel)
{
	if (!l4_is_valid_cap(*sel))
		return;
	l4_task_delete_obj(L4_BASE_TASK_CAP, *sel);
	cap_sel_free(*sel);
	*sel = L4_INVALID_CAP;
}

void pd_destroy(struct pd *pd)
{
	/* The thread first: it must not run on in a task being taken apart. */
	delete_object(&pd->thread);
	delete_object(&pd->thread_gate);
	delete_object(&pd->irq);
	delete_object(&pd->task);
	for (unsigned i = 0; i < pd->nds; i++)
		close(pd->ds[i].fd);
	pd->nds = 0;
}
