/*
 * cr_checkpoint — benchmark: checkpointing and restoring a component with
 * 256 MiB of written memory, full and incremental (1% of its pages
 * dirty), against a single-threaded memcpy of 256 MiB measured in the
 * same run.
 *
 * The scenario is bench/cr_checkpoint.xml, a recap system of its own
 * (`recap run --name crbench`, its socket in a temporary directory that
 * also holds the images): apps/dirtier under cr, 256 MiB written, then
 * every 2 s 1% of its pages written again; cr with report_times="yes",
 * which logs for every checkpoint "checkpoint of dirtier: K KiB in U us,
 * paused P us" and for every restore "restore of K KiB in U us"
 * (docs/cr.md, "Benchmark"). Four times: right after a round of
 * dirtier's, `recap checkpoint dirtier -o full.img` (a new file each
 * time); right after the next round, `recap checkpoint dirtier -o
 * incr.img --incremental full.img`, which must hold about 1% of the
 * memory. Then three times `recap restore full.img --as rN`. Each whole
 * command is timed here; the best of each figure is printed:
 *
 *   cr_checkpoint_256mib_cr    MiB/s of the child's memory, from cr taking
 *         the request to the stream being ready for core (pause, threads,
 *         capabilities, restarting the dirty tracking, the copy of the
 *         memory into the stream: cr's stream buffer, kept from the last
 *         checkpoint, docs/cr.md "Speed")
 *   cr_checkpoint_256mib_first_cr, _first_pause   the same of the first
 *         checkpoint, which makes the stream buffer (written once, page
 *         by page, before the child is paused) and cr's read-only views
 *         of the child's memory (faulted in while it is paused)
 *   cr_checkpoint_256mib_cmd   MiB/s of the whole `recap checkpoint`: the
 *         above, core passing the stream, and the command checking it,
 *         compressing it (zstd level 1), writing the image, syncing it
 *   memcpy_256mib_to_new_memory  MiB/s of a memcpy into memory mapped just
 *         before: what any new copy costs at least (page faults, zeroing)
 *   cr_checkpoint_256mib_pause ms the child is paused (cr's clock, from its
 *         first PAUSE to its last RESUME)
 *   cr_incremental_1pct_pause, _cr, _cmd   the same of the increment,
 *         against the full checkpoint's (target for _cr: ratio <= 0.03)
 *   cr_incremental_1pct_floor  ms, what an increment costs at least on
 *         this host, measured without recap: a plain Linux process
 *         finds the 1% of 256 MiB of a memfd it wrote (userfaultfd
 *         WP_ASYNC and PAGEMAP_SCAN, as recapd does) and copies those
 *         pages through a read-only mapping not touched since the last
 *         round (as cr's views are), against the full checkpoint in cr
 *   cr_restore_256mib_cr       ms, cr's restore of the full image
 *   cr_restore_256mib_cmd      ms, the whole `recap restore`: reading and
 *         verifying the image, decompressing it, the above
 *
 * The baseline memcpy_256mib is glibc's memcpy of 256 MiB between two
 * buffers already written (best of five). For MiB/s, ratio = value /
 * baseline (higher is better); for ms, ratio = value / baseline (lower is
 * better).
 *
 * make bench starts it as the root task of a recapd, like every benchmark;
 * it makes no use of that system, and runs just as well alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "host/linux_uapi.h"

#define MIB 256UL
#define SIZE (MIB << 20)
#define CHECKPOINTS 4
#define RESTORES 3
#define COPIES 5
#define SCENARIO "bench/cr_checkpoint.xml"
#define NAME "crbench"
#define DEADLINE_S 600		/* a hung system must not hang make bench */

static char recap[PATH_MAX];
static char dir[PATH_MAX];

/* ---- the baseline ----------------------------------------------------------- */

/* Best ns of COPIES memcpys of SIZE: into one buffer written before
 * (*warm), and each into a buffer mapped just before (*fresh). */
