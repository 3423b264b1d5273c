/*
 * recap/host_task.h — joining recapd as a host task (the root task, core).
 *
 * A host task is a normal Linux process started by recapd. Before it makes
 * any L4 call it maps its UTCB area and points its %gs base at its UTCB, as
 * the task stub does for components.
 */
#pragma once

/*
 * Set up the calling (main) thread from the environment recapd passed.
 * Returns 0, or -1 with a message on stderr if not started by recapd.
 */
int host_task_init(void);
