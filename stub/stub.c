/*
 * stub — the task stub: the Linux process behind one recap task.
 *
 * recapd starts it (fork + execve, already seized with ptrace) with its
 * control socket at HOST_STUB_CTL_FD. The stub then, in this order:
 *  1. makes descriptors up to the channel range usable, disables core dumps
 *     and ignores SIGPIPE (a component writing to a closed channel gets
 *     EPIPE, not a process-wide death);
 *  2. reserves the component range [L4X_TASK_VM_START, L4X_TASK_VM_END) as
 *     PROT_NONE, so nothing of the stub's own ever lands there and every
 *     stray component access faults;
 *  3. creates the userfaultfd that tracks written pages (if the kernel has
 *     UFFD_FEATURE_WP_ASYNC);
 *  4. prepares the component seccomp filter and loads the control filter;
 *  5. says it is ready and serves recapd's orders (control.c) until the
 *     control socket closes.
 *
 * Layout: the stub must be linked -static-pie. An interpreter-less ET_DYN
 * is loaded in the mmap area near the top of the address space (0x7f...),
 * next to its stack and the vdso, and its brk heap starts at ELF_ET_DYN_BASE
 * (0x5555...) plus up to 1 GiB of randomisation: all above the component
 * range. A classic static binary at 0x400000 does not work: Linux randomises
 * the brk of a 64-bit process over 1 GiB, right into the range. recapd also
 * makes sure the stack limit is finite (an unlimited one selects the legacy
 * bottom-up layout, which starts inside the range). MAP_FIXED_NOREPLACE at
 * step 2 verifies all of this on every start.
 *
 * Invariant: no component code runs before step 5, and none of the stub's
 * setup depends on memory a component could write.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <host/host.h>
#include <host/linux_uapi.h>
#include <host/stub_proto.h>

#include "stub.h"

static void die(char const *what, int err)
{
	fprintf(stderr, "recap-stub: %s: %s\n", what, strerror(err));
	_exit(2);
}

static int setup_limits(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	if (rl.rlim_cur < STUB_CHAN_HI)
		rl.rlim_cur = STUB_CHAN_HI;
	if (rl.rlim_max < rl.rlim_cur)
		rl.rlim_max = rl.rlim_cur;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		return -errno;
	/*
	 * A seccomp kill forces a core dump. A limit of 1 stops both file
	 * dumps (smaller than a page) and piped ones (the kernel's marker for
	 * "do not dump"); 0 would not stop a piped core_pattern.
	 */
	rl.rlim_cur = rl.rlim_max = 1;
	if (setrlimit(RLIMIT_CORE, &rl) < 0)
		return -errno;
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return -errno;
	/*
	 * After the control filter is in, malloc must never give memory back
	 * (brk, munmap are forbidden): no trimming, no mmapped chunks.
	 */
	mallopt(M_TRIM_THRESHOLD, -1);
	mallopt(M_MMAP_MAX, 0);
	return 0;
}

static int reserve_component_range(void)
{
	void *want = (void *)L4X_TASK_VM_START;
	void *got = mmap(want, L4X_TASK_VM_END - L4X_TASK_VM_START, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
				 MAP_FIXED_NOREPLACE,
			 -1, 0);

	if (got == MAP_FAILED)
		return -errno;
	/* Kernels before 4.17 take NOREPLACE as a mere hint. */
	if (got != want)
		return -EEXIST;
	return 0;
}

/*
 * The userfaultfd whose asynchronous write protection records written pages
 * (see kernel/host/dirty.c). USER_MODE_ONLY keeps it usable without
 * privileges; WP_ASYNC means a write to a protected page just clears the
 * protection in the page table, with no fault message to serve.
 */
static int setup_uffd(void)
{
	struct uffdio_api api = {
		.api = UFFD_API,
		.features = UFFD_FEATURE_WP_ASYNC |
			    UFFD_FEATURE_WP_HUGETLBFS_SHMEM,
	};
	int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);

	if (fd < 0)
		return -errno;
	if (ioctl(fd, UFFDIO_API, &api) < 0 ||
	    (fd != STUB_UFFD_FD && dup2(fd, STUB_UFFD_FD) < 0)) {
		int err = errno;

		close(fd);
		return -err;
	}
	if (fd != STUB_UFFD_FD)
		close(fd);
	return 0;
}

static int send_ready(bool dirty_tracking)
{
	struct stub_ready r = {
		.magic = STUB_PROTO_MAGIC,
		.version = STUB_PROTO_VERSION,
		.exit_syscall_ip = (uint64_t)(uintptr_t)stub_exit_syscall,
		.thread_trap_ip = (uint64_t)(uintptr_t)stub_thread_trap,
		.dirty_tracking = dirty_tracking,
	};

	if (write(HOST_STUB_CTL_FD, &r, sizeof(r)) != sizeof(r))
		return -EIO;
	return 0;
}

/*
 * A classic static link (ET_EXEC at 0x400000) fails at random, whenever the
 * brk heap is randomised into the component range; fail always instead.
 */
static void check_link_mode(void)
{
	if ((uintptr_t)check_link_mode < L4X_TASK_VM_START) {
		fprintf(stderr, "recap-stub: must be linked -static-pie\n");
		_exit(2);
	}
}

int main(void)
{
	bool dirty_tracking;
	int rc;

	check_link_mode();
	if ((rc = setup_limits()) < 0)
		die("limits", -rc);
	if ((rc = reserve_component_range()) < 0)
		die("reserving the component range", -rc);
	/* Without it the task runs, but host_task_dirty reports EOPNOTSUPP. */
	dirty_tracking = setup_uffd() == 0;
	if ((rc = stub_filter_prepare_component()) < 0)
		die("component filter", -rc);
	if ((rc = stub_filter_load_control()) < 0)
		die("control filter", -rc);
	/* From here on: no stdio, no malloc/free, no other system calls. */
	if (send_ready(dirty_tracking) < 0)
		_exit(3);
	stub_control_loop(dirty_tracking);
}
