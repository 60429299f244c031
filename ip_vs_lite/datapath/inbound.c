// SPDX-License-Identifier: GPL-2.0
/*
 * Packets for a virtual service, at LOCAL_IN: the connection is found or
 * made, and the packet goes to the connection's real server.
 */

#include "datapath/app.h"
#include "datapath/conn.h"
#include "datapath/conn_state.h"
#include "datapath/icmp.h"
#include "datapath/ipsec.h"
#include "datapath/inbound.h"
#include "datapath/new_flow.h"
#include "datapath/packet.h"
#include "datapath/xmit.h"
#include "model/service.h"
#include "model/stats.h"

/*
 * Where the director never sees the replies (DR, TUN), a client shows
 * itself by going on: data after the handshake, a second datagram. A
 * spoofer can too, but only by sending more, and blind.
 */
static bool confirms(const struct ipvl_conn *cp, u8 state,
		     const struct ipvl_tcp_flags *tf, bool fresh)
{
	if (cp->fwd == IPVL_FWD_NAT || !tf->data || fresh)
		return false;
	return ipvl_state_active(state) || state == IPVL_S_UDP;
}

static unsigned int to_real_server(struct ipvl_net *ipvl, struct sk_buff *skb,
				   struct ipvl_conn *cp,
				   const struct ipvl_pkt *pkt,
				   const struct ipvl_tcp_flags *tf, bool fresh)
{
	struct ipvl_dest *dest = cp->dest;
	u8 state;

	if (!test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags)) {
		/* The client's retransmission then finds no connection. */
		if (READ_ONCE(ipvl->expire_nodest_conn))
			ipvl_conn_expire_now(ipvl, cp);
		return ipvl_drop(ipvl, IPVL_DROP_DEST_GONE);
	}
	state = ipvl_next_state(pkt->protocol, READ_ONCE(cp->state), tf,
				cp->fwd == IPVL_FWD_NAT ? IPVL_DIR_IN :
							  IPVL_DIR_IN_ONLY);
	if (confirms(cp, state, tf, fresh))
		ipvl_conn_confirm(cp);
	ipvl_conn_update(cp, state,
			 ipvl_state_timeout(&ipvl->timeouts, state));
	ipvl_stats_in(dest->stats, skb->len);
	ipvl_stats_in(dest->svc->stats, skb->len);
	return ipvl_xmit(ipvl->net, skb, cp);
}

/*
 * A packet that starts something new on an old entry goes to a real
 * server picked afresh, at once: a SYN (or INIT) on a reused client
 * port, a SYN or a datagram whose real server was deleted. Nothing waits
 * for the old entry to expire and nothing is dropped for it.
 */
static bool must_reschedule(const struct ipvl_net *ipvl,
			    const struct ipvl_conn *cp,
			    const struct ipvl_pkt *pkt,
			    const struct ipvl_tcp_flags *tf)
{
	bool gone = !test_bit(IPVL_DEST_F_AVAILABLE, &cp->dest->flags);

	if (pkt->protocol == IPPROTO_UDP)
		return gone;
	if (!ipvl_opens(pkt->protocol, tf))
		return false;
	return gone ||
	       ipvl_tcp_state_reusable(READ_ONCE(cp->state),
				       READ_ONCE(ipvl->conn_reuse_mode));
}

unsigned int ipvl_inbound(struct ipvl_net *ipvl, struct sk_buff *skb, u16 af)
{
	struct ipvl_tcp_flags tf;
	struct ipvl_conn *cp;
	struct ipvl_pkt pkt;
	unsigned int thoff, verdict;
	int protocol;

	if (ipvl_net_idle(ipvl))
		return NF_ACCEPT;
	protocol = ipvl_parse_ip(skb, af, &pkt, &thoff);
	if (ipvl_is_icmp(af, protocol))
		return ipvl_icmp_inbound(ipvl, skb, af, thoff);
	if (ipvl_is_ipsec(protocol))
		return ipvl_ipsec_inbound(ipvl, skb, &pkt);
	if (!ipvl_is_l4(protocol) || !ipvl_parse_ports(skb, thoff, &pkt, &tf))
		return NF_ACCEPT;
	cp = ipvl_conn_lookup(ipvl, &pkt);
	if (cp && must_reschedule(ipvl, cp, &pkt, &tf)) {
		ipvl_conn_expire_now(ipvl, cp);
		cp = NULL;
	}
	if (cp) {
		if (ipvl_app_bound(cp, &tf))
			ipvl_app_in(ipvl, skb, cp, thoff);
		return to_real_server(ipvl, skb, cp, &pkt, &tf, false);
	}
	verdict = ipvl_new_flow(ipvl, skb, &pkt, &tf, &cp);
	if (!cp && verdict == NF_ACCEPT)
		cp = ipvl_app_expected(ipvl, &pkt, &tf);
	if (!cp)
		return verdict;
	return to_real_server(ipvl, skb, cp, &pkt, &tf, true);
}
