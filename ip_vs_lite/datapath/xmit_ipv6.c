// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 transmitters: direct routing, NAT and IPv6-in-IPv6 tunnelling,
 * with the same rules as their IPv4 twins in xmit_ipv4.c.
 */

#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <net/addrconf.h>
#include <net/dst.h>
#include <net/dst_cache.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>

#include "model/netns.h"
#include "datapath/encap.h"
#include "datapath/xmit.h"

static struct dst_entry *route6(struct net *net, const struct sk_buff *skb,
				const struct ipvl_conn *cp)
{
	struct flowi6 fl6 = {
		.daddr = cp->daddr.in6,
		.flowi6_mark = skb->mark,
	};
	struct dst_entry *dst;

	if (ipvl_xmit_known_nh(cp))
		fl6.flowi6_flags = FLOWI_FLAG_KNOWN_NH;
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		dst_release(dst);
		return NULL;
	}
	return dst;
}

/*
 * A mark may select another route (ip rule). A route made for one lookup
 * alone, off the FIB's lists (DR to a real server on a link without a
 * gateway), holds its FIB entry and with it the device until it is
 * freed: kept in the cache, it would hold up the device's unregistration
 * for as long as the real server lives.
 */
static void cache_route6(const struct sk_buff *skb, const struct ipvl_conn *cp,
			 struct dst_entry *dst, const struct in6_addr *saddr)
{
	const struct rt6_info *rt = (const struct rt6_info *)dst;

	if (!skb->mark && list_empty(&rt->rt6i_uncached))
		dst_cache_set_ip6(ipvl_xmit_routes(cp), dst, saddr);
}

/*
 * The route to the real server, from the real server's cache if it may
 * be there (cache_route6()); *saddr is the address cached with it, :: if
 * none. NULL if there is no route.
 */
static struct dst_entry *dest_route6(struct net *net,
				     const struct sk_buff *skb,
				     const struct ipvl_conn *cp,
				     struct in6_addr *saddr)
{
	struct dst_entry *dst;

	if (!skb->mark) {
		dst = dst_cache_get_ip6(ipvl_xmit_routes(cp), saddr);
		if (dst)
			return dst;
	}
	*saddr = in6addr_any;
	dst = route6(net, skb, cp);
	if (dst)
		cache_route6(skb, cp, dst, saddr);
	return dst;
}

static bool is_local(const struct dst_entry *dst)
{
	return ((const struct rt6_info *)dst)->rt6i_flags & RTF_LOCAL;
}

/* A packet reassembled on input may be split again, a router's may not. */
static bool too_big(const struct sk_buff *skb, unsigned int mtu)
{
	if (IP6CB(skb)->frag_max_size)
		return IP6CB(skb)->frag_max_size > mtu;
	if (skb_is_gso(skb))
		return !skb_gso_validate_network_len(skb, mtu);
	return skb->len > mtu;
}

static bool may_forward(struct net *net, struct sk_buff *skb,
			unsigned int mtu)
{
	if (too_big(skb, mtu)) {
		ipvl_drop(ipvl_net(net), IPVL_DROP_TOO_BIG);
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		return false;
	}
	if (ipv6_hdr(skb)->hop_limit <= 1) {
		icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
		return false;
	}
	if (skb_ensure_writable(skb, skb_network_offset(skb) +
				sizeof(struct ipv6hdr)))
		return false;
	ipv6_hdr(skb)->hop_limit--;
	return true;
}

unsigned int ipvl_xmit6_routed(struct net *net, struct sk_buff *skb,
			       const struct ipvl_xmit_ctx *x)
{
	bool nat = x->cp->fwd == IPVL_FWD_NAT;
	struct dst_entry *dst;
	struct in6_addr saddr;

	dst = dest_route6(net, skb, x->cp, &saddr);
	if (!dst)
		return ipvl_drop(ipvl_net(net), IPVL_DROP_NO_ROUTE);
	if (is_local(dst)) {
		dst_release(dst);
		return nat ? NF_DROP : NF_ACCEPT;
	}
	if (!may_forward(net, skb, dst_mtu(dst)) ||
	    (nat && ipvl_xmit_nat(skb, x))) {
		dst_release(dst);
		return NF_DROP;
	}
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	ipvl_xmit_leave(skb);
	skb_forward_csum(skb);
	skb->ignore_df = 1;
	dst_output(net, NULL, skb);
	return NF_STOLEN;
}

