/* pp — the ping-pong protocol of pp_server / pp_client. */
#pragma once

#define PP_GATE_LABEL 0x100UL	/* the server gate's label, set by the driver */
#define PP_SERVER_GATE RT_ARG_CAP(0)	/* the client's capability to the server */

enum pp_op { PP_ADD = 1, PP_NOP, PP_CAP, PP_IRQS, PP_QUIT };
