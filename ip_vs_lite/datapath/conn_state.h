/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_CONN_STATE_H
#define _IPVL_CONN_STATE_H

#include <linux/in.h>

#include "model/netns.h"

/*
 * Connection states. With direct routing and tunnelling the director
 * sees only the client's half of a TCP connection, so the state follows
 * inbound segments alone; with NAT the replies drive it too. SCTP has
 * IPVS's states, as a real server would see its association.
 */
enum ipvl_conn_state {
	IPVL_S_NONE,
	IPVL_S_SYN_RECV,
	IPVL_S_ESTABLISHED,
	IPVL_S_FIN_WAIT,
	IPVL_S_CLOSE,
	IPVL_S_UDP,
	IPVL_S_TEMPLATE,	/* persistence: client to real server */
	IPVL_S_SCTP_NONE,
	IPVL_S_SCTP_INIT1,	/* first INIT, no INIT ACK yet */
	IPVL_S_SCTP_INIT,	/* INIT retransmitted */
	IPVL_S_SCTP_COOKIE_SENT,
	IPVL_S_SCTP_COOKIE_REPLIED,
	IPVL_S_SCTP_COOKIE_WAIT,	/* the real server sent an INIT */
	IPVL_S_SCTP_COOKIE,
	IPVL_S_SCTP_COOKIE_ECHOED,
	IPVL_S_SCTP_ESTABLISHED,
	IPVL_S_SCTP_SHUTDOWN_SENT,
	IPVL_S_SCTP_SHUTDOWN_RECEIVED,
	IPVL_S_SCTP_SHUTDOWN_ACK_SENT,
	IPVL_S_SCTP_REJECTED,	/* the INIT was refused by ABORT */
	IPVL_S_SCTP_CLOSED,
	IPVL_S_MAX
};

#define IPVL_S_SCTP_FIRST	IPVL_S_SCTP_NONE
#define IPVL_S_SCTP_NUM		(IPVL_S_MAX - IPVL_S_SCTP_FIRST)

/* What the first chunk of an SCTP packet does to the association. */
enum ipvl_sctp_event {
	IPVL_SCTP_EV_DATA,	/* DATA, SACK, HEARTBEAT and the unknown */
	IPVL_SCTP_EV_INIT,
	IPVL_SCTP_EV_INIT_ACK,
	IPVL_SCTP_EV_COOKIE_ECHO,
	IPVL_SCTP_EV_COOKIE_ACK,
	IPVL_SCTP_EV_SHUTDOWN,
	IPVL_SCTP_EV_SHUTDOWN_ACK,
	IPVL_SCTP_EV_SHUTDOWN_COMPLETE,
	IPVL_SCTP_EV_ERROR,
	IPVL_SCTP_EV_ABORT,
	IPVL_SCTP_EV_NUM
};

/*
 * Which packets drive a state: the client's where the replies are seen
 * too (NAT), the real server's replies, or the client's alone (DR, TUN).
 */
enum ipvl_dir {
	IPVL_DIR_IN,
	IPVL_DIR_OUT,
	IPVL_DIR_IN_ONLY,
	IPVL_DIR_NUM
};

/* Default timeouts, in seconds. */
#define IPVL_TIMEOUT_TCP_EST	900
#define IPVL_TIMEOUT_TCP_FIN	120
#define IPVL_TIMEOUT_UDP	300
#define IPVL_TIMEOUT_SYN_RECV	60
#define IPVL_TIMEOUT_CLOSE	10
/* SCTP's, as IPVS has them: most are its longest RTO and one second. */
#define IPVL_TIMEOUT_SCTP_NONE	2
#define IPVL_TIMEOUT_SCTP_INIT1	4
#define IPVL_TIMEOUT_SCTP_RTO	61
#define IPVL_TIMEOUT_SCTP_EST	900
/* The most an entry lives on before it is confirmed (see conn.h). */
#define IPVL_TIMEOUT_UNCONFIRMED	60

/*
 * The TCP flags that drive the state machine, or the SCTP event (enum
 * ipvl_sctp_event); and whether the segment carries data (always, for
 * UDP), which confirms a DR or TUN entry.
 */
struct ipvl_tcp_flags {
	bool syn, ack, fin, rst, data;
	u8 sctp;
};

/* A TCP segment that opens a connection: SYN alone. */
static inline bool ipvl_is_syn(u8 protocol, const struct ipvl_tcp_flags *f)
{
	return protocol == IPPROTO_TCP && f->syn && !f->ack && !f->rst &&
	       !f->fin;
}

/* A packet that opens a connection: a TCP SYN, an SCTP INIT. */
static inline bool ipvl_opens(u8 protocol, const struct ipvl_tcp_flags *f)
{
	if (protocol == IPPROTO_SCTP)
		return f->sctp == IPVL_SCTP_EV_INIT;
	return ipvl_is_syn(protocol, f);
}

/* Counted in the real server's active connections. */
static inline bool ipvl_state_active(u8 state)
{
	return state == IPVL_S_ESTABLISHED || state == IPVL_S_SCTP_ESTABLISHED;
}

void ipvl_timeouts_default(struct ipvl_timeouts *t);
u8 ipvl_first_state(u8 protocol, const struct ipvl_tcp_flags *f);
u8 ipvl_next_state(u8 protocol, u8 state, const struct ipvl_tcp_flags *f,
		   enum ipvl_dir dir);
u8 ipvl_tcp_next_state(u8 state, const struct ipvl_tcp_flags *f, bool reply);
unsigned long ipvl_state_timeout(const struct ipvl_timeouts *t, u8 state);
bool ipvl_tcp_state_reusable(u8 state, int mode);
const char *ipvl_state_name(u8 state);

#endif /* _IPVL_CONN_STATE_H */
