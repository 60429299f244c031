// SPDX-License-Identifier: GPL-2.0
/*
 * Masquerading: the client's packets get the real server's address and
 * port as destination; the replies get the virtual address and port back
 * as source. ICMP errors about a NAT connection are translated too, so
 * that port-unreachable and fragmentation-needed reach the right peer.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>

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

/* Replaces one address and port of a TCP/UDP packet, checksums included. */
static int rewrite(struct sk_buff *skb, const struct ipvl_conn *cp, bool src,
		   __be32 addr, __be16 port)
{
	unsigned int thoff = skb_network_offset(skb) + ip_hdrlen(skb);
	struct l4_fields f;
	struct iphdr *iph;
	__be32 *paddr;
	__be16 *pport;

	if (skb_ensure_writable(skb, thoff + l4_hdr_len(cp->protocol)))
		return -ENOMEM;
	iph = ip_hdr(skb);
	l4_fields(skb, skb_network_header(skb) + ip_hdrlen(skb), cp->protocol,
		  &f);
	paddr = src ? &iph->saddr : &iph->daddr;
	pport = src ? f.sport : f.dport;
	if (f.check) {
		inet_proto_csum_replace4(f.check, skb, *paddr, addr, true);
		inet_proto_csum_replace2(f.check, skb, *pport, port, false);
		if (cp->protocol == IPPROTO_UDP && !*f.check &&
		    skb->ip_summed != CHECKSUM_PARTIAL)
			*f.check = CSUM_MANGLED_0;
	}
	csum_replace4(&iph->check, *paddr, addr);
	*paddr = addr;
	*pport = port;
	return 0;
}

int ipvl_nat_in(struct sk_buff *skb, const struct ipvl_conn *cp)
{
	return rewrite(skb, cp, false, cp->daddr.ip, cp->dport);
}

int ipvl_nat_out(struct sk_buff *skb, const struct ipvl_conn *cp)
{
	return rewrite(skb, cp, true, cp->vaddr.ip, cp->vport);
}

/*
 * Rewrites an ICMP error: the outer address on one side, and inside the
 * quoted packet the same endpoint (which the quote shows reversed). The
 * quoted transport checksum covers data the quote may not hold, so only
 * the ports change there, as routers that translate do.
 */
static int rewrite_icmp(struct sk_buff *skb, unsigned int icmp_off,
			bool outer_src, __be32 to, __be16 port)
{
	unsigned int inner_off = icmp_off + sizeof(struct icmphdr);
	struct iphdr *iph, *inner;
	struct icmphdr *icmph;
	struct l4_fields f;
	__be32 *outer;

	if (skb_ensure_writable(skb, skb->len))
		return -ENOMEM;
	iph = ip_hdr(skb);
	icmph = (struct icmphdr *)(skb->data + icmp_off);
	inner = (struct iphdr *)(skb->data + inner_off);
	l4_fields(skb, (u8 *)inner + inner->ihl * 4, inner->protocol, &f);

	outer = outer_src ? &iph->saddr : &iph->daddr;
	csum_replace4(&iph->check, *outer, to);
	*outer = to;
	/* The quote travelled the other way: our side is its source. */
	if (outer_src) {
		csum_replace4(&inner->check, inner->daddr, to);
		inner->daddr = to;
		*f.dport = port;
	} else {
		csum_replace4(&inner->check, inner->saddr, to);
		inner->saddr = to;
		*f.sport = port;
	}
	icmph->checksum = 0;
	icmph->checksum = ip_compute_csum(icmph, skb->len - icmp_off);
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

int ipvl_nat_icmp_in(struct sk_buff *skb, const struct ipvl_conn *cp,
		     unsigned int icmp_off)
{
	return rewrite_icmp(skb, icmp_off, false, cp->daddr.ip, cp->dport);
}

int ipvl_nat_icmp_out(struct sk_buff *skb, const struct ipvl_conn *cp,
		      unsigned int icmp_off)
{
	return rewrite_icmp(skb, icmp_off, true, cp->vaddr.ip, cp->vport);
}
