/*
 * cr_cmd.h — the recap command's checkpoint and restore subcommands
 * (tools/cr_cmd.c). Each takes its argv from the subcommand's name on and
 * returns the exit status: 0, 1 on failure (one line on stderr), 2 for
 * bad usage.
 */
#pragma once

/* recap checkpoint [--name NAME] LABEL -o FILE [--stop] */
int cr_cmd_checkpoint(int argc, char **argv);

/* recap restore [--name NAME] FILE [--as LABEL] */
int cr_cmd_restore(int argc, char **argv);
