/*
 * host_task — the first steps of a host task (see recap/host_task.h).
 */
#include <asm/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <l4/sys/utcb.h>
#include <recap/host_task.h>

static int env_ulong(char const *name, unsigned long *out)
{
	char const *v = getenv(name);
	char *end;
	if (!v)
		return -1;
	*out = strtoul(v, &end, 0);
	return *end ? -1 : 0;
}

int host_task_init(void)
{
	unsigned long fd, addr, size;
	if (env_ulong("RECAP_UTCB_FD", &fd) || env_ulong("RECAP_UTCB_ADDR", &addr) ||
	    env_ulong("RECAP_UTCB_SIZE", &size)) {
		fprintf(stderr, "host task: not started by recapd (RECAP_UTCB_* missing)\n");
		return -1;
	}
	void *m = mmap((void *)addr, size, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_FIXED_NOREPLACE, (int)fd, 0);
	if (m != (void *)addr) {
		perror("host task: mapping the UTCB area");
		return -1;
	}
	close((int)fd);
	/* The main thread's UTCB is the first of the area. */
	if (syscall(SYS_arch_prctl, ARCH_SET_GS, addr) < 0) {
		perror("host task: arch_prctl");
		return -1;
	}
	return 0;
}
