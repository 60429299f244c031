/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_ICMP_H
#define _IPVL_ICMP_H

#include "datapath/conn.h"
#include "model/netns.h"

static inline bool ipvl_is_icmp(u16 af, int protocol)
{
	return protocol == (af == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
}

unsigned int ipvl_icmp_inbound(struct ipvl_net *ipvl, struct sk_buff *skb,
			       u16 af, unsigned int thoff);
unsigned int ipvl_icmp_outbound(struct ipvl_net *ipvl, struct sk_buff *skb,
				u16 af, unsigned int thoff);

/* NAT: an error's outer and quoted headers, translated (icmp_nat.c). */
int ipvl_nat_icmp_in(struct sk_buff *skb, const struct ipvl_conn *cp,
		     unsigned int icmp_off);
int ipvl_nat_icmp_out(struct sk_buff *skb, const struct ipvl_conn *cp,
		      unsigned int icmp_off);

#endif /* _IPVL_ICMP_H */
