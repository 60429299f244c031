/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _IPVL_NEW_FLOW_H
#define _IPVL_NEW_FLOW_H

#include "datapath/conn.h"
#include "model/netns.h"
#include "datapath/conn_state.h"

unsigned int ipvl_new_flow(struct ipvl_net *ipvl, struct sk_buff *skb,
			   const struct ipvl_pkt *pkt,
			   const struct ipvl_tcp_flags *tf,
			   struct ipvl_conn **cpp);
struct ipvl_conn *ipvl_new_flow_icmp(struct ipvl_net *ipvl,
				     struct sk_buff *skb,
				     const struct ipvl_pkt *quoted);

#endif /* _IPVL_NEW_FLOW_H */
