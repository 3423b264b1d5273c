/*
 * pd_session.h — core's PD service (protocol: recap/pd_session.h): a
 * handle on the client's own PD, for now to allocate the IPC gates of the
 * client's RPC objects (alloc_rpc_cap / free_rpc_cap).
 */
#pragma once

#include <recap/capability.h>

struct child;

/*
 * Open a PD session for client; *cap is its capability. RECAP_OK,
 * RECAP_ERR_NOMEM or a kernel error.
 */
int pd_session_open(struct child *client, struct recap_cap *cap);

/* Delete the gates keeper holds and nobody adopted (keeper ends). */
void pd_held_release(struct child *keeper);
