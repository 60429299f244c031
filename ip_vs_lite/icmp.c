// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP errors about a connection: reading the packet they quote.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/ip.h>
#include <net/route.h>

#include "icmp.h"

/* The quoted header, as far as the tuple goes. */
static bool parse_quote(const struct sk_buff *skb, unsigned int off,
			struct ipvl_pkt *quoted)
{
	const struct iphdr *iph;
	const __be16 *ports;
	struct iphdr _iph;
	__be16 _ports[2];

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return false;
	/* Only a first fragment quotes the ports. */
	if (iph->frag_off & htons(IP_OFFSET))
		return false;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return false;
	ports = skb_header_pointer(skb, off + iph->ihl * 4, sizeof(_ports),
				   _ports);
	if (!ports)
		return false;
	memset(quoted, 0, sizeof(*quoted));
	quoted->af = AF_INET;
	quoted->protocol = iph->protocol;
	quoted->saddr.ip = iph->saddr;
	quoted->daddr.ip = iph->daddr;
	quoted->sport = ports[0];
	quoted->dport = ports[1];
	return true;
}

/*
 * Returns the offset of the ICMP header of an error message and the
 * tuple of the packet it quotes, or -1 if the packet is no such error.
 */
int ipvl_icmp_parse(const struct sk_buff *skb, struct ipvl_pkt *quoted)
{
	unsigned int off = skb_network_offset(skb) + ip_hdrlen(skb);
	const struct icmphdr *ic;
	struct icmphdr _ic;

	ic = skb_header_pointer(skb, off, sizeof(_ic), &_ic);
	if (!ic || !icmp_is_err(ic->type))
		return -1;
	if (!parse_quote(skb, off + sizeof(_ic), quoted))
		return -1;
	return off;
}

void ipvl_pkt_reverse(struct ipvl_pkt *pkt)
{
	swap(pkt->saddr, pkt->daddr);
	swap(pkt->sport, pkt->dport);
}

/*
 * A router on the way to a tunnel real server says the IP-in-IP packet
 * is too big. The kernel only learns that path MTU itself when the ipip
 * module happens to be loaded, so record it here; the next packet too
 * big for the tunnel then gets fragmentation-needed back to its client.
 */
void ipvl_icmp_tunnel_pmtu(struct net *net, const struct sk_buff *skb)
{
	unsigned int off = skb_network_offset(skb) + ip_hdrlen(skb);
	const struct icmphdr *ic;
	const struct iphdr *iph;
	struct icmphdr _ic;
	struct iphdr _iph;
	struct sk_buff *quote;

	ic = skb_header_pointer(skb, off, sizeof(_ic), &_ic);
	if (!ic || ic->type != ICMP_DEST_UNREACH ||
	    ic->code != ICMP_FRAG_NEEDED)
		return;
	iph = skb_header_pointer(skb, off + sizeof(_ic), sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->protocol != IPPROTO_IPIP ||
	    inet_addr_type(net, iph->saddr) != RTN_LOCAL)
		return;
	/* ipv4_update_pmtu() reads the quoted header at skb->data. */
	quote = alloc_skb(sizeof(*iph), GFP_ATOMIC);
	if (!quote)
		return;
	skb_put_data(quote, iph, sizeof(*iph));
	ipv4_update_pmtu(quote, net, ntohs(ic->un.frag.mtu), 0, IPPROTO_IPIP);
	kfree_skb(quote);
}
