/*
 * recap/log_session.h — the LOG service: text output, one session per
 * label. Core prints each line as "[label] text".
 *
 *   WRITE   string text (at most RECAP_RPC_MAX_STRING bytes) -> -
 */
#pragma once

enum recap_log_op {
	RECAP_LOG_WRITE = 1,
};
