/*
 * sys_held_gate — a server replaced under its client (docs/kernel.md,
 * "Held gates"; docs/cr.md, "Restoring a server under its clients"):
 * pp_client calls pp_server through a gate. Before its first call the
 * driver pauses the server's thread (a paused thread takes no message:
 * the call queues), holds the gate (l4x_ipc_gate_hold), deletes the
 * server's thread and task (the queued call moves to the gate and
 * waits there), starts a second pp_server and binds the gate to it: the
 * waiting call and all the client's later ones are answered by the new
 * server, each exactly once and in order (the client checks every sum),
 * and both exit 0.
 */
#include <stdio.h>
#include <unistd.h>

#include <l4/sys/factory.h>
#include <l4/sys/x.h>
#include <recap/host_task.h>

#include "../progs/pp.h"
#include "../rt/rt.h"
#include "boot.h"

#define SRV1 1
#define CLI 2
#define SRV2 3

/* The first server paused, the gate held, the server deleted, a second
 * one bound to the gate. 0 or 1 (printed). */
static int replace(struct boot_task *srv1, l4_cap_idx_t gate)
{
	static struct boot_task srv2;

	if (l4x_thread_pause(L4X_BASE_HOST_CAP, srv1->thread) < 0) {
		fprintf(stderr, "held_gate: cannot pause the server\n");
		return 1;
	}
	printf("server 1 paused\n");
	boot_reply_value(0);		/* the client calls now, and waits */
	usleep(100000);
	if (l4x_ipc_gate_hold(gate, 1) < 0 ||
	    l4_error(l4_task_delete_obj(L4_BASE_TASK_CAP, srv1->thread)) < 0 ||
	    l4_error(l4_task_delete_obj(L4_BASE_TASK_CAP, srv1->task)) < 0) {
		fprintf(stderr, "held_gate: cannot hold the gate or delete server 1\n");
		return 1;
	}
	printf("gate held, server 1 deleted\n");
	usleep(100000);
	if (boot_task(&srv2, "build/tests/sys/progs/pp_server", SRV2) ||
	    l4_error(l4_rcv_ep_bind_thread(gate, srv2.thread, PP_GATE_LABEL)) < 0 ||
	    l4x_ipc_gate_hold(gate, 0) < 0) {
		fprintf(stderr, "held_gate: cannot bind the gate to server 2\n");
		return 1;
	}
	printf("gate bound to server 2\n");
	return 0;
}

int main(void)
{
	struct boot_task srv1, cli;
	if (host_task_init() || boot_task(&srv1, "build/tests/sys/progs/pp_server", SRV1) ||
	    boot_load(&cli, "build/tests/sys/progs/pp_client", CLI))
		return 1;
	l4_cap_idx_t gate = boot_alloc_sel();
	if (l4_error(l4_factory_create_gate(L4_BASE_FACTORY_CAP, gate, srv1.thread,
					    PP_GATE_LABEL)) < 0 ||
	    boot_give(&cli, gate, PP_SERVER_GATE, L4_CAP_FPAGE_RW) || boot_start(&cli))
		return 1;
	long codes[4] = { -1, -1, -1, -1 };
	int done = 0;
	while (done < 2) {
		struct boot_msg m;
		if (boot_wait(&m, 20000) < 0) {
			fprintf(stderr, "held_gate: timeout\n");
			return 1;
		}
		if (m.proto == RT_PROTO_READY && m.id == CLI) {
			if (replace(&srv1, gate))
				return 1;
		} else if (m.proto == RT_PROTO_EXIT && (m.id == CLI || m.id == SRV2)) {
			codes[m.id] = (long)m.mr0;
			done++;
		} else {
			fprintf(stderr, "held_gate: unexpected message %ld from %u\n",
				m.proto, m.id);
			return 1;
		}
	}
	printf("server 2 exit %ld, client exit %ld\n", codes[SRV2], codes[CLI]);
	return codes[SRV2] == 0 && codes[CLI] == 0 ? 0 : 1;
}
