/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_ICMP_H
#define _IPVL_ICMP_H

#include "ip_vs_lite.h"

int ipvl_icmp_parse(const struct sk_buff *skb, u16 af, unsigned int thoff,
		    struct ipvl_pkt *quoted);
void ipvl_pkt_reverse(struct ipvl_pkt *pkt);
void ipvl_icmp_tunnel_pmtu(struct net *net, const struct sk_buff *skb,
			   u16 af, unsigned int thoff);

#endif /* _IPVL_ICMP_H */
