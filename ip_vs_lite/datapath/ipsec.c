// SPDX-License-Identifier: GPL-2.0
/*
 * ESP and AH behind a director. They carry no ports, so nothing can be
 * scheduled from them: a client's IPsec packets go to the real server its
 * IKE traffic went to. IKE runs over UDP 500, or 4500 once NAT traversal
 * starts (and then ESP rides in UDP 4500 too, an ordinary UDP flow). An
 * ESP or AH packet follows, for UDP port 500 and then 4500 of its
 * destination, the client's IKE connection (client port 500 or 4500)
 * or else the client's persistence template of that UDP service (any
 * client port, a netmask, or a firewall-mark service grouping IKE and
 * ESP). It renews what it follows, so that a client whose IKE is quiet
 * for a while, then rekeys, keeps its real server. A packet that follows
 * nothing is the director's own.
 */

#include "datapath/conn.h"
#include "datapath/conn_state.h"
#include "datapath/ipsec.h"
#include "datapath/persist.h"
#include "datapath/xmit.h"
#include "model/service.h"
#include "model/stats.h"

#define IKE_PORT	500
#define IKE_NATT_PORT	4500

static struct ipvl_dest *ike_dest(struct ipvl_net *ipvl,
				  const struct sk_buff *skb,
				  const struct ipvl_pkt *pkt, u16 port)
{
	struct ipvl_pkt ike = *pkt;
	struct ipvl_service *svc;
	struct ipvl_conn *cp;

	ike.protocol = IPPROTO_UDP;
	ike.sport = htons(port);
	ike.dport = htons(port);
	cp = ipvl_conn_lookup(ipvl, &ike);
	if (cp) {
		ipvl_conn_update(cp, IPVL_S_UDP,
				 ipvl_state_timeout(&ipvl->timeouts,
						    IPVL_S_UDP));
		return cp->dest;
	}
	svc = ipvl_service_lookup_rcu(ipvl, &ike, skb->mark);
	if (!svc || !(READ_ONCE(svc->flags) & IPVL_SVC_F_PERSISTENT))
		return NULL;
	cp = ipvl_persist_lookup(svc, &ike);
	return cp ? cp->dest : NULL;
}

/* Translation would need ports; a NAT real server does not get IPsec. */
unsigned int ipvl_ipsec_inbound(struct ipvl_net *ipvl, struct sk_buff *skb,
				const struct ipvl_pkt *pkt)
{
	struct ipvl_dest *dest;
	struct ipvl_conn cp;

	dest = ike_dest(ipvl, skb, pkt, IKE_PORT);
	if (!dest)
		dest = ike_dest(ipvl, skb, pkt, IKE_NATT_PORT);
	if (!dest || READ_ONCE(dest->fwd) == IPVL_FWD_NAT)
		return NF_ACCEPT;
	if (!test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags))
		return ipvl_drop(ipvl, IPVL_DROP_DEST_GONE);
	ipvl_conn_init_onepacket(&cp, pkt, dest);
	ipvl_stats_in(dest->stats, skb->len);
	ipvl_stats_in(dest->svc->stats, skb->len);
	return ipvl_xmit(ipvl->net, skb, &cp);
}