static int memcpy_baseline(double *warm, double *fresh)
{
	char *src = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *dst = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (src == MAP_FAILED || dst == MAP_FAILED)
		return -1;
	memset(src, 0x5a, SIZE);
	memset(dst, 0, SIZE);
	*warm = *fresh = 1e18;
	for (int i = 0; i < COPIES; i++) {
		char *n = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		double t0, t1, t2;

		if (n == MAP_FAILED)
			return -1;
		t0 = now_ns();
		memcpy(dst, src, SIZE);
		t1 = now_ns();
		memcpy(n, src, SIZE);
		t2 = now_ns();
		if (((char volatile *)dst)[SIZE - 1] != 0x5a ||
		    ((char volatile *)n)[SIZE - 1] != 0x5a)
			return -1;
		munmap(n, SIZE);
		*warm = min2(*warm, t1 - t0);
		*fresh = min2(*fresh, t2 - t1);
	}
	munmap(src, SIZE);
	munmap(dst, SIZE);
	return 0;
}

/* ---- the floor of an increment ------------------------------------------- */

#define FLOOR_ROUNDS 5
#define FLOOR_STRIDE 100	/* 1% of the pages, as dirtier's rounds */
#define PAGE 4096UL

/* Write-protect what was written in [m, m + SIZE) of the own pagemap pm;
 * copy each page written since through view into dst. Pages, or -1. */
static long floor_scan_copy(int pm, char *m, char const *view, char *dst)
{
	struct page_region vec[256];
	uint64_t start = (uint64_t)(uintptr_t)m, end = start + SIZE;
	long pages = 0;

	while (start < end) {
		struct pm_scan_arg a = {
			.size = sizeof(a),
			.flags = PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC,
			.start = start, .end = end,
			.vec = (uint64_t)(uintptr_t)vec, .vec_len = 256,
			.category_mask = PAGE_IS_WRITTEN,
			.return_mask = PAGE_IS_WRITTEN,
		};
		long n = ioctl(pm, PAGEMAP_SCAN, &a);

		if (n < 0 || a.walk_end <= start)
			return -1;
		for (long i = 0; i < n; i++)
			for (uint64_t p = vec[i].start; p < vec[i].end; p += PAGE) {
				memcpy(dst + pages * PAGE,
				       view + (p - (uint64_t)(uintptr_t)m), PAGE);
				pages++;
			}
		start = a.walk_end;
	}
	return pages;
}

/* Best ns of FLOOR_ROUNDS increments of 1% of a 256 MiB memfd, each after
 * 256 MiB of other copying (the caches hold none of it). */
static int incr_floor(double *ns)
{
	int fd = memfd_create("floor", MFD_CLOEXEC);
	int uf = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	char *m = MAP_FAILED, *view = MAP_FAILED, *dst = MAP_FAILED, *other = MAP_FAILED;
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_WP_ASYNC |
					      UFFD_FEATURE_WP_UNPOPULATED };
	int rc = -1;

	*ns = 1e18;
	if (fd < 0 || uf < 0 || pm < 0 || ftruncate(fd, SIZE) ||
	    ioctl(uf, UFFDIO_API, &api))
		goto out;
	m = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	view = mmap(NULL, SIZE, PROT_READ, MAP_SHARED, fd, 0);
	dst = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	other = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || view == MAP_FAILED || dst == MAP_FAILED ||
	    other == MAP_FAILED)
		goto out;
	struct uffdio_register reg = {
		.range = { (uint64_t)(uintptr_t)m, SIZE },
		.mode = UFFDIO_REGISTER_MODE_WP };
	if (ioctl(uf, UFFDIO_REGISTER, &reg))
		goto out;
	memset(m, 0x5a, SIZE);
	memset(other, 0xa5, SIZE);
	memcpy(dst, view, SIZE);		/* the full checkpoint */
	if (floor_scan_copy(pm, m, view, dst) != (long)(SIZE / PAGE))
		goto out;
	for (unsigned r = 1; r <= FLOOR_ROUNDS; r++) {
		long want = 0, got;
		double t0;

		memcpy(dst, other, SIZE);
		for (unsigned long p = r; p < SIZE / PAGE; p += FLOOR_STRIDE, want++)
			((unsigned long volatile *)m)[p * PAGE / sizeof(long)] = r;
		t0 = now_ns();
		got = floor_scan_copy(pm, m, view, dst);
		*ns = min2(*ns, now_ns() - t0);
		if (got != want)
			goto out;
	}
	rc = 0;
out:
	if (m != MAP_FAILED)
		munmap(m, SIZE);
	if (view != MAP_FAILED)
		munmap(view, SIZE);
	if (dst != MAP_FAILED)
		munmap(dst, SIZE);
	if (other != MAP_FAILED)
		munmap(other, SIZE);
	if (fd >= 0)
		close(fd);
	if (uf >= 0)
		close(uf);
	if (pm >= 0)
		close(pm);
	return rc;
}

