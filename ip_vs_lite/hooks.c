// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path. At LOCAL_IN, packets for virtual services find or
 * create their connection and go to its transmitter; at FORWARD, the
 * replies of NAT real servers get the virtual address back.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/netfilter_ipv4.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/icmp.h>
#include <net/ip.h>

#include "conn.h"
#include "hooks.h"
#include "icmp.h"
#include "nat.h"
#include "schedule.h"
#include "netns.h"
#include "proto.h"
#include "service.h"
#include "stats.h"
#include "xmit.h"

static bool parse_ports(const struct sk_buff *skb, unsigned int off,
			struct ipvl_pkt *pkt, struct ipvl_tcp_flags *tf)
{
	const struct tcphdr *th;
	const struct udphdr *uh;
	struct tcphdr _th;
	struct udphdr _uh;

	memset(tf, 0, sizeof(*tf));
	if (pkt->protocol == IPPROTO_UDP) {
		uh = skb_header_pointer(skb, off, sizeof(_uh), &_uh);
		if (!uh)
			return false;
		pkt->sport = uh->source;
		pkt->dport = uh->dest;
		return true;
	}
	th = skb_header_pointer(skb, off, sizeof(_th), &_th);
	if (!th || th->doff < sizeof(_th) / 4)
		return false;
	pkt->sport = th->source;
	pkt->dport = th->dest;
	tf->syn = th->syn;
	tf->ack = th->ack;
	tf->fin = th->fin;
	tf->rst = th->rst;
	return true;
}

/* The IP header of a packet at LOCAL_IN or FORWARD; 0 if not for us. */
static u8 parse_ip(const struct sk_buff *skb, struct ipvl_pkt *pkt)
{
	const struct iphdr *iph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, skb_network_offset(skb), sizeof(_iph),
				 &_iph);
	/* Fragments were reassembled before both hooks. */
	if (!iph || iph->ihl < 5 || ip_is_fragment(iph))
		return 0;
	memset(pkt, 0, sizeof(*pkt));
	pkt->af = AF_INET;
	pkt->protocol = iph->protocol;
	pkt->saddr.ip = iph->saddr;
	pkt->daddr.ip = iph->daddr;
	return iph->protocol;
}

static bool parse_l4(const struct sk_buff *skb, struct ipvl_pkt *pkt,
		     struct ipvl_tcp_flags *tf)
{
	return parse_ports(skb, skb_network_offset(skb) + ip_hdrlen(skb), pkt,
			   tf);
}


static unsigned int forward(struct ipvl_net *ipvl, struct sk_buff *skb,
			    struct ipvl_conn *cp, const struct ipvl_pkt *pkt,
			    const struct ipvl_tcp_flags *tf)
{
	struct ipvl_dest *dest = cp->dest;
	u8 state;

	if (!test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags))
		return ipvl_drop(ipvl, IPVL_DROP_DEST_GONE);
	state = ipvl_next_state(pkt->protocol, READ_ONCE(cp->state), tf, false);
	ipvl_conn_update(cp, state,
			 ipvl_state_timeout(&ipvl->timeouts, state));
	ipvl_stats_in(dest->stats, skb->len);
	ipvl_stats_in(dest->svc->stats, skb->len);
	return ipvl_xmit(ipvl->net, skb, cp);
}

static bool must_reschedule(const struct ipvl_conn *cp,
			    const struct ipvl_pkt *pkt,
			    const struct ipvl_tcp_flags *tf)
{
	if (!ipvl_is_syn(pkt->protocol, tf))
		return false;
	return ipvl_tcp_state_reusable(READ_ONCE(cp->state)) ||
	       !test_bit(IPVL_DEST_F_AVAILABLE, &cp->dest->flags);
}

static bool idle(const struct ipvl_net *ipvl)
{
	return !READ_ONCE(ipvl->num_services) &&
	       !atomic_read(&ipvl->conn_count);
}

/* An ICMP error to a virtual address, about a reply of a connection. */
static unsigned int icmp_in(struct ipvl_net *ipvl, struct sk_buff *skb)
{
	struct ipvl_conn *cp;
	struct ipvl_pkt quoted;
	int off;

	off = ipvl_icmp_parse(skb, &quoted);
	if (off < 0) {
		ipvl_icmp_tunnel_pmtu(ipvl->net, skb);
		return NF_ACCEPT;
	}
	/* The quote is the reply: virtual address to client. */
	ipvl_pkt_reverse(&quoted);
	cp = ipvl_conn_lookup(ipvl->net, &quoted);
	if (!cp)
		return NF_ACCEPT;
	if (!test_bit(IPVL_DEST_F_AVAILABLE, &cp->dest->flags))
		return NF_DROP;
	return ipvl_xmit_icmp(ipvl->net, skb, cp, off);
}

