// SPDX-License-Identifier: GPL-2.0
/*
 * Masquerading: the client's packets get the real server's address and
 * port as destination; the replies get the virtual address and port back
 * as source. ICMP errors about a NAT connection are translated too, so
 * that port-unreachable and fragmentation-needed reach the right peer.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "nat.h"

/* Where the port and checksum of a transport header sit. */
struct l4_fields {
	__be16 *sport;
	__be16 *dport;
	__sum16 *check;		/* NULL: UDP without checksum */
};

static void l4_fields(struct sk_buff *skb, void *th, u8 protocol,
		      struct l4_fields *f)
{
	if (protocol == IPPROTO_TCP) {
		struct tcphdr *tcph = th;

		f->sport = &tcph->source;
		f->dport = &tcph->dest;
		f->check = &tcph->check;
	} else {
		struct udphdr *udph = th;

		f->sport = &udph->source;
		f->dport = &udph->dest;
		f->check = &udph->check;
		if (!udph->check && skb->ip_summed != CHECKSUM_PARTIAL)
			f->check = NULL;
	}
}

static unsigned int l4_hdr_len(u8 protocol)
{
	return protocol == IPPROTO_TCP ? sizeof(struct tcphdr) :
					 sizeof(struct udphdr);
}

static void l4_rewrite(struct sk_buff *skb, const struct ipvl_conn *cp,
		       struct l4_fields *f, bool src, const __be32 *from,
		       const __be32 *to, __be16 port)
{
	__be16 *pport = src ? f->sport : f->dport;

	if (f->check) {
		if (cp->af == AF_INET6)
			inet_proto_csum_replace16(f->check, skb, from, to,
						  true);
		else
			inet_proto_csum_replace4(f->check, skb, *from, *to,
						 true);
		inet_proto_csum_replace2(f->check, skb, *pport, port, false);
		if (cp->protocol == IPPROTO_UDP && !*f->check &&
		    skb->ip_summed != CHECKSUM_PARTIAL)
			*f->check = CSUM_MANGLED_0;
	}
	*pport = port;
}

static int rewrite4(struct sk_buff *skb, const struct ipvl_conn *cp,
		    bool src, const union nf_inet_addr *addr, __be16 port)
{
	unsigned int thoff = skb_network_offset(skb) + ip_hdrlen(skb);
	struct l4_fields f;
	struct iphdr *iph;
	__be32 *paddr;

	if (skb_ensure_writable(skb, thoff + l4_hdr_len(cp->protocol)))
		return -ENOMEM;
	iph = ip_hdr(skb);
	l4_fields(skb, skb->data + thoff, cp->protocol, &f);
	paddr = src ? &iph->saddr : &iph->daddr;
	l4_rewrite(skb, cp, &f, src, paddr, &addr->ip, port);
	csum_replace4(&iph->check, *paddr, addr->ip);
	*paddr = addr->ip;
	return 0;
}

static int rewrite6(struct sk_buff *skb, const struct ipvl_conn *cp,
		    bool src, const union nf_inet_addr *addr, __be16 port)
{
	unsigned int thoff = 0;
	struct ipv6hdr *ip6h;
	struct in6_addr *paddr;
	struct l4_fields f;

	if (ipv6_find_hdr(skb, &thoff, cp->protocol, NULL, NULL) < 0 ||
	    skb_ensure_writable(skb, thoff + l4_hdr_len(cp->protocol)))
		return -EINVAL;
	ip6h = ipv6_hdr(skb);
	l4_fields(skb, skb->data + thoff, cp->protocol, &f);
	paddr = src ? &ip6h->saddr : &ip6h->daddr;
	l4_rewrite(skb, cp, &f, src, paddr->s6_addr32, addr->in6.s6_addr32,
		   port);
	*paddr = addr->in6;
	return 0;
}

/* Replaces one address and port of a TCP/UDP packet, checksums included. */
static int rewrite(struct sk_buff *skb, const struct ipvl_conn *cp, bool src,
		   const union nf_inet_addr *addr, __be16 port)
{
	if (cp->af == AF_INET6)
		return rewrite6(skb, cp, src, addr, port);
	return rewrite4(skb, cp, src, addr, port);
}

int ipvl_nat_in(struct sk_buff *skb, const struct ipvl_conn *cp)
{
	return rewrite(skb, cp, false, &cp->daddr, cp->dport);
}

int ipvl_nat_out(struct sk_buff *skb, const struct ipvl_conn *cp)
{
	return rewrite(skb, cp, true, &cp->vaddr, cp->vport);
}

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
	struct l4_fields f;
	__be32 *outer, *quoted;

	if (skb_ensure_writable(skb, skb->len))
		return -ENOMEM;
	iph = ip_hdr(skb);
	icmph = (struct icmphdr *)(skb->data + icmp_off);
	inner = (struct iphdr *)(skb->data + inner_off);
	l4_fields(skb, (u8 *)inner + inner->ihl * 4, inner->protocol, &f);
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
	struct l4_fields f;
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
	l4_fields(skb, skb->data + thoff, nexthdr, &f);
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
	if (cp->af == AF_INET6)
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
	return rewrite_icmp(skb, cp, icmp_off, true, &cp->vaddr, cp->vport);
}
