/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_PACKET_H
#define _IPVL_PACKET_H

#include "ip_vs_lite.h"
#include "datapath/conn_state.h"

int ipvl_parse_ip(const struct sk_buff *skb, u16 af, struct ipvl_pkt *pkt,
		  unsigned int *thoff);
/* The transport protocols of virtual services, by port. */
static inline bool ipvl_is_l4(int protocol)
{
	return protocol == IPPROTO_TCP || protocol == IPPROTO_UDP ||
	       protocol == IPPROTO_SCTP;
}

bool ipvl_parse_ports(const struct sk_buff *skb, unsigned int thoff,
		      struct ipvl_pkt *pkt, struct ipvl_tcp_flags *tf);

#endif /* _IPVL_PACKET_H */
