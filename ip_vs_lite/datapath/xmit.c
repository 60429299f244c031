// SPDX-License-Identifier: GPL-2.0
/*
 * A packet of a connection, or an ICMP error about one, leaves by the
 * transmitter of the connection's address family (xmit_ipv4.c,
 * xmit_ipv6.c) and forwarding method.
 */

#include "datapath/xmit.h"

static unsigned int xmit(struct net *net, struct sk_buff *skb,
			 const struct ipvl_xmit_ctx *x)
{
	bool v6 = x->cp->key.af == AF_INET6;

	switch (x->cp->fwd) {
	case IPVL_FWD_DR:
	case IPVL_FWD_NAT:
		return v6 ? ipvl_xmit6_routed(net, skb, x) :
			    ipvl_xmit4_routed(net, skb, x);
	case IPVL_FWD_TUN:
		return v6 ? ipvl_xmit6_tunnel(net, skb, x->cp) :
			    ipvl_xmit4_tunnel(net, skb, x->cp);
	default:
		return NF_DROP;
	}
}

unsigned int ipvl_xmit(struct net *net, struct sk_buff *skb,
		       const struct ipvl_conn *cp)
{
	const struct ipvl_xmit_ctx x = { .cp = cp, .icmp_off = -1 };

	return xmit(net, skb, &x);
}

/* An ICMP error about a connection goes where the connection goes. */
unsigned int ipvl_xmit_icmp(struct net *net, struct sk_buff *skb,
			    const struct ipvl_conn *cp, unsigned int icmp_off)
{
	const struct ipvl_xmit_ctx x = { .cp = cp, .icmp_off = icmp_off };

	return xmit(net, skb, &x);
}
