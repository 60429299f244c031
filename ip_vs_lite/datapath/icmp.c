// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP and ICMPv6 errors about a connection: reading the packet they
 * quote, and learning the path MTU of tunnels.
 */

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "datapath/conn.h"
#include "datapath/conn_state.h"
#include "datapath/icmp.h"
#include "datapath/new_flow.h"
#include "datapath/packet.h"
#include "datapath/xmit.h"
#include "model/service.h"

/* The ports of a quoted TCP, UDP or SCTP header, at @off. */
static bool quote_ports(const struct sk_buff *skb, unsigned int off,
			struct ipvl_pkt *quoted)
{
	const __be16 *ports;
	__be16 _ports[2];

	if (!ipvl_is_l4(quoted->protocol))
		return false;
	ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
	if (!ports)
		return false;
	quoted->sport = ports[0];
	quoted->dport = ports[1];
	return true;
}

static bool quote_v4(const struct sk_buff *skb, unsigned int off,
		     struct ipvl_pkt *quoted)
{
	const struct iphdr *iph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return false;
	/* Only a first fragment quotes the ports. */
	if (iph->frag_off & htons(IP_OFFSET))
		return false;
	quoted->protocol = iph->protocol;
	quoted->saddr.ip = iph->saddr;
	quoted->daddr.ip = iph->daddr;
	return quote_ports(skb, off + iph->ihl * 4, quoted);
}

static bool quote_v6(const struct sk_buff *skb, unsigned int off,
		     struct ipvl_pkt *quoted)
{
	const struct ipv6hdr *ip6h;
	struct ipv6hdr _ip6h;
	__be16 fragoff;
	u8 nexthdr;
	int thoff;

	ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6)
		return false;
	nexthdr = ip6h->nexthdr;
	thoff = ipv6_skip_exthdr(skb, off + sizeof(_ip6h), &nexthdr, &fragoff);
	if (thoff < 0 || (fragoff & htons(~0x7)))
		return false;
	quoted->protocol = nexthdr;
	quoted->saddr.in6 = ip6h->saddr;
	quoted->daddr.in6 = ip6h->daddr;
	return quote_ports(skb, thoff, quoted);
}

static bool is_error(const struct sk_buff *skb, u16 af, unsigned int off)
{
	const u8 *type;
	u8 _type;

	type = skb_header_pointer(skb, off, sizeof(_type), &_type);
	if (!type)
		return false;
	return af == AF_INET6 ? !(*type & ICMPV6_INFOMSG_MASK) :
				icmp_is_err(*type);
}

/*
 * Returns the offset of the ICMP header of an error message and the
 * tuple of the packet it quotes, or -1 if the packet is no such error.
 * Both ICMP headers are 8 bytes up to the quote.
 */
static int parse_error(const struct sk_buff *skb, u16 af, unsigned int thoff,
		       struct ipvl_pkt *quoted)
{
	unsigned int qoff = thoff + sizeof(struct icmphdr);
	bool ok;

	if (!is_error(skb, af, thoff))
		return -1;
	memset(quoted, 0, sizeof(*quoted));
	quoted->af = af;
	ok = af == AF_INET6 ? quote_v6(skb, qoff, quoted) :
			      quote_v4(skb, qoff, quoted);
	return ok ? thoff : -1;
}

static void pkt_reverse(struct ipvl_pkt *pkt)
{
	swap(pkt->saddr, pkt->daddr);
	swap(pkt->sport, pkt->dport);
}

/* ipv4/6_update_pmtu() read the quoted header at skb->data. */
static struct sk_buff *copy_quote(const void *hdr, unsigned int len)
{
	struct sk_buff *quote = alloc_skb(len, GFP_ATOMIC);

	if (quote)
		skb_put_data(quote, hdr, len);
	return quote;
}

/*
 * Anyone can send the director an error that quotes a tunnel header from
 * one of its addresses, so the quote alone proves nothing: it must also
 * name, in the packet inside, a live connection that this director
 * tunnels to the real server the outer header was addressed to. A forger
 * then needs a connection's whole tuple, and can at most lower the path
 * MTU to a real server, as an error about any of its packets would.
 */
static bool tunnel_conn_quoted(const struct ipvl_net *ipvl,
			       const struct ipvl_pkt *inner,
			       const union nf_inet_addr *rip)
{
	const struct ipvl_conn *cp = ipvl_conn_lookup(ipvl, inner);

	if (!cp || cp->fwd != IPVL_FWD_TUN || cp->state == IPVL_S_TEMPLATE ||
	    !test_bit(IPVL_DEST_F_AVAILABLE, &cp->dest->flags))
		return false;
	if (inner->af == AF_INET6)
		return ipv6_addr_equal(&cp->dest->addr.in6, &rip->in6);
	return cp->dest->addr.ip == rip->ip;
}

