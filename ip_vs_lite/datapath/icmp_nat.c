// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about a NAT connection, translated as its packets are, so
 * that port-unreachable and fragmentation-needed reach the right peer.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "datapath/icmp.h"
#include "datapath/nat.h"

/*
 * ICMP errors: the outer address on one side changes, and inside the
 * quoted packet the same endpoint (which the quote shows reversed). The
 * quoted transport checksum covers data the quote may not hold, so only
 * the ports change there, as routers that translate do.
 */
static int icmp4(struct sk_buff *skb, unsigned int icmp_off, bool outer_src,
		 const union nf_inet_addr *to, __be16 port)
{
	unsigned int inner_off = icmp_off + sizeof(struct icmphdr);
	struct iphdr *iph, *inner;
	struct icmphdr *icmph;
	struct ipvl_l4_fields f;
	__be32 *outer, *quoted;

	if (skb_ensure_writable(skb, skb->len))
		return -ENOMEM;
	iph = ip_hdr(skb);
	icmph = (struct icmphdr *)(skb->data + icmp_off);
	inner = (struct iphdr *)(skb->data + inner_off);
	ipvl_nat_l4_fields(skb, (u8 *)inner + inner->ihl * 4, inner->protocol, &f);
	outer = outer_src ? &iph->saddr : &iph->daddr;
	csum_replace4(&iph->check, *outer, to->ip);
	*outer = to->ip;
	/* The quote travelled the other way: our side is its source. */
	quoted = outer_src ? &inner->daddr : &inner->saddr;
	csum_replace4(&inner->check, *quoted, to->ip);
	*quoted = to->ip;
	*(outer_src ? f.dport : f.sport) = port;
	icmph->checksum = 0;
	icmph->checksum = ip_compute_csum(icmph, skb->len - icmp_off);
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

static int icmp6(struct sk_buff *skb, unsigned int icmp_off, bool outer_src,
		 const union nf_inet_addr *to, __be16 port)
{
	unsigned int inner_off = icmp_off + sizeof(struct icmp6hdr);
	unsigned int len = skb->len - icmp_off;
	struct ipv6hdr *ip6h, *inner;
	struct icmp6hdr *icmp6h;
	struct ipvl_l4_fields f;
	__be16 fragoff;
	u8 nexthdr;
	int thoff;

	if (skb_ensure_writable(skb, skb->len))
		return -ENOMEM;
	ip6h = ipv6_hdr(skb);
	icmp6h = (struct icmp6hdr *)(skb->data + icmp_off);
	inner = (struct ipv6hdr *)(skb->data + inner_off);
	nexthdr = inner->nexthdr;
	thoff = ipv6_skip_exthdr(skb, inner_off + sizeof(*inner), &nexthdr,
				 &fragoff);
	if (thoff < 0)
		return -EINVAL;
	ipvl_nat_l4_fields(skb, skb->data + thoff, nexthdr, &f);
	*(outer_src ? &ip6h->saddr : &ip6h->daddr) = to->in6;
	*(outer_src ? &inner->daddr : &inner->saddr) = to->in6;
	*(outer_src ? f.dport : f.sport) = port;
	icmp6h->icmp6_cksum = 0;
	icmp6h->icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr, len,
					      IPPROTO_ICMPV6,
					      csum_partial(icmp6h, len, 0));
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

static int rewrite_icmp(struct sk_buff *skb, const struct ipvl_conn *cp,
			unsigned int icmp_off, bool outer_src,
			const union nf_inet_addr *to, __be16 port)
{
	if (cp->key.af == AF_INET6)
		return icmp6(skb, icmp_off, outer_src, to, port);
	return icmp4(skb, icmp_off, outer_src, to, port);
}

int ipvl_nat_icmp_in(struct sk_buff *skb, const struct ipvl_conn *cp,
		     unsigned int icmp_off)
{
	return rewrite_icmp(skb, cp, icmp_off, false, &cp->daddr, cp->dport);
}

int ipvl_nat_icmp_out(struct sk_buff *skb, const struct ipvl_conn *cp,
		      unsigned int icmp_off)
{
	return rewrite_icmp(skb, cp, icmp_off, true, &cp->key.vaddr, cp->key.vport);
}
