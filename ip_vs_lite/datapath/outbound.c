// SPDX-License-Identifier: GPL-2.0
/*
 * Packets the director forwards, at FORWARD: the replies of NAT real
 * servers, routed through the director as their gateway, get the virtual
 * address and port back as their source.
 */

#include <linux/icmpv6.h>
#include <net/icmp.h>

#include "datapath/app.h"
#include "datapath/conn.h"
#include "datapath/conn_state.h"
#include "datapath/icmp.h"
#include "datapath/nat.h"
#include "datapath/outbound.h"
#include "datapath/packet.h"
#include "datapath/xmit.h"
#include "model/service.h"
#include "model/stats.h"

/*
 * nat_icmp_send: a NAT real server still sending on a connection the
 * director no longer has hears so at once, instead of being passed on
 * untranslated. A reset needs no answer.
 */
static unsigned int no_conn(struct ipvl_net *ipvl, struct sk_buff *skb,
			    const struct ipvl_pkt *pkt,
			    const struct ipvl_tcp_flags *tf)
{
	if (!READ_ONCE(ipvl->nat_icmp_send) || tf->rst ||
	    !ipvl_is_nat_source_rcu(ipvl, pkt))
		return NF_ACCEPT;
	if (pkt->af == AF_INET6)
		icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
	else
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	return NF_DROP;
}

/* A real server's reply to a client, passing through as its gateway. */
static unsigned int nat_reply(struct ipvl_net *ipvl, struct sk_buff *skb,
			      struct ipvl_pkt *pkt, unsigned int thoff)
{
	struct ipvl_tcp_flags tf;
	struct ipvl_conn *cp;
	u8 state;

	if (!ipvl_parse_ports(skb, thoff, pkt, &tf))
		return NF_ACCEPT;
	cp = ipvl_conn_lookup_out(ipvl, pkt);
	if (!cp)
		return no_conn(ipvl, skb, pkt, &tf);
	state = ipvl_next_state(pkt->protocol, READ_ONCE(cp->state), &tf,
				IPVL_DIR_OUT);
	/*
	 * A real server answers spoofed SYNs too; only its replies once the
	 * client has completed the handshake show there is a client.
	 */
	if (ipvl_state_active(state) || state == IPVL_S_UDP)
		ipvl_conn_confirm(cp);
	ipvl_conn_update(cp, state,
			 ipvl_state_timeout(&ipvl->timeouts, state));
	if ((ipvl_app_bound(cp, &tf) && ipvl_app_out(ipvl, skb, cp, thoff)) ||
	    ipvl_nat_out(skb, cp))
		return NF_DROP;
	ipvl_untrack(skb);
	ipvl_stats_out(cp->dest->stats, skb->len);
	if (test_bit(IPVL_DEST_F_AVAILABLE, &cp->dest->flags))
		ipvl_stats_out(cp->dest->svc->stats, skb->len);
	return NF_ACCEPT;
}

unsigned int ipvl_outbound(struct ipvl_net *ipvl, struct sk_buff *skb, u16 af)
{
	struct ipvl_pkt pkt;
	unsigned int thoff;
	int protocol;

	if (ipvl_net_idle(ipvl))
		return NF_ACCEPT;
	protocol = ipvl_parse_ip(skb, af, &pkt, &thoff);
	if (ipvl_is_l4(protocol))
		return nat_reply(ipvl, skb, &pkt, thoff);
	if (ipvl_is_icmp(af, protocol))
		return ipvl_icmp_outbound(ipvl, skb, af, thoff);
	return NF_ACCEPT;
}
