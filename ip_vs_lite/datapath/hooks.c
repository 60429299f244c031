// SPDX-License-Identifier: GPL-2.0
/*
 * Where the packet path meets netfilter: LOCAL_IN takes packets for the
 * virtual services (inbound.c), FORWARD the replies of NAT real servers
 * (outbound.c). The same code serves IPv4 and IPv6.
 */

#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "datapath/hooks.h"
#include "datapath/inbound.h"
#include "datapath/outbound.h"

static unsigned int ipvl_local_in4(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return ipvl_inbound(ipvl_net(state->net), skb, AF_INET);
}

static unsigned int ipvl_local_in6(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	return ipvl_inbound(ipvl_net(state->net), skb, AF_INET6);
}

static unsigned int ipvl_forward4(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return ipvl_outbound(ipvl_net(state->net), skb, AF_INET);
}

static unsigned int ipvl_forward6(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	return ipvl_outbound(ipvl_net(state->net), skb, AF_INET6);
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
 * netfilter defragmenters run at PRE_ROUTING while the netns has a
 * service (model/service.c registers with the first and unregisters
 * with the last, under the netns's lock).
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
