/*
 * component_start — benchmark: starting a component, against starting a
 * static binary on Linux, measured in the same run.
 *
 *   BENCH name=component_start_recap_run  from the fork of `recap run
 *         bench/component_start.xml` to the first instruction of
 *         apps/start_bench's component_construct: recapd booting, core
 *         reading the scenario, creating the PD, loading the ELF file and
 *         starting the main thread, and lib/base's startup. Not from core
 *         creating the PD: the whole cold start of a system of one.
 *         Baseline fork_exec_static: from the fork to the first
 *         instruction of bench/start_static.S (a static binary without a
 *         C library).
 *   BENCH name=component_run_exit_recap_run  from the fork of `recap run`
 *         to its exit, the component having logged one line and exited.
 *         Baseline fork_exec_wait_static: fork to waitpid of start_static.
 *
 * Both sides read the TSC (one clock for all processes on the CPU; make
 * bench runs everything on CPU 0): this program before the fork, the
 * started program first thing, and report it on stdout (the component
 * through LOG). Seven interleaved repetitions, the best of each.
 *
 * make bench starts it as the root task of a recapd, like every benchmark;
 * it makes no use of that system, and runs just as well alone.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define REPS 7
#define SCENARIO "bench/component_start.xml"

/* DIR/NAME where DIR is the directory of this program's directory
 * (BUILD/bench/x -> BUILD), or this program's own if same_dir. */
static int build_path(char *buf, size_t size, char const *name, int same_dir)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *dir;

	if (n < 0)
		return -1;
	exe[n] = '\0';
	dir = dirname(exe);
	if (!same_dir)
		dir = dirname(dir);
	return snprintf(buf, size, "%s/%s", dir, name) >= (int)size ? -1 : 0;
}

/* Fork and exec argv with stdout into a pipe; the read end, or -1. */
static int spawn(char *const argv[], pid_t *pid)
{
	int fds[2];

	if (pipe(fds))
		return -1;
	fflush(NULL);
	*pid = fork();
	if (*pid < 0)
		return -1;
	if (*pid == 0) {
		/* A system of its own: nothing of the one we may run in. */
		dup2(fds[1], 1);
		close_range(3, ~0U, 0);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[1]);
	return fds[0];
}

static int reap(pid_t pid)
{
	int status;

	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status) ? 0 : -1;
}

/* One start of the static binary: cycles to its first instruction, and
 * to waitpid. */
static int static_once(char *path, unsigned long *first, unsigned long *done)
{
	char *argv[] = { path, NULL };
	unsigned long t0 = cycles(), t;
	pid_t pid;
	int fd = spawn(argv, &pid);

	if (fd < 0)
		return -1;
	if (read(fd, &t, sizeof(t)) != sizeof(t)) {
		close(fd);
		return -1;
	}
	close(fd);
	if (reap(pid))
		return -1;
	*done = cycles() - t0;
	*first = t - t0;
	return 0;
}

/* One `recap run` of the scenario: cycles to component_construct, and to
 * the exit of recap run. */
static int recap_once(char *recap, unsigned long *first, unsigned long *done)
{
	char run[] = "run", scenario[] = SCENARIO, line[512];
	char *argv[] = { recap, run, scenario, NULL };
	unsigned long t0 = cycles(), t;
	int seen = 0;
	pid_t pid;
	int fd = spawn(argv, &pid);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "[start_bench] start_bench: construct at %lu", &t) == 1)
			seen++;
		else
			fprintf(stderr, "component_start: %s", line);
	}
	fclose(f);
	if (reap(pid) || seen != 1)
		return -1;
	*done = cycles() - t0;
	*first = t - t0;
	return 0;
}

int main(void)
{
	char recap[PATH_MAX], hello[PATH_MAX];
	double per_ns = tsc_per_ns();
	double s_first = 1e18, s_done = 1e18, r_first = 1e18, r_done = 1e18;

	if (build_path(recap, sizeof(recap), "recap", 0) ||
	    build_path(hello, sizeof(hello), "start_static", 1))
		return 1;
	for (int rep = 0; rep < REPS; rep++) {
		unsigned long sf, sd, rf, rd;

		if (static_once(hello, &sf, &sd)) {
			fprintf(stderr, "component_start: running %s failed\n", hello);
			return 1;
		}
		if (recap_once(recap, &rf, &rd)) {
			fprintf(stderr, "component_start: running %s failed\n", SCENARIO);
			return 1;
		}
		s_first = min2(s_first, sf / per_ns);
		s_done = min2(s_done, sd / per_ns);
		r_first = min2(r_first, rf / per_ns);
		r_done = min2(r_done, rd / per_ns);
	}
	printf("BENCH name=component_start_recap_run value=%.0f unit=ns "
	       "baseline=fork_exec_static baseline_value=%.0f ratio=%.2f\n",
	       r_first, s_first, r_first / s_first);
	printf("BENCH name=component_run_exit_recap_run value=%.0f unit=ns "
	       "baseline=fork_exec_wait_static baseline_value=%.0f ratio=%.2f\n",
	       r_done, s_done, r_done / s_done);
	return 0;
}
