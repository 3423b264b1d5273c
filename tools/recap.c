/*
 * recap — the command-line tool (DESIGN.md §6). One subcommand so far:
 *
 *   recap run [--name NAME] CONFIG.xml
 *
 * boots the kernel and core with a scenario: it becomes
 * `recapd --stub STUB -- CORE [--name NAME] CONFIG.xml`, with recapd, the
 * task stub and core found next to the recap binary (the build directory),
 * and the boot directory defaulting to the apps/ directory there
 * (RECAP_KERNEL, RECAP_STUB, RECAP_CORE and RECAP_BOOT_DIR override them:
 * the tests run sanitizer builds that way). The exit
 * status is core's: 0 when every component has ended and none crashed or
 * exited with a non-zero value, 3 when one did, 1 if the scenario cannot
 * be run (the reason on stderr).
 *
 * Exit status 2: bad usage (unknown command or option, missing argument),
 * with one line on stderr saying so.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control.h"
#include "cr_cmd.h"
#include "diff.h"
#include "inspect.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: recap [--help] COMMAND [ARGS]\n"
		"\n"
		"commands:\n"
		"  run [--name NAME] CONFIG.xml   boot recapd and core with a scenario\n"
		"  ps [--name NAME]               list the components of a running scenario\n"
		"  caps [--name NAME] LABEL       the kernel's view of a component's capabilities\n"
		"  stop [--name NAME]             shut a running scenario down\n"
		"  checkpoint [--name NAME] LABEL -o FILE [--stop]\n"
		"                                 checkpoint a component under a cr\n"
		"  restore [--name NAME] FILE [--as LABEL] [--replace]\n"
		"                                 restore a checkpoint into the cr\n"
		"  inspect FILE [--json]          what a checkpoint image holds\n"
		"  inspect --check-against ORIG RESTORED\n"
		"                                 compare two images' capability spaces\n"
		"  diff A B [--json] [--ignore-ids]\n"
		"                                 what changed between two images\n"
		"\n"
		"`recap COMMAND --help` describes a command.\n");
}

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: recap run [--name NAME] CONFIG.xml\n"
		"\n"
		"Boot the recap kernel (recapd) and core, and let core start the\n"
		"components of the Genode-style scenario CONFIG.xml. Components print\n"
		"through their LOG sessions on stdout as \"[label] text\"; recapd and\n"
		"core report their own problems on stderr. Returns when every component\n"
		"has exited or crashed.\n"
		"\n"
		"  --name NAME   name of this system (default \"recap\"): ps, caps and\n"
		"                stop find it by this name\n"
		"\n"
		"Binaries are taken from $RECAP_BOOT_DIR, by default the apps/ directory\n"
		"next to the recap binary; recapd, the task stub and core are the ones\n"
		"next to it too, unless $RECAP_KERNEL, $RECAP_STUB or $RECAP_CORE name\n"
		"others. Exit status: 0 when all components ended and none crashed or\n"
		"exited with a non-zero value, 3 when one did (its report is on\n"
		"stdout), 1 if the scenario could not be run, 2 for bad usage.\n"
		"Components still running when the system is stopped (recap stop,\n"
		"SIGTERM) do not count as failed.\n");
}

/* The directory the running recap binary is in. */
static int self_dir(char *buf, size_t size)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return -1;
	exe[n] = '\0';
	return snprintf(buf, size, "%s", dirname(exe)) >= (int)size ? -1 : 0;
}

/* The program name next to recap, unless the environment variable env
 * names another one. */
