// SPDX-License-Identifier: GPL-2.0
/*
 * Masquerading: the client's packets get the real server's address and
 * port as destination; the replies get the virtual address and port back
 * as source. ICMP errors about a NAT connection are translated in
 * icmp_nat.c.
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

#include "datapath/nat.h"

void ipvl_nat_l4_fields(struct sk_buff *skb, void *th, u8 protocol,
			struct ipvl_l4_fields *f)
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
		       struct ipvl_l4_fields *f, bool src, const __be32 *from,
		       const __be32 *to, __be16 port)
{
	__be16 *pport = src ? f->sport : f->dport;

	if (f->check) {
		if (cp->key.af == AF_INET6)
			inet_proto_csum_replace16(f->check, skb, from, to,
						  true);
		else
			inet_proto_csum_replace4(f->check, skb, *from, *to,
						 true);
		inet_proto_csum_replace2(f->check, skb, *pport, port, false);
		if (cp->key.protocol == IPPROTO_UDP && !*f->check &&
		    skb->ip_summed != CHECKSUM_PARTIAL)
			*f->check = CSUM_MANGLED_0;
	}
	*pport = port;
}

static int rewrite4(struct sk_buff *skb, const struct ipvl_conn *cp,
		    bool src, const union nf_inet_addr *addr, __be16 port)
{
	unsigned int thoff = skb_network_offset(skb) + ip_hdrlen(skb);
	struct ipvl_l4_fields f;
	struct iphdr *iph;
	__be32 *paddr;

	if (skb_ensure_writable(skb, thoff + l4_hdr_len(cp->key.protocol)))
		return -ENOMEM;
	iph = ip_hdr(skb);
	ipvl_nat_l4_fields(skb, skb->data + thoff, cp->key.protocol, &f);
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
	struct ipvl_l4_fields f;

	if (ipv6_find_hdr(skb, &thoff, cp->key.protocol, NULL, NULL) < 0 ||
	    skb_ensure_writable(skb, thoff + l4_hdr_len(cp->key.protocol)))
		return -EINVAL;
	ip6h = ipv6_hdr(skb);
	ipvl_nat_l4_fields(skb, skb->data + thoff, cp->key.protocol, &f);
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
	if (cp->key.af == AF_INET6)
		return rewrite6(skb, cp, src, addr, port);
	return rewrite4(skb, cp, src, addr, port);
}

int ipvl_nat_in(struct sk_buff *skb, const struct ipvl_conn *cp)
{
	return rewrite(skb, cp, false, &cp->daddr, cp->dport);
}

int ipvl_nat_out(struct sk_buff *skb, const struct ipvl_conn *cp)
{
	return rewrite(skb, cp, true, &cp->key.vaddr, cp->key.vport);
}