/* ---- the system under test ---------------------------------------------- */

/* Fork and exec argv (stdout into a pipe if out, else inherited); the
 * read end, 0 without a pipe, -1 on failure. */
static int spawn(char *const argv[], bool out, pid_t *pid)
{
	int fds[2] = { -1, -1 };

	if (out && pipe(fds))
		return -1;
	fflush(NULL);
	*pid = fork();
	if (*pid < 0)
		return -1;
	if (*pid == 0) {
		if (out)
			dup2(fds[1], 1);
		close_range(3, ~0U, 0);
		execv(argv[0], argv);
		_exit(127);
	}
	if (!out)
		return 0;
	close(fds[1]);
	return fds[0];
}

static int reap(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status) ? 0 : -1;
}

/* Run `recap ARGS...` (up to the first NULL) to its end: ns, or -1 if it
 * failed. */
static double recap_cmd(char *a1, char *a2, char *a3, char *a4, char *a5,
			char *a6, char *a7, char *a8)
{
	char *argv[] = { recap, a1, a2, a3, a4, a5, a6, a7, a8, NULL };
	double t0 = now_ns();
	pid_t pid;

	if (spawn(argv, false, &pid) < 0 || reap(pid))
		return -1;
	return now_ns() - t0;
}

struct figures {
	double first_cr, first_pause;		/* the first checkpoint, ns */
	double ckpt_cr, ckpt_cmd, pause;	/* best, ns */
	double incr_cr, incr_cmd, incr_pause;
	double rst_cr, rst_cmd;
};

static char line[512];
static unsigned long round_seen;	/* dirtier's last round line */

/* Read the run's output up to a line starting with prefix (in line);
 * note dirtier's rounds on the way. */
static int wait_line(FILE *run, char const *prefix)
{
	while (fgets(line, sizeof(line), run)) {
		unsigned long r;

		if (sscanf(line, "[cr -> dirtier] dirtier: round %lu/", &r) == 1)
			round_seen = r;
		if (!strncmp(line, prefix, strlen(prefix)))
			return 0;
	}
	fprintf(stderr, "cr_checkpoint: the scenario ended before '%s'\n",
		prefix);
	return -1;
}

static int wait_round(FILE *run, unsigned long r)
{
	while (round_seen < r)
		if (wait_line(run, "[cr -> dirtier] dirtier: round "))
			return -1;
	return 0;
}

/*
 * `recap checkpoint dirtier -o img [--incremental parent]` and cr's line
 * about it: its KiB must lie in [min_kib, max_kib]. The times in ns.
 */
static int checkpoint(FILE *run, char *img, char *parent, unsigned long min_kib,
		      unsigned long max_kib, double *cmd_ns, double *cr_ns,
		      double *pause_ns)
{
	char name[] = "--name", scen[] = NAME, cmd[] = "checkpoint",
	     label[] = "dirtier", o[] = "-o", incr[] = "--incremental";
	unsigned long kib, us, paused_us;

	/* Not the replaced file's freeing: each image is new. */
	unlink(img);
	*cmd_ns = recap_cmd(cmd, name, scen, label, o, img,
			    parent ? incr : NULL, parent);
	if (*cmd_ns < 0) {
		fprintf(stderr, "cr_checkpoint: recap checkpoint failed\n");
		return -1;
	}
	if (wait_line(run, "[cr] checkpoint of dirtier: ") ||
	    sscanf(line, "[cr] checkpoint of dirtier: %lu KiB in %lu us, "
		   "paused %lu us", &kib, &us, &paused_us) != 3 ||
	    kib < min_kib || kib > max_kib) {
		fprintf(stderr, "cr_checkpoint: cr reported no %s checkpoint "
			"of %lu to %lu KiB\n", parent ? "incremental" : "full",
			min_kib, max_kib);
		return -1;
	}
	*cr_ns = us * 1e3;
	*pause_ns = paused_us * 1e3;
	return 0;
}

/*
 * CHECKPOINTS times: right after a round of dirtier's, a full
 * checkpoint; right after the next round, an increment of it, which must
 * hold the 1% of the pages that round wrote and not much more.
 */
