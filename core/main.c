/*
 * core — the root task of recapd: reads a scenario, starts its components,
 * and serves them until every one has exited or crashed.
 *
 *   core [--name NAME] CONFIG.xml
 *
 * recapd starts core as its root program (recap run does both). Exit
 * status: 0 when every component has ended and none crashed or exited
 * with a non-zero value, 3 when one did (CORE_EXIT_FAILED), 1 if the
 * scenario cannot be read or a component cannot be started (the reason on
 * stderr), 2 for bad usage. Components still running when core is told to
 * stop (recap stop, SIGTERM) have not failed.
 *
 * Components are found in the boot directory, RECAP_BOOT_DIR (default
 * build/apps): the ELF file named by <binary name=..>, or the start's name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <recap/err.h>
#include <recap/host_task.h>

#include "cap_sel.h"
#include "child.h"
#include "control.h"
#include "core_control.h"
#include "cr_service.h"
#include "diag.h"
#include "rpc_server.h"
#include "scenario.h"
#include "timer.h"

#define DEFAULT_BOOT_DIR "build/apps"

/* Exit status when a component crashed or exited with a non-zero value. */
#define CORE_EXIT_FAILED 3

static void usage(FILE *f)
{
	fprintf(f, "usage: core [--name NAME] CONFIG.xml\n"
		   "  Start the components of a Genode-style scenario (the root task\n"
		   "  of recapd; use `recap run`). Binaries come from $RECAP_BOOT_DIR\n"
		   "  (default " DEFAULT_BOOT_DIR ").\n");
}

/* Did c end by itself, crashed or with a non-zero exit value? */
static void note_failure(struct child *c, void *failed)
{
	if (!c->running && c->exit_code != 0)
		*(bool *)failed = true;
}

/* Core's loop has one clock: the Timer's deadlines and the CR service's. */
static l4_timeout_s core_clock_timeout(void)
{
	l4_timeout_s a = timer_timeout(), b = cr_service_timeout();

	return l4_timeout_rel_get(a) <= l4_timeout_rel_get(b) ? a : b;
}

static void core_clock_expire(void)
{
	timer_expire();
	cr_service_expire();
}

/* Core serves while a child runs and nobody asked it to stop. */
static bool core_serving(void)
{
	return child_any_running() && !control_stop_requested();
}

int main(int argc, char **argv)
{
	char const *config = NULL, *boot_dir = getenv("RECAP_BOOT_DIR");
	char const *name = NULL;
	struct scenario *s;
	struct scenario_result r;
	bool failed = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			name = argv[++i];
			diag_set_name(name);
		} else if (argv[i][0] != '-' && !config) {
			config = argv[i];
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (!config) {
		usage(stderr);
		return 2;
	}
	if (!boot_dir || !boot_dir[0])
		boot_dir = DEFAULT_BOOT_DIR;
	/* A SIGTERM that comes while we start the children waits for the
	 * signalfd core serves it from (control_watch_signals). */
	if (control_catch_signals()) {
		diag("cannot catch SIGTERM");
		return 1;
	}
	/* stdout is the system's log: whole lines, as they happen. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	r = scenario_load_file(config, &s);
	if (r.err != SCENARIO_OK) {
		diag("%s", r.msg);
		return 1;
	}
	cap_sel_init();
	if (host_task_init() || rpc_server_init() != RECAP_OK) {
		diag("cannot set up core's own task");
		scenario_free(s);
		return 1;
	}
	for (size_t i = 0; i < s->n_starts; i++) {
		if (child_start(s, &s->starts[i], boot_dir)) {
			child_free_all();
			scenario_free(s);
			return 1;
		}
	}
	/* recap ps / caps / stop reach us here. Without a --name, a second
	 * unnamed scenario just goes without (the first one keeps the name). */
	if (control_watch_signals() ||
	    (control_open(name ? name : CONTROL_DEFAULT_NAME) && name)) {
		child_free_all();
		scenario_free(s);
		return 1;
	}
	rpc_server_set_clock(core_clock_timeout, core_clock_expire);
	rpc_server_run(core_serving);
	/* Before child_free_all ends the ones still running (code -1). */
	child_for_each(note_failure, &failed);
	control_close();
	child_free_all();
	scenario_free(s);
	return failed ? CORE_EXIT_FAILED : 0;
}
