// SPDX-License-Identifier: GPL-2.0
/*
 * Protocol state: the inbound-only TCP state machine, IPVS's SCTP state
 * machine and the timeout of each state.
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

/* SCTP states, relative to IPVL_S_SCTP_FIRST, for the tables below. */
enum {
	NO, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL
};

/*
 * Next SCTP state by direction, event and state: IPVS's transitions, so
 * that an association is counted, timed out and listed as IPVS does.
 */
static const u8 sctp_next[IPVL_DIR_NUM][IPVL_SCTP_EV_NUM][IPVL_S_SCTP_NUM] = {
	[IPVL_DIR_IN] = {
	/*         NO  I1  IN  CS  CR  CW  CO  CE  ES  SS  SR  SA  RJ  CL */
	/* data */ {ES, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* init */ {I1, IN, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, IN, IN},
	/* i_ak */ {CW, CW, CW, CS, CR, CO, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* c_ec */ {CR, IN, IN, CR, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* c_ak */ {ES, I1, IN, CS, CR, CW, CO, ES, ES, SS, SR, SA, RJ, CL},
	/* shut */ {SR, I1, IN, CS, CR, CW, CO, CE, SR, SS, SR, SA, RJ, CL},
	/* s_ak */ {CL, IN, IN, CS, CR, CW, CO, CE, ES, CL, SR, CL, RJ, CL},
	/* s_co */ {CL, CL, CL, CS, CR, CW, CO, CE, ES, SS, SR, CL, RJ, CL},
	/* err  */ {CL, I1, IN, CS, CR, CW, CO, CL, ES, SS, SR, SA, RJ, CL},
	/* abrt */ {CL, CL, CL, CL, CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL},
	},
	[IPVL_DIR_OUT] = {
	/*         NO  I1  IN  CS  CR  CW  CO  CE  ES  SS  SR  SA  RJ  CL */
	/* data */ {ES, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* init */ {CW, CW, CW, CW, CW, CW, CW, CW, ES, CW, CW, CW, CW, CW},
	/* i_ak */ {CS, CS, CS, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* c_ec */ {CE, CE, CE, CE, CE, CE, CE, CE, ES, SS, SR, SA, RJ, CL},
	/* c_ak */ {ES, ES, ES, ES, ES, ES, ES, ES, ES, SS, SR, SA, RJ, CL},
	/* shut */ {SS, SS, SS, SS, SS, SS, SS, SS, SS, SS, SR, SA, RJ, CL},
	/* s_ak */ {SA, SA, SA, SA, SA, CW, CO, CE, ES, SA, SA, SA, RJ, CL},
	/* s_co */ {CL, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* err  */ {CL, CL, CL, CL, CL, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* abrt */ {CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL, CL},
	},
	[IPVL_DIR_IN_ONLY] = {
	/*         NO  I1  IN  CS  CR  CW  CO  CE  ES  SS  SR  SA  RJ  CL */
	/* data */ {ES, I1, IN, CS, CR, ES, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* init */ {I1, IN, IN, IN, IN, IN, CO, CE, ES, SS, SR, SA, IN, IN},
	/* i_ak */ {CE, CE, CE, CE, CE, CE, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* c_ec */ {ES, ES, ES, ES, ES, ES, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* c_ak */ {ES, I1, IN, ES, ES, CW, ES, ES, ES, SS, SR, SA, RJ, CL},
	/* shut */ {SR, I1, IN, CS, CR, CW, CO, CE, SR, SS, SR, SA, RJ, CL},
	/* s_ak */ {CL, IN, IN, CS, CR, CW, CO, CE, CL, CL, SR, CL, RJ, CL},
	/* s_co */ {CL, CL, CL, CL, CL, CW, CO, CE, ES, SS, CL, CL, RJ, CL},
	/* err  */ {CL, I1, IN, CS, CR, CW, CO, CE, ES, SS, SR, SA, RJ, CL},
	/* abrt */ {CL, CL, CL, CL, CL, RJ, CL, CL, CL, CL, CL, CL, CL, CL},
	},
};

static u8 sctp_next_state(u8 state, u8 event, enum ipvl_dir dir)
{
	unsigned int i = state - IPVL_S_SCTP_FIRST;

	/* A state of another protocol cannot be; start over if it is. */
	if (state < IPVL_S_SCTP_FIRST || state >= IPVL_S_MAX)
		i = NO;
	if (event >= IPVL_SCTP_EV_NUM || dir >= IPVL_DIR_NUM)
		return IPVL_S_SCTP_FIRST + i;
	return IPVL_S_SCTP_FIRST + sctp_next[dir][event][i];
}

u8 ipvl_next_state(u8 protocol, u8 state, const struct ipvl_tcp_flags *f,
		   enum ipvl_dir dir)
{
	if (protocol == IPPROTO_UDP)
		return IPVL_S_UDP;
	if (protocol == IPPROTO_SCTP)
		return sctp_next_state(state, f->sctp, dir);
	return ipvl_tcp_next_state(state, f, dir == IPVL_DIR_OUT);
}

/*
 * The state a new connection is made in. An SCTP association starts in
 * NONE and its first packet moves it as it is forwarded; TCP's and UDP's
 * first state is the packet's own, and a second pass changes nothing.
 */
u8 ipvl_first_state(u8 protocol, const struct ipvl_tcp_flags *f)
{
	if (protocol == IPPROTO_SCTP)
		return IPVL_S_SCTP_NONE;
	return ipvl_next_state(protocol, IPVL_S_NONE, f, IPVL_DIR_IN);
}

static unsigned long sctp_timeout(u8 state)
{
	switch (state) {
	case IPVL_S_SCTP_NONE:
		return IPVL_TIMEOUT_SCTP_NONE * HZ;
	case IPVL_S_SCTP_INIT1:
	case IPVL_S_SCTP_REJECTED:
		return IPVL_TIMEOUT_SCTP_INIT1 * HZ;
	case IPVL_S_SCTP_ESTABLISHED:
		return IPVL_TIMEOUT_SCTP_EST * HZ;
	default:
		return IPVL_TIMEOUT_SCTP_RTO * HZ;
	}
}

unsigned long ipvl_state_timeout(const struct ipvl_timeouts *t, u8 state)
{
	if (state >= IPVL_S_SCTP_FIRST)
		return sctp_timeout(state);
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
 * A new SYN (or SCTP INIT) on the tuple of a connection that is closing
 * starts a new connection, scheduled afresh, instead of riding the old
 * one; @mode is the conn_reuse_mode sysctl. FIN_WAIT is the last state a
 * director without the replies (DR, TUN) sees, hence bit 1; SCTP, as in
 * IPVS, only once CLOSED.
 */
bool ipvl_tcp_state_reusable(u8 state, int mode)
{
	if (!mode)
		return false;
	return state == IPVL_S_CLOSE || state == IPVL_S_SCTP_CLOSED ||
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
		/* IPVS's short names, which ipvsadm -lc shows. */
		[IPVL_S_SCTP_NONE] = "NONE",
		[IPVL_S_SCTP_INIT1] = "INIT1",
		[IPVL_S_SCTP_INIT] = "INIT",
		[IPVL_S_SCTP_COOKIE_SENT] = "C-SENT",
		[IPVL_S_SCTP_COOKIE_REPLIED] = "C-REPLIED",
		[IPVL_S_SCTP_COOKIE_WAIT] = "C-WAIT",
		[IPVL_S_SCTP_COOKIE] = "COOKIE",
		[IPVL_S_SCTP_COOKIE_ECHOED] = "C-ECHOED",
		[IPVL_S_SCTP_ESTABLISHED] = "ESTABLISHED",
		[IPVL_S_SCTP_SHUTDOWN_SENT] = "S-SENT",
		[IPVL_S_SCTP_SHUTDOWN_RECEIVED] = "S-RECEIVED",
		[IPVL_S_SCTP_SHUTDOWN_ACK_SENT] = "S-ACK-SENT",
		[IPVL_S_SCTP_REJECTED] = "REJECTED",
		[IPVL_S_SCTP_CLOSED] = "CLOSED",
	};

	return state < IPVL_S_MAX ? names[state] : "?";
}
