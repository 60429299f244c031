// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: a LOCAL_IN hook catches packets for virtual services,
 * finds or creates their connection and hands them to the transmitter.
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

static bool parse_v4(const struct sk_buff *skb, struct ipvl_pkt *pkt,
		     struct ipvl_tcp_flags *tf)
{
	const struct iphdr *iph;
	struct iphdr _iph;

	iph = skb_header_pointer(skb, skb_network_offset(skb), sizeof(_iph),
				 &_iph);
	if (!iph || iph->ihl < 5 || ip_is_fragment(iph))
		return false;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return false;
	pkt->af = AF_INET;
	pkt->protocol = iph->protocol;
	memset(&pkt->saddr, 0, sizeof(pkt->saddr));
	memset(&pkt->daddr, 0, sizeof(pkt->daddr));
	pkt->saddr.ip = iph->saddr;
	pkt->daddr.ip = iph->daddr;
	return parse_ports(skb, skb_network_offset(skb) + iph->ihl * 4, pkt,
			   tf);
}

static bool is_syn(const struct ipvl_pkt *pkt, const struct ipvl_tcp_flags *tf)
{
	return pkt->protocol == IPPROTO_TCP && tf->syn && !tf->ack &&
	       !tf->rst && !tf->fin;
}

static u8 next_state(const struct ipvl_pkt *pkt, u8 state,
		     const struct ipvl_tcp_flags *tf)
{
	if (pkt->protocol == IPPROTO_UDP)
		return IPVL_S_UDP;
	return ipvl_tcp_next_state(state, tf);
}

/*
 * Creates the connection of a new flow. Returns NULL with *verdict set
 * when the packet is not ours to forward.
 */
static struct ipvl_conn *new_conn(struct ipvl_net *ipvl, struct sk_buff *skb,
				  const struct ipvl_pkt *pkt,
				  const struct ipvl_tcp_flags *tf,
				  unsigned int *verdict)
{
	const struct ipvl_sched_ops *sched;
	struct ipvl_service *svc;
	struct ipvl_dest *dest;
	struct ipvl_conn *cp;
	u8 state;

	*verdict = NF_ACCEPT;
	svc = ipvl_service_lookup_rcu(ipvl, pkt);
	/* Mid-stream TCP without a connection is the local stack's. */
	if (!svc || (pkt->protocol == IPPROTO_TCP && !is_syn(pkt, tf)))
		return NULL;
	*verdict = NF_DROP;
	sched = rcu_dereference(svc->sched);
	if (!sched)
		return NULL;
	dest = sched->schedule(svc, skb, pkt);
	if (!dest) {
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
		return NULL;
	}
	state = next_state(pkt, IPVL_S_NONE, tf);
	cp = ipvl_conn_create(ipvl->net, pkt, dest, state,
			      ipvl_state_timeout(&ipvl->timeouts, state));
	return cp;
}

static unsigned int forward(struct ipvl_net *ipvl, struct sk_buff *skb,
			    struct ipvl_conn *cp, const struct ipvl_pkt *pkt,
			    const struct ipvl_tcp_flags *tf)
{
	struct ipvl_dest *dest = cp->dest;
	u8 state;

	if (!test_bit(IPVL_DEST_F_AVAILABLE, &dest->flags))
		return NF_DROP;
	state = next_state(pkt, READ_ONCE(cp->state), tf);
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
	if (!is_syn(pkt, tf))
		return false;
	return ipvl_tcp_state_reusable(READ_ONCE(cp->state)) ||
	       !test_bit(IPVL_DEST_F_AVAILABLE, &cp->dest->flags);
}

static unsigned int ipvl_local_in(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct ipvl_net *ipvl = ipvl_net(state->net);
	struct ipvl_tcp_flags tf;
	struct ipvl_conn *cp;
	struct ipvl_pkt pkt;
	unsigned int verdict;

	if (!READ_ONCE(ipvl->num_services) && !atomic_read(&ipvl->conn_count))
		return NF_ACCEPT;
	if (!parse_v4(skb, &pkt, &tf))
		return NF_ACCEPT;
	cp = ipvl_conn_lookup(state->net, &pkt);
	if (cp && must_reschedule(cp, &pkt, &tf)) {
		ipvl_conn_expire_now(cp);
		cp = NULL;
	}
	if (!cp) {
		cp = new_conn(ipvl, skb, &pkt, &tf, &verdict);
		if (!cp)
			return verdict;
	}
	return forward(ipvl, skb, cp, &pkt, &tf);
}

static const struct nf_hook_ops ipvl_hook_ops[] = {
	{
		.hook = ipvl_local_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		/* After filter, so INPUT rules still guard the VIP. */
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
