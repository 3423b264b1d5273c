/*
 * sys_fault — the driver as pager and exception handler (progs/fault.c):
 * it resolves page faults by mapping a memfd (checking the exact address,
 * access and ip), continues a thread past ud2 with changed registers,
 * leaves one fault unanswered and sees a pagerless thread's Linux thread
 * ended. Meanwhile another task (progs/bystander.c) runs to its end; then
 * the faulting task is deleted with its thread still hanging, and recapd
 * runs the bystander once more.
 */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <l4/sys/task.h>
#include <l4/sys/utcb.h>
#include <l4/sys/x.h>
#include <recap/host_task.h>

#include "../progs/fault.h"
#include "../rt/rt.h"
#include "boot.h"

/* Linux threads of a process, -1 if it is gone. */
static int linux_threads(unsigned long pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%lu/task", pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void reply_exception(void)
{
	l4_ipc_reply(0, l4_utcb(), l4_msgtag(0, L4_UTCB_EXCEPTION_REGS_SIZE, 0, 0),
		     L4_IPC_SEND_TIMEOUT_0);
}

/* Serve the fault program until it exits; returns its exit code or -1000. */
static long serve_fault(struct boot_task *f, int page_fd)
{
	l4_umword_t ip[FR_IP_UD2 + 1] = { 0 };
	int stuck_seen = 0, threads_armed = -1, gone_said = 0;
	struct l4x_task_info ti;
	if (l4x_task_info(L4X_BASE_HOST_CAP, f->task, &ti) < 0)
		return -1000;

	for (;;) {
		struct boot_msg m;
		if (boot_wait(&m, 20000) < 0 || m.id != 1) {
			fprintf(stderr, "sys_fault: timeout or stray message\n");
			return -1000;
		}
		if (m.proto == RT_PROTO_EXIT)
			return (long)m.mr0;	/* not answered: main stays put */
		if (m.proto == RT_PROTO_READY) {
			l4_umword_t answer = 0;
			switch (m.mr0) {
			case FR_IP_READ: case FR_IP_WRITE: case FR_IP_UD2:
				ip[m.mr0] = m.mr1;
				break;
			case FR_CHECK_WRITE: {
				unsigned long v = 0;
				pread(page_fd, &v, sizeof(v), (off_t)(m.mr1 - FAULT_READ_ADDR));
				printf("driver: the memfd holds 0x%lx at 0x%lx\n", v, m.mr1);
				break;
			}
			case FR_STUCK_SEEN:
				answer = stuck_seen;
				break;
			case FR_NOPAGER_ARMED:
				threads_armed = linux_threads(ti.pid);
				break;
			case FR_NOPAGER_GONE:
				answer = threads_armed > 0 &&
					 linux_threads(ti.pid) == threads_armed - 1;
				if (answer && !gone_said++)
					printf("driver: the pagerless thread's Linux thread is gone, "
					       "the process lives on\n");
				break;
			default:
				fprintf(stderr, "sys_fault: unknown READY %lu\n", m.mr0);
				return -1000;
			}
			boot_reply_value(answer);
		} else if (m.proto == L4_PROTO_PAGE_FAULT) {
			l4_addr_t addr = m.mr0 & ~7UL;
			int write = (m.mr0 & 2) != 0;
			char const *at = m.mr1 == ip[write ? FR_IP_WRITE : FR_IP_READ]
						 ? "the faulting instruction" : "a WRONG ip";
			printf("pager: %s fault at 0x%lx, ip at %s", write ? "write" : "read",
			       addr, at);
			if (addr == FAULT_STUCK_ADDR && !write) {
				printf(": not answered\n");
				stuck_seen = 1;
				continue;
			}
			if (!((addr == FAULT_READ_ADDR && !write) ||
			      (addr == FAULT_WRITE_ADDR && write) ||
			      (addr == FAULT_MR_ADDR && !write))) {
				printf(": unexpected\n");
				return -1000;
			}
			/* Every page is the one page of the memfd. */
			unsigned rights = write ? L4_FPAGE_RW : L4_FPAGE_RO;
			printf(": mapping the page %s\n", write ? "read-write" : "read-only");
			if (l4x_ds_map(L4X_BASE_HOST_CAP, f->task, page_fd,
				       addr & ~(L4_PAGESIZE - 1), L4_PAGESIZE, 0, rights) < 0)
				return -1000;
			boot_reply();
		} else if (m.proto == L4_PROTO_EXCEPTION) {
			l4_exc_regs_t *e = (l4_exc_regs_t *)l4_utcb_mr()->mr;
			printf("exception handler: trapno %lu, ip at %s, rax 0x%lx\n",
			       e->trapno, e->ip == ip[FR_IP_UD2] ? "the ud2" : "a WRONG ip",
			       e->rax);
			e->ip += 2;
			e->rax = FAULT_RAX;
			reply_exception();
		} else {
			fprintf(stderr, "sys_fault: unexpected message %ld\n", m.proto);
			return -1000;
		}
	}
}

/* Run a bystander (started already) to its end, answering i with i * i. */
static long serve_bystander(unsigned id)
{
	for (;;) {
		struct boot_msg m;
		if (boot_wait(&m, 20000) < 0 || m.id != id) {
			fprintf(stderr, "sys_fault: timeout or stray message\n");
			return -1000;
		}
		if (m.proto == RT_PROTO_EXIT)
			return (long)m.mr0;
		if (m.proto != RT_PROTO_READY)
			return -1000;
		boot_reply_value(m.mr0 * m.mr0);
	}
}

int main(void)
{
	struct boot_task f, by, by2;
	int page_fd = memfd_create("fault-page", MFD_CLOEXEC);
	unsigned long pattern = FAULT_PATTERN;
	if (page_fd < 0 || ftruncate(page_fd, L4_PAGESIZE) < 0 ||
	    pwrite(page_fd, &pattern, sizeof(pattern), 0) != sizeof(pattern))
		return 1;
	if (host_task_init() || boot_task(&f, "build/tests/sys/progs/fault", 1) ||
	    boot_load(&by, "build/tests/sys/progs/bystander", 2))
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);

	long fcode = serve_fault(&f, page_fd);
	printf("fault: exit %ld\n", fcode);

	/* Thread 3 still hangs in its fault: the bystander runs all the same. */
	struct l4x_task_info ti;
	if (boot_start(&by) || l4x_task_info(L4X_BASE_HOST_CAP, f.task, &ti) < 0)
		return 1;
	long bcode = serve_bystander(2);
	printf("bystander: exit %ld\n", bcode);

	int alive = linux_threads(ti.pid) > 0;
	long del = l4_error(l4_task_delete_obj(L4_BASE_TASK_CAP, f.task));
	int ended = 0;
	for (int i = 0; i < 500 && !ended; i++) {
		ended = linux_threads(ti.pid) < 0;
		if (!ended)
			usleep(10000);
	}
	printf("fault task: %s while its thread hung; deleted: %s, process ended: %s\n",
	       alive ? "alive" : "GONE", del == 0 ? "ok" : "FAILED", ended ? "yes" : "NO");

	if (boot_task(&by2, "build/tests/sys/progs/bystander", 3))
		return 1;
	long b2code = serve_bystander(3);
	printf("bystander again: exit %ld\n", b2code);
	return fcode == 0 && bcode == 0 && alive && del == 0 && ended && b2code == 0 ? 0 : 1;
}