static int checkpoints(FILE *run, struct figures *f)
{
	char full[PATH_MAX + 16], inc[PATH_MAX + 16];
	unsigned long kib = MIB << 10;

	snprintf(full, sizeof(full), "%s/full.img", dir);
	snprintf(inc, sizeof(inc), "%s/incr.img", dir);
	for (int i = 0; i < CHECKPOINTS; i++) {
		double cmd, cr, pause;
		unsigned long r;

		if (wait_round(run, round_seen + 1))
			return -1;
		r = round_seen;
		if (checkpoint(run, full, NULL, kib, 2 * kib, &cmd, &cr, &pause))
			return -1;
		if (!i) {
			f->first_cr = cr;
			f->first_pause = pause;
		}
		f->ckpt_cmd = min2(f->ckpt_cmd, cmd);
		f->ckpt_cr = min2(f->ckpt_cr, cr);
		f->pause = min2(f->pause, pause);
		if (wait_round(run, r + 1))
			return -1;
		if (round_seen != r + 1) {
			fprintf(stderr, "cr_checkpoint: the full checkpoint "
				"outlasted a period of dirtier's\n");
			return -1;
		}
		if (checkpoint(run, inc, full, kib / 100 * 9 / 10,
			       kib / 100 * 3 / 2, &cmd, &cr, &pause))
			return -1;
		f->incr_cmd = min2(f->incr_cmd, cmd);
		f->incr_cr = min2(f->incr_cr, cr);
		f->incr_pause = min2(f->incr_pause, pause);
	}
	return 0;
}

static int restores(FILE *run, struct figures *f)
{
	char img[PATH_MAX + 16], name[] = "--name", scen[] = NAME,
	     cmd[] = "restore", as[] = "--as", label[16];
	unsigned long kib, us;

	snprintf(img, sizeof(img), "%s/full.img", dir);
	for (int i = 0; i < RESTORES; i++) {
		double t;

		snprintf(label, sizeof(label), "r%d", i + 1);
		t = recap_cmd(cmd, name, scen, img, as, label, NULL, NULL);
		if (t < 0) {
			fprintf(stderr, "cr_checkpoint: recap restore failed\n");
			return -1;
		}
		if (wait_line(run, "[cr] restore of ") ||
		    sscanf(line, "[cr] restore of %lu KiB in %lu us", &kib,
			   &us) != 2 || kib < (MIB << 10)) {
			fprintf(stderr, "cr_checkpoint: cr reported no restore "
				"of %lu MiB\n", MIB);
			return -1;
		}
		f->rst_cmd = min2(f->rst_cmd, t);
		f->rst_cr = min2(f->rst_cr, us * 1e3);
	}
	return 0;
}

/* Run the scenario, measure, stop it. */
static int measure(struct figures *f)
{
	char run_[] = "run", name[] = "--name", scen[] = NAME,
	     file[] = SCENARIO, stop[] = "stop";
	char *argv[] = { recap, run_, name, scen, file, NULL };
	pid_t pid;
	int fd = spawn(argv, true, &pid), rc;
	FILE *run = fd < 0 ? NULL : fdopen(fd, "r");

	if (!run)
		return -1;
	rc = wait_line(run, "[cr -> dirtier] dirtier: 256 MiB written");
	if (!rc)
		rc = checkpoints(run, f);
	if (!rc)
		rc = restores(run, f);
	if (recap_cmd(stop, name, scen, NULL, NULL, NULL, NULL, NULL) < 0)
		rc = -1;
	fclose(run);
	return reap(pid) ? -1 : rc;
}

/* Remove what the system and the images left in dir, and dir. */
static void cleanup(void)
{
	char p[PATH_MAX + 32];

	snprintf(p, sizeof(p), "%s/full.img", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/incr.img", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/%s.sock", dir, NAME);
	unlink(p);
	rmdir(dir);
}

static double mib_s(double ns)
{
	return MIB / (ns / 1e9);
}

