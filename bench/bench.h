/*
 * bench.h — what every benchmark driver here needs: clocks, the TSC rate,
 * and the baseline every IPC figure is compared with (a pipe ping-pong
 * between two Linux processes).
 */
#pragma once

#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline unsigned long cycles(void)
{
	unsigned lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((unsigned long)hi << 32) | lo;
}

/* TSC ticks per nanosecond, over 100 ms of sleeping. */
static inline double tsc_per_ns(void)
{
	struct timespec d = { 0, 100 * 1000 * 1000 };
	double t0 = now_ns();
	unsigned long c0 = cycles();

	nanosleep(&d, NULL);
	return (double)(cycles() - c0) / (now_ns() - t0);
}

static inline double min2(double a, double b)
{
	return a < b ? a : b;
}

/* Two processes, two pipes, one byte back and forth. ns per round trip. */
static inline double pipe_pingpong(unsigned long rounds)
{
	int ab[2], ba[2];
	double t0, t;
	char c = 0;
	pid_t pid;

	if (pipe(ab) || pipe(ba))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		for (unsigned long i = 0; i < rounds; i++)
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	t0 = now_ns();
	for (unsigned long i = 0; i < rounds; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			return -1;
	t = now_ns() - t0;
	waitpid(pid, NULL, 0);
	for (int i = 0; i < 2; i++) {
		close(ab[i]);
		close(ba[i]);
	}
	return t / rounds;
}

/* The recap binary next to this one's directory: BUILD/bench/x -> BUILD/recap. */
static inline int bench_recap_path(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return -1;
	exe[n] = '\0';
	return snprintf(buf, size, "%s/recap", dirname(dirname(exe))) >= (int)size
		       ? -1 : 0;
}

/*
 * Start `recap run scenario` with its standard output on a pipe; returns
 * that stream (and the process in *pid), or NULL.
 */
static inline FILE *bench_recap_run(char const *scenario, pid_t *pid)
{
	char recap[PATH_MAX];
	int fds[2];

	if (bench_recap_path(recap, sizeof(recap)) || pipe(fds))
		return NULL;
	fflush(NULL);
	*pid = fork();
	if (*pid < 0)
		return NULL;
	if (*pid == 0) {
		/* A system of its own: nothing of the one we may run in. */
		dup2(fds[1], 1);
		close_range(3, ~0U, 0);
		execl(recap, recap, "run", scenario, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	return fdopen(fds[0], "r");
}

/* Close the stream and wait for recap run: 0 if it exited 0. */
static inline int bench_recap_wait(FILE *f, pid_t pid)
{
	int status;

	if (f)
		fclose(f);
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	       !WEXITSTATUS(status) ? 0 : -1;
}

