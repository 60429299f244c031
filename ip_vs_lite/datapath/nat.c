// SPDX-License-Identifier: GPL-2.0
/*
 * Masquerading: the client's packets get the real server's address and
 * port as destination; the replies get the virtual address and port back
 * as source. ICMP errors about a NAT connection are translated in
 * icmp_nat.c. SCTP has no pseudo-header: its CRC32c changes with the
 * ports alone, and is computed afresh.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/crc32.h>
#include <linux/crc32c.h>
#include <linux/sctp.h>
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
	} else if (protocol == IPPROTO_SCTP) {
		struct sctphdr *sh = th;

		f->sport = &sh->source;
		f->dport = &sh->dest;
		f->check = NULL;
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
	if (protocol == IPPROTO_SCTP)
		return sizeof(struct sctphdr);
	return protocol == IPPROTO_TCP ? sizeof(struct tcphdr) :
					 sizeof(struct udphdr);
}

static __wsum crc32c_update(const void *buf, int len, __wsum crc)
{
	return (__force __wsum)crc32c((__force u32)crc, buf, len);
}

static __wsum crc32c_combine(__wsum crc, __wsum crc2, int offset, int len)
{
	return (__force __wsum)__crc32c_le_combine((__force u32)crc,
						   (__force u32)crc2, len);
}

static const struct skb_checksum_ops crc32c_ops = {
	.update = crc32c_update,
	.combine = crc32c_combine,
};

/* The CRC32c of the SCTP packet at @thoff, with its checksum field zero. */
static void sctp_csum(struct sk_buff *skb, unsigned int thoff)
{
	struct sctphdr *sh = (struct sctphdr *)(skb->data + thoff);
	u32 crc;

	sh->checksum = 0;
	crc = ~(__force u32)__skb_checksum(skb, thoff, skb->len - thoff,
					   (__force __wsum)~0U, &crc32c_ops);
	sh->checksum = cpu_to_le32(crc);
	/*
	 * Nothing is left to offload, and a receiver behind a virtual
	 * device verifies it rather than trust this host's word for it.
	 */
	skb->ip_summed = CHECKSUM_NONE;
	skb->csum_not_inet = 0;
}

/*
 * After a new port: a GSO packet's checksum is made per segment, later;
 * one left to offload (CHECKSUM_PARTIAL) is computed now, as the device
 * the packet leaves by may not offload CRC32c.
 */
static void sctp_fix(struct sk_buff *skb, unsigned int thoff, bool moved)
{
	if (skb_is_gso(skb))
		return;
	if (moved || skb->ip_summed == CHECKSUM_PARTIAL)
		sctp_csum(skb, thoff);
}

/* Rewrites one port; the SCTP checksum follows, the others already did. */
static void l4_finish(struct sk_buff *skb, const struct ipvl_conn *cp,
		      unsigned int thoff, __be16 old_port, __be16 port)
{
	if (cp->key.protocol == IPPROTO_SCTP)
		sctp_fix(skb, thoff, old_port != port);
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
	__be16 old_port;
	__be32 *paddr;

	if (skb_ensure_writable(skb, thoff + l4_hdr_len(cp->key.protocol)))
		return -ENOMEM;
	iph = ip_hdr(skb);
	ipvl_nat_l4_fields(skb, skb->data + thoff, cp->key.protocol, &f);
	old_port = src ? *f.sport : *f.dport;
	paddr = src ? &iph->saddr : &iph->daddr;
	l4_rewrite(skb, cp, &f, src, paddr, &addr->ip, port);
	csum_replace4(&iph->check, *paddr, addr->ip);
	*paddr = addr->ip;
	l4_finish(skb, cp, thoff, old_port, port);
	return 0;
}

static int rewrite6(struct sk_buff *skb, const struct ipvl_conn *cp,
		    bool src, const union nf_inet_addr *addr, __be16 port)
{
	unsigned int thoff = 0;
	struct ipv6hdr *ip6h;
	struct in6_addr *paddr;
	struct ipvl_l4_fields f;
	__be16 old_port;

	if (ipv6_find_hdr(skb, &thoff, cp->key.protocol, NULL, NULL) < 0 ||
	    skb_ensure_writable(skb, thoff + l4_hdr_len(cp->key.protocol)))
		return -EINVAL;
	ip6h = ipv6_hdr(skb);
	ipvl_nat_l4_fields(skb, skb->data + thoff, cp->key.protocol, &f);
	old_port = src ? *f.sport : *f.dport;
	paddr = src ? &ip6h->saddr : &ip6h->daddr;
	l4_rewrite(skb, cp, &f, src, paddr->s6_addr32, addr->in6.s6_addr32,
		   port);
	*paddr = addr->in6;
	l4_finish(skb, cp, thoff, old_port, port);
	return 0;
}

/* Replaces one address and port of a packet, checksums included. */
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
