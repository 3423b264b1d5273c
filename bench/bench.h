/*
 * bench.h — what every benchmark driver here needs: clocks, the TSC rate,
 * and the baseline every IPC figure is compared with (a pipe ping-pong
 * between two Linux processes).
 */
#pragma once

#include <stdint.h>
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
