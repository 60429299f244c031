/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_PACKET_H
#define _IPVL_PACKET_H

#include "ip_vs_lite.h"
#include "datapath/conn_state.h"

int ipvl_parse_ip(const struct sk_buff *skb, u16 af, struct ipvl_pkt *pkt,
		  unsigned int *thoff);
bool ipvl_parse_ports(const struct sk_buff *skb, unsigned int thoff,
		      struct ipvl_pkt *pkt, struct ipvl_tcp_flags *tf);

#endif /* _IPVL_PACKET_H */