static void tunnel_pmtu_v4(struct ipvl_net *ipvl, const struct sk_buff *skb,
			   unsigned int off)
{
	union nf_inet_addr rip = {};
	const struct icmphdr *ic;
	const struct iphdr *iph;
	struct ipvl_pkt inner;
	struct icmphdr _ic;
	struct iphdr _iph;
	struct sk_buff *quote;
	u32 mtu;

	ic = skb_header_pointer(skb, off, sizeof(_ic), &_ic);
	if (!ic || ic->type != ICMP_DEST_UNREACH ||
	    ic->code != ICMP_FRAG_NEEDED)
		return;
	/*
	 * The kernel would raise a smaller MTU to min_pmtu and lock the
	 * route; no genuine path needs that, a forged error would.
	 */
	mtu = ntohs(ic->un.frag.mtu);
	if (mtu < READ_ONCE(ipvl->net->ipv4.ip_rt_min_pmtu))
		return;
	off += sizeof(_ic);
	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5 ||
	    iph->protocol != IPPROTO_IPIP ||
	    (iph->frag_off & htons(IP_OFFSET)) ||
	    inet_addr_type(ipvl->net, iph->saddr) != RTN_LOCAL)
		return;
	memset(&inner, 0, sizeof(inner));
	inner.af = AF_INET;
	rip.ip = iph->daddr;
	if (!quote_v4(skb, off + iph->ihl * 4, &inner) ||
	    !tunnel_conn_quoted(ipvl, &inner, &rip))
		return;
	quote = copy_quote(iph, sizeof(*iph));
	if (!quote)
		return;
	ipv4_update_pmtu(quote, ipvl->net, mtu, 0, IPPROTO_IPIP);
	kfree_skb(quote);
}

static void tunnel_pmtu_v6(struct ipvl_net *ipvl, const struct sk_buff *skb,
			   unsigned int off)
{
	union nf_inet_addr rip = {};
	const struct icmp6hdr *ic;
	const struct ipv6hdr *ip6h;
	struct ipvl_pkt inner;
	struct icmp6hdr _ic;
	struct ipv6hdr _ip6h;
	struct sk_buff *quote;
	__be16 fragoff;
	int inner_off;
	u8 nexthdr;

	ic = skb_header_pointer(skb, off, sizeof(_ic), &_ic);
	if (!ic || ic->icmp6_type != ICMPV6_PKT_TOOBIG)
		return;
	/* Below the IPv6 minimum the kernel would only raise it again. */
	if (ntohl(ic->icmp6_mtu) < IPV6_MIN_MTU)
		return;
	off += sizeof(_ic);
	ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
	if (!ip6h || ip6h->version != 6 ||
	    !ipv6_chk_addr(ipvl->net, &ip6h->saddr, NULL, 0))
		return;
	nexthdr = ip6h->nexthdr;
	inner_off = ipv6_skip_exthdr(skb, off + sizeof(_ip6h), &nexthdr,
				     &fragoff);
	if (inner_off < 0 || nexthdr != IPPROTO_IPV6 ||
	    (fragoff & htons(~0x7)))
		return;
	memset(&inner, 0, sizeof(inner));
	inner.af = AF_INET6;
	rip.in6 = ip6h->daddr;
	if (!quote_v6(skb, inner_off, &inner) ||
	    !tunnel_conn_quoted(ipvl, &inner, &rip))
		return;
	quote = copy_quote(ip6h, sizeof(*ip6h));
	if (!quote)
		return;
	ip6_update_pmtu(quote, ipvl->net, ic->icmp6_mtu, 0, 0,
			sock_net_uid(ipvl->net, NULL));
	kfree_skb(quote);
}

/*
 * A router on the way to a tunnel real server says the encapsulated
 * packet is too big. The kernel only learns that path MTU itself when a
 * tunnel module happens to be loaded, so record it here; the next packet
 * too big for the tunnel then gets "too big" back to its client. Errors
 * not believed (see tunnel_conn_quoted()) are left to the local stack.
 */
static void tunnel_pmtu(struct ipvl_net *ipvl, const struct sk_buff *skb,
			u16 af, unsigned int thoff)
{
	if (af == AF_INET6)
		tunnel_pmtu_v6(ipvl, skb, thoff);
	else
		tunnel_pmtu_v4(ipvl, skb, thoff);
}

/* An ICMP error to a virtual address, about a reply of a connection. */
unsigned int ipvl_icmp_inbound(struct ipvl_net *ipvl, struct sk_buff *skb,
			       u16 af, unsigned int thoff)
{
	struct ipvl_conn *cp;
	struct ipvl_pkt quoted;
	int off;

	off = parse_error(skb, af, thoff, &quoted);
	if (off < 0) {
		tunnel_pmtu(ipvl, skb, af, thoff);
		return NF_ACCEPT;
	}
	/* The quote is the reply: virtual address to client. */
	pkt_reverse(&quoted);
	cp = ipvl_conn_lookup(ipvl, &quoted);
	if (!cp)
		cp = ipvl_new_flow_icmp(ipvl, skb, &quoted);
	if (!cp)
		return NF_ACCEPT;
	if (!test_bit(IPVL_DEST_F_AVAILABLE, &cp->dest->flags))
		return ipvl_drop(ipvl, IPVL_DROP_DEST_GONE);
	return ipvl_xmit_icmp(ipvl->net, skb, cp, off);
}

/* An ICMP error on its way to a client, about a NAT connection. */
unsigned int ipvl_icmp_outbound(struct ipvl_net *ipvl, struct sk_buff *skb,
				u16 af, unsigned int thoff)
{
	struct ipvl_conn *cp;
	struct ipvl_pkt quoted;
	int off;

	off = parse_error(skb, af, thoff, &quoted);
	if (off < 0)
		return NF_ACCEPT;
	/* The quote is the client's packet after translation. */
	pkt_reverse(&quoted);
	cp = ipvl_conn_lookup_out(ipvl, &quoted);
	if (!cp)
		return NF_ACCEPT;
	if (ipvl_nat_icmp_out(skb, cp, off))
		return NF_DROP;
	ipvl_untrack(skb);
	return NF_ACCEPT;
}
