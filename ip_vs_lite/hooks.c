// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path. At LOCAL_IN, packets for virtual services find or
 * create their connection and go to its transmitter; at FORWARD, the
 * replies of NAT real servers get the virtual address back. The same
 * code serves IPv4 and IPv6.
 */

#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "conn.h"
#include "hooks.h"
#include "icmp.h"
#include "nat.h"
#include "netns.h"
#include "packet.h"
#include "proto.h"
#include "schedule.h"
#include "service.h"
#include "stats.h"
#include "xmit.h"

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

static bool is_icmp(u16 af, int protocol)
{
	return protocol == (af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
}

/* An ICMP error to a virtual address, about a reply of a connection. */
static unsigned int icmp_in(struct ipvl_net *ipvl, struct sk_buff *skb,
			    u16 af, unsigned int thoff)
{
	struct ipvl_conn *cp;
	struct ipvl_pkt quoted;
	int off;

	off = ipvl_icmp_parse(skb, af, thoff, &quoted);
	if (off < 0) {
		ipvl_icmp_tunnel_pmtu(ipvl->net, skb, af, thoff);
		return NF_ACCEPT;
	}
	/* The quote is the reply: virtual address to client. */
	ipvl_pkt_reverse(&quoted);
	cp = ipvl_conn_lookup(ipvl->net, &quoted);
	if (!cp)
		return NF_ACCEPT;
	if (!test_bit(IPVL_DEST_F_AVAILABLE, &cp->dest->flags))
		return ipvl_drop(ipvl, IPVL_DROP_DEST_GONE);
	return ipvl_xmit_icmp(ipvl->net, skb, cp, off);
}

static unsigned int local_in(struct ipvl_net *ipvl, struct sk_buff *skb,
			     u16 af)
{
	struct ipvl_tcp_flags tf;
	struct ipvl_conn *cp;
	struct ipvl_pkt pkt;
	unsigned int thoff, verdict;
	int protocol;

	if (idle(ipvl))
		return NF_ACCEPT;
	protocol = ipvl_parse_ip(skb, af, &pkt, &thoff);
	if (is_icmp(af, protocol))
		return icmp_in(ipvl, skb, af, thoff);
	if ((protocol != IPPROTO_TCP && protocol != IPPROTO_UDP) ||
	    !ipvl_parse_ports(skb, thoff, &pkt, &tf))
		return NF_ACCEPT;
	cp = ipvl_conn_lookup(ipvl->net, &pkt);
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
static unsigned int icmp_out(struct ipvl_net *ipvl, struct sk_buff *skb,
			     u16 af, unsigned int thoff)
{
	struct ipvl_conn *cp;
	struct ipvl_pkt quoted;
	int off;

	off = ipvl_icmp_parse(skb, af, thoff, &quoted);
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
			  struct ipvl_pkt *pkt, unsigned int thoff)
{
	struct ipvl_tcp_flags tf;
	struct ipvl_conn *cp;
	u8 state;

	if (!ipvl_parse_ports(skb, thoff, pkt, &tf))
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

static unsigned int forward_hook(struct ipvl_net *ipvl, struct sk_buff *skb,
				 u16 af)
{
	struct ipvl_pkt pkt;
	unsigned int thoff;
	int protocol;

	if (!atomic_read(&ipvl->conn_count))
		return NF_ACCEPT;
	protocol = ipvl_parse_ip(skb, af, &pkt, &thoff);
	if (protocol == IPPROTO_TCP || protocol == IPPROTO_UDP)
		return reply(ipvl, skb, &pkt, thoff);
	if (is_icmp(af, protocol))
		return icmp_out(ipvl, skb, af, thoff);
	return NF_ACCEPT;
}

static unsigned int ipvl_local_in4(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return local_in(ipvl_net(state->net), skb, AF_INET);
}

static unsigned int ipvl_local_in6(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return local_in(ipvl_net(state->net), skb, AF_INET6);
}

static unsigned int ipvl_forward4(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return forward_hook(ipvl_net(state->net), skb, AF_INET);
}

static unsigned int ipvl_forward6(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return forward_hook(ipvl_net(state->net), skb, AF_INET6);
}

/* After filter, so INPUT and FORWARD rules still guard the traffic. */
static const struct nf_hook_ops ipvl_hook_ops[] = {
	{
		.hook = ipvl_local_in4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_NAT_SRC - 1,
	},
	{
		.hook = ipvl_forward4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_NAT_SRC - 1,
	},
	{
		.hook = ipvl_local_in6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_NAT_SRC - 1,
	},
	{
		.hook = ipvl_forward6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP6_PRI_NAT_SRC - 1,
	},
};

/*
 * Packets must be whole before the hooks see them: IPv6 reassembles
 * only after LOCAL_IN and neither family does before FORWARD, so the
 * netfilter defragmenters run at PRE_ROUTING while ip_vs_lite is loaded.
 */
int ipvl_hooks_register(struct net *net)
{
	int ret;

	ret = nf_defrag_ipv4_enable(net);
	if (ret)
		return ret;
	ret = nf_defrag_ipv6_enable(net);
	if (ret)
		goto err_v6;
	ret = nf_register_net_hooks(net, ipvl_hook_ops,
				    ARRAY_SIZE(ipvl_hook_ops));
	if (ret)
		goto err_hooks;
	return 0;

err_hooks:
	nf_defrag_ipv6_disable(net);
err_v6:
	nf_defrag_ipv4_disable(net);
	return ret;
}

void ipvl_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, ipvl_hook_ops, ARRAY_SIZE(ipvl_hook_ops));
	nf_defrag_ipv6_disable(net);
	nf_defrag_ipv4_disable(net);
}
