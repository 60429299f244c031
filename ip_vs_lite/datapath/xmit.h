/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_XMIT_H
#define _IPVL_XMIT_H

#include <net/netfilter/nf_conntrack.h>

#include "datapath/conn.h"
#include "datapath/icmp.h"
#include "datapath/nat.h"

/* How one packet of a connection leaves: see ipvl_xmit(). */
struct ipvl_xmit_ctx {
	const struct ipvl_conn *cp;
	int icmp_off;		/* offset of the ICMP header, or -1 */
};

/*
 * ip_vs_lite keeps the state of its flows itself; conntrack would see
 * only one direction of DR and TUN flows and the untranslated half of
 * NAT flows, so their packets leave untracked.
 */
static inline void ipvl_untrack(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
#endif
}

/*
 * A packet the director passes on stops being the local stack's, as in
 * ip_forward(): a socket that early demux attached to it (the director
 * also serving the tuple) must not be charged for its fragments, and its
 * receive time must not reach a qdisc that reads skb->tstamp as the time
 * to send it.
 */
static inline void ipvl_xmit_leave(struct sk_buff *skb)
{
	ipvl_untrack(skb);
	skb_orphan(skb);
	skb_clear_tstamp(skb);
}

/*
 * A DR packet is still addressed to the VIP: its route must name the
 * real server as next hop, or the neighbour looked up would be the VIP's.
 */
static inline bool ipvl_xmit_known_nh(const struct ipvl_conn *cp)
{
	return cp->fwd == IPVL_FWD_DR;
}

/* The real server's cache of the kind of route the connection takes. */
static inline struct dst_cache *ipvl_xmit_routes(const struct ipvl_conn *cp)
{
	return ipvl_xmit_known_nh(cp) ? &cp->dest->dst_cache_dr :
					&cp->dest->dst_cache;
}

/* NAT toward the real server, of a packet or of an ICMP error. */
static inline int ipvl_xmit_nat(struct sk_buff *skb,
				const struct ipvl_xmit_ctx *x)
{
	if (x->icmp_off < 0)
		return ipvl_nat_in(skb, x->cp);
	return ipvl_nat_icmp_in(skb, x->cp, x->icmp_off);
}

/* Each family's transmitters, for the dispatcher in xmit.c. */
unsigned int ipvl_xmit4_routed(struct net *net, struct sk_buff *skb,
			       const struct ipvl_xmit_ctx *x);
unsigned int ipvl_xmit4_tunnel(struct net *net, struct sk_buff *skb,
			       const struct ipvl_conn *cp);
unsigned int ipvl_xmit6_routed(struct net *net, struct sk_buff *skb,
			       const struct ipvl_xmit_ctx *x);
unsigned int ipvl_xmit6_tunnel(struct net *net, struct sk_buff *skb,
			       const struct ipvl_conn *cp);

unsigned int ipvl_xmit(struct net *net, struct sk_buff *skb,
		       const struct ipvl_conn *cp);
unsigned int ipvl_xmit_icmp(struct net *net, struct sk_buff *skb,
			    const struct ipvl_conn *cp, unsigned int icmp_off);

#endif /* _IPVL_XMIT_H */
