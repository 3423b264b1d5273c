/*
 * dirty — which pages of a task were written since tracking (re)started.
 *
 * Mechanism: userfaultfd asynchronous write protection, read and reset with
 * the PAGEMAP_SCAN ioctl on /proc/PID/pagemap (Linux >= 6.7).
 *  - The stub owns a userfaultfd with UFFD_FEATURE_WP_ASYNC and registers
 *    every memfd mapping with UFFDIO_REGISTER_MODE_WP right after mapping it
 *    (a new mapping is a new VMA, unregistered).
 *  - Resetting a range write-protects its page-table entries (PM_SCAN_WP_
 *    MATCHING; unpopulated shmem entries get uffd-wp markers). A write to
 *    such a page just drops the protection bit — WP_ASYNC means the kernel
 *    resolves the fault itself, no message, no tracer involvement — and the
 *    page then reads as PAGE_IS_WRITTEN. Reads leave the bit alone.
 *  - Writes by other processes through their own mappings of the same memfd
 *    (core filling a dataspace) are not writes by this task and do not count.
 *
 * Why not the alternatives: soft-dirty needs CONFIG_MEM_SOFT_DIRTY, which
 * the target kernel lacks; mprotect-based tracking costs a tracer round
 * trip per first write to a page and turns every tracked write into a
 * SIGSEGV to be filtered out. The mechanism was checked on this kernel for
 * MAP_SHARED memfd mappings, scanned from another process: written pages are
 * reported, read pages are not, and the reset works (tests/sys/test_host.c
 * keeps checking it).
 *
 * Only writable mapped regions are scanned: the PROT_NONE reserve and
 * read-only mappings (which the task cannot write) are not registered,
 * and PM_SCAN_CHECK_WPASYNC makes a scan of an unregistered range fail
 * instead of silently reporting nothing. Leaving read-only mappings out
 * matters for speed too: cr reads a child's memory through fresh
 * read-only attachments, and write-protecting those first would put a
 * uffd-wp marker in every page-table entry it then faults in.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "host_internal.h"
#include "linux_uapi.h"

#define SCAN_VEC_LEN 64

/*
 * Scan [start, end) of t, optionally write-protecting what was written
 * (reset), and set bit (page - base_page) in bitmap for each written page
 * (bitmap may be NULL). Returns the number of written pages or -errno.
 */
static long scan(struct host_task *t, uint64_t start, uint64_t end,
		 bool reset, uint64_t base, uint64_t *bitmap)
{
	struct page_region vec[SCAN_VEC_LEN];
	long count = 0;

	while (start < end) {
		struct pm_scan_arg a = {
			.size = sizeof(a),
			.flags = PM_SCAN_CHECK_WPASYNC |
				 (reset ? PM_SCAN_WP_MATCHING : 0),
			.start = start,
			.end = end,
			.vec = (uint64_t)(uintptr_t)vec,
			.vec_len = SCAN_VEC_LEN,
			.category_mask = PAGE_IS_WRITTEN,
			.return_mask = PAGE_IS_WRITTEN,
		};
		long n = ioctl(t->priv->pagemap_fd, PAGEMAP_SCAN, &a);

		if (n < 0)
			return -errno;
		for (long i = 0; i < n; i++) {
			count += (vec[i].end - vec[i].start) / HOST_PAGE_SIZE;
			for (uint64_t pg = vec[i].start; bitmap && pg < vec[i].end;
			     pg += HOST_PAGE_SIZE) {
				uint64_t bit = (pg - base) / HOST_PAGE_SIZE;

				bitmap[bit / 64] |= 1ULL << (bit % 64);
			}
		}
		/* walk_end < end: the vector filled up; go on from there. */
		if (a.walk_end <= start)
			return -EIO;
		start = a.walk_end;
	}
	return count;
}

/* Start tracking a freshly mapped range: nothing in it is written yet. */
int host_dirty_start(struct host_task *t, uint64_t addr, uint64_t size)
{
	long rc;

	if (!t->priv->dirty_tracking)
		return 0;
	rc = scan(t, addr, addr + size, true, addr, NULL);
	return rc < 0 ? (int)rc : 0;
}

long host_task_dirty(struct host_task *t, uint64_t addr, uint64_t pages,
		     bool reset, uint64_t *bitmap)
{
	struct host_task_priv *p = t->priv;
	uint64_t end = addr + pages * HOST_PAGE_SIZE;
	long total = 0;

	if (t->dead)
		return -ESRCH;
	if (!p->dirty_tracking)
		return -EOPNOTSUPP;
	if ((addr & (HOST_PAGE_SIZE - 1)) || !pages ||
	    pages > (L4X_TASK_VM_END - L4X_TASK_VM_START) / HOST_PAGE_SIZE ||
	    end < addr)
		return -EINVAL;
	memset(bitmap, 0, (pages + 63) / 64 * sizeof(*bitmap));
	for (unsigned i = 0; i < p->nregions; i++) {
		struct host_region const *r = &p->regions[i];
		uint64_t lo = r->start > addr ? r->start : addr;
		uint64_t hi = r->end < end ? r->end : end;
		long n;

		if (lo >= hi || !(r->prot & PROT_WRITE))
			continue;
		if ((n = scan(t, lo, hi, reset, addr, bitmap)) < 0)
			return n;
		total += n;
	}
	return total;
}
