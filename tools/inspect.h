/*
 * inspect — `recap inspect FILE [--json]`: what a checkpoint image holds,
 * for people (text) or programs (one JSON document).
 *
 * Exit status 0 with the listing on OUT; 1 if the image cannot be opened,
 * fails a check or holds a malformed record (one line on ERR, nothing on
 * OUT); 2 for bad usage (one line on ERR).
 */
#pragma once

#include <stdint.h>
#include <stdio.h>

struct crfmt_meta;
struct l4x_pending;

/* ARGV[0] is "inspect". */
int inspect_main(int argc, char **argv, FILE *out, FILE *err);

/* The listing's words for a thread, shared with recap diff (diff.h): what
 * it was doing from its pending call ("blocked in wait", ...), and its
 * flags ("paused main", "-" for none). */
void inspect_thread_doing(FILE *f, struct l4x_pending const *p);
void inspect_thread_flags(FILE *f, uint64_t flags);

/* The meta record's words, shared with recap diff the same way: its flags
 * ("stopped, incremental", "none"), and its config as a string (malloc'd,
 * NULs shown as 0x7f; NULL when out of memory). */
void inspect_meta_flags(FILE *f, uint64_t flags);
char *inspect_config_str(struct crfmt_meta const *m);
