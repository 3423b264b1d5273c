/*
 * l4/sys/vcon.h — writing text to a virtual console (the kernel log object).
 *
 * recap implements the write operation only: the kernel log prints what it
 * is sent on recapd's standard output.
 */
#pragma once

#include <l4/sys/ipc.h>
#include <l4/sys/types.h>
#include <l4/sys/utcb.h>

enum L4_vcon_ops {
	L4_VCON_WRITE_OP = 0,
};

/* Bytes one write can carry: the MRs after the opcode and length words. */
#define L4_VCON_WRITE_SIZE ((L4_UTCB_GENERIC_DATA_SIZE - 2) * sizeof(l4_umword_t))

/* Write up to L4_VCON_WRITE_SIZE bytes of buf; longer text is cut. */
L4_INLINE l4_msgtag_t
l4_vcon_write_u(l4_cap_idx_t vcon, char const *buf, unsigned size, l4_utcb_t *u)
{
	l4_msg_regs_t *m = l4_utcb_mr_u(u);
	if (size > L4_VCON_WRITE_SIZE)
		size = L4_VCON_WRITE_SIZE;
	m->mr[0] = L4_VCON_WRITE_OP;
	m->mr[1] = size;
	char *dst = (char *)&m->mr[2];
	for (unsigned i = 0; i < size; i++)
		dst[i] = buf[i];
	return l4_ipc_send(vcon, u,
			   l4_msgtag(L4_PROTO_LOG, 2 + (size + 7) / 8, 0, 0),
			   L4_IPC_NEVER);
}

L4_INLINE l4_msgtag_t
l4_vcon_write(l4_cap_idx_t vcon, char const *buf, unsigned size)
{
	return l4_vcon_write_u(vcon, buf, size, l4_utcb());
}
