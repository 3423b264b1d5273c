/*
 * seccomp_policy — the two filters of a task stub.
 *
 * CONTROL (the whole process, loaded once at startup): what the control loop
 * needs and nothing more — messages on the control socket, MAP_SHARED |
 * MAP_FIXED maps and PROT_NONE re-reservations inside the component range,
 * userfaultfd registration, placing channel descriptors, cloning a thread
 * with exactly the thread flags, installing the component filter, exit.
 * Component threads inherit it, so it must also admit what the component
 * filter admits (stacked filters: the most restrictive verdict wins).
 *
 * COMPONENT (each component thread, on top): read / write on its channel
 * range [64, 320), sched_yield, exit, exit_group.
 *
 * Everything else, and every other architecture's system call (int 0x80,
 * x32), kills the whole process: a hostile component is never obeyed.
 *
 * Why this holds against a component that takes over the control thread
 * (it shares the address space and can overwrite the stub's stack): the
 * filters live in the kernel, not in stub memory, and the control filter
 * alone grants no file, socket, exec, ptrace or signal operation. The
 * component filter's BPF image, which later threads load from stub memory,
 * is read-only and cannot be made writable again (mprotect is allowed only
 * inside the component range).
 *
 * libseccomp 2.5 takes at most one comparison per argument in a rule, so an
 * argument range becomes one masked-equality rule per aligned power-of-two
 * block of the range (allow_range).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <linux/userfaultfd.h>
#include <sched.h>
#include <seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <host/stub_proto.h>
#include <host/host.h>

#include "stub.h"

#define MAX_EXTRA 3

struct stub_component_filter stub_component_filter;

_Static_assert(sizeof(struct stub_component_filter) == 4096,
	       "the component filter must fill exactly its read-only page");

/* Largest aligned power-of-two block starting at lo that ends by hi. */
static uint64_t block_at(uint64_t lo, uint64_t hi)
{
	uint64_t size = lo ? (lo & -lo) : (1ULL << 63);

	while (size > hi - lo)
		size >>= 1;
	return size;
}

/* Allow nr when argument arg is in [lo, hi) and every extra comparison holds. */
static int allow_range(scmp_filter_ctx ctx, int nr, unsigned arg, uint64_t lo,
		       uint64_t hi, struct scmp_arg_cmp const *extra,
		       unsigned n_extra)
{
	struct scmp_arg_cmp cmp[1 + MAX_EXTRA];

	if (n_extra > MAX_EXTRA)
		return -EINVAL;
	memcpy(cmp + 1, extra, n_extra * sizeof(*extra));
	while (lo < hi) {
		uint64_t size = block_at(lo, hi);
		int rc;

		cmp[0] = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, ~(size - 1), lo);
		rc = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr,
					    1 + n_extra, cmp);
		if (rc < 0)
			return rc;
		lo += size;
	}
	return 0;
}

static int allow(scmp_filter_ctx ctx, int nr)
{
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
}

static scmp_filter_ctx new_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);

	if (ctx && seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
				    SCMP_ACT_KILL_PROCESS) < 0) {
		seccomp_release(ctx);
		return NULL;
	}
	return ctx;
}

/* What both filters admit: the component's own system calls. */
static int add_component_rules(scmp_filter_ctx ctx)
{
	int rc = 0;

	rc |= allow_range(ctx, SCMP_SYS(read), 0, STUB_CHAN_LO, STUB_CHAN_HI,
			  NULL, 0);
	rc |= allow_range(ctx, SCMP_SYS(write), 0, STUB_CHAN_LO, STUB_CHAN_HI,
			  NULL, 0);
	rc |= allow(ctx, SCMP_SYS(sched_yield));
	rc |= allow(ctx, SCMP_SYS(exit));
	rc |= allow(ctx, SCMP_SYS(exit_group));
	return rc ? -EINVAL : 0;
}

