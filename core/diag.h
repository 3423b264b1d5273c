/*
 * diag.h — core's own diagnostics, on stderr.
 *
 * Core's stdout is the system's log: what components write through their
 * LOG sessions, and core's verdicts about them (a crash). Everything core
 * has to say about itself — a scenario it cannot start, a request it
 * refused and why — goes to stderr, one line each, prefixed "core: " (or
 * "core[NAME]: " when started with --name NAME).
 */
#pragma once

/* The system's name for the prefix (NULL: none). */
void diag_set_name(char const *name);

void diag(char const *fmt, ...) __attribute__((format(printf, 1, 2)));
