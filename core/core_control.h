/*
 * core_control — core's side of the recap command (core/control.c).
 */
#pragma once

#include <stdbool.h>

/* Open the control socket of the scenario called name; 0 or -1 (reported). */
int control_open(char const *name);

/* Close and remove it. */
void control_close(void);

/* Catch SIGTERM / SIGINT from now on; control_watch_signals serves them. */
int control_catch_signals(void);

/* Let SIGTERM / SIGINT stop core (through its IPC loop); 0 or -1. */
int control_watch_signals(void);

/* Did a "recap stop" or a SIGTERM arrive? */
bool control_stop_requested(void);