int main(void)
{
	struct figures f = { 0, 0, 1e18, 1e18, 1e18, 1e18, 1e18, 1e18, 1e18, 1e18 };
	char const *tmp = getenv("TMPDIR");
	double warm, fresh, floor_ns;
	int rc;

	alarm(DEADLINE_S);
	if (bench_recap_path(recap, sizeof(recap)) ||
	    snprintf(dir, sizeof(dir), "%s/recap-crbench.XXXXXX",
		     tmp && *tmp ? tmp : "/tmp") >= (int)sizeof(dir) ||
	    !mkdtemp(dir)) {
		fprintf(stderr, "cr_checkpoint: no temporary directory\n");
		return 1;
	}
	setenv("RECAP_RUNTIME_DIR", dir, 1);
	if (memcpy_baseline(&warm, &fresh)) {
		fprintf(stderr, "cr_checkpoint: the memcpy baseline failed\n");
		rmdir(dir);
		return 1;
	}
	if (incr_floor(&floor_ns)) {
		fprintf(stderr, "cr_checkpoint: the increment's floor failed "
			"(userfaultfd WP_ASYNC, PAGEMAP_SCAN: Linux >= 6.7)\n");
		rmdir(dir);
		return 1;
	}
	rc = measure(&f);
	cleanup();
	if (rc) {
		fprintf(stderr, "cr_checkpoint: running %s failed\n", SCENARIO);
		return 1;
	}
	printf("BENCH name=cr_checkpoint_256mib_cr value=%.0f unit=MiB/s "
	       "baseline=memcpy_256mib baseline_value=%.0f ratio=%.2f\n",
	       mib_s(f.ckpt_cr), mib_s(warm), mib_s(f.ckpt_cr) / mib_s(warm));
	printf("BENCH name=cr_checkpoint_256mib_first_cr value=%.0f unit=MiB/s "
	       "baseline=memcpy_256mib baseline_value=%.0f ratio=%.2f\n",
	       mib_s(f.first_cr), mib_s(warm), mib_s(f.first_cr) / mib_s(warm));
	printf("BENCH name=cr_checkpoint_256mib_first_pause value=%.1f unit=ms "
	       "baseline=memcpy_256mib baseline_value=%.1f ratio=%.2f\n",
	       f.first_pause / 1e6, warm / 1e6, f.first_pause / warm);
	printf("BENCH name=cr_checkpoint_256mib_cmd value=%.0f unit=MiB/s "
	       "baseline=memcpy_256mib baseline_value=%.0f ratio=%.2f\n",
	       mib_s(f.ckpt_cmd), mib_s(warm), mib_s(f.ckpt_cmd) / mib_s(warm));
	printf("BENCH name=memcpy_256mib_to_new_memory value=%.0f unit=MiB/s "
	       "baseline=memcpy_256mib baseline_value=%.0f ratio=%.2f\n",
	       mib_s(fresh), mib_s(warm), mib_s(fresh) / mib_s(warm));
	printf("BENCH name=cr_checkpoint_256mib_pause value=%.1f unit=ms "
	       "baseline=memcpy_256mib baseline_value=%.1f ratio=%.2f\n",
	       f.pause / 1e6, warm / 1e6, f.pause / warm);
	printf("BENCH name=cr_incremental_1pct_pause value=%.2f unit=ms "
	       "baseline=full_checkpoint_pause baseline_value=%.1f ratio=%.3f\n",
	       f.incr_pause / 1e6, f.pause / 1e6, f.incr_pause / f.pause);
	printf("BENCH name=cr_incremental_1pct_cr value=%.2f unit=ms "
	       "baseline=full_checkpoint_cr baseline_value=%.1f ratio=%.3f\n",
	       f.incr_cr / 1e6, f.ckpt_cr / 1e6, f.incr_cr / f.ckpt_cr);
	printf("BENCH name=cr_incremental_1pct_floor value=%.2f unit=ms "
	       "baseline=full_checkpoint_cr baseline_value=%.1f ratio=%.3f\n",
	       floor_ns / 1e6, f.ckpt_cr / 1e6, floor_ns / f.ckpt_cr);
	printf("BENCH name=cr_incremental_1pct_cmd value=%.1f unit=ms "
	       "baseline=full_checkpoint_cmd baseline_value=%.1f ratio=%.3f\n",
	       f.incr_cmd / 1e6, f.ckpt_cmd / 1e6, f.incr_cmd / f.ckpt_cmd);
	printf("BENCH name=cr_restore_256mib_cr value=%.1f unit=ms "
	       "baseline=memcpy_256mib baseline_value=%.1f ratio=%.2f\n",
	       f.rst_cr / 1e6, warm / 1e6, f.rst_cr / warm);
	printf("BENCH name=cr_restore_256mib_cmd value=%.1f unit=ms "
	       "baseline=memcpy_256mib baseline_value=%.1f ratio=%.2f\n",
	       f.rst_cmd / 1e6, warm / 1e6, f.rst_cmd / warm);
	return 0;
}
