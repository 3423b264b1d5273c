/*
 * control — how the recap command talks to a running scenario: a Unix
 * stream socket per scenario name, served by core.
 *
 * One request per connection: a single line ("ps", "caps LABEL", "stop"),
 * answered with text lines and a last line "ok" or "error: MESSAGE".
 * "checkpoint FLAGS LABEL" and "restore LENGTH FLAGS AS_LABEL" (with the
 * stream's memfd) are answered later, by the CR service (core/cr_service.h):
 * "progress DONE TOTAL" lines, then "ok LENGTH" with the stream's memfd,
 * "ok", or "error: MESSAGE".
 * The socket lives in $RECAP_RUNTIME_DIR, else $XDG_RUNTIME_DIR/recap, else
 * /tmp/recap-UID, as NAME.sock; the directory is private (0700).
 */
#pragma once

#include <stddef.h>
#include <stdio.h>

#define CONTROL_DEFAULT_NAME "recap"
#define CONTROL_LINE_MAX 256

/* The socket path for a scenario name; 0, or -1 if it does not fit. */
int control_path(char const *name, char *buf, size_t size);

/* Create the directory the sockets live in; 0 or -errno. */
int control_make_dir(void);

/*
 * Connect to the scenario called name: the socket, or -1 with the reason
 * on err ("no scenario named 'NAME' is running").
 */
int control_connect(char const *name, FILE *err);

/*
 * Send request to the scenario called name and copy the answer (without
 * its status line) to out. Returns 0 if the answer ended in "ok", 1 if in
 * "error: ..." (the message goes to err), -1 if the scenario could not be
 * reached (message in err).
 */
int control_request(char const *name, char const *request, FILE *out, FILE *err);
