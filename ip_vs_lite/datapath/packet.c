// SPDX-License-Identifier: GPL-2.0
/*
 * Reading the headers of a packet at one of ip_vs_lite's hooks. Every
 * read goes through skb_header_pointer(); a packet whose headers are
 * short or odd is not ours and goes on untouched.
 */

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/sctp.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "datapath/packet.h"

static int parse_v4(const struct sk_buff *skb, struct ipvl_pkt *pkt,
		    unsigned int *thoff)
{
	const struct iphdr *iph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, skb_network_offset(skb), sizeof(_iph),
				 &_iph);
	/* Fragments are reassembled before both hooks. */
	if (!iph || iph->ihl < 5 || ip_is_fragment(iph))
		return -1;
	pkt->saddr.ip = iph->saddr;
	pkt->daddr.ip = iph->daddr;
	*thoff = skb_network_offset(skb) + iph->ihl * 4;
	return iph->protocol;
}

/* Extension headers are walked; a fragment left over is not parsed. */
static int parse_v6(const struct sk_buff *skb, struct ipvl_pkt *pkt,
		    unsigned int *thoff)
{
	const struct ipv6hdr *ip6h;
	struct ipv6hdr _ip6h;
	unsigned short fragoff = 0;
	int protocol;

	ip6h = skb_header_pointer(skb, skb_network_offset(skb),
				  sizeof(_ip6h), &_ip6h);
	if (!ip6h)
		return -1;
	/* AH counts as an extension header, but IPsec follows IKE's path. */
	if (ip6h->nexthdr == NEXTHDR_AUTH) {
		*thoff = skb_network_offset(skb) + sizeof(_ip6h);
		protocol = IPPROTO_AH;
		goto out;
	}
	protocol = ipv6_find_hdr(skb, thoff, -1, &fragoff, NULL);
	if (protocol < 0 || fragoff)
		return -1;
out:
	pkt->saddr.in6 = ip6h->saddr;
	pkt->daddr.in6 = ip6h->daddr;
	return protocol;
}

/*
 * Fills the addresses of @pkt and returns the transport protocol, with
 * the transport header's offset in @thoff; -1 for a packet not ours.
 */
int ipvl_parse_ip(const struct sk_buff *skb, u16 af, struct ipvl_pkt *pkt,
		  unsigned int *thoff)
{
	int protocol;

	memset(pkt, 0, sizeof(*pkt));
	pkt->af = af;
	if (af == AF_INET6)
		protocol = parse_v6(skb, pkt, thoff);
	else
		protocol = parse_v4(skb, pkt, thoff);
	pkt->protocol = protocol < 0 ? 0 : protocol;
	return protocol;
}

static const u8 sctp_events[] = {
	[SCTP_CID_DATA] = IPVL_SCTP_EV_DATA,
	[SCTP_CID_INIT] = IPVL_SCTP_EV_INIT,
	[SCTP_CID_INIT_ACK] = IPVL_SCTP_EV_INIT_ACK,
	[SCTP_CID_SACK] = IPVL_SCTP_EV_DATA,
	[SCTP_CID_HEARTBEAT] = IPVL_SCTP_EV_DATA,
	[SCTP_CID_HEARTBEAT_ACK] = IPVL_SCTP_EV_DATA,
	[SCTP_CID_ABORT] = IPVL_SCTP_EV_ABORT,
	[SCTP_CID_SHUTDOWN] = IPVL_SCTP_EV_SHUTDOWN,
	[SCTP_CID_SHUTDOWN_ACK] = IPVL_SCTP_EV_SHUTDOWN_ACK,
	[SCTP_CID_ERROR] = IPVL_SCTP_EV_ERROR,
	[SCTP_CID_COOKIE_ECHO] = IPVL_SCTP_EV_COOKIE_ECHO,
	[SCTP_CID_COOKIE_ACK] = IPVL_SCTP_EV_COOKIE_ACK,
	[SCTP_CID_ECN_ECNE] = IPVL_SCTP_EV_DATA,
	[SCTP_CID_ECN_CWR] = IPVL_SCTP_EV_DATA,
	[SCTP_CID_SHUTDOWN_COMPLETE] = IPVL_SCTP_EV_SHUTDOWN_COMPLETE,
};

/*
 * The event of a packet is its first chunk's: INIT, INIT ACK and
 * SHUTDOWN COMPLETE travel alone, and the other control chunks lead. A
 * COOKIE ECHO or COOKIE ACK may carry an ABORT behind it, which wins.
 */
static u8 sctp_event(const struct sk_buff *skb, unsigned int coff,
		     const struct sctp_chunkhdr *ch)
{
	struct sctp_chunkhdr _next;
	const struct sctp_chunkhdr *next;
	unsigned int len = ntohs(ch->length);
	u8 type = ch->type;

	if ((type == SCTP_CID_COOKIE_ECHO || type == SCTP_CID_COOKIE_ACK) &&
	    len >= sizeof(*ch)) {
		next = skb_header_pointer(skb, coff + ALIGN(len, 4),
					  sizeof(_next), &_next);
		if (next && next->type == SCTP_CID_ABORT)
			type = SCTP_CID_ABORT;
	}
	return type < ARRAY_SIZE(sctp_events) ? sctp_events[type] :
						IPVL_SCTP_EV_DATA;
}

/* A packet without a chunk has nothing to say and is not ours. */
static bool parse_sctp(const struct sk_buff *skb, unsigned int thoff,
		       struct ipvl_pkt *pkt, struct ipvl_tcp_flags *tf)
{
	unsigned int coff = thoff + sizeof(struct sctphdr);
	const struct sctp_chunkhdr *ch;
	const struct sctphdr *sh;
	struct sctp_chunkhdr _ch;
	struct sctphdr _sh;

	sh = skb_header_pointer(skb, thoff, sizeof(_sh), &_sh);
	if (!sh)
		return false;
	ch = skb_header_pointer(skb, coff, sizeof(_ch), &_ch);
	if (!ch)
		return false;
	pkt->sport = sh->source;
	pkt->dport = sh->dest;
	tf->sctp = sctp_event(skb, coff, ch);
	tf->data = tf->sctp == IPVL_SCTP_EV_DATA;
	return true;
}

bool ipvl_parse_ports(const struct sk_buff *skb, unsigned int thoff,
		      struct ipvl_pkt *pkt, struct ipvl_tcp_flags *tf)
{
	const struct tcphdr *th;
	const struct udphdr *uh;
	struct tcphdr _th;
	struct udphdr _uh;

	memset(tf, 0, sizeof(*tf));
	if (pkt->protocol == IPPROTO_SCTP)
		return parse_sctp(skb, thoff, pkt, tf);
	if (pkt->protocol == IPPROTO_UDP) {
		uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
		if (!uh)
			return false;
		pkt->sport = uh->source;
		pkt->dport = uh->dest;
		tf->data = true;
		return true;
	}
	th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
	if (!th || th->doff < sizeof(_th) / 4)
		return false;
	pkt->sport = th->source;
	pkt->dport = th->dest;
	tf->syn = th->syn;
	tf->ack = th->ack;
	tf->fin = th->fin;
	tf->rst = th->rst;
	tf->data = skb->len > thoff + th->doff * 4;
	return true;
}
