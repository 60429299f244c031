// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol state: the inbound-only TCP state machine and the timeout of
 * each state.
 */

#include <linux/jiffies.h>

#include "datapath/conn_state.h"

void ipvl_timeouts_default(struct ipvl_timeouts *t)
{
	t->tcp_est = IPVL_TIMEOUT_TCP_EST * HZ;
	t->tcp_fin = IPVL_TIMEOUT_TCP_FIN * HZ;
	t->udp = IPVL_TIMEOUT_UDP * HZ;
}

u8 ipvl_tcp_next_state(u8 state, const struct ipvl_tcp_flags *f, bool reply)
{
	if (f->rst)
		return IPVL_S_CLOSE;
	if (f->syn && !f->ack)
		return IPVL_S_SYN_RECV;
	/* The server's SYN-ACK: the client has not confirmed yet. */
	if (reply && f->syn)
		return state;
	if (f->fin)
		return IPVL_S_FIN_WAIT;
	/*
	 * A bare ACK confirms the handshake, or (sloppy services) shows a
	 * connection that began elsewhere; after a FIN or RST it only
	 * acknowledges the teardown and must not revive the connection.
	 */
	if (f->ack && (state == IPVL_S_SYN_RECV ||
		       state == IPVL_S_ESTABLISHED || state == IPVL_S_NONE))
		return IPVL_S_ESTABLISHED;
	return state;
}

u8 ipvl_next_state(u8 protocol, u8 state, const struct ipvl_tcp_flags *f,
		   bool reply)
{
	if (protocol == IPPROTO_UDP)
		return IPVL_S_UDP;
	return ipvl_tcp_next_state(state, f, reply);
}

unsigned long ipvl_state_timeout(const struct ipvl_timeouts *t, u8 state)
{
	switch (state) {
	case IPVL_S_ESTABLISHED:
		return READ_ONCE(t->tcp_est);
	case IPVL_S_FIN_WAIT:
		return READ_ONCE(t->tcp_fin);
	case IPVL_S_UDP:
		return READ_ONCE(t->udp);
	case IPVL_S_CLOSE:
		return IPVL_TIMEOUT_CLOSE * HZ;
	default:
		return IPVL_TIMEOUT_SYN_RECV * HZ;
	}
}

/*
 * A new SYN on the tuple of a connection that is closing starts a new
 * connection, scheduled afresh, instead of riding the old one; @mode is
 * the conn_reuse_mode sysctl. FIN_WAIT is the last state a director
 * without the replies (DR, TUN) sees, hence bit 1.
 */
bool ipvl_tcp_state_reusable(u8 state, int mode)
{
	if (!mode)
		return false;
	return state == IPVL_S_CLOSE ||
	       ((mode & 2) && state == IPVL_S_FIN_WAIT);
}

const char *ipvl_state_name(u8 state)
{
	static const char * const names[IPVL_S_MAX] = {
		[IPVL_S_NONE] = "NONE",
		[IPVL_S_SYN_RECV] = "SYN_RECV",
		[IPVL_S_ESTABLISHED] = "ESTABLISHED",
		[IPVL_S_FIN_WAIT] = "FIN_WAIT",
		[IPVL_S_CLOSE] = "CLOSE",
		[IPVL_S_UDP] = "UDP",
		[IPVL_S_TEMPLATE] = "NONE",
	};

	return state < IPVL_S_MAX ? names[state] : "?";
}