static int locate(char *buf, size_t size, char const *dir, char const *name,
		  char const *env)
{
	char const *path = getenv(env);
	int n = path && path[0] ? snprintf(buf, size, "%s", path)
				: snprintf(buf, size, "%s/%s", dir, name);

	if (n < 0 || n >= (int)size)
		return -1;
	if (access(buf, X_OK)) {
		fprintf(stderr, "recap: %s: %s (is the tree built?)\n", buf,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	char dir[PATH_MAX], recapd[PATH_MAX], stub[PATH_MAX], core[PATH_MAX];
	char apps[PATH_MAX];
	char const *name = NULL, *config = NULL;
	char *args[9];
	int n = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			run_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--name")) {
			if (++i == argc) {
				fprintf(stderr, "recap run: --name needs a value\n");
				return 2;
			}
			name = argv[i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "recap run: unknown option '%s' (see recap run --help)\n",
				argv[i]);
			return 2;
		} else if (config) {
			fprintf(stderr, "recap run: one CONFIG.xml only (see recap run --help)\n");
			return 2;
		} else {
			config = argv[i];
		}
	}
	if (!config) {
		fprintf(stderr, "recap run: no CONFIG.xml given (see recap run --help)\n");
		return 2;
	}
	if (self_dir(dir, sizeof(dir)) ||
	    locate(recapd, sizeof(recapd), dir, "recapd", "RECAP_KERNEL") ||
	    locate(stub, sizeof(stub), dir, "stub", "RECAP_STUB") ||
	    locate(core, sizeof(core), dir, "core", "RECAP_CORE"))
		return 1;
	if (!getenv("RECAP_BOOT_DIR")) {
		if (snprintf(apps, sizeof(apps), "%s/apps", dir) >= (int)sizeof(apps)) {
			fprintf(stderr, "recap: path of %s too long\n", dir);
			return 1;
		}
		setenv("RECAP_BOOT_DIR", apps, 1);
	}
	args[n++] = recapd;
	args[n++] = "--stub";
	args[n++] = stub;
	args[n++] = "--";
	args[n++] = core;
	if (name) {
		args[n++] = "--name";
		args[n++] = (char *)name;
	}
	args[n++] = (char *)config;
	args[n] = NULL;
	execv(recapd, args);
	fprintf(stderr, "recap: cannot run %s: %s\n", recapd, strerror(errno));
	return 1;
}

/* ---- talking to a running scenario (tools/control.h) ---------------------- */

struct control_cmd {
	char const *name;	/* the subcommand */
	int nargs;		/* positional arguments it takes */
	char const *synopsis;
	char const *help;
};

static struct control_cmd const control_cmds[] = {
	{ "ps", 0, "recap ps [--name NAME]",
	  "List the components of the running scenario NAME: label, kernel id of\n"
	  "its task, threads, RAM in use and capability slots in use, as the\n"
	  "kernel reports them.\n" },
	{ "caps", 1, "recap caps [--name NAME] LABEL",
	  "Print the kernel's view of the capability space of component LABEL:\n"
	  "one line per used slot with its selector, object kind, kernel object\n"
	  "id, rights and (for gates and IRQs) label.\n" },
	{ "stop", 0, "recap stop [--name NAME]",
	  "Shut the running scenario NAME down: its components are ended and\n"
	  "its recap run returns.\n" },
};

static int cmd_control(struct control_cmd const *c, int argc, char **argv)
{
	char const *name = CONTROL_DEFAULT_NAME, *arg = NULL;
	char request[CONTROL_LINE_MAX];
	int positional = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage: %s\n\n%s", c->synopsis, c->help);
			return 0;
		} else if (!strcmp(argv[i], "--name") && i + 1 < argc) {
			name = argv[++i];
		} else if (argv[i][0] != '-' && positional < c->nargs) {
			arg = argv[i];
			positional++;
		} else {
			fprintf(stderr, "recap %s: unexpected argument '%s' (usage: %s)\n",
				c->name, argv[i], c->synopsis);
			return 2;
		}
	}
	if (positional != c->nargs) {
		fprintf(stderr, "recap %s: missing argument (usage: %s)\n", c->name,
			c->synopsis);
		return 2;
	}
	if (arg && (strchr(arg, '\n') || strlen(arg) > CONTROL_LINE_MAX - 16)) {
		fprintf(stderr, "recap %s: bad label\n", c->name);
		return 2;
	}
	snprintf(request, sizeof(request), "%s%s%s", c->name, arg ? " " : "", arg ? arg : "");
	return control_request(name, request, stdout, stderr) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(argv[1], "checkpoint"))
		return cr_cmd_checkpoint(argc - 1, argv + 1);
	if (!strcmp(argv[1], "restore"))
		return cr_cmd_restore(argc - 1, argv + 1);
	if (!strcmp(argv[1], "inspect"))
		return inspect_main(argc - 1, argv + 1, stdout, stderr);
	if (!strcmp(argv[1], "diff"))
		return diff_main(argc - 1, argv + 1, stdout, stderr);
	for (unsigned i = 0; i < sizeof(control_cmds) / sizeof(control_cmds[0]); i++)
		if (!strcmp(argv[1], control_cmds[i].name))
			return cmd_control(&control_cmds[i], argc - 1, argv + 1);
	fprintf(stderr, "recap: unknown command '%s' (see recap --help)\n", argv[1]);
	return 2;
}
