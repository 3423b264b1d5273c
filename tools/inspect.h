/*
 * inspect — `recap inspect FILE [--json]`: what a checkpoint image holds,
 * for people (text) or programs (one JSON document).
 *
 * Exit status 0 with the listing on OUT; 1 if the image cannot be opened,
 * fails a check or holds a malformed record (one line on ERR, nothing on
 * OUT); 2 for bad usage (one line on ERR).
 */
#pragma once

#include <stdio.h>

/* ARGV[0] is "inspect". */
int inspect_main(int argc, char **argv, FILE *out, FILE *err);