static void push_ip6_header(struct sk_buff *skb, const struct in6_addr *saddr,
			    const struct in6_addr *daddr,
			    const struct dst_entry *dst, u8 nexthdr)
{
	/* Until the outer header is pushed, the network header is the client's. */
	const struct ipv6hdr *inner = ipv6_hdr(skb);
	u8 tclass = ipv6_get_dsfield(inner);
	__be32 flowlabel = ip6_flowlabel(inner);
	struct ipv6hdr *ip6h;

	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, tclass, flowlabel);
	ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	ip6h->nexthdr = nexthdr;
	ip6h->hop_limit = ip6_dst_hoplimit((struct dst_entry *)dst);
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	skb->protocol = htons(ETH_P_IPV6);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
}

static bool may_be_outer_source(const struct inet6_ifaddr *ifa,
				const struct in6_addr *vaddr)
{
	return !(ifa->scope & (IFA_HOST | IFA_LINK)) &&
	       !(ifa->flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED |
			       IFA_F_DEPRECATED)) &&
	       !ipv6_addr_equal(&ifa->addr, vaddr);
}

/*
 * The tunnel's outer source: the route's preferred source if it has
 * one, else the address source selection picks, but never the virtual
 * address. The real servers hold the VIP as well, so they drop tunnel
 * packets that come from it, and an ICMPv6 error about the outer packet
 * (packet too big on the path) would go to them, not to us. Only a
 * director with no other usable address on the route's device sends
 * from the VIP.
 */
static int tunnel_saddr(struct net *net, const struct dst_entry *dst,
			const struct ipvl_conn *cp, struct in6_addr *saddr)
{
	const struct rt6_info *rt = (const struct rt6_info *)dst;
	const struct in6_addr *vaddr = &cp->key.vaddr.in6;
	const struct inet6_ifaddr *ifa;
	const struct fib6_info *from;
	struct inet6_dev *idev;

	from = rcu_dereference(rt->from);
	if (from && from->fib6_prefsrc.plen) {
		*saddr = from->fib6_prefsrc.addr;
		return 0;
	}
	if (ipv6_dev_get_saddr(net, dst->dev, &cp->daddr.in6, 0, saddr))
		return -EADDRNOTAVAIL;
	if (!ipv6_addr_equal(saddr, vaddr))
		return 0;
	idev = __in6_dev_get(dst->dev);
	if (!idev)
		return 0;
	list_for_each_entry_rcu(ifa, &idev->addr_list, if_list) {
		if (may_be_outer_source(ifa, vaddr)) {
			*saddr = ifa->addr;
			break;
		}
	}
	return 0;
}

/*
 * The source cached with the route may be missing (cached by a NAT or DR
 * connection) or be this connection's own VIP (chosen for another VIP of
 * a firewall-mark service): then it is chosen again, and cached.
 */
static int tunnel_saddr_cached(struct net *net, const struct sk_buff *skb,
			       struct dst_entry *dst,
			       const struct ipvl_conn *cp,
			       struct in6_addr *saddr)
{
	if (!ipv6_addr_any(saddr) && !ipv6_addr_equal(saddr, &cp->key.vaddr.in6))
		return 0;
	if (tunnel_saddr(net, dst, cp, saddr))
		return -EADDRNOTAVAIL;
	cache_route6(skb, cp, dst, saddr);
	return 0;
}

unsigned int ipvl_xmit6_tunnel(struct net *net, struct sk_buff *skb,
			       const struct ipvl_conn *cp)
{
	const struct ipvl_tun tun = READ_ONCE(cp->dest->tun);
	unsigned int hlen;
	struct dst_entry *dst;
	struct in6_addr saddr;
	u8 proto;

	dst = dest_route6(net, skb, cp, &saddr);
	if (!dst)
		return ipvl_drop(ipvl_net(net), IPVL_DROP_NO_ROUTE);
	if (is_local(dst)) {
		dst_release(dst);
		return NF_ACCEPT;
	}
	hlen = sizeof(struct ipv6hdr) + ipvl_encap_hlen(&tun, skb);
	if (tunnel_saddr_cached(net, skb, dst, cp, &saddr) ||
	    !may_forward(net, skb, dst_mtu(dst) - hlen) ||
	    skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) + hlen) ||
	    ipvl_encap_offloads(skb, &tun, SKB_GSO_IPXIP6))
		goto drop;
	skb_set_inner_ipproto(skb, IPPROTO_IPV6);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	ipvl_xmit_leave(skb);
	proto = ipvl_encap_push(net, skb, &tun, IPPROTO_IPV6);
	if (proto == IPPROTO_UDP)
		udp6_set_csum(!ipvl_encap_udp_csum(&tun), skb, &saddr,
			      &cp->daddr.in6, skb->len);
	push_ip6_header(skb, &saddr, &cp->daddr.in6, dst, proto);
	ip6_local_out(net, NULL, skb);
	return NF_STOLEN;

drop:
	dst_release(dst);
	return NF_DROP;
}
