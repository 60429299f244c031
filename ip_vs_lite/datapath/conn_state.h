/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_CONN_STATE_H
#define _IPVL_CONN_STATE_H

#include <linux/in.h>

#include "model/netns.h"

/*
 * Connection states. With direct routing and tunnelling the director
 * sees only the client's half of a TCP connection, so the state follows
 * inbound segments alone; with NAT the replies drive it too.
 */
enum ipvl_conn_state {
	IPVL_S_NONE,
	IPVL_S_SYN_RECV,
	IPVL_S_ESTABLISHED,
	IPVL_S_FIN_WAIT,
	IPVL_S_CLOSE,
	IPVL_S_UDP,
	IPVL_S_TEMPLATE,	/* persistence: client to real server */
	IPVL_S_MAX
};

/* Default timeouts, in seconds. */
#define IPVL_TIMEOUT_TCP_EST	900
#define IPVL_TIMEOUT_TCP_FIN	120
#define IPVL_TIMEOUT_UDP	300
#define IPVL_TIMEOUT_SYN_RECV	60
#define IPVL_TIMEOUT_CLOSE	10
/* The most an entry lives on before it is confirmed (see conn.h). */
#define IPVL_TIMEOUT_UNCONFIRMED	60

/*
 * The TCP flags that drive the state machine; and whether the segment
 * carries data (always, for UDP), which confirms a DR or TUN entry.
 */
struct ipvl_tcp_flags {
	bool syn, ack, fin, rst, data;
};

/* A TCP segment that opens a connection: SYN alone. */
static inline bool ipvl_is_syn(u8 protocol, const struct ipvl_tcp_flags *f)
{
	return protocol == IPPROTO_TCP && f->syn && !f->ack && !f->rst &&
	       !f->fin;
}

void ipvl_timeouts_default(struct ipvl_timeouts *t);
u8 ipvl_next_state(u8 protocol, u8 state, const struct ipvl_tcp_flags *f,
		   bool reply);
u8 ipvl_tcp_next_state(u8 state, const struct ipvl_tcp_flags *f, bool reply);
unsigned long ipvl_state_timeout(const struct ipvl_timeouts *t, u8 state);
bool ipvl_tcp_state_reusable(u8 state, int mode);
const char *ipvl_state_name(u8 state);

#endif /* _IPVL_CONN_STATE_H */