static unsigned int ipvl_local_in(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct ipvl_net *ipvl = ipvl_net(state->net);
	struct ipvl_tcp_flags tf;
	struct ipvl_conn *cp;
	struct ipvl_pkt pkt;
	unsigned int verdict;

	if (idle(ipvl))
		return NF_ACCEPT;
	switch (parse_ip(skb, &pkt)) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		break;
	case IPPROTO_ICMP:
		return icmp_in(ipvl, skb);
	default:
		return NF_ACCEPT;
	}
	if (!parse_l4(skb, &pkt, &tf))
		return NF_ACCEPT;
	cp = ipvl_conn_lookup(state->net, &pkt);
	if (cp && must_reschedule(cp, &pkt, &tf)) {
		ipvl_conn_expire_now(cp);
		cp = NULL;
	}
	if (!cp) {
		verdict = ipvl_schedule(ipvl, skb, &pkt, &tf, &cp);
		if (!cp)
			return verdict;
	}
	return forward(ipvl, skb, cp, &pkt, &tf);
}

/* An ICMP error on its way to a client, about a NAT connection. */
static unsigned int icmp_out(struct ipvl_net *ipvl, struct sk_buff *skb)
{
	struct ipvl_conn *cp;
	struct ipvl_pkt quoted;
	int off;

	off = ipvl_icmp_parse(skb, &quoted);
	if (off < 0)
		return NF_ACCEPT;
	/* The quote is the client's packet after translation. */
	ipvl_pkt_reverse(&quoted);
	cp = ipvl_conn_lookup_out(ipvl->net, &quoted);
	if (!cp)
		return NF_ACCEPT;
	if (ipvl_nat_icmp_out(skb, cp, off))
		return NF_DROP;
	ipvl_untrack(skb);
	return NF_ACCEPT;
}

/* A real server's reply to a client, passing through as its gateway. */
static unsigned int reply(struct ipvl_net *ipvl, struct sk_buff *skb,
			  struct ipvl_pkt *pkt)
{
	struct ipvl_tcp_flags tf;
	struct ipvl_conn *cp;
	u8 state;

	if (!parse_l4(skb, pkt, &tf))
		return NF_ACCEPT;
	cp = ipvl_conn_lookup_out(ipvl->net, pkt);
	if (!cp)
		return NF_ACCEPT;
	state = ipvl_next_state(pkt->protocol, READ_ONCE(cp->state), &tf,
				true);
	ipvl_conn_update(cp, state,
			 ipvl_state_timeout(&ipvl->timeouts, state));
	if (ipvl_nat_out(skb, cp))
		return NF_DROP;
	ipvl_untrack(skb);
	ipvl_stats_out(cp->dest->stats, skb->len);
	if (test_bit(IPVL_DEST_F_AVAILABLE, &cp->dest->flags))
		ipvl_stats_out(cp->dest->svc->stats, skb->len);
	return NF_ACCEPT;
}

static unsigned int ipvl_forward(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	struct ipvl_net *ipvl = ipvl_net(state->net);
	struct ipvl_pkt pkt;

	if (!atomic_read(&ipvl->conn_count))
		return NF_ACCEPT;
	switch (parse_ip(skb, &pkt)) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		return reply(ipvl, skb, &pkt);
	case IPPROTO_ICMP:
		return icmp_out(ipvl, skb);
	default:
		return NF_ACCEPT;
	}
}

static const struct nf_hook_ops ipvl_hook_ops[] = {
	{
		.hook = ipvl_local_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		/* After filter, so INPUT rules still guard the VIP. */
		.priority = NF_IP_PRI_NAT_SRC - 1,
	},
	{
		.hook = ipvl_forward,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_NAT_SRC - 1,
	},
};

int ipvl_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, ipvl_hook_ops,
				     ARRAY_SIZE(ipvl_hook_ops));
}

void ipvl_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, ipvl_hook_ops, ARRAY_SIZE(ipvl_hook_ops));
}
