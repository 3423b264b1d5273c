/*
 * linux_uapi — Linux interfaces newer than the build host's kernel headers.
 *
 * Debian 12 ships the 6.1 UAPI headers, but recap runs on kernels >= 6.7
 * where userfaultfd's asynchronous write protection and the PAGEMAP_SCAN
 * ioctl exist. The values below are the kernel's ABI (include/uapi/linux/
 * userfaultfd.h and fs.h of 6.7+); they are defined only where the system
 * headers lack them, so newer headers win without conflict.
 */
#pragma once

#include <linux/types.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>

#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13)
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif

#ifndef PAGEMAP_SCAN
#define PAGE_IS_WPALLOWED (1 << 0)
#define PAGE_IS_WRITTEN (1 << 1)

#define PM_SCAN_WP_MATCHING (1 << 0)	/* write-protect the matched pages */
#define PM_SCAN_CHECK_WPASYNC (1 << 1)	/* fail on a range without WP_ASYNC */

struct page_region {
	__u64 start;
	__u64 end;
	__u64 categories;
};

struct pm_scan_arg {
	__u64 size;
	__u64 flags;
	__u64 start;
	__u64 end;
	__u64 walk_end;
	__u64 vec;
	__u64 vec_len;
	__u64 max_pages;
	__u64 category_inverted;
	__u64 category_mask;
	__u64 category_anyof_mask;
	__u64 return_mask;
};

#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#endif
