/*
 * core_control — core's side of the recap command (core/control.c).
 */
#pragma once

#include <stdbool.h>

/* Open the control socket of the scenario called name; 0 or -1 (reported). */
int control_open(char const *name);

/* Close and remove it. */
void control_close(void);

/* Did a "recap stop" arrive? */
bool control_stop_requested(void);