static int add_memory_rules(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp map_shared[] = {
		SCMP_A2(SCMP_CMP_MASKED_EQ,
			~(uint64_t)(PROT_READ | PROT_WRITE | PROT_EXEC), 0),
		SCMP_A3(SCMP_CMP_EQ, MAP_SHARED | MAP_FIXED),
	};
	struct scmp_arg_cmp map_reserve[] = {
		SCMP_A2(SCMP_CMP_EQ, PROT_NONE),
		SCMP_A3(SCMP_CMP_EQ, MAP_PRIVATE | MAP_ANONYMOUS |
					     MAP_NORESERVE | MAP_FIXED),
	};
	uint64_t lo = L4X_TASK_VM_START, hi = L4X_TASK_VM_END;
	uint64_t const uffd_reg = UFFDIO_REGISTER, uffd_unreg = UFFDIO_UNREGISTER;
	int rc = 0;

	rc |= allow_range(ctx, SCMP_SYS(mmap), 0, lo, hi, map_shared, 2);
	rc |= allow_range(ctx, SCMP_SYS(mmap), 0, lo, hi, map_reserve, 2);
	rc |= allow_range(ctx, SCMP_SYS(munmap), 0, lo, hi, NULL, 0);
	rc |= allow_range(ctx, SCMP_SYS(mprotect), 0, lo, hi, NULL, 0);
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2,
			       SCMP_A0(SCMP_CMP_EQ, STUB_UFFD_FD),
			       SCMP_A1(SCMP_CMP_EQ, uffd_reg));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 2,
			       SCMP_A0(SCMP_CMP_EQ, STUB_UFFD_FD),
			       SCMP_A1(SCMP_CMP_EQ, uffd_unreg));
	return rc ? -EINVAL : 0;
}

static int add_control_rules(scmp_filter_ctx ctx)
{
	int rc = 0;

	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(recvmsg), 1,
			       SCMP_A0(SCMP_CMP_EQ, HOST_STUB_CTL_FD));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(sendmsg), 1,
			       SCMP_A0(SCMP_CMP_EQ, HOST_STUB_CTL_FD));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 1,
			       SCMP_A0(SCMP_CMP_EQ, HOST_STUB_CTL_FD));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
			       SCMP_A0(SCMP_CMP_EQ, HOST_STUB_CTL_FD));
	rc |= allow_range(ctx, SCMP_SYS(dup2), 1, STUB_CHAN_LO, STUB_CHAN_HI,
			  NULL, 0);
	rc |= allow_range(ctx, SCMP_SYS(dup3), 1, STUB_CHAN_LO, STUB_CHAN_HI,
			  NULL, 0);
	rc |= allow(ctx, SCMP_SYS(close));
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
			       SCMP_A0(SCMP_CMP_EQ, STUB_THREAD_CLONE_FLAGS));
	/* New threads add the component filter; more filters only restrict. */
	rc |= seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(seccomp), 2,
			       SCMP_A0(SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER),
			       SCMP_A1(SCMP_CMP_EQ, 0));
	return rc ? -EINVAL : 0;
}

/* Read a filter's BPF image back from libseccomp through a pipe. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter *insns,
		      unsigned max, unsigned *count)
{
	int p[2], rc;
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	rc = seccomp_export_bpf(ctx, p[1]);
	close(p[1]);
	if (rc < 0) {
		close(p[0]);
		return rc;
	}
	n = read(p[0], insns, max * sizeof(*insns));
	rc = n < 0 ? -errno : 0;
	/* A full buffer may mean a truncated program: refuse it. */
	if (!rc && (n == 0 || (size_t)n >= max * sizeof(*insns) ||
		    n % sizeof(*insns)))
		rc = -E2BIG;
	close(p[0]);
	*count = rc ? 0 : (unsigned)(n / sizeof(*insns));
	return rc;
}

/*
 * Build the component filter into stub_component_filter and seal its page.
 * Must run before stub_filter_load_control (mprotect is still allowed).
 */
int stub_filter_prepare_component(void)
{
	struct stub_component_filter *f = &stub_component_filter;
	scmp_filter_ctx ctx = new_filter();
	unsigned count = 0;
	int rc;

	if (!ctx)
		return -ENOMEM;
	rc = add_component_rules(ctx);
	if (!rc)
		rc = export_bpf(ctx, f->insns, STUB_FILTER_MAX_INSNS, &count);
	seccomp_release(ctx);
	if (rc)
		return rc;
	f->prog.len = (unsigned short)count;
	f->prog.filter = f->insns;
	if (mprotect(f, sizeof(*f), PROT_READ) < 0)
		return -errno;
	return 0;
}

/*
 * Load the control filter on the (still single-threaded) stub. The context
 * is deliberately not released: freeing could make malloc return memory to
 * the system (brk / munmap), which the filter no longer allows.
 */
int stub_filter_load_control(void)
{
	scmp_filter_ctx ctx = new_filter();
	int rc;

	if (!ctx)
		return -ENOMEM;
	rc = add_component_rules(ctx);
	if (!rc)
		rc = add_memory_rules(ctx);
	if (!rc)
		rc = add_control_rules(ctx);
	if (!rc)
		rc = seccomp_load(ctx);
	return rc;
}
