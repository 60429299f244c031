// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 transmitters. Direct routing keeps the IP header (client source,
 * virtual destination) and only sends the frame to the real server's
 * address on the segment. NAT rewrites the destination first and routes
 * normally. Tunnelling wraps the packet in an IP header to the real
 * server, with a GUE or GRE header between the two if the real server
 * asks for one (encap.c).
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/dst.h>
#include <net/dst_cache.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include <net/udp.h>

#include "datapath/encap.h"
#include "datapath/xmit.h"
#include "model/netns.h"

static struct rtable *route_to(struct net *net, const struct sk_buff *skb,
			       const struct ipvl_conn *cp, struct flowi4 *fl4)
{
	memset(fl4, 0, sizeof(*fl4));
	fl4->daddr = cp->daddr.ip;
	fl4->flowi4_tos = RT_TOS(ip_hdr(skb)->tos);
	fl4->flowi4_mark = skb->mark;
	if (ipvl_xmit_known_nh(cp))
		fl4->flowi4_flags = FLOWI_FLAG_KNOWN_NH;
	return ip_route_output_key(net, fl4);
}

/*
 * The route to the real server and the source address it gives, from the
 * real server's cache. A mark or a TOS may select another route (ip rule),
 * so the cache only holds, and only serves, routes looked up without.
 */
static struct rtable *dest_route(struct net *net, const struct sk_buff *skb,
				 const struct ipvl_conn *cp, __be32 *saddr)
{
	bool cacheable = !skb->mark && !RT_TOS(ip_hdr(skb)->tos);
	struct flowi4 fl4;
	struct rtable *rt;

	rt = cacheable ? dst_cache_get_ip4(ipvl_xmit_routes(cp), saddr) : NULL;
	if (rt)
		return rt;
	rt = route_to(net, skb, cp, &fl4);
	if (IS_ERR(rt))
		return rt;
	*saddr = fl4.saddr;
	if (cacheable)
		dst_cache_set_ip4(ipvl_xmit_routes(cp), &rt->dst, fl4.saddr);
	return rt;
}

static bool too_big(const struct sk_buff *skb, unsigned int mtu)
{
	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
		return false;
	if (skb_is_gso(skb))
		return !skb_gso_validate_network_len(skb, mtu);
	return skb->len > mtu;
}

/*
 * The checks a router makes before forwarding; on failure the client
 * gets the ICMP error a router would send.
 */
static bool may_forward(struct net *net, struct sk_buff *skb,
			unsigned int mtu)
{
	/* pmtu_disc 0: what does not fit is fragmented, DF or not. */
	if (!READ_ONCE(ipvl_net(net)->pmtu_disc)) {
		skb->ignore_df = 1;
	} else if (too_big(skb, mtu)) {
		ipvl_drop(ipvl_net(net), IPVL_DROP_TOO_BIG);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(mtu));
		return false;
	}
	if (ip_hdr(skb)->ttl <= 1) {
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return false;
	}
	if (skb_ensure_writable(skb, skb_network_offset(skb) +
				sizeof(struct iphdr)))
		return false;
	ip_decrease_ttl(ip_hdr(skb));
	return true;
}

/*
 * DR and NAT: route to the real server, check as a router would, then
 * (NAT) rewrite, so that an ICMP error to the client quotes its packet
 * as the client sent it.
 */
unsigned int ipvl_xmit4_routed(struct net *net, struct sk_buff *skb,
			       const struct ipvl_xmit_ctx *x)
{
	bool nat = x->cp->fwd == IPVL_FWD_NAT;
	struct rtable *rt;
	__be32 saddr;

	rt = dest_route(net, skb, x->cp, &saddr);
	if (IS_ERR(rt))
		return ipvl_drop(ipvl_net(net), IPVL_DROP_NO_ROUTE);
	if (rt->rt_flags & RTCF_LOCAL) {
		ip_rt_put(rt);
		/* A DR real server on this host: deliver locally. */
		return nat ? NF_DROP : NF_ACCEPT;
	}
	if (!may_forward(net, skb, dst_mtu(&rt->dst)) ||
	    (nat && ipvl_xmit_nat(skb, x))) {
		ip_rt_put(rt);
		return NF_DROP;
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	ipvl_xmit_leave(skb);
	skb_forward_csum(skb);
	/* Reassembled on input; ip_fragment may split it again. */
	skb->ignore_df = 1;
	dst_output(net, NULL, skb);
	return NF_STOLEN;
}

static void push_outer_header(struct net *net, struct sk_buff *skb,
			      __be32 saddr, __be32 daddr,
			      const struct rtable *rt, u8 protocol)
{
	/* Until the outer header is pushed, the network header is the client's. */
	const struct iphdr *inner = ip_hdr(skb);
	struct iphdr *iph;
	u8 tos = inner->tos;
	__be16 df = READ_ONCE(ipvl_net(net)->pmtu_disc) ?
		    inner->frag_off & htons(IP_DF) : 0;

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = tos;
	iph->frag_off = df;
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = protocol;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_select_ident(net, skb, NULL);
	skb->protocol = htons(ETH_P_IP);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
}

unsigned int ipvl_xmit4_tunnel(struct net *net, struct sk_buff *skb,
			       const struct ipvl_conn *cp)
{
	const struct ipvl_tun tun = READ_ONCE(cp->dest->tun);
	unsigned int hlen;
	struct rtable *rt;
	__be32 saddr;
	u8 proto;

	rt = dest_route(net, skb, cp, &saddr);
	if (IS_ERR(rt))
		return ipvl_drop(ipvl_net(net), IPVL_DROP_NO_ROUTE);
	if (rt->rt_flags & RTCF_LOCAL) {
		ip_rt_put(rt);
		return NF_ACCEPT;
	}
	hlen = sizeof(struct iphdr) + ipvl_encap_hlen(&tun, skb);
	if (!may_forward(net, skb, dst_mtu(&rt->dst) - hlen) ||
	    skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) + hlen) ||
	    ipvl_encap_offloads(skb, &tun, SKB_GSO_IPXIP4))
		goto drop;
	skb_set_inner_ipproto(skb, IPPROTO_IPIP);
	skb_dst_drop(skb);
	skb_dst_set(skb, &rt->dst);
	ipvl_xmit_leave(skb);
	proto = ipvl_encap_push(net, skb, &tun, IPPROTO_IPIP);
	if (proto == IPPROTO_UDP)
		udp_set_csum(!ipvl_encap_udp_csum(&tun), skb, saddr,
			     cp->daddr.ip, skb->len);
	push_outer_header(net, skb, saddr, cp->daddr.ip, rt, proto);
	ip_local_out(net, NULL, skb);
	return NF_STOLEN;

drop:
	ip_rt_put(rt);
	return NF_DROP;
}
