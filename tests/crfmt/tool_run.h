/*
 * Helpers shared by the tests of recap's image tools (test_diff,
 * test_inspect): a scratch directory to work in, a tool's main run with
 * its stdout and stderr captured, the "one line on stderr" check, and an
 * image with a malformed record. Uses cmocka's asserts and the hosted
 * tools, so it is linked into the hosted tests only (not into
 * comp_roundtrip, as sample.o is).
 */
#pragma once

#include <stdio.h>
#include <stddef.h>

/* What a tool printed, and its exit status. Free with run_free(). */
struct run {
	int rc;
	char *out, *err;
	size_t out_len, err_len;
};

typedef int tool_main_fn(int argc, char **argv, FILE *out, FILE *err);

/* MAIN with ARGV (NULL-terminated; argv[0] the command's name). */
struct run tool_run(tool_main_fn *main_fn, char const *const *argv);
void run_free(struct run *r);

/* Exactly one line on stderr, nothing on stdout, exit RC. */
void one_line_error(struct run const *r, int rc);

/*
 * Into a fresh scratch directory (0) or -1; scratch_leave() back to
 * scratch_top(), the directory before, and removes it.
 */
int scratch_enter(void);
int scratch_leave(void);
char const *scratch_top(void);

/* PATH: a valid image whose threads section holds one thread record
 * without registers. */
void write_bad_record_image(char const *path);
