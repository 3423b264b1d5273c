/*
 * sys_pingpong — two tasks talk through a gate: calls with data, a
 * capability each way, counted IRQ triggers; both exit 0.
 */
#include <stdio.h>

#include <l4/sys/factory.h>
#include <recap/host_task.h>

#include "../progs/pp.h"
#include "../rt/rt.h"
#include "boot.h"

int main(void)
{
	struct boot_task srv, cli;
	if (host_task_init() || boot_task(&srv, "build/tests/sys/progs/pp_server", 1) ||
	    boot_load(&cli, "build/tests/sys/progs/pp_client", 2))
		return 1;
	l4_cap_idx_t gate = boot_alloc_sel();
	if (l4_error(l4_factory_create_gate(L4_BASE_FACTORY_CAP, gate, srv.thread,
					    PP_GATE_LABEL)) < 0 ||
	    boot_give(&cli, gate, PP_SERVER_GATE, L4_CAP_FPAGE_RW) || boot_start(&cli))
		return 1;
	int done = 0;
	long codes[3] = { -1, -1, -1 };
	while (done < 2) {
		struct boot_msg m;
		if (boot_wait(&m, 20000) < 0) {
			fprintf(stderr, "pingpong: timeout\n");
			return 1;
		}
		if (m.proto == RT_PROTO_READY) {
			boot_reply_value(0);
		} else if (m.proto == RT_PROTO_EXIT && m.id >= 1 && m.id <= 2) {
			codes[m.id] = (long)m.mr0;
			done++;
		} else {
			fprintf(stderr, "pingpong: unexpected message %ld from %u\n", m.proto, m.id);
			return 1;
		}
	}
	printf("server exit %ld, client exit %ld\n", codes[1], codes[2]);
	return codes[1] == 0 && codes[2] == 0 ? 0 : 1;
}
