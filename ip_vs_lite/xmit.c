// SPDX-License-Identifier: GPL-2.0
/*
 * Transmitters. Direct routing: the IP header keeps the client's source
 * and the virtual address as destination; only the next hop changes, to
 * the real server's address on the same segment.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/dst.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "xmit.h"

/*
 * The director never sees the replies of a DR flow, so a conntrack
 * entry for it could never leave the unreplied state.
 */
static void untrack(struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_NF_CONNTRACK)
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
#endif
}

static struct rtable *route_to(struct net *net, const struct sk_buff *skb,
			       __be32 daddr)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.flowi4_tos = RT_TOS(ip_hdr(skb)->tos),
		.flowi4_mark = skb->mark,
		/* Resolve the neighbour of daddr, not of the header's VIP. */
		.flowi4_flags = FLOWI_FLAG_KNOWN_NH,
	};

	return ip_route_output_key(net, &fl4);
}

static bool too_big(const struct sk_buff *skb, unsigned int mtu)
{
	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	if (skb_is_gso(skb))
		return !skb_gso_validate_network_len(skb, mtu);
	return skb->len > mtu;
}

static unsigned int xmit_dr_v4(struct net *net, struct sk_buff *skb,
			       const struct ipvl_conn *cp)
{
	struct rtable *rt = route_to(net, skb, cp->daddr.ip);
	unsigned int mtu;

	if (IS_ERR(rt))
		return NF_DROP;
	if (rt->rt_flags & RTCF_LOCAL) {
		/* The real server is this host: deliver locally. */
		ip_rt_put(rt);
		return NF_ACCEPT;
	}
	mtu = dst_mtu(&rt->dst);
	if (too_big(skb, mtu)) {
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		goto drop;
	}
	if (ip_hdr(skb)->ttl <= 1) {
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		goto drop;
	}
	if (skb_ensure_writable(skb, skb_network_offset(skb) +
				sizeof(struct iphdr)))
		goto drop;
	ip_decrease_ttl(ip_hdr(skb));
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	untrack(skb);
	skb_forward_csum(skb);
	/* Reassembled on input; ip_fragment may split it again. */
	skb->ignore_df = 1;
	dst_output(net, NULL, skb);
	return NF_STOLEN;

drop:
	ip_rt_put(rt);
	return NF_DROP;
}

unsigned int ipvl_xmit(struct net *net, struct sk_buff *skb,
		       const struct ipvl_conn *cp)
{
	if (cp->af != AF_INET)
		return NF_DROP;
	switch (cp->fwd) {
	case IPVL_FWD_DR:
		return xmit_dr_v4(net, skb, cp);
	default:
		return NF_DROP;
	}
}
